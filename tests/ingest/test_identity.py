from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from veille.ingest import ReadReport, article_id
from veille.ingest.identity import source_file_name
from veille.model import RawDoc

# The `ingest` fixture (conftest.py): `ingest(paths, **ReadOptions fields) -> (docs, report)`.
Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]


def test_identity_article_id_is_sha256_prefix() -> None:
    expected = hashlib.sha256(b"seeds/a.txt\x1fline:3").hexdigest()[:20]
    assert article_id("seeds/a.txt", "line:3") == expected


def test_identity_article_id_separates_file_from_key() -> None:
    assert article_id("a", "b/c") != article_id("a/b", "c")


def test_identity_folder_name_prefixes_paths_below_it(tmp_path: Path) -> None:
    root = tmp_path / "examples"
    assert source_file_name(root, root / "seeds" / "000_x.txt") == "examples/seeds/000_x.txt"
    assert source_file_name(str(root) + "/", root / "seeds" / "000_x.txt") == "examples/seeds/000_x.txt"


def test_identity_relative_source_file_depends_on_what_is_ingested(tmp_path: Path, ingest: Ingest) -> None:
    page = tmp_path / "examples" / "seeds" / "000_x.txt"
    page.parent.mkdir(parents=True)
    page.write_text("Un article.", encoding="utf-8")
    by_folder, _ = ingest(tmp_path / "examples")
    by_file, _ = ingest(page)
    assert by_folder[0].source_file == "examples/seeds/000_x.txt"
    assert by_file[0].source_file == "000_x.txt"


def test_identity_ids_are_the_same_across_two_runs(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.txt").write_text("Texte A.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": 7, "article": "x"}\n{"article": "y"}\n', encoding="utf-8")
    first, _ = ingest(tmp_path)
    second, _ = ingest(tmp_path)
    ids = [article_id(d.source_file, d.source_id) for d in first]
    assert ids == [article_id(d.source_file, d.source_id) for d in second]
    assert len(set(ids)) == 3
    assert [d.source_id for d in first] == ["", "7", "line:2"]
