"""Rubriques in the store, on SQLite and PostgreSQL: round trip, overrides kept across re-ingests,
counts, listings and the rubriques a story inherits."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veille.model import DUPLICATE, Article
from veille.store import Store
from veille.store.rubriques import (
    articles_by_rubrique,
    rubrique_counts,
    set_rubriques_override,
    story_rubriques,
)
from veille.stories.state import StoryState

MakeArticle = Callable[..., Article]  # the make_article fixture (tests/conftest.py)


def test_store_rubriques_round_trip_in_rank_order(store: Store, make_article: MakeArticle) -> None:
    article = make_article(
        "a1", rubriques=["santé", "politique"], rubrique_scores=[("santé", 0.7), ("politique", 0.2)]
    )
    store.upsert([article, make_article("a2")])
    loaded = store.get_article("a1")
    assert loaded is not None
    assert loaded.rubriques == ["santé", "politique"]
    assert loaded.rubrique_scores == [("santé", pytest.approx(0.7)), ("politique", pytest.approx(0.2))]
    assert {a.id: a.rubriques for a in store.iter_articles()} == {"a1": ["santé", "politique"], "a2": []}


def test_store_rubriques_reingest_replaces_auto_rows(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a1", rubriques=["santé", "politique"])])
    store.upsert([make_article("a1", rubriques=["sport"])])
    loaded = store.get_article("a1")
    assert loaded is not None and loaded.rubriques == ["sport"]


def test_store_rubriques_override_kept_across_reingest(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a1", rubriques=["santé"])])
    set_rubriques_override(store, "a1", ["économie", "santé"], user_id="u1")
    store.upsert([make_article("a1", rubriques=["sport", "culture"])])
    loaded = store.get_article("a1")
    assert loaded is not None and loaded.rubriques == ["économie", "santé"]
    # Removing the override shows the classifier's latest rubriques, without a re-ingest.
    set_rubriques_override(store, "a1", [])
    loaded = store.get_article("a1")
    assert loaded is not None and loaded.rubriques == ["sport", "culture"]


def test_store_rubriques_override_refuses_unknown_article_or_name(
    store: Store, make_article: MakeArticle
) -> None:
    store.upsert([make_article("a1")])
    with pytest.raises(KeyError, match="no article 'nope'"):
        set_rubriques_override(store, "nope", ["sport"])
    with pytest.raises(ValueError, match="unknown rubrique"):
        set_rubriques_override(store, "a1", ["cuisine"])


def test_store_rubriques_counts_and_listing_use_effective_rows(
    store: Store, make_article: MakeArticle
) -> None:
    store.upsert(
        [
            make_article("a1", "Un.", rubriques=["sport"], published="2024-01-01", title="Un"),
            make_article("a2", "Deux.", rubriques=["sport", "santé"], published="2024-02-01", title="Deux"),
            make_article("a3", "Trois.", rubriques=["santé"], published=None),
            make_article(
                "a4",
                "Copie.",
                rubriques=["sport"],
                status=DUPLICATE,
                duplicate_of="a1",
                content_hash="hash-a1",
            ),
        ]
    )
    set_rubriques_override(store, "a3", ["culture"])
    assert rubrique_counts(store) == {"sport": 2, "culture": 1, "santé": 1}
    listed = articles_by_rubrique(store, "sport", limit=10)
    assert [(a.id, a.rank) for a in listed] == [("a2", 0), ("a1", 0)]  # newest first, copies left out
    assert [a.id for a in articles_by_rubrique(store, "sport", limit=1, offset=1)] == ["a1"]
    assert [(a.id, a.rank) for a in articles_by_rubrique(store, "santé")] == [("a2", 1)]
    assert articles_by_rubrique(store, "culture")[0].id == "a3"


def test_store_rubriques_story_inherits_most_frequent_first(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [
            make_article("a1", "Un.", rubriques=["politique", "santé"], story_id="s1"),
            make_article("a2", "Deux.", rubriques=["santé"], story_id="s1"),
            make_article("a3", "Trois.", rubriques=["politique", "économie"], story_id="s1"),
            make_article("a4", "Quatre.", rubriques=["sport"]),
        ]
    )
    store.save([StoryState(id="s1", article_ids=["a1", "a2", "a3"], keys=["e:x"])], [])
    # politique and santé both in two articles: politique is the primary one of two, santé of one.
    assert story_rubriques(store, "s1") == [("politique", 2), ("santé", 2), ("économie", 1)]
    assert story_rubriques(store, "unknown") == []


def test_store_rubriques_has_rubrique_filters_article_queries(
    store: Store, make_article: MakeArticle
) -> None:
    from sqlalchemy import select

    from veille.store import schema
    from veille.store.rubriques import has_rubrique

    store.upsert([make_article("a1", rubriques=["sport"]), make_article("a2", "Deux.", rubriques=["santé"])])
    set_rubriques_override(store, "a2", ["sport"])
    a = schema.articles
    with store.engine.connect() as conn:
        sport = conn.execute(select(a.c.id).where(has_rubrique(a.c.id, "sport")).order_by(a.c.id)).scalars()
        assert list(sport) == ["a1", "a2"]
        assert list(conn.execute(select(a.c.id).where(has_rubrique(a.c.id, "santé"))).scalars()) == []
