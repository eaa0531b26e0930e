"""The RSS/Atom feed reader: one article per feed entry, read with feedparser.

`.rss` and `.atom` files are feeds by name; an `.xml` file is read only when its first 4 kB hold
`<rss`, `<feed` or `<rdf:RDF`, and is otherwise listed in `report.skipped` like any file that is
not an article (sitemaps, configuration, office documents all end in .xml).

Finding is apart from writing back: `parse_feed(bytes) -> ParsedFeed` is pure and turns every entry
into plain text with its metadata; `read_feed` adds the file's metadata (command line over sidecar
over entry) and makes the RawDocs. The parse runs under the per-document time limit.

An entry's text is its full content when the feed carries it (`content:encoded`, Atom `content`),
else its summary, flagged `partial=True` so that later stages know the article is cut. Entry HTML
is a fragment, on which trafilatura often finds "no main text", so it is turned into text with
lxml: one line per block element, scripts and styles dropped.

feedparser is lenient: a malformed ("bozo") feed still gives the entries it could parse, and a
warning says the feed is damaged. A file that is not a feed at all is a rejected `parse_error`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from veille.ingest import sandbox
from veille.ingest.files import (
    FileMeta,
    Found,
    file_meta,
    open_stream,
    read_whole,
    rejected,
)
from veille.ingest.options import ReadOptions, ReadReport
from veille.model import RawDoc

WHOLE_FILE_ID = ""  # file-level rejections (not a feed, too large) belong to no entry
SNIFF_BYTES = 4096
FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:rdf)[\s>/]", re.IGNORECASE)
NOT_A_FEED_MESSAGE = (
    "not a feed: an .xml file is read only when it is an RSS or Atom feed "
    "(<rss, <feed or <rdf:RDF in its first 4 kB)"
)
# Elements that start a new line of text; inline ones (b, a, span …) run on in their line.
BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
    | {"table", "tr", "td", "th", "dd", "dt", "dl", "figure", "figcaption", "hr", "address"}
    | {"section", "article", "header", "footer", "aside"}
)
DROPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
_SPACES = re.compile(r"[ \t\r\f\v]+")


@dataclass(slots=True)
class FeedEntry:
    """One entry as the feed gives it, its text already plain."""

    key: str  # source_id: the entry's id/guid, else its link, else "entry:N"
    text: str
    partial: bool
    url: str | None = None
    title: str | None = None
    published: str | None = None  # ISO 8601 date-time in UTC
    author: str | None = None
    bad_date: str | None = None  # a date the entry gave but that could not be read


@dataclass(slots=True)
class ParsedFeed:
    is_feed: bool  # False when the bytes are not RSS, Atom or RDF at all
    title: str | None = None
    problem: str | None = None  # why feedparser found the feed malformed ("bozo"), if it did
    entries: list[FeedEntry] = field(default_factory=list)


def sniff_feed(head: bytes) -> bool:
    """True when the first bytes of an .xml file hold an RSS, Atom or RDF root element."""
    return FEED_ROOT.search(head[:SNIFF_BYTES]) is not None


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment: one line per paragraph (block element), no empty lines."""
    if "<" not in fragment:
        return _join_lines(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return _join_lines(fragment)
    for element in list(root.iter()):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in DROPPED_TAGS:
            element.drop_tree()
        elif tag in BLOCK_TAGS:
            # Newlines around every block element, so text_content() keeps paragraphs apart.
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return _join_lines(str(root.text_content()))


def _join_lines(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def iso_utc(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as an ISO 8601 date-time with +00:00."""
    if parsed is None:
        return None
    try:
        return dt.datetime(*parsed[:6], tzinfo=dt.UTC).isoformat()
    except (TypeError, ValueError):
        return None


def parse_feed(data: bytes) -> ParsedFeed:
    """Parse feed bytes into plain entries. Pure: no file, no network, no report."""
    # Bytes, never a str: feedparser fetches a str that looks like a URL.
    parsed: Any = feedparser.parse(data)
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        problem = f"{type(exc).__name__}: {exc}" if exc is not None else "malformed feed"
    if not parsed.get("version") and not parsed.entries:
        return ParsedFeed(is_feed=False, problem=problem)
    title = _clean(parsed.feed.get("title"))
    entries = [_entry(entry, n) for n, entry in enumerate(parsed.entries, start=1)]
    return ParsedFeed(is_feed=True, title=title, problem=problem, entries=entries)


def _entry(entry: Any, n: int) -> FeedEntry:
    content = entry.get("content") or []
    if content and _clean(content[0].get("value")):
        text, partial = _to_text(content[0]), False
    else:
        summary = entry.get("summary_detail") or {"value": entry.get("summary"), "type": "text/html"}
        text, partial = _to_text(summary), True
    url = _clean(entry.get("link"))
    # dict.get, not entry.get: feedparser's own get maps a missing `updated` to `published`
    # with a DeprecationWarning on every entry.
    published = iso_utc(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
    given_date = _clean(dict.get(entry, "published") or dict.get(entry, "updated"))
    return FeedEntry(
        key=_clean(entry.get("id")) or url or f"entry:{n}",
        text=text,
        partial=partial,
        url=url,
        title=_clean(entry.get("title")),
        published=published,
        author=_clean(entry.get("author")),
        bad_date=given_date if published is None else None,
    )


def _to_text(detail: Any) -> str:
    value = str(detail.get("value") or "")
    kind = str(detail.get("type") or "text/html")
    return fragment_text(value) if "html" in kind else _join_lines(value)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


def read_feed(found: Found, options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Yield one RawDoc per entry of an RSS or Atom feed file (nothing for an .xml that is not one)."""
    name = found.source_file
    if found.path.name.lower().endswith(".xml"):
        try:
            with open_stream(found) as stream:
                head = stream.read(SNIFF_BYTES)
        except OSError as exc:
            yield rejected(name, WHOLE_FILE_ID, "unreadable", str(exc), report)
            return
        if not sniff_feed(head):
            report.skipped.append((name, NOT_A_FEED_MESSAGE))
            return
    data = read_whole(found, options, report, WHOLE_FILE_ID)
    if isinstance(data, RawDoc):
        yield data
        return
    yield from rawdocs_from_feed(data, name, file_meta(found, options, report), options, report)


def rawdocs_from_feed(
    data: bytes, name: str, meta: FileMeta, options: ReadOptions, report: ReadReport
) -> Iterator[RawDoc]:
    """One RawDoc per entry of a feed held in `data` (a file's bytes, or a fetched body)."""
    if not data.strip():
        yield rejected(name, WHOLE_FILE_ID, "empty", f"{len(data)} bytes", report)
        return
    try:
        feed = sandbox.call_with_timeout(parse_feed, data, seconds=options.doc_timeout)
    except sandbox.DocumentTimeout:
        detail = f"parsing the feed took over {options.doc_timeout:g} s (--doc-timeout)"
        yield rejected(name, WHOLE_FILE_ID, "timeout", detail, report)
        return
    except Exception as exc:  # ParserCrash, or any parser bug: one bad file costs only itself
        yield rejected(name, WHOLE_FILE_ID, "parse_error", f"{type(exc).__name__}: {exc}", report)
        return
    yield from _entry_docs(name, feed, meta, options, report)


def _entry_docs(
    name: str, feed: ParsedFeed, meta: FileMeta, options: ReadOptions, report: ReadReport
) -> Iterator[RawDoc]:
    if not feed.is_feed:
        detail = "not an RSS or Atom feed" + (f" ({feed.problem})" if feed.problem else "")
        yield rejected(name, WHOLE_FILE_ID, "parse_error", detail, report)
        return
    if feed.problem:
        report.warn(f"{name}: malformed feed ({feed.problem}); kept the {len(feed.entries)} entries read")
    if not feed.entries:
        report.warn(f"{name}: the feed has no entries")
        return
    seen: set[str] = set()
    cap = options.max_record_bytes
    for n, entry in enumerate(feed.entries, start=1):
        key = entry.key
        if key in seen:
            # Two entries under one id would be one article; the second keeps its position instead.
            report.warn(f"{name}: entry {n} repeats the id {key!r}; named entry:{n} instead")
            key = f"entry:{n}"
        seen.add(key)
        if len(entry.text.encode("utf-8")) > cap:
            detail = f"entry {n}: text over {cap} bytes (--max-record-bytes)"
            yield rejected(name, key, "record_too_large", detail, report)
            continue
        if entry.bad_date is not None and meta.published is None:
            report.warn(f"{name}: entry {n}: published {entry.bad_date!r} is not a date; kept as unknown")
        yield RawDoc(
            source_file=name,
            source_id=key,
            text=entry.text,  # may be "": the cleaner rejects it as empty, the title stays visible
            title=entry.title,
            url=entry.url or meta.url,
            source_name=meta.source or feed.title,
            published=meta.published or entry.published,
            author=entry.author,
            partial=entry.partial,
        )
