"""The stage contract and the `veille_events` spaCy component."""

from __future__ import annotations

from typing import Any

from veille.events import EventIndex, EventsStage, find_events
from veille.events.stage import EventsStage as StageClass
from veille.model import REJECTED, Article, Event, EventArgument, Mention, Timex
from veille.pipeline import Pipeline, default_pipeline


def article(nlp: Any, text: str, **fields: Any) -> Article:
    doc = nlp(text)
    mentions = [Mention("a", e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
    return Article(
        id="a", source_file="f", source_id="", text=text, doc=doc, language="fr", mentions=mentions, **fields
    )


def test_stage_component_declares_its_fields() -> None:
    assert StageClass.name == "events"
    assert StageClass.requires == {"text", "doc", "mentions", "entities", "quotes", "timexes"}
    assert StageClass.provides == {"events"}
    initial = {"timexes", *default_pipeline(None, progress=False).fields}
    assert "events" in Pipeline([EventsStage()], initial_fields=initial).fields


def test_stage_component_skips_articles_without_doc_rejected_or_foreign(nlp: Any) -> None:
    text = "Emmanuel Macron a rencontré Angela Merkel à Berlin."
    assert find_events(Article(id="a", source_file="f", source_id="", text=text)) == []
    rejected = article(nlp, text, status=REJECTED)
    english = article(nlp, text)
    english.language = "en"
    french = article(nlp, text)
    EventsStage()([rejected, english, french])
    assert rejected.events == [] and english.events == []
    assert [e.type for e in french.events] == ["meeting"]


def test_stage_component_matches_known_events(nlp: Any) -> None:
    known = EventIndex()
    stored = Event(
        "ev_stored", "meeting", "04", "réunion", [], EventArgument("place", "Berlin"), "2020-05-04", []
    )
    known.add(stored)
    text = "Emmanuel Macron a rencontré Angela Merkel à Berlin lundi."
    fresh = article(nlp, text, published="2020-05-05")
    start = text.index("lundi")
    fresh.timexes = [Timex("a", start, start + 5, "lundi", "DATE", "2020-05-04")]
    stage = EventsStage(known=known)
    stage([fresh])
    assert [e.id for e in fresh.events] == ["ev_stored"]
    assert stage.counters["merged"] == 1


def test_stage_component_sets_doc_events(nlp: Any) -> None:
    import veille.events  # noqa: F401  (registers veille_events)

    nlp.add_pipe("veille_events")
    try:
        doc = nlp("Emmanuel Macron a rencontré Angela Merkel à Berlin.")
    finally:
        nlp.remove_pipe("veille_events")
    (event,) = doc._.events
    assert event.type == "meeting" and event.location.name == "Berlin"
    assert {p.name for p in event.participants} == {"Emmanuel Macron", "Angela Merkel"}
    assert all(p.entity_id is None for p in event.participants)
