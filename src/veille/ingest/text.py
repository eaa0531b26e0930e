"""The plain-text page reader: one `.txt` or `.txt.gz` file is one scraped page.

The page is read whole (it is capped by `--max-bytes`, after decompression), decoded with
`decode_bytes`, and handed on untouched: finding the title and dropping boilerplate is the
cleaner's job, not the reader's. A page carries no metadata of its own, so its date, URL and
source come only from the command line or the sidecar `PAGE.meta.json`; otherwise they stay None.
"""

from __future__ import annotations

from collections.abc import Iterator

from veille.ingest.decode import decode_bytes
from veille.ingest.files import (
    Found,
    file_meta,
    read_whole,
    rejected,
)
from veille.ingest.options import ReadOptions, ReadReport
from veille.model import RawDoc

WHOLE_FILE_ID = ""  # a page is the whole file, so it has no key inside it


def read_text(found: Found, options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Yield the one RawDoc of a text page (rejected when it cannot be read as text)."""
    name = found.source_file
    data = read_whole(found, options, report, WHOLE_FILE_ID)
    if isinstance(data, RawDoc):
        yield data
        return
    text, reason, detail = decode_bytes(data)
    if reason is not None:
        yield rejected(name, WHOLE_FILE_ID, reason, detail, report)
        return
    meta = file_meta(found, options, report)
    yield RawDoc(
        source_file=name,
        source_id=WHOLE_FILE_ID,
        text=text,
        url=meta.url,
        source_name=meta.source,
        published=meta.published,
    )
