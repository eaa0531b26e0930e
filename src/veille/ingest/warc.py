"""The WARC reader: every HTML page a crawler archived in a `.warc` or `.warc.gz` file.

A WARC holds far more than articles: the crawler's requests, its own notes (warcinfo, metadata),
revisits, images, scripts and error pages. Only `response` records with HTTP status 200 and an
HTML content type are pages; the rest are not rejected articles (they never were articles), so
they are counted and summarised in one report line per file.

The file is streamed record by record with warcio's `ArchiveIterator`, which also undoes chunked
transfer and gzip content encoding (`content_stream()`); no payload is held beyond
`max_record_bytes`. Each page is extracted by `html.extract_html` under the per-document time
limit, so one pathological page costs only itself.

A record's `url` is its `WARC-Target-URI` and its `source_id` its `WARC-Record-ID`, both taken
from the record rather than a sidecar: a sidecar names one page, a WARC holds many. `WARC-Date` is
when the page was crawled, not when it was published, so it is never used as `published`: the
date comes from the command line, the sidecar, or the page itself (htmldate), in that order.

A damaged file (cut short, or corrupt mid-way) keeps the records read before the damage and ends
with one rejected RawDoc that says where the damage is.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from veille.ingest import html as html_reader
from veille.ingest import sandbox
from veille.ingest.files import FileMeta, Found, file_meta, rejected
from veille.ingest.options import ReadOptions, ReadReport
from veille.model import RawDoc

WHOLE_FILE_ID = ""  # an empty file, or damage outside any record, belongs to no record
REQUIRED_HEADERS = ("WARC-Type", "WARC-Record-ID", "Content-Length")
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
DRAIN_CHUNK = 1 << 16


@dataclass(frozen=True, slots=True)
class PageRecord:
    """One WARC record that is an HTML page: what the reader needs of it, its payload capped."""

    record_id: str
    url: str | None
    payload: bytes
    too_large: bool  # the payload is longer than the cap; `payload` holds only the cap + 1 bytes


def skip_category(rec_type: str, status: str | None, content_type: str | None) -> str | None:
    """Why a record is not a page ("request record", "non-HTML response" …), or None for a page.

    `status` is the HTTP status code as a string and `content_type` the HTTP Content-Type header,
    both None when the record carries no HTTP headers.
    """
    if rec_type != "response":
        return f"{rec_type} record"
    if status is None:
        return "non-HTTP response"  # dns: lookups and other protocols
    if status != "200":
        return "non-200 response"
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type not in HTML_TYPES:
        return "non-HTML response"
    return None


def summarise_skipped(counts: Counter[str]) -> str:
    """'skipped 1 request record, 2 non-HTML responses' in a stable (alphabetical) order."""
    parts = [f"{n} {category}{'' if n == 1 else 's'}" for category, n in sorted(counts.items())]
    return "skipped " + ", ".join(parts) + " (not articles)"


class WarcIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator, noting whether the file ended inside a record.

    warcio stops quietly when a `.warc.gz` is cut inside a record's gzip member, or a `.warc`
    inside a record's header block, dropping that record without a word; its state when it
    closes (the decompressor's, the line it read ahead) tells it apart from a clean end.
    """

    cut_short = False

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None) if self.reader is not None else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.cut_short = True
        # A header line read after the last whole record, with no record made of it: the file
        # ends inside that record's header block.
        if getattr(self, "next_line", None):
            self.cut_short = True
        super().close()


class WarcDamage(Exception):
    """A record of the file is damaged: reading stops there."""

    def __init__(self, source_id: str, detail: str) -> None:
        super().__init__(detail)
        self.source_id = source_id
        self.detail = detail


def read_warc(found: Found, options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Yield one RawDoc per HTML page of a WARC file, rejected ones included."""
    name = found.source_file
    meta = file_meta(found, options, report)
    skipped: Counter[str] = Counter()
    seen = 0  # records read whole, for the damage report
    damaged = False
    try:
        stream = found.path.open("rb")  # warcio detects per-record gzip itself
    except OSError as exc:
        yield rejected(name, WHOLE_FILE_ID, "unreadable", str(exc), report)
        return
    with stream:
        if not stream.peek(1):
            yield rejected(name, WHOLE_FILE_ID, "empty", "0 bytes", report)
            return
        records = WarcIterator(stream)
        while True:
            try:
                record = next(records, None)
                if record is None:
                    break
                category, page = _examine(record, seen + 1, options.max_record_bytes)
            except WarcDamage as exc:
                yield rejected(name, exc.source_id, "malformed_warc", exc.detail, report)
                damaged = True
                break
            except Exception as exc:  # what warcio raises on a broken file varies (even AttributeError)
                yield _damaged(name, exc, seen, report)
                damaged = True
                break
            seen += 1
            if page is None:
                skipped[category or "unknown record"] += 1
                continue
            yield _page_doc(name, page, meta, options, report)
    if skipped:
        report.warn(f"{name}: {summarise_skipped(skipped)}")
    if records.cut_short and not damaged:
        reason = "truncated_gzip" if found.gzipped else "malformed_warc"
        detail = f"the file ends inside record {seen + 1}; the {seen} records before it are kept"
        yield rejected(name, WHOLE_FILE_ID, reason, detail, report)
    elif seen == 0 and not damaged:
        # Bytes but not one whole record (a header block with no end, say): warcio stops without a
        # word, and the file would vanish from the run unless it is said here.
        detail = "no complete WARC record in the file; is it a WARC file, and is it whole?"
        yield rejected(name, WHOLE_FILE_ID, "malformed_warc", detail, report)


def _examine(record: Any, number: int, cap: int) -> tuple[str | None, PageRecord | None]:
    """(why it is skipped, None) or (None, the page) for record `number`; WarcDamage if damaged."""
    record_id = str(record.rec_headers.get_header("WARC-Record-ID") or WHOLE_FILE_ID)
    if record.format != "warc":
        raise WarcDamage(record_id, f"record {number} is not a WARC record (format {record.format!r})")
    # warcio takes a header block cut short for a whole one; the mandatory headers tell.
    missing_headers = [h for h in REQUIRED_HEADERS if not record.rec_headers.get_header(h)]
    if missing_headers:
        detail = (
            f"record {number} lacks {', '.join(missing_headers)}; the {number - 1} records before it are kept"
        )
        raise WarcDamage(record_id, detail)
    category = _skip_category(record)
    page = _page_record(record, cap) if category is None else None
    missing = _drain(record)
    if missing:
        detail = f"record {number} ends {missing} bytes early; the {number - 1} records before it are kept"
        raise WarcDamage(record_id, detail)
    return category, page


def _skip_category(record: Any) -> str | None:
    http = record.http_headers
    status = http.get_statuscode() if http is not None and record.rec_type == "response" else None
    content_type = http.get_header("Content-Type") if http is not None else None
    return skip_category(str(record.rec_type), status, content_type)


def _page_record(record: Any, cap: int) -> PageRecord:
    record_id = str(record.rec_headers.get_header("WARC-Record-ID") or "")
    url = record.rec_headers.get_header("WARC-Target-URI")
    # cap + 1: one byte past the cap tells "too large" apart without reading the rest.
    payload = record.content_stream().read(cap + 1)
    return PageRecord(record_id, str(url) if url else None, payload, too_large=len(payload) > cap)


def _drain(record: Any) -> int:
    """Read the rest of the record; the bytes its Content-Length promised but the file lacks."""
    raw = record.raw_stream
    while raw.read(DRAIN_CHUNK):
        pass
    # warcio's LimitReader counts down what is left of Content-Length; it stays above 0 when
    # the file ends first, which warcio itself does not report.
    return int(getattr(raw, "limit", 0) or 0)


def _damaged(name: str, exc: Exception, seen: int, report: ReadReport) -> RawDoc:
    reason = "truncated_gzip" if isinstance(exc, zlib.error | EOFError) else "malformed_warc"
    detail = f"after record {seen}: {type(exc).__name__}: {exc}".strip()
    if seen:
        detail += f"; the {seen} records before it are kept"
    return rejected(name, WHOLE_FILE_ID, reason, detail, report)


def _page_doc(
    name: str, page: PageRecord, meta: FileMeta, options: ReadOptions, report: ReadReport
) -> RawDoc:
    cap = options.max_record_bytes
    if page.too_large:
        detail = f"{page.url}: payload over {cap} bytes (--max-record-bytes)"
        return rejected(name, page.record_id, "record_too_large", detail, report)
    try:
        extracted = sandbox.call_with_timeout(
            html_reader.extract_html, page.payload, page.url, seconds=options.doc_timeout
        )
    except sandbox.DocumentTimeout:
        detail = f"{page.url}: extraction took over {options.doc_timeout:g} s (--doc-timeout)"
        return rejected(name, page.record_id, "timeout", detail, report)
    except Exception as exc:  # ParserCrash, or any parser bug: one bad page costs only itself
        detail = f"{page.url}: {type(exc).__name__}: {exc}"
        return rejected(name, page.record_id, "parse_error", detail, report)
    return RawDoc(
        source_file=name,
        source_id=page.record_id,
        text=extracted.text,
        title=extracted.title,
        url=page.url or extracted.url or meta.url,
        source_name=meta.source or extracted.source_name,
        published=meta.published or extracted.published,
        author=extracted.author,
    )
