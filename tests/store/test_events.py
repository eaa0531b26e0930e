"""Timexes and events in the store: replaced with their article, shared across articles, merged,
cleaned up when no article tells them any more, searched — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import Article, Event, EventArgument, EventEvidence, Timex
from veille.store import Store

MakeArticle = Callable[..., Article]

BLOG = "La réunion se tiendra mercredi à Paris avec sept ministres."
PARISIEN = "Les ministres se sont réunis mercredi à Paris."


def meeting(article: Article, *, date: str | None = "2016-01-20", modality: str = "happened",
            attendees: tuple[str, ...] = ("France",)) -> Event:  # fmt: skip
    start = article.text.index("réun")
    return Event(
        id="ev_meeting",
        type="meeting",
        cameo="04",
        trigger=article.text[start : start + 7],
        participants=[EventArgument("attendee", name, f"ent_{name}") for name in attendees],
        location=EventArgument("place", "Paris", "ent_paris"),
        date=date,
        evidence=[EventEvidence(article.id, start, start + 7, modality)],
    )


def test_events_timexes_round_trip_and_are_replaced(store: Store, make_article: MakeArticle) -> None:
    article = make_article("blog", BLOG)
    start = BLOG.index("mercredi")
    article.timexes = [Timex("blog", start, start + 8, "mercredi", "DATE", "2016-01-20")]
    store.upsert([article])
    got = store.get_article("blog")
    assert got is not None
    assert got.timexes == [Timex("blog", start, start + 8, "mercredi", "DATE", "2016-01-20")]
    article.timexes = []
    store.upsert([article])
    assert store.counts()["timexes"] == 0


def test_events_one_event_told_by_two_articles_keeps_both_tellings(
    store: Store, make_article: MakeArticle
) -> None:
    blog, parisien = make_article("blog", BLOG), make_article("parisien", PARISIEN)
    blog.events = [meeting(blog, date="2016-01", modality="planned", attendees=("France",))]
    parisien.events = [meeting(parisien, attendees=("France", "Allemagne"))]
    store.upsert([blog])
    store.upsert([parisien])
    [event] = store.find_events()
    tellings = [(e.article_id, e.modality) for e in event.evidence]
    assert tellings == [("blog", "planned"), ("parisien", "happened")]
    assert {p.name for p in event.participants} == {"France", "Allemagne"}
    assert event.date == "2016-01-20"  # the most precise date of the two tellings
    assert event.location is not None and event.location.entity_id == "ent_paris"
    loaded = store.get_article("blog")
    assert loaded is not None and [e.id for e in loaded.events] == ["ev_meeting"]


def test_events_rerun_changes_nothing_and_lost_events_are_deleted(
    store: Store, make_article: MakeArticle
) -> None:
    blog = make_article("blog", BLOG)
    blog.events = [meeting(blog)]
    store.upsert([blog])
    before = store.find_events()
    store.upsert([blog])
    assert store.find_events() == before
    blog.events = []
    store.upsert([blog])
    assert store.find_events() == [] and store.counts()["events"] == 0


def test_events_event_stays_while_another_article_tells_it(store: Store, make_article: MakeArticle) -> None:
    blog, parisien = make_article("blog", BLOG), make_article("parisien", PARISIEN)
    blog.events, parisien.events = [meeting(blog)], [meeting(parisien)]
    store.upsert([blog, parisien])
    blog.events = []
    store.upsert([blog])
    [event] = store.find_events()
    assert [e.article_id for e in event.evidence] == ["parisien"]


def test_events_like_gives_events_of_the_type_with_a_compatible_date(
    store: Store, make_article: MakeArticle
) -> None:
    blog = make_article("blog", BLOG)
    blog.events = [meeting(blog, date="2016-01-20")]
    store.upsert([blog])
    assert [e.id for e in store.events_like("meeting", "2016-01")] == ["ev_meeting"]
    assert [e.id for e in store.events_like("meeting", None)] == ["ev_meeting"]
    assert store.events_like("meeting", "2016-02-03") == []
    assert store.events_like("attack", "2016-01-20") == []


def test_events_find_by_entity_type_and_dates(store: Store, make_article: MakeArticle) -> None:
    blog = make_article("blog", BLOG)
    blog.events = [meeting(blog)]
    store.upsert([blog])
    assert [e.id for e in store.find_events(entity_ids=["ent_France"])] == ["ev_meeting"]
    assert [e.id for e in store.find_events(entity_ids=["ent_paris"])] == ["ev_meeting"]  # the place
    assert store.find_events(entity_ids=["ent_other"]) == []
    assert store.find_events(type="attack") == []
    assert [e.id for e in store.find_events(date_from="2016-01-01", date_to="2016-01-31")] == ["ev_meeting"]
    assert [e.id for e in store.find_events(date_to="2016-01")] == ["ev_meeting"]
    assert store.find_events(date_from="2016-02-01") == []
    assert store.counts()["events_by_type"] == {"meeting": 1}
