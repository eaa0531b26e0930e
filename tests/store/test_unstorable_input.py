"""Hostile code points in a record's metadata (JSON `"\\u0000"`, a lone `"\\ud800"`) are stored, not
fatal, on both backends: before the fix a NUL in a URL failed the whole batch on PostgreSQL, and a
lone surrogate in a JSON id stopped the run on either backend (the id could not be hashed)."""

from __future__ import annotations

import json
from pathlib import Path

from veille.clean import CleanStage
from veille.engines.local import ingest_paths
from veille.ingest.storable import storable, storable_text
from veille.model import RawDoc
from veille.pipeline import Pipeline
from veille.store import Store

TEXT = "Le ministre de la Défense a parlé mercredi à Paris devant les députés réunis en commission."


def test_storable_text_removes_nul_and_replaces_lone_surrogates() -> None:
    assert storable_text("a\x00b") == "ab"
    assert storable_text("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert storable_text("déjà « vu » 😀") == "déjà « vu » 😀"  # a real astral character is one code point


def test_storable_returns_the_same_record_when_nothing_to_fix() -> None:
    raw = RawDoc("f.jsonl", "1", text="x\x00", title="Titre", url="http://a.fr/")
    assert storable(raw) is raw  # text is the cleaner's business, so this one is left as it is
    fixed = storable(RawDoc("f.jsonl", "1\x00", title="T\ud800", url="http://a.fr/\x00x", author="\x00"))
    assert (fixed.source_id, fixed.title, fixed.url, fixed.author) == ("1", "T\ufffd", "http://a.fr/x", "")


def test_storable_input_jsonl_with_nul_and_surrogates_is_ingested(store: Store, tmp_path: Path) -> None:
    records = [
        {"id": "nul\u0000", "title": "Titre\u0000nul", "article": TEXT + "\u0000", "url": "http://x.fr/a\u0000b",
         "source": "S\u0000"},
        {"id": "lone\ud800", "title": "Titre \ud800", "article": TEXT + " \udc00", "url": "http://x.fr/\udfff"},
    ]  # fmt: skip
    path = tmp_path / "hostile.jsonl"
    # ensure_ascii writes the escapes exactly as a hostile producer would send them.
    path.write_text("\n".join(json.dumps(r, ensure_ascii=True) for r in records) + "\n", encoding="ascii")
    summary = ingest_paths([path], store, Pipeline([CleanStage()]))
    assert summary.records == 2 and summary.kept == 2
    stored = {a.source_id: a for a in store.iter_articles()}
    assert set(stored) == {"nul", "lone\ufffd"}
    first, second = stored["nul"], stored["lone\ufffd"]
    assert (first.title, first.url, first.source_name) == ("Titrenul", "http://x.fr/ab", "S")
    assert first.text == TEXT
    assert second.url == "http://x.fr/\ufffd" and "\ud800" not in (second.title or "")
    assert all("\x00" not in (a.text or "") for a in stored.values())
