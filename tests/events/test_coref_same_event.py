"""Cross-article coreference on hand-built events: ids, the same-event rule, merging, the index."""

from __future__ import annotations

from veille.events.coref import EventIndex, dates_compatible, event_id, merge, same_event
from veille.model import Event, EventArgument, EventEvidence

PARIS = EventArgument("place", "Paris", "ent_paris")
FRANCE = EventArgument("place", "France", "ent_france")
BERLIN = EventArgument("place", "Berlin", "ent_berlin")


def attendees(*names: str, role: str = "attendee") -> list[EventArgument]:
    return [EventArgument(role, n, "ent_" + n.lower()) for n in names]


def meeting(
    participants: list[EventArgument],
    date: str | None = None,
    place: EventArgument | None = PARIS,
    article: str = "a",
    modality: str = "happened",
) -> Event:
    event = Event(
        "", "meeting", "04", "réunion", participants, place, date, [EventEvidence(article, 0, 7, modality)]
    )
    event.id = event_id(event)
    return event


def test_coref_same_event_ids_are_content_derived_and_order_free() -> None:
    a = meeting(attendees("US", "FR"), "2016-01-20")
    b = meeting(attendees("FR", "US"), "2016-01-20", article="other")
    assert a.id == b.id and a.id.startswith("ev_") and len(a.id) == 23
    assert a.id != meeting(attendees("FR", "US"), "2016-01-21").id


def test_coref_same_event_dates_prefix_and_placeholders() -> None:
    assert dates_compatible("2016-01", "2016-01-20")
    assert dates_compatible("XXXX-11-17", "2015-11-17")
    assert dates_compatible(None, "2015-11-17")
    assert not dates_compatible("2016-01-21", "2016-01-20")


def test_coref_same_event_overlap_date_and_place() -> None:
    planned = meeting(attendees("US", "UK", "IT", "DE"), "2016-01-20", modality="planned")
    held = meeting(attendees("US", "UK", "IT", "DE", "FR", "NL"), None, article="b")
    assert same_event(planned, held)  # one date unknown: Jaccard 4/6 ≥ 0.5
    assert not same_event(planned, meeting(attendees("US", "RU", "TR", "JO"), None))  # 1/7
    assert not same_event(planned, meeting(attendees("US", "UK", "IT", "DE"), "2016-01-21"))
    assert not same_event(planned, meeting(attendees("US", "UK", "IT", "DE"), "2016-01-20", place=BERLIN))


def test_coref_same_event_city_inside_its_country() -> None:
    in_paris = meeting(attendees("US", "FR"), "2016-01-20", EventArgument("place", "Paris", "ent_p"))
    in_france = meeting(attendees("US", "FR"), "2016-01-20", EventArgument("place", "France", "ent_f"))
    in_germany = meeting(attendees("US", "FR"), "2016-01-20", EventArgument("place", "Allemagne", "ent_d"))
    assert same_event(in_paris, in_france)
    assert not same_event(in_paris, in_germany)


def test_coref_same_event_direction_matters_for_accusations() -> None:
    def accusation(agent: str, target: str) -> Event:
        participants = [
            EventArgument("agent", agent, "ent_" + agent),
            EventArgument("target", target, "ent_" + target),
        ]
        return Event("x", "accusation", "11", "accuse", participants, None, "2016-01-20", [])

    assert same_event(accusation("us", "ru"), accusation("us", "ru"))
    assert not same_event(accusation("us", "ru"), accusation("ru", "us"))


def test_coref_same_event_no_actors_needs_equal_date_and_place() -> None:
    strike = Event(
        "x", "attack", "19", "frappes", [], EventArgument("place", "Raqqa", "ent_r"), "2016-01-18", []
    )
    again = Event(
        "y", "attack", "19", "bombardés", [], EventArgument("place", "Raqqa", "ent_r"), "2016-01-18", []
    )
    undated = Event("z", "attack", "19", "bombardés", [], EventArgument("place", "Raqqa", "ent_r"), None, [])
    assert same_event(strike, again)
    assert not same_event(strike, undated)


def test_coref_same_event_person_and_their_country_count_once() -> None:
    # One page lists ministers and their countries (read from the same mention), another countries.
    ministers = [
        EventArgument("attendee", "Marise Payne", "ent_payne", 10, 22),
        EventArgument("attendee", "Australie", "ent_au", 10, 22),
        EventArgument("attendee", "Michael Fallon", "ent_fallon", 30, 44),
        EventArgument("attendee", "Royaume-Uni", "ent_uk", 30, 44),
    ]
    countries = [
        EventArgument("attendee", n, i) for n, i in [("Australie", "ent_au"), ("Royaume-Uni", "ent_uk")]
    ]
    countries.append(EventArgument("attendee", "États-Unis", "ent_us"))
    # Counted as people, the overlap would be 2/5, under the 0.5 an undated report needs.
    assert same_event(meeting(ministers, "2016-01-20"), meeting(countries, None))


def test_coref_same_event_merge_unions_and_keeps_the_most_precise_date() -> None:
    first = meeting([*attendees("US"), *attendees("RU", role="absent")], "2016-01", modality="planned")
    second = meeting([*attendees("US", "RU")], "2016-01-20", place=None, article="b")
    merged = merge(first, second)
    assert merged.id == first.id and merged.date == "2016-01-20" and merged.location == PARIS
    assert {(p.role, p.name) for p in merged.participants} == {("attendee", "US"), ("attendee", "RU")}
    assert [(e.article_id, e.modality) for e in merged.evidence] == [("a", "planned"), ("b", "happened")]
    assert [p.role for p in first.participants] == ["attendee", "absent"]  # inputs untouched


def test_coref_same_event_index_merges_and_consults_known() -> None:
    index = EventIndex()
    blog = meeting(attendees("US", "UK", "IT"), "2016-01-20", modality="planned")
    assert index.add(blog) is blog
    report = meeting(attendees("US", "UK", "IT", "FR"), None, article="b")
    merged = index.add(report)
    assert merged.id == blog.id and len(index) == 1 and len(merged.evidence) == 2

    known = EventIndex()
    stored = meeting(attendees("DE", "NL"), "2016-02-01", place=BERLIN, article="old")
    known.add(stored)
    fresh = EventIndex()
    report = meeting(attendees("DE", "NL", "FR"), None, place=BERLIN, article="new")
    assert report.id != stored.id
    again = fresh.add(report, known)
    assert again.id == stored.id and again.date == "2016-02-01"
    assert {e.article_id for e in again.evidence} == {"old", "new"}
    assert known.events_like("meeting", "2016-02") and not known.events_like("visit", None)


def test_coref_same_event_speech_acts_need_the_same_day() -> None:
    def statement(date: str | None, article: str) -> Event:
        agent = [EventArgument("agent", "Donald Trump", "ent_trump")]
        return Event(
            "x", "statement", "01", "a déclaré", agent, None, date, [EventEvidence(article, 0, 9, "happened")]
        )

    assert same_event(statement("2020-06-20", "a"), statement("2020-06-20", "b"))
    assert not same_event(statement("2020-06-20", "a"), statement(None, "b"))
    assert not same_event(statement("2020-06", "a"), statement("2020-06-20", "b"))


def test_coref_same_event_undated_needs_two_shared_actors() -> None:
    one = meeting(attendees("US"), "2016-01-20")
    assert not same_event(one, meeting(attendees("US", "FR"), None))  # Jaccard 0.5, one actor


def test_coref_same_event_anonymous_events_do_not_share_an_id() -> None:
    def arrest(article: str) -> Event:
        return Event(
            "",
            "arrest",
            "17",
            "garde à vue",
            [],
            None,
            "2020-06-30",
            [EventEvidence(article, 5, 16, "happened")],
        )

    assert event_id(arrest("a")) != event_id(arrest("b"))
    index = EventIndex()
    for article in ("a", "b"):
        event = arrest(article)
        event.id = event_id(event)
        index.add(event)
    assert len(index) == 2


def test_coref_same_event_undated_statements_of_one_person_stay_apart() -> None:
    index = EventIndex()
    for article in ("a", "b"):
        agent = [EventArgument("agent", "Donald Trump", "ent_trump")]
        event = Event(
            "", "statement", "01", "a dit", agent, None, None, [EventEvidence(article, 3, 8, "happened")]
        )
        event.id = event_id(event)
        index.add(event)
    assert len(index) == 2


def test_coref_same_event_one_person_dies_once() -> None:
    def death(date: str | None) -> Event:
        target = [EventArgument("target", "George Floyd", "ent_floyd")]
        return Event("x", "death", "", "mort", target, None, date, [])

    assert same_event(death("2020-05-25"), death(None))
    assert not same_event(death("2020-05-25"), death("2019-05-25"))


def test_coref_same_event_a_country_death_toll_is_no_one_s_death() -> None:
    def toll(article: str) -> Event:
        target = [EventArgument("target", "Brésil", "ent_br")]
        return Event(
            "x", "death", "", "morts", target, None, None, [EventEvidence(article, 0, 5, "happened")]
        )

    assert not same_event(toll("a"), toll("b"))


TWO = [EventArgument("attendee", "France", "ent_france"), EventArgument("attendee", "Russie", "ent_russie")]


def test_coref_run_index_forgets_the_least_recently_told_beyond_its_capacity() -> None:
    index = EventIndex(capacity=2)
    a = index.add(meeting(TWO, "2016-01-20", article="a1"))
    b = index.add(meeting(TWO, "2016-02-20", article="a2"))
    again = index.add(meeting(TWO, "2016-01-20", article="a3"))  # a told again: now the most recent
    c = index.add(meeting(TWO, "2016-03-20", article="a4"))
    assert again.id == a.id and len({a.id, b.id, c.id}) == 3
    assert len(index) == 3  # nothing is forgotten while a batch merges
    assert index.trim() == 1 and len(index) == 2
    assert index.get(b.id) is None and index.get(a.id) is not None and index.get(c.id) is not None
    assert [e.id for e in index.events_like("meeting", "2016-01")] == [a.id]


def test_coref_a_forgotten_event_told_again_merges_with_the_stores_copy() -> None:
    first = meeting(TWO, "2016-01-20", article="a1")

    class Stored:
        def events_like(self, type: str, date: str | None) -> list[Event]:
            return [first]

    index = EventIndex(capacity=0)
    index.add(first, Stored())
    assert index.trim() == 1 and len(index) == 0
    merged = index.add(meeting(TWO, "2016-01-20", article="a2"), Stored())
    assert merged.id == first.id and {e.article_id for e in merged.evidence} == {"a1", "a2"}
