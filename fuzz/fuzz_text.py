"""atheris fuzz target: the scraped-text entry point, raw bytes of a `.txt` page to a cleaned Article.

    .venv/bin/python fuzz/fuzz_text.py -max_total_time=60 [-dict=…] [corpus_dir]

Each input is the whole content of one page: it goes through `decode_bytes` (BOM, binary sniff,
UTF-8 then cp1252), then, as `veille ingest` would, `to_article` and the clean stage (normalise,
title, boilerplate lines, glued paragraphs), the content hash, and the time-expression finder on
the clean text. A rejection (`empty`, `binary`, `bad_encoding`, `no_content`) is the documented
outcome for bad input; any exception is a crash that atheris reports with the input that caused it.
The same bytes are also read as one JSON line (`parse_record`), the `.jsonl` entry point.
"""

from __future__ import annotations

import datetime as dt
import sys

import atheris

with atheris.instrument_imports(include=["veille"]):
    from veille.clean import CleanStage
    from veille.dedup.exact import ContentHashStage
    from veille.engines.local import fingerprint, to_article
    from veille.errors import REASONS
    from veille.ingest.decode import decode_bytes, decode_line
    from veille.ingest.files import FileMeta
    from veille.ingest.jsonl import parse_record
    from veille.ingest.options import FieldMap, ReadReport
    from veille.model import REJECTED, RawDoc
    from veille.temporal import find_timexes

CLEAN = CleanStage()
HASH = ContentHashStage()
ANCHOR = dt.date(2016, 1, 20)


def one_input(data: bytes) -> None:
    text, reason, _detail = decode_bytes(data)
    if text is None:
        assert reason in REASONS, reason
        raw = RawDoc(source_file="fuzz.txt", source_id="", reason=reason)
    else:
        raw = RawDoc(source_file="fuzz.txt", source_id="", text=text, published="2016-01-20")
    fingerprint(raw)
    article = to_article(raw)
    HASH(CLEAN([article]))
    if article.status == REJECTED:
        assert article.reason in REASONS, article.reason
    else:
        assert article.text, "a kept article has text"
        for timex in find_timexes(article.text, ANCHOR):
            assert article.text[timex.start : timex.end] == timex.text
    record = parse_record(
        decode_line(data.split(b"\n", 1)[0]),
        1,
        "fuzz.jsonl",
        fields=FieldMap(),
        meta=FileMeta(),
        report=ReadReport(),
    )
    assert record.reason is None or record.reason in REASONS, record.reason


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
