from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from veille.ingest import SUPPORTED_EXTENSIONS, ReadReport
from veille.model import RawDoc

# The `ingest` fixture (conftest.py): `ingest(paths, **ReadOptions fields) -> (docs, report)`.
Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]


SHARED_DATA = Path(__file__).parents[2].parent / "shared" / "data"
CORPUS = SHARED_DATA / "corpus" / "orangesum_parsed_all.jsonl.gz"


def test_reader_supported_extensions() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        ".txt", ".txt.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz",
        ".html", ".htm", ".html.gz", ".htm.gz", ".warc", ".warc.gz", ".rss", ".atom", ".xml",
    }  # fmt: skip


def test_reader_bad_input_does_not_stop_the_run(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a_empty.txt").write_bytes(b"")
    (tmp_path / "b_bad.jsonl").write_text("{oops\n")
    (tmp_path / "c_good.txt").write_text("Texte.")
    docs, report = ingest([tmp_path / "missing", tmp_path])
    assert [d.reason for d in docs] == ["unreadable", "empty", "malformed_json", None]
    assert report.files == 3
    assert report.rejected == {"unreadable": 1, "empty": 1, "malformed_json": 1}
    assert len(report.warnings) == 3


@pytest.mark.shared_data
def test_reader_first_200_records_of_shared_corpus(tmp_path: Path, ingest: Ingest) -> None:
    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found at {CORPUS} (needs ../shared/data beside the repo)")
    with gzip.open(CORPUS, "rb") as stream:
        head = b"".join(stream.readline() for _ in range(200))
    (tmp_path / "orangesum_head.jsonl.gz").write_bytes(gzip.compress(head))
    docs, report = ingest(tmp_path / "orangesum_head.jsonl.gz")
    assert len(docs) == 200
    assert all(d.reason is None and d.title and d.published for d in docs)
    assert len({d.source_id for d in docs}) == 200
    assert report.warnings == []
