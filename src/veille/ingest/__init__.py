"""Readers that turn files into a stream of `RawDoc`, one reader per format.

Entry point: `iter_records(paths, ReadOptions(), report)`. Folders are walked recursively in
sorted order; `.txt` pages and JSON lines are read, gzipped or not. Bad input never stops a run:
it comes out as a rejected RawDoc with a reason from `veille.errors.REASONS` and a report line.

Ids are derived from the file name relative to what was ingested (see `identity`), so ingest a
corpus from the same root every time.
"""

from veille.ingest.files import SUPPORTED_EXTENSIONS
from veille.ingest.identity import article_id
from veille.ingest.options import FieldMap, ReadOptions, ReadReport, parse_fields_option
from veille.ingest.reader import READERS, iter_records

__all__ = [
    "READERS",
    "SUPPORTED_EXTENSIONS",
    "FieldMap",
    "ReadOptions",
    "ReadReport",
    "article_id",
    "iter_records",
    "parse_fields_option",
]
