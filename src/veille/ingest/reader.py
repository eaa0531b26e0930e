"""`iter_records`: every path on the command line to a stream of RawDoc, one reader per format.

A reader is a function `(Found, ReadOptions, ReadReport) -> Iterator[RawDoc]` registered in
`READERS` under the format name `files.SUPPORTED_EXTENSIONS` gives its extensions; an HTML,
WARC or RSS reader is one more module and two more lines here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from veille.ingest.feed import read_feed
from veille.ingest.files import Found, discover, rejected
from veille.ingest.html import read_html
from veille.ingest.jsonl import read_jsonl
from veille.ingest.options import ReadOptions, ReadReport
from veille.ingest.storable import storable
from veille.ingest.text import read_text
from veille.ingest.url import is_url, read_url
from veille.ingest.warc import read_warc
from veille.model import RawDoc

Reader = Callable[[Found, ReadOptions, ReadReport], Iterator[RawDoc]]

READERS: dict[str, Reader] = {
    "text": read_text,
    "jsonl": read_jsonl,
    "html": read_html,
    "warc": read_warc,
    "feed": read_feed,
}


def iter_records(paths: Sequence[str | Path], options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Yield a RawDoc for every page or record under `paths`, rejected ones included.

    Nothing raises for bad input: each problem is a rejected RawDoc (or a `report.skipped` entry
    for files that are not articles) and a line in `report.warnings`, and reading goes on.
    """
    local: list[str | Path] = []
    for given in paths:
        if isinstance(given, str) and is_url(given):
            yield from _read_local(local, options, report)
            local = []
            for doc in read_url(given, options, report):
                report.records += 1
                yield storable(doc)
        else:
            local.append(given)
    yield from _read_local(local, options, report)


def _read_local(paths: Sequence[str | Path], options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    for found in discover(paths, report):
        if found.error is not None or found.fmt is None:
            yield rejected(found.source_file, "", "unreadable", found.error, report)
            continue
        report.files += 1
        for doc in READERS[found.fmt](found, options, report):
            report.records += 1
            yield storable(doc)
