"""`veille rubriques …` on a small SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import veille
from veille.model import Article
from veille.store import Store
from veille.stories.state import StoryState


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "veille.db")
    with Store.open(path) as store:
        store.upsert(
            [
                Article(id="a1", source_file="x", source_id="1", text="Un.", title="Match nul",
                        language="fr", rubriques=["sport"], story_id="s1"),
                Article(id="a2", source_file="x", source_id="2", text="Deux.", title="Vaccins",
                        language="fr", rubriques=["santé", "politique"], story_id="s1"),
            ]
        )  # fmt: skip
        store.save([StoryState(id="s1", article_ids=["a1", "a2"], keys=["e:x"])], [])
    return path


def test_cli_rubriques_counts_articles_and_story(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "rubriques", "counts", "--db", db)
    assert code == 0 and "sport" in out and "15000000" in out
    code, out, _ = veille(monkeypatch, capsys, "rubriques", "articles", "santé", "--db", db)
    assert code == 0 and "Vaccins" in out and "Match nul" not in out
    code, out, _ = veille(monkeypatch, capsys, "rubriques", "story", "s1", "--db", db)
    assert code == 0 and all(name in out for name in ("sport", "santé", "politique"))


def test_cli_rubriques_set_and_clear_an_override(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "rubriques", "set", "a1", "culture", "sport", "--db", db)
    assert code == 0 and "a1: culture, sport (override)" in out
    code, out, _ = veille(monkeypatch, capsys, "rubriques", "set", "a1", "--clear", "--db", db)
    assert code == 0 and "a1: sport (override removed)" in out


def test_cli_rubriques_refuses_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, _, err = veille(monkeypatch, capsys, "rubriques", "set", "a1", "cuisine", "--db", db)
    assert code == 2 and "unknown rubrique 'cuisine'" in err
    code, _, err = veille(monkeypatch, capsys, "rubriques", "set", "nope", "sport", "--db", db)
    assert code == 2 and "no article 'nope'" in err
    code, _, err = veille(monkeypatch, capsys, "rubriques", "set", "a1", "--db", db)
    assert code == 2 and "--clear" in err
    code, _, err = veille(monkeypatch, capsys, "rubriques", "story", "s9", "--db", db)
    assert code == 2 and "no story 's9'" in err
