"""`veille stories` and `veille story` on a store filled by hand (no spaCy, no clustering run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import veille
from veille.model import Article, Entity
from veille.store import Store
from veille.stories.state import StoryState


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "v.db")
    carter = Entity("ent_carter", "Ashton Carter", "PER", "person", ["Ashton Carter"])
    def article(ident: str, title: str, day: str, source: str, text: str) -> Article:
        named = [carter] if "Carter" in text else []
        return Article(id=ident, source_file=f"{ident}.txt", source_id="", title=title, published=day,
                       source_name=source, text=text, entities=named)  # fmt: skip

    blog = article("a", "Réunion à Paris", "2016-01-18", "Blog", "Ashton Carter viendra à Paris.")
    paper = article("b", "Le conseil de guerre", "2016-01-21", "Le Parisien", "Ashton Carter était là.")
    other = article("c", "Séisme", "2016-03-02", "Blog", "Un séisme.")
    meeting = StoryState(id="s_meeting", article_ids=["a", "b"], first_seen="2016-01-18",
                         last_seen="2016-01-21",
                         entities={"ent_carter": 2.0}, sources={"Blog": 1, "Le Parisien": 1},
                         article_sources={"a": "Blog", "b": "Le Parisien"})  # fmt: skip
    quake = StoryState(id="s_quake", article_ids=["c"], first_seen="2016-03-02", last_seen="2016-03-02",
                       sources={"Blog": 1}, article_sources={"c": "Blog"})  # fmt: skip
    absorbed = StoryState(id="s_old", article_ids=["a"], first_seen="2016-01-18", last_seen="2016-01-18",
                          merged_into="s_meeting")  # fmt: skip
    with Store.open(path) as store:
        store.upsert([blog, paper, other])
        store.save([meeting, quake, absorbed], [("s_old", "s_meeting")])
    return path


def test_cli_stories_lists_stories_newest_first_with_filters(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "stories", "--db", db)
    assert code == 0 and out.index("s_quake") < out.index("s_meeting") and "s_old" not in out
    assert "2016-01-18 → 2016-01-21" in out and "2 independent of 2" in out and "Ashton Carter" in out
    code, out, _ = veille(monkeypatch, capsys, "stories", "--db", db, "--entity", "Carter", "--min-size", "2")
    assert code == 0 and "s_meeting" in out and "s_quake" not in out
    code, out, _ = veille(monkeypatch, capsys, "stories", "--db", db, "--from", "2017")
    assert code == 0 and "no story in" in out


def test_cli_story_shows_articles_and_a_merged_id_answers(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "story", "s_old", "--db", db)
    assert code == 0 and "Story s_meeting" in out
    assert "Réunion à Paris" in out and "Le conseil de guerre" in out and "Séisme" not in out
    code, _, err = veille(monkeypatch, capsys, "story", "s_nope", "--db", db)
    assert code == 2 and "no story 's_nope'" in err and "veille stories" in err
