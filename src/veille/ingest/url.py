"""The URL reader: `veille ingest https://…` fetches a page or a feed, then reads it like a file.

Fetching is `fetch.fetch` (timeouts, a size cap, bounded redirects, no private or loopback
targets unless `--allow-private`); what comes back is read by the reader of its kind: an HTML page
through the HTML extractor, an RSS/Atom feed entry by entry, plain text as a page. A fetch that
fails is a rejected article with the fetch's reason, like any unreadable file.
"""

from __future__ import annotations

from collections.abc import Iterator

from veille.ingest.decode import decode_bytes
from veille.ingest.feed import SNIFF_BYTES, rawdocs_from_feed, sniff_feed
from veille.ingest.fetch import FetchError, fetch
from veille.ingest.files import FileMeta, rejected
from veille.ingest.html import rawdoc_from_html
from veille.ingest.options import ReadOptions, ReadReport
from veille.model import RawDoc

URL_SCHEMES = ("http://", "https://")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"}
)
WHOLE_PAGE_ID = ""


def is_url(path: str) -> bool:
    return path.lower().startswith(URL_SCHEMES)


def read_url(url: str, options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Fetch `url` and yield its page, or one RawDoc per entry when it is a feed."""
    try:
        result = fetch(
            url,
            timeout=options.fetch_timeout,
            max_bytes=options.max_bytes,
            max_redirects=options.max_redirects,
            allow_private=options.allow_private,
        )
    except FetchError as error:
        yield rejected(url, WHOLE_PAGE_ID, error.reason, str(error), report)
        return
    kind = result.content_type or ""
    meta = FileMeta(published=options.published, url=None, source=options.source)
    if kind in FEED_TYPES or (kind not in HTML_TYPES and sniff_feed(result.body[:SNIFF_BYTES])):
        yield from rawdocs_from_feed(result.body, url, meta, options, report)
    elif kind in HTML_TYPES or not kind:
        yield rawdoc_from_html(
            result.body,
            source_file=url,
            source_id=WHOLE_PAGE_ID,
            url=result.url,
            options=options,
            report=report,
        )
    elif kind == "text/plain":
        text, reason, detail = decode_bytes(result.body)
        if reason is not None:
            yield rejected(url, WHOLE_PAGE_ID, reason, detail, report)
            return
        yield RawDoc(
            source_file=url,
            source_id=WHOLE_PAGE_ID,
            text=text,
            url=result.url,
            source_name=options.source,
            published=options.published,
        )
    else:
        detail = f"{result.url} served {kind!r}; veille reads HTML pages, RSS/Atom feeds and plain text"
        yield rejected(url, WHOLE_PAGE_ID, "unsupported_content", detail, report)
