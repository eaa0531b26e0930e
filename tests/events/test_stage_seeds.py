"""The acceptance test of the events issue: the two seed pages through the pipeline and the stage.

The blog (2016-01-18) announces the Paris meeting of "mercredi"; Le Parisien (2016-01-21) reports
it as held. veille must show one meeting with both pages as evidence, and the other events the
pages tell. Time expressions come from veille.temporal when it is there (`seeds`), and from
hand-built Timex objects otherwise (`seeds_hand_dated`), so that the stage is checked either way.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from veille.engines.local import to_article
from veille.events import EventsStage
from veille.ingest import ReadOptions, ReadReport, iter_records
from veille.model import Article, Event, Timex
from veille.pipeline import default_pipeline

COUNTRIES = {"États-Unis", "France", "Royaume-Uni", "Allemagne", "Italie", "Pays-Bas", "Australie"}
# Time expressions of the seeds and their values, written by hand from the publication dates.
HAND_TIMEXES = {
    "2016-01-18": [
        ("Cette semaine", "2016-W03"),
        ("mercredi", "2016-01-20"),
        ("le 17 novembre", "2015-11-17"),
        ("début janvier", "2016-01"),
        ("Mercredi après-midi", "2016-01-20TAF"),
        ("Aujourd’hui", "2016-01-18"),
    ],
    "2016-01-21": [("mercredi", "2016-01-20"), ("fin 2015", "2015")],
}


@pytest.fixture(scope="module")
def analysed(nlp: Any, seeds_dir: Path) -> list[Article]:
    articles = [to_article(r) for r in iter_records([seeds_dir], ReadOptions(), ReadReport())]
    return default_pipeline(None, progress=False)(articles)


@pytest.fixture(scope="module")
def seeds(analysed: list[Article]) -> list[Article]:
    temporal = pytest.importorskip("veille.temporal")
    articles = [copy.copy(a) for a in analysed]
    for article in articles:
        assert article.published is not None
        article.timexes = temporal.find_timexes(
            article.text, date.fromisoformat(article.published[:10]), article.doc
        )
    return EventsStage()(articles)


@pytest.fixture(scope="module")
def seeds_hand_dated(analysed: list[Article]) -> list[Article]:
    articles = [copy.copy(a) for a in analysed]
    for article in articles:
        assert article.published is not None
        article.timexes = []
        for words, value in HAND_TIMEXES[article.published[:10]]:
            for found in re.finditer(re.escape(words), article.text):
                article.timexes.append(Timex(article.id, found.start(), found.end(), words, "DATE", value))
    return EventsStage()(articles)


def by_date(articles: list[Article]) -> dict[str, Article]:
    return {a.published[:10]: a for a in articles if a.published}


def events(articles: list[Article], kind: str) -> list[Event]:
    found: dict[str, Event] = {}
    for article in articles:
        for event in article.events:
            if event.type == kind:
                found.setdefault(event.id, event)
    return list(found.values())


def names(event: Event, role: str) -> set[str]:
    return {p.name for p in event.participants if p.role == role}


def check_paris_meeting(articles: list[Article]) -> None:
    blog, parisien = by_date(articles)["2016-01-18"], by_date(articles)["2016-01-21"]
    meetings = [
        e for e in events(articles, "meeting") if e.location is not None and e.location.name == "Paris"
    ]
    assert len(meetings) == 1, [(e.trigger, e.date, e.location) for e in events(articles, "meeting")]
    (meeting,) = meetings
    assert meeting.date == "2016-01-20" and meeting.cameo == "04"
    assert names(meeting, "attendee") >= COUNTRIES
    assert names(meeting, "absent") == {"Russie"}
    modalities = {(e.article_id, e.modality) for e in meeting.evidence}
    assert (blog.id, "planned") in modalities and (parisien.id, "happened") in modalities
    # Both pages hold the event under one id.
    assert meeting.id in {e.id for e in blog.events} and meeting.id in {e.id for e in parisien.events}


def check_other_events(articles: list[Article]) -> None:
    blog = by_date(articles)["2016-01-18"]
    accusations = events(articles, "accusation")
    assert any(names(e, "agent") == {"Ashton Carter"} and "Russie" in names(e, "target") for e in accusations)
    appeals = events(articles, "appeal")
    assert any(
        names(e, "agent") == {"France", "États-Unis"} and names(e, "target") == {"Russie"} for e in appeals
    )
    (visit,) = events(articles, "visit")
    assert names(visit, "agent") == {"Ashton Carter"}
    assert any(blog.text[p.start : p.end] == "Balard" for p in visit.participants if p.role == "target")
    assert visit.evidence[0].modality == "planned" and visit.date == "2016-01-20"
    strikes = [e for e in events(articles, "attack") if e.location is not None and e.location.name == "Raqqa"]
    assert strikes and strikes[0].evidence[0].article_id == blog.id
    brussels = [e for e in blog.events if e.location is not None and e.location.name == "Bruxelles"]
    assert [(names(e, "agent"), e.date) for e in brussels] == [({"Jean-Yves Le Drian"}, "2015-11-17")]


def test_stage_seeds_one_paris_meeting_from_both_pages(seeds: list[Article]) -> None:
    check_paris_meeting(seeds)


def test_stage_seeds_accusation_appeal_visit_strikes_brussels(seeds: list[Article]) -> None:
    check_other_events(seeds)


def test_stage_seeds_hand_dated_meeting_and_events(seeds_hand_dated: list[Article]) -> None:
    check_paris_meeting(seeds_hand_dated)
    check_other_events(seeds_hand_dated)


def test_stage_seeds_rerun_gives_the_same_ids(seeds_hand_dated: list[Article]) -> None:
    first = {e.id for a in seeds_hand_dated for e in a.events}
    again = EventsStage()([copy.copy(a) for a in seeds_hand_dated])
    assert {e.id for a in again for e in a.events} == first


def test_stage_seeds_every_event_is_evidenced_by_its_article(seeds_hand_dated: list[Article]) -> None:
    for article in seeds_hand_dated:
        assert article.events
        for event in article.events:
            own = [e for e in event.evidence if e.article_id == article.id]
            assert own, event
            for evidence in own:
                assert evidence.modality in {"planned", "happened", "negated", "claimed"}
                assert article.text[evidence.start : evidence.end].strip()
