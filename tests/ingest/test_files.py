from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from veille.ingest import ReadReport
from veille.ingest.files import UNSUPPORTED_MESSAGE
from veille.model import RawDoc

# The `ingest` fixture (conftest.py): `ingest(paths, **ReadOptions fields) -> (docs, report)`.
Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]


def _tree(root: Path) -> None:
    for rel in ["b/2.txt", "a.txt", "b/1.jsonl", "c.txt.gz"]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = b'{"article": "x"}\n' if rel.endswith(".jsonl") else b"Un texte."
        path.write_bytes(gzip.compress(data) if rel.endswith(".gz") else data)


def test_files_walk_is_recursive_and_sorted(tmp_path: Path, ingest: Ingest) -> None:
    _tree(tmp_path / "corpus")
    docs, report = ingest(tmp_path / "corpus")
    assert [d.source_file for d in docs] == [
        "corpus/a.txt",
        "corpus/b/1.jsonl",
        "corpus/b/2.txt",
        "corpus/c.txt.gz",
    ]
    assert report.files == 4


def test_files_hidden_files_and_folders_are_ignored(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("caché")
    (tmp_path / ".notes.txt").write_text("caché")
    (tmp_path / "a.txt").write_text("visible")
    docs, report = ingest(tmp_path)
    assert [d.text for d in docs] == ["visible"]
    assert report.skipped == []


def test_files_other_extensions_are_skipped_and_listed(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "site" / "a.txt").write_text("Texte.")
    docs, report = ingest(tmp_path / "site")
    assert len(docs) == 1
    assert report.skipped == [("site/logo.png", UNSUPPORTED_MESSAGE)]


def test_files_explicit_unsupported_path_names_supported_extensions(tmp_path: Path, ingest: Ingest) -> None:
    page = tmp_path / "photo.png"
    page.write_bytes(b"\x89PNG")
    docs, report = ingest(page)
    assert docs == []
    assert report.skipped == [("photo.png", UNSUPPORTED_MESSAGE)]
    assert UNSUPPORTED_MESSAGE.startswith("not an article file: veille ingest reads ")
    for ext in (".txt", ".jsonl", ".html", ".warc.gz", ".rss"):
        assert ext in UNSUPPORTED_MESSAGE


def test_files_sidecar_is_not_ingested(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.txt").write_text("Texte.")
    (tmp_path / "a.meta.json").write_text('{"published": "2020-01-02"}')
    docs, report = ingest(tmp_path)
    assert [d.source_file.rsplit("/", 1)[-1] for d in docs] == ["a.txt"]
    assert report.skipped == []


def test_files_explicit_sidecar_is_skipped(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.meta.json").write_text("{}")
    docs, report = ingest(tmp_path / "a.meta.json")
    assert docs == []
    assert report.skipped == [
        ("a.meta.json", "a sidecar holds metadata for the page beside it, not an article")
    ]


def test_files_nonexistent_path_is_unreadable(tmp_path: Path, ingest: Ingest) -> None:
    docs, report = ingest(tmp_path / "absent.txt")
    assert len(docs) == 1
    assert (docs[0].source_file, docs[0].text, docs[0].reason) == ("absent.txt", None, "unreadable")
    assert "No such file or directory" in (docs[0].reason_detail or "")
    assert report.rejected == {"unreadable": 1}


def test_files_fifo_is_unreadable_without_blocking(tmp_path: Path, ingest: Ingest) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    docs, _ = ingest(tmp_path)
    assert [(d.reason, d.reason_detail) for d in docs] == [("unreadable", "not a regular file (fifo)")]


def test_files_directory_loop_is_reported_once(tmp_path: Path, ingest: Ingest) -> None:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Texte.")
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    docs, _ = ingest(root)
    assert [(d.source_file, d.reason) for d in docs] == [
        ("root/sub/a.txt", None),
        ("root/sub/back", "unreadable"),
    ]
    assert "directory loop" in (docs[1].reason_detail or "")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_files_permission_denied_is_unreadable(tmp_path: Path, ingest: Ingest) -> None:
    page = tmp_path / "secret.txt"
    page.write_text("Texte.")
    page.chmod(0)
    docs, _ = ingest(page)
    assert docs[0].reason == "unreadable"
    assert "Permission denied" in (docs[0].reason_detail or "")


def test_files_dangling_symlink_is_unreadable(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    docs, report = ingest(tmp_path)
    assert docs[0].reason == "unreadable"
    assert "No such file or directory" in (docs[0].reason_detail or "")
    assert len(report.warnings) == 1


def test_files_too_large_file(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "big.txt").write_text("a" * 101)
    docs, _ = ingest(tmp_path / "big.txt", max_bytes=100)
    assert (docs[0].reason, docs[0].reason_detail) == (
        "too_large",
        "101 bytes, over the 100-byte cap (--max-bytes)",
    )


def test_files_too_large_once_decompressed(tmp_path: Path, ingest: Ingest) -> None:
    # 3 MB of text compresses to a few KB: the cap must apply to what comes out.
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 3_000_000))
    assert (tmp_path / "bomb.txt.gz").stat().st_size < 100_000
    docs, _ = ingest(tmp_path / "bomb.txt.gz", max_bytes=2_000_000)
    assert docs[0].reason == "too_large"
    assert docs[0].reason_detail == "over the 2000000-byte cap (--max-bytes) once decompressed"


def test_files_truncated_gzip_page(tmp_path: Path, ingest: Ingest) -> None:
    data = gzip.compress(b"Un article assez long. " * 200)
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    docs, _ = ingest(tmp_path / "cut.txt.gz")
    assert (docs[0].text, docs[0].reason) == (None, "truncated_gzip")


def test_files_unreadable_folder_is_reported_and_run_goes_on(
    tmp_path: Path, ingest: Ingest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores permission bits, so the OS error is simulated where the walk meets it.
    (tmp_path / "locked").mkdir()
    (tmp_path / "open.txt").write_text("Texte.")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    docs, _ = ingest(tmp_path)
    assert [(d.source_file.split("/", 1)[1], d.reason) for d in docs] == [
        ("locked", "unreadable"),
        ("open.txt", None),
    ]
    assert "Permission denied" in (docs[0].reason_detail or "")
