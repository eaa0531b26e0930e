from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from cli_runner import veille


@pytest.fixture
def seeds_db(
    tmp_path: Path,
    seeds_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    nlp: Any,
) -> Path:
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    db = tmp_path / "v.db"
    code, out, _ = veille(monkeypatch, capsys, "ingest", str(tmp_path / "seeds"), "--db", str(db), "--quiet")
    assert code == 0
    assert "This run" in out and "store" in out
    return db


def test_cli_show_prints_clean_text_entities_and_dropped_lines(
    seeds_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "show", "000_2c3758c6a7c524fe.txt", "--db", str(seeds_db))
    assert code == 0
    assert "Conseil de guerre" in out
    assert "Ashton Carter" in out and "PER" in out
    assert "Dropped lines" in out and "boilerplate:read_more" in out


def test_cli_export_writes_articles_and_mentions_with_valid_offsets(
    seeds_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    code, _, _ = veille(monkeypatch, capsys, "export", "--db", str(seeds_db), "--out", str(out_dir))
    assert code == 0
    articles = {a["id"]: a for a in map(json.loads, (out_dir / "articles.jsonl").read_text().splitlines())}
    mentions = [json.loads(line) for line in (out_dir / "mentions.jsonl").read_text().splitlines()]
    assert len(articles) == 2 and mentions
    for m in mentions:
        assert articles[m["article_id"]]["text"][m["start"] : m["end"]] == m["text"]


def test_cli_show_unknown_article_says_what_to_give(
    seeds_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = veille(monkeypatch, capsys, "show", "nope", "--db", str(seeds_db))
    assert code == 2
    assert "no article 'nope'" in err and "give an id" in err


@pytest.mark.parametrize("option", ["--batch-size", "--spacy-processes"])
def test_cli_ingest_rejects_a_count_below_one(
    option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "v.db")
    code, _, err = veille(monkeypatch, capsys, "ingest", str(tmp_path), "--db", db, option, "0")
    assert code == 2
    assert f"{option} must be at least 1, got 0." in err


def test_cli_ingest_passes_near_threshold_and_spacy_processes_to_the_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from veille import report
    from veille.engines.local import RunSummary

    given: dict[str, Any] = {}

    def recording(*args: Any, **kwargs: Any) -> tuple[RunSummary, dict[str, int]]:
        given.update(kwargs)
        return RunSummary(skipped_files=[], warnings=[]), dict.fromkeys(
            ("articles", "kept", "duplicate", "rejected", "mentions"), 0
        )

    monkeypatch.setattr(report, "ingest_with_progress", recording)
    code, _, err = veille(
        monkeypatch, capsys, "ingest", str(tmp_path), "--db", str(tmp_path / "v.db"),
        "--near-threshold", "0.9", "--spacy-processes", "2",
    )  # fmt: skip
    assert code == 0, err
    assert given["near_threshold"] == 0.9 and given["spacy_processes"] == 2
