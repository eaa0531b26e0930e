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


def _fresh_events_like(store: Store, type: str, date: str | None) -> list[Event]:
    """What the store answers with nothing cached: every event read again."""
    store._clear_event_cache()
    return store.events_like(type, date)


def test_events_like_after_writes_answers_as_a_fresh_read(store: Store, make_article: MakeArticle) -> None:
    """Events read before a write are kept only where the write did not change them: a new
    telling that adds a participant, a more precise date, an event left without evidence."""
    blog, parisien = make_article("blog", BLOG), make_article("parisien", PARISIEN)
    other = make_article("x", BLOG)
    blog.events = [meeting(blog, date="2016-01", modality="planned")]
    side = meeting(other, date="2016-01-03")
    side.id, side.participants = "ev_side", [EventArgument("attendee", "Italie", "ent_Italie")]
    other.events = [side]
    store.upsert([blog, other])
    steps: list[Callable[[], None]] = [
        lambda: store.upsert([parisien]),  # nothing about the meeting yet: kept as read
        lambda: setattr(parisien, "events", [meeting(parisien, attendees=("France", "Allemagne"))]),
        lambda: store.upsert([parisien]),  # one more attendee, a more precise date
        lambda: setattr(other, "events", []),
        lambda: store.upsert([other]),  # the side event has no telling left: deleted
    ]
    for step in [lambda: None, *steps]:
        step()
        for type, date in (("meeting", "2016-01"), ("meeting", None), ("meeting", "2016-01-20")):
            cached = store.events_like(type, date)
            assert cached == _fresh_events_like(store, type, date)
    [meeting_now] = store.events_like("meeting", "2016-01-20")
    assert {p.name for p in meeting_now.participants} == {"France", "Allemagne"}
    assert meeting_now.date == "2016-01-20"
    assert [e.article_id for e in meeting_now.evidence] == ["blog", "parisien"]


def test_events_like_after_an_unrelated_write_reads_only_the_ids(
    store: Store, make_article: MakeArticle
) -> None:
    """After a write that tells none of them, the candidates' participants and evidence are not
    read again (they were most of the events stage's store time in the Ray driver)."""
    from sqlalchemy import event as sa_event

    blog = make_article("blog", BLOG)
    blog.events = [meeting(blog)]
    store.upsert([blog])
    assert [e.id for e in store.events_like("meeting", "2016-01")] == ["ev_meeting"]
    store.upsert([make_article("parisien", PARISIEN)])
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    sa_event.listen(store._engine, "before_cursor_execute", record)
    try:
        assert [e.id for e in store.events_like("meeting", "2016-01")] == ["ev_meeting"]
    finally:
        sa_event.remove(store._engine, "before_cursor_execute", record)
    assert [s for s in statements if "event_participants" in s or "event_evidence" in s] == []
    assert len([s for s in statements if "FROM events" in s]) == 1
