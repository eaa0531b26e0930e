"""The HTML page reader: `.html`/`.htm` files (gzipped or not) to RawDoc, via trafilatura.

Three layers, so that each can be tested and reused on its own:

- `extract_html(html, url)` is pure: one page in, its main text and metadata out (`HtmlPage`).
  trafilatura finds the main text and the metadata (title, author, site name, canonical URL,
  date); htmldate looks for the date when trafilatura's metadata has none. Comments are left out:
  a reader's comment is not the article.
- `rawdoc_from_html(...)` runs `extract_html` under the per-document time limit (`--doc-timeout`,
  see `sandbox`) and turns the result into a RawDoc, or a rejected one (`timeout`, `parse_error`).
  The WARC reader and the URL fetcher call it for each HTML payload.
- `read_html(found, options, report)` is the file reader registered in `READERS`.

The main text comes out one paragraph a line and then goes through the same cleaning as a text
page (`veille.clean.CleanStage`): veille's French line rules run after trafilatura, not instead.
The page's title travels as `RawDoc.title`, so the cleaner keeps it instead of looking for one.

Metadata precedence, as for every reader: the command line, then the sidecar (or what the caller
knows: a WARC record's address), then the page itself.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import htmldate
import trafilatura
from lxml.html import HtmlElement

from veille.ingest.decode import decode_bytes, detect_bom, looks_binary
from veille.ingest.files import (
    Found,
    file_meta,
    read_whole,
    rejected,
)
from veille.ingest.options import ReadOptions, ReadReport, is_iso_date
from veille.ingest.sandbox import DocumentTimeout, ParserCrash, call_with_timeout
from veille.model import RawDoc

WHOLE_FILE_ID = ""
# A page with more elements than this is refused before trafilatura walks it: trafilatura's time
# grows faster than linearly with the tree (200,000 paragraphs take over 10 s), and no news page
# comes close (the largest of trafilatura's 990 evaluation pages has about 32,000 elements).
MAX_ELEMENTS = 200_000
# Where a page declares its charset: a <meta> near the top (the HTML standard looks at 1024 bytes;
# real pages put long scripts first, so look further).
CHARSET_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
# The HTML standard decodes these labels as windows-1252, and so do browsers: pages that say
# latin-1 routinely use the curly quotes and the euro sign that only cp1252 has.
_AS_CP1252 = frozenset({"ascii", "iso8859-1", "latin-1", "cp1252"})

# A page with no article makes trafilatura log a warning; veille reports it as `empty` instead.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())
logging.getLogger("htmldate").addHandler(logging.NullHandler())


@dataclass(slots=True)
class HtmlPage:
    """What extraction finds in one HTML page. `text` holds the main text, one paragraph a line."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO 8601 date (htmldate), None when the page does not say
    author: str | None = None
    url: str | None = None  # canonical URL when the page gives one
    source_name: str | None = None  # the site's name when the page gives one


class PageTooComplex(ValueError):
    """The page's tree is too large to extract from in reasonable time."""


def declared_charset(data: bytes) -> str | None:
    """The Python codec for the charset a page declares in a <meta>, None when none or unknown."""
    match = _META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        # Bytes read as ASCII to find the <meta>, so they are not UTF-16; browsers read UTF-8.
        return "utf-8"
    return name


def decode_html(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode a page's bytes: BOM, else the declared charset, else `decode_bytes`'s rules.

    Returns (text, None, None) or (None, reason, detail) like `decode_bytes`. A declared charset
    the bytes do not fit (a page that says UTF-8 and is cp1252) is ignored, not trusted.
    """
    codec = declared_charset(data) if detect_bom(data) is None else None
    if codec is not None and looks_binary(data) is None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            pass
        else:
            if not text.strip():
                return None, "empty", f"{len(data)} bytes of whitespace only"
            return text, None, None
    return decode_bytes(data)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _date(value: object) -> str | None:
    text = _clean(value)
    return text if text is not None and is_iso_date(text) else None


def _key(line: str) -> str:
    return " ".join(line.split()).casefold()


def without_title(text: str, title: str | None) -> str:
    """`text` without its first line when that line is the title (the page's <h1> repeated).

    The title travels apart (`RawDoc.title`); left in, it would open the article body twice.
    """
    if not title:
        return text
    first, _, rest = text.lstrip("\n").partition("\n")
    return rest if _key(first) == _key(title) else text


def _find_date(tree: HtmlElement, url: str | None) -> str | None:
    try:
        found = htmldate.find_date(tree, url=url, original_date=True, extensive_search=True)
    except (ValueError, TypeError):  # htmldate raises on dates it half-parses; no date, not a crash
        return None
    return _date(found)


def extract_html(html: str | bytes, url: str | None = None) -> HtmlPage:
    """Extract the main text and metadata of one HTML page. Pure; no time limit of its own.

    `url` is where the page came from (it helps trafilatura resolve links and htmldate read a
    date in the address). Raises PageTooComplex for a page over `MAX_ELEMENTS` elements.
    """
    text = decode_html(html)[0] if isinstance(html, bytes) else html
    if text is None:
        return HtmlPage(text="")
    tree = trafilatura.load_html(text)
    if tree is None:
        return HtmlPage(text="")
    elements = sum(1 for _ in tree.iter())
    if elements > MAX_ELEMENTS:
        raise PageTooComplex(f"{elements} HTML elements, over the {MAX_ELEMENTS} a page may have")
    # trafilatura's balanced default, not favor_precision: veille's line rules drop much of what
    # favor_precision would (teasers, credits) but cannot bring back the paragraphs it loses, and
    # favor_recall lets in more than the rules catch (docs/benchmarks.md, "HTML main text").
    document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False)
    text = ""
    if document is None or isinstance(document, dict):
        document = trafilatura.extract_metadata(tree, default_url=url)
    else:
        text = document.text or ""
    published = _date(document.date) or _find_date(tree, url)
    title = _clean(document.title)
    return HtmlPage(
        text=without_title(text, title),
        title=title,
        published=published,
        author=_clean(document.author),
        url=_clean(document.url),
        source_name=_clean(document.sitename),
    )


def rawdoc_from_html(
    html: str | bytes,
    *,
    source_file: str,
    source_id: str,
    url: str | None,
    options: ReadOptions,
    report: ReadReport,
    meta_published: str | None = None,
    meta_source: str | None = None,
    meta_url: str | None = None,
) -> RawDoc:
    """One HTML payload to a RawDoc, extracted under `options.doc_timeout`.

    `url` is the address the payload came from (a WARC record's target, a fetched URL), also
    handed to trafilatura; the `meta_*` values are what the caller knows from elsewhere (a
    sidecar). Precedence: `options.published`/`options.source`, then `meta_*`, then `url`, then
    the page's own date, site name and canonical URL. A page with no main text gives text ""
    (the cleaner rejects it as `empty`); a page that cannot be decoded, or that hangs or breaks
    the parser, gives a rejected RawDoc (`empty`, `binary`, `timeout`, `parse_error`).
    """
    if isinstance(html, bytes):
        text, reason, detail = decode_html(html)
        if text is None:
            return rejected(source_file, source_id, reason or "bad_encoding", detail, report)
    else:
        text = html
        if not text.strip():
            return rejected(
                source_file, source_id, "empty", f"{len(text)} characters of whitespace only", report
            )
    try:
        page = call_with_timeout(extract_html, text, meta_url or url, seconds=options.doc_timeout)
    except DocumentTimeout:
        detail = f"no result after {options.doc_timeout:g} s; raise --doc-timeout to give pages longer"
        return rejected(source_file, source_id, "timeout", detail, report)
    except ParserCrash as exc:
        return rejected(source_file, source_id, "parse_error", str(exc), report)
    return RawDoc(
        source_file=source_file,
        source_id=source_id,
        text=page.text,
        title=page.title,
        author=page.author,
        url=meta_url or url or page.url,
        source_name=options.source or meta_source or page.source_name,
        published=options.published or meta_published or page.published,
    )


def read_html(found: Found, options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Yield the one RawDoc of an HTML page (rejected when it cannot be read or parsed)."""
    name = found.source_file
    data = read_whole(found, options, report, WHOLE_FILE_ID)
    if isinstance(data, RawDoc):
        yield data
        return
    meta = file_meta(found, options, report)
    yield rawdoc_from_html(
        data,
        source_file=name,
        source_id=WHOLE_FILE_ID,
        url=None,
        options=options,
        report=report,
        meta_published=meta.published,
        meta_source=meta.source,
        meta_url=meta.url,
    )
