"""`veille watch …`, `veille digest` and the export of watchlists and matches."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from cli_runner import veille
from veille.store import Store, export
from veille.store.watch import MATCH_FIELDS, WATCHLIST_FIELDS, get_watchlist, save_watchlist
from veille.watch.evaluate import evaluate_batch
from veille.watch.query import Watchlist
from watch.conftest import article

TOML = """
[[watchlist]]
name = "Daech"
entities = ["ent_daech"]
keywords = 'Raqqa OR "État islamique"'
languages = ["fr"]
min_sources = 0

[[watchlist]]
name = "Mossoul"
keywords = "Mossoul"
"""
DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def test_cli_watch_add_list_remove(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "v.db")
    (tmp_path / "w.toml").write_text(TOML, encoding="utf-8")
    code, out, _ = veille(monkeypatch, capsys, "watch", "add", str(tmp_path / "w.toml"), "--db", db)
    assert code == 0 and "saved watchlist Daech" in out and "saved watchlist Mossoul" in out
    code, out, _ = veille(monkeypatch, capsys, "watch", "list", "--db", db)
    assert code == 0 and "Daech" in out and "Mossoul" in out
    code, out, _ = veille(monkeypatch, capsys, "watch", "remove", "mossoul", "--db", db)
    assert code == 0 and "removed watchlist Mossoul" in out
    with Store.open(db) as store:
        found = get_watchlist(store, "Daech")
        assert found is not None and found.keywords == 'Raqqa OR "État islamique"'
        assert get_watchlist(store, "Mossoul") is None


def test_cli_watch_add_reports_bad_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "v.db")
    (tmp_path / "bad.toml").write_text('name = "x"\nkeywords = "Raqqa AND"\n', encoding="utf-8")
    code, _, err = veille(monkeypatch, capsys, "watch", "add", str(tmp_path / "bad.toml"), "--db", db)
    assert code == 2 and "watchlist 1" in err and "the query ends where a word" in err
    code, _, err = veille(monkeypatch, capsys, "watch", "remove", "nothing", "--db", db)
    assert code == 2 and "veille watch list" in err


def test_cli_digest_markdown_then_only_what_is_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "v.db")
    with Store.open(db) as store:
        save_watchlist(store, Watchlist("Daech", entities=["ent_daech"]))
        batch = [
            article("a1", "Daech recule.", title="Daech recule à Raqqa", entities={"Daech": "ent_daech"})
        ]
        store.upsert(batch)
        evaluate_batch(store, batch)
    code, out, _ = veille(monkeypatch, capsys, "digest", "Daech", "--since", "1d", "--db", db)
    assert code == 0 and "## Nouvelle : Daech recule à Raqqa" in out
    code, out, _ = veille(monkeypatch, capsys, "digest", "Daech", "--db", db)  # since the last digest
    assert code == 0 and "Rien de nouveau." in out
    html = tmp_path / "d.html"
    code, _, _ = veille(
        monkeypatch,
        capsys,
        "digest",
        "Daech",
        "--since",
        "2d",
        "--format",
        "html",
        "--out",
        str(html),
        "--db",
        db,
    )
    assert code == 0 and "<h2>Nouvelle : " in html.read_text(encoding="utf-8")
    code, _, err = veille(monkeypatch, capsys, "digest", "Daech", "--since", "hier", "--db", db)
    assert code == 2 and "neither a span" in err


def test_cli_export_writes_watchlists_and_matches_without_the_secret(store: Store, tmp_path: Path) -> None:
    save_watchlist(store, Watchlist("Daech", entities=["ent_daech"], webhook_url="http://127.0.0.1:9/h",
                                    webhook_secret="chut"))  # fmt: skip
    batch = [article("a1", "Daech recule.", entities={"Daech": "ent_daech"})]
    store.upsert(batch)
    evaluate_batch(store, batch)
    counts = export(store, tmp_path / "js")
    assert (counts["watchlists"], counts["matches"]) == (1, 1)
    [wl] = [
        json.loads(line)
        for line in (tmp_path / "js" / "watchlists.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    [match] = [
        json.loads(line)
        for line in (tmp_path / "js" / "matches.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert list(wl) == list(WATCHLIST_FIELDS) and list(match) == list(MATCH_FIELDS)
    assert "chut" not in json.dumps(wl) and match["why"] == {
        "entities": ["ent_daech"],
        "entity_names": ["Daech"],
    }
    export(store, tmp_path / "pq", "parquet")
    assert pq.read_table(tmp_path / "pq" / "watchlists.parquet").to_pylist() == [wl]
    [row] = pq.read_table(tmp_path / "pq" / "matches.parquet").to_pylist()
    assert {**row, "why": json.loads(row["why"])} == match


def _doc_fields(section: str) -> list[str]:
    body = DOC.read_text(encoding="utf-8").split(f"## `{section}`")[1].split("\n## ")[0]
    return re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.MULTILINE)


def test_cli_export_docs_document_watch_fields() -> None:
    assert _doc_fields("watchlists.jsonl") == list(WATCHLIST_FIELDS)
    assert _doc_fields("matches.jsonl") == list(MATCH_FIELDS)
