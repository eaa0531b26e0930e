from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

from veille.ingest import ReadReport
from veille.model import RawDoc

# The `ingest` fixture (conftest.py): `ingest(paths, **ReadOptions fields) -> (docs, report)`.
Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]


PAGE = "Le titre\n\nL’État a dépensé 5 € pour l’œuvre.\n"


def _one(docs: list[RawDoc]) -> RawDoc:
    assert len(docs) == 1
    return docs[0]


def test_text_whole_file_is_one_page(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_text(PAGE, encoding="utf-8")
    doc = _one(ingest(tmp_path / "p.txt")[0])
    assert doc == RawDoc(source_file="p.txt", source_id="", text=PAGE)


def test_text_page_without_date_keeps_published_none(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_text("le 2 juillet 2020\nTexte.", encoding="utf-8")
    assert _one(ingest(tmp_path / "p.txt")[0]).published is None


def test_text_gzipped_page(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    doc = _one(ingest(tmp_path / "p.txt.gz")[0])
    assert (doc.source_file, doc.text) == ("p.txt.gz", PAGE)


def test_text_cp1252_page_is_ingested(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_bytes(PAGE.encode("cp1252"))
    assert _one(ingest(tmp_path / "p.txt")[0]).text == PAGE


def test_text_latin1_page_is_ingested(tmp_path: Path, ingest: Ingest) -> None:
    page = "Élève à l'école, garçon déçu.\n"
    (tmp_path / "p.txt").write_bytes(page.encode("latin-1"))
    assert _one(ingest(tmp_path / "p.txt")[0]).text == page


def test_text_utf8_bom_page(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_bytes(PAGE.encode("utf-8-sig"))
    assert _one(ingest(tmp_path / "p.txt")[0]).text == PAGE


def test_text_empty_file_is_rejected(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_bytes(b"")
    docs, report = ingest(tmp_path / "p.txt")
    assert (_one(docs).text, docs[0].reason, docs[0].reason_detail) == (None, "empty", "0 bytes")
    assert report.warnings == ["p.txt: empty (0 bytes)"]


def test_text_binary_file_is_rejected(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "image.txt").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\xff")
    doc = _one(ingest(tmp_path / "image.txt")[0])
    assert (doc.text, doc.reason) == (None, "binary")


def test_text_sidecar_gives_metadata(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt.gz").write_bytes(gzip.compress(b"Texte."))
    (tmp_path / "p.meta.json").write_text(
        '{"published": "2016-01-21", "url": "https://ex.fr/a", "source": "Le Parisien"}'
    )
    doc = _one(ingest(tmp_path / "p.txt.gz")[0])
    assert (doc.published, doc.url, doc.source_name) == ("2016-01-21", "https://ex.fr/a", "Le Parisien")


def test_text_command_line_beats_sidecar(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_text("Texte.")
    (tmp_path / "p.meta.json").write_text('{"published": "2016-01-21", "source": "Le Parisien"}')
    doc = _one(ingest(tmp_path / "p.txt", published="2020-07-02", source="AFP")[0])
    assert (doc.published, doc.source_name) == ("2020-07-02", "AFP")


def test_text_broken_sidecar_is_a_warning(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_text("Texte.")
    (tmp_path / "p.meta.json").write_text('{"published": ')
    docs, report = ingest(tmp_path / "p.txt")
    assert (_one(docs).text, docs[0].published) == ("Texte.", None)
    assert report.warnings == [
        "p.meta.json: sidecar ignored, it could not be read as JSON: "
        "Expecting value: line 1 column 15 (char 14)"
    ]


def test_text_sidecar_with_invalid_date_keeps_the_rest(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.txt").write_text("Texte.")
    (tmp_path / "p.meta.json").write_text('{"published": "21/01/2016", "source": "Le Parisien"}')
    docs, report = ingest(tmp_path / "p.txt")
    assert (docs[0].published, docs[0].source_name) == (None, "Le Parisien")
    assert report.warnings == [
        "p.meta.json: sidecar published '21/01/2016' ignored, it is not an ISO 8601 date"
    ]
