"""`veille events` on a store filled by hand (no spaCy): the list, an entity's timeline, filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import veille
from veille.model import Article, Entity, Event, EventArgument, EventEvidence, Mention
from veille.store import Store

TEXT = "Les ministres se réunissent à Paris. Des frappes ont visé Raqqa."


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "v.db")
    france = Entity("ent_fr", "France", "LOC", "country", ["France"])
    raqqa = Entity("ent_raqqa", "Raqqa", "LOC", "city", ["Raqqa", "Raqqah"])
    article = Article(
        id="a", source_file="a.txt", source_id="", title="Le conseil de guerre", published="2016-01-21",
        text=TEXT, entities=[france, raqqa],
        mentions=[Mention("a", TEXT.index("Raqqa"), TEXT.index("Raqqa") + 5, "Raqqa", "LOC", "ent_raqqa")],
    )  # fmt: skip
    meeting_at, strike_at = TEXT.index("réunissent"), TEXT.index("frappes")
    article.events = [
        Event("ev_meeting", "meeting", "04", "réunissent", [EventArgument("attendee", "France", "ent_fr")],
              EventArgument("place", "Paris", None), "2016-01-20",
              [EventEvidence("a", meeting_at, meeting_at + 10, "happened")]),
        Event("ev_strike", "attack", "19", "frappes", [], EventArgument("place", "Raqqa", "ent_raqqa"),
              "2015-11", [EventEvidence("a", strike_at, strike_at + 7, "happened")]),
    ]  # fmt: skip
    with Store.open(path) as store:
        store.upsert([article])
    return path


def test_cli_events_lists_events_by_date(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "events", "--db", db)
    assert code == 0
    assert out.index("2015-11") < out.index("2016-01-20")
    assert "attack (19)" in out and "meeting (04)" in out and "attendee: France" in out
    assert "happened — Le conseil de guerre (2016-01-21)" in out


def test_cli_events_entity_timeline_and_filters(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "events", "--db", db, "--entity", "Raqqah")
    assert code == 0 and "Timeline of Raqqa" in out and "frappes" in out and "réunissent" not in out
    code, out, _ = veille(monkeypatch, capsys, "events", "--db", db, "--type", "meeting", "--from", "2016")
    assert code == 0 and "réunissent" in out and "frappes" not in out
    code, out, _ = veille(monkeypatch, capsys, "events", "--db", db, "--to", "2015-12", "--type", "meeting")
    assert code == 0 and "no event in" in out


def test_cli_events_bad_options_name_the_fix(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = veille(monkeypatch, capsys, "events", "--db", db, "--type", "party")
    assert code == 2 and "--type must be one of" in err and "meeting" in err
    code, _, err = veille(monkeypatch, capsys, "events", "--db", db, "--from", "janvier")
    assert code == 2 and "--from must be a date as 2016, 2016-01 or 2016-01-20" in err
