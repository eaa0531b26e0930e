"""Quote search through the quotes' full-text index (migration 10), on SQLite and PostgreSQL: every
word required, accents and case ignored, newest article first, kept in sync with every upsert."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veille.api.reads import quotes_containing
from veille.model import Article, Quote
from veille.store import Store
from veille.store.search import PG_ACCENT_FREE, search_config

MakeArticle = Callable[..., Article]
MakeQuote = Callable[..., Quote]


def quoted(
    make_article: MakeArticle, make_quote: MakeQuote, ident: str, said: str, published: str
) -> Article:
    article = make_article(ident, f"« {said} », a déclaré le ministre.", published=published)
    article.quotes = [make_quote(article, said, speaker="le ministre")]
    return article


def _texts(store: Store, *words: str, limit: int = 10) -> list[str]:
    return [q.text for q in quotes_containing(store.engine, list(words), limit)]


def test_quote_search_words_all_required_newest_first(
    store: Store, make_article: MakeArticle, make_quote: MakeQuote
) -> None:
    store.upsert([
        quoted(make_article, make_quote, "a1", "La coalition frappera Daech", "2016-01-20"),
        quoted(make_article, make_quote, "a2", "Daech recule en Irak", "2016-02-03"),
        quoted(make_article, make_quote, "a3", "La coalition tient bon", "2015-12-01"),
    ])  # fmt: skip
    assert _texts(store, "Daech") == ["Daech recule en Irak", "La coalition frappera Daech"]
    assert _texts(store, "coalition", "daech") == ["La coalition frappera Daech"]
    assert _texts(store, "coalition", limit=1) == ["La coalition frappera Daech"]
    assert _texts(store, "Mossoul") == [] and _texts(store) == []
    # Search syntax is plain words: a quote or an operator in the query is not an error.
    assert _texts(store, 'Daech"', "OR", "NEAR(") == []


def test_quote_search_ignores_accents_and_case(
    store: Store, make_article: MakeArticle, make_quote: MakeQuote
) -> None:
    if store.engine.dialect.name == "postgresql" and search_config(store.engine) != PG_ACCENT_FREE:
        pytest.skip("this PostgreSQL server has no unaccent extension: its search counts accents")
    store.upsert([
        quoted(make_article, make_quote, "a1", "La Défense doit rester unie", "2016-01-20"),
        quoted(make_article, make_quote, "a2", "Les ÉTATS-UNIS frapperont", "2016-01-21"),
    ])  # fmt: skip
    assert _texts(store, "defense") == ["La Défense doit rester unie"]
    assert _texts(store, "DÉFENSE") == ["La Défense doit rester unie"]
    assert _texts(store, "etats", "unis") == ["Les ÉTATS-UNIS frapperont"]


def test_quote_search_follows_upserts(store: Store, make_article: MakeArticle, make_quote: MakeQuote) -> None:
    store.upsert([quoted(make_article, make_quote, "a1", "Nous tiendrons Mossoul", "2016-01-20")])
    assert _texts(store, "Mossoul") == ["Nous tiendrons Mossoul"]
    # The article again, its quote changed: the old words no longer find it, the new ones do.
    store.upsert([quoted(make_article, make_quote, "a1", "Nous tiendrons Raqqa", "2016-01-20")])
    assert _texts(store, "Mossoul") == [] and _texts(store, "Raqqa") == ["Nous tiendrons Raqqa"]
    # An article that lost its quotes loses them from the index too.
    store.upsert([make_article("a1", "Plus de citation ici.", published="2016-01-20")])
    assert _texts(store, "Raqqa") == []
