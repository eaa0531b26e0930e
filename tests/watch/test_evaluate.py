"""Matching hand-built articles against watchlists, and incremental evaluation of stored batches."""

from __future__ import annotations

from veille.model import DUPLICATE
from veille.store import Store
from veille.store.watch import list_matches, save_watchlist
from veille.watch.evaluate import compile_watchlist, evaluate_batch, match_article
from veille.watch.query import Watchlist
from watch.conftest import article, save_story

DAECH = "ent_daech"
EI_TEXT = "L'État islamique a revendiqué l'attaque de Raqqa."
DAECH_TEXT = "Daech a perdu du terrain près de Mossoul, selon la coalition."


def why(watchlist: Watchlist, made: object, **kwargs: object) -> dict[str, object] | None:
    return match_article(compile_watchlist(watchlist), made, **kwargs)  # type: ignore[arg-type]


def test_evaluate_entity_matches_every_alias_through_the_entity_id() -> None:
    watchlist = Watchlist("Daech", entities=[DAECH])
    by_name = article("a1", DAECH_TEXT, entities={"Daech": DAECH})
    by_alias = article("a2", EI_TEXT, entities={"État islamique": DAECH})
    unresolved = article("a3", EI_TEXT)  # the same words, but no mention resolved to the entity
    assert why(watchlist, by_name) == {"entities": [DAECH], "entity_names": ["Daech"]}
    # the name shown is the one this article uses; the id is what matched
    assert why(watchlist, by_alias) == {"entities": [DAECH], "entity_names": ["État islamique"]}
    assert why(watchlist, unresolved) is None


def test_evaluate_keywords_with_not_and_phrases() -> None:
    watchlist = Watchlist("Raqqa", keywords='("État islamique" OR Daech) AND Raqqa NOT Mossoul')
    assert why(watchlist, article("a1", EI_TEXT)) == {"keywords": ['"État islamique"', "Raqqa"]}
    assert why(watchlist, article("a2", EI_TEXT + " Puis Mossoul.")) is None
    assert why(watchlist, article("a3", "L'État a visé Raqqa.")) is None  # not the phrase


def test_evaluate_every_condition_must_hold() -> None:
    watchlist = Watchlist(
        "Attaques", entities=[DAECH], sources=["le monde"], languages=["fr"],
        rubriques=["défense et conflits"], event_types=["attack"],
    )  # fmt: skip
    good = article("a1", EI_TEXT, entities={"État islamique": DAECH}, events=["attack"],
                   rubriques=["Défense et conflits", "international"])  # fmt: skip
    assert why(watchlist, good) == {
        "entities": [DAECH], "entity_names": ["État islamique"], "source": "Le Monde", "language": "fr",
        "rubriques": ["Défense et conflits"], "event_types": ["attack"],
    }  # fmt: skip
    for change in ({"source": "AFP"}, {"language": "en"}, {"events": ["meeting"]}, {"rubriques": ["sport"]}):
        fields = {
            "entities": {"État islamique": DAECH},
            "events": ["attack"],
            "rubriques": ["défense et conflits"],
        }
        assert why(watchlist, article("a2", EI_TEXT, **{**fields, **change})) is None, change  # type: ignore[arg-type]


def test_evaluate_copies_never_match() -> None:
    copy = article("a1", DAECH_TEXT, entities={"Daech": DAECH})
    copy.status, copy.duplicate_of = DUPLICATE, "a0"
    assert why(Watchlist("Daech", entities=[DAECH]), copy) is None


def test_evaluate_minimum_independent_sources(store: Store) -> None:
    save_story(store, "s1", {"a1": "Le Monde", "a2": "AFP"})
    save_story(store, "s2", {"a3": "Le Monde"})
    save_watchlist(store, Watchlist("Daech", entities=[DAECH], min_sources=2))
    batch = [
        article("a1", DAECH_TEXT, entities={"Daech": DAECH}, story="s1"),
        article("a3", DAECH_TEXT, entities={"Daech": DAECH}, story="s2"),
    ]
    store.upsert(batch)
    found = evaluate_batch(store, batch)
    assert [(m.article_id, m.why["independent_sources"]) for m in found] == [("a1", 2)]


def test_evaluate_batch_records_once_with_why(store: Store) -> None:
    wid = save_watchlist(store, Watchlist("Daech", entities=[DAECH], keywords="Mossoul OR Raqqa"))
    batch = [
        article("a1", DAECH_TEXT, entities={"Daech": DAECH}),
        article("a2", "Rien à voir : la météo de Paris.", story="s9"),
    ]
    store.upsert(batch)
    first = evaluate_batch(store, batch, when="2026-11-23T10:00:00+00:00")
    assert [(m.article_id, m.why) for m in first] == [
        ("a1", {"entities": [DAECH], "entity_names": ["Daech"], "keywords": ["Mossoul"]})
    ]
    assert evaluate_batch(store, batch) == []  # the same batch again (a re-ingest) adds nothing
    stored = list_matches(store, wid)
    assert [(m.article_id, m.story_id, m.matched_at) for m in stored] == [
        ("a1", "s1", "2026-11-23T10:00:00+00:00")
    ]


def test_evaluate_story_growth_matches_later_articles_of_a_matched_story(store: Store) -> None:
    wid = save_watchlist(store, Watchlist("Daech", entities=[DAECH], languages=["fr"]))
    first = [article("a1", DAECH_TEXT, entities={"Daech": DAECH}, story="s1")]
    store.upsert(first)
    evaluate_batch(store, first)
    later = [
        article("a2", "Les frappes continuent dans la région.", story="s1"),  # joins the matched story
        article("a3", "Les frappes continuent dans la région.", story="s2"),  # another story: no
        article("a4", "The strikes go on.", story="s1", language="en"),  # fails the language filter
    ]
    store.upsert(later)
    found = evaluate_batch(store, later)
    assert [(m.article_id, m.why) for m in found] == [("a2", {"story_growth": "s1", "language": "fr"})]
    assert {m.article_id for m in list_matches(store, wid)} == {"a1", "a2"}


def test_evaluate_story_growth_within_one_batch_follows_publication_order(store: Store) -> None:
    save_watchlist(store, Watchlist("Daech", entities=[DAECH]))
    batch = [
        article("b2", "La suite des événements.", published="2016-01-21T10:00:00+00:00"),
        article("b1", DAECH_TEXT, entities={"Daech": DAECH}, published="2016-01-20T10:00:00+00:00"),
    ]
    store.upsert(batch)
    assert {m.article_id: m.why for m in evaluate_batch(store, batch)} == {
        "b1": {"entities": [DAECH], "entity_names": ["Daech"]}, "b2": {"story_growth": "s1"},
    }  # fmt: skip


def test_evaluate_without_watchlists_matches_nothing(store: Store) -> None:
    batch = [article("a1", DAECH_TEXT, entities={"Daech": DAECH})]
    store.upsert(batch)
    assert evaluate_batch(store, batch) == []
