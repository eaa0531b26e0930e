"""Quotes in the store: round trip, replaced with their article, counted, searched, exported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from veille.model import Article, Entity, Quote
from veille.store import QUOTE_FIELDS, Store, export

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)
MakeQuote = Callable[..., Quote]  # the make_quote fixture (conftest.py)

# The contract's fields, in the contract's order, first in every exported line.
CONTRACT = (
    "id", "article_id", "text", "start", "end", "kind", "speaker_text", "speaker_entity_id",
    "speaker_name", "speaker_kind", "cue",
)  # fmt: skip


def test_quotes_round_trip_keeps_every_field(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    got = store.get_article("qa")
    assert got is not None
    assert got.quotes == sorted(quoted_article.quotes, key=lambda q: q.start)
    for quote in got.quotes:
        assert got.text[quote.start : quote.end] == quote.text
    assert [q.kind for q in got.quotes] == ["direct", "partial"]
    assert got.quotes[0].speaker_entity_id == "ent_ld" and got.quotes[0].cue == "a plaidé"


def test_quotes_find_articles_loads_quotes(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    [found] = store.find_articles("seeds/qa.txt")
    assert len(found.quotes) == 2


def test_quotes_reupsert_replaces_an_articles_quotes(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    quoted_article.quotes = quoted_article.quotes[1:]
    store.upsert([quoted_article])
    got = store.get_article("qa")
    assert got is not None and [q.text for q in got.quotes] == ["recul"]
    quoted_article.quotes = []
    store.upsert([quoted_article])
    assert store.counts()["quotes"] == 0


def test_quotes_reupsert_leaves_other_articles_quotes(
    store: Store, quoted_article: Article, make_article: MakeArticle, make_quote: MakeQuote
) -> None:
    other = make_article("b", "Il a dit «oui».")
    other.quotes = [make_quote(other, "oui")]
    store.upsert([quoted_article, other])
    quoted_article.quotes = []
    store.upsert([quoted_article])
    assert [q.article_id for q in store.iter_quotes()] == ["b"]


def test_quotes_same_id_twice_in_a_batch_stored_once(store: Store, quoted_article: Article) -> None:
    quoted_article.quotes.append(quoted_article.quotes[0])
    store.upsert([quoted_article])
    assert store.counts()["quotes"] == 2


def test_quotes_counts_by_kind(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    counts = store.counts()
    assert counts["quotes"] == 2
    assert counts["quotes_by_kind"] == {"direct": 1, "partial": 1}


def test_quotes_iter_ordered_by_article_then_start(
    store: Store, quoted_article: Article, make_article: MakeArticle, make_quote: MakeQuote
) -> None:
    early = make_article("a0", "«Deux» puis «un».")
    early.quotes = [make_quote(early, "un"), make_quote(early, "Deux")]
    store.upsert([quoted_article, early])
    assert [(q.article_id, q.text) for q in store.iter_quotes(batch_size=1)] == [
        ("a0", "Deux"), ("a0", "un"), ("qa", "C’est le moment d’accroître nos efforts"), ("qa", "recul"),
    ]  # fmt: skip


def test_quotes_find_by_speaker_alias(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    # "le drian" is an alias key of the entity; the quote's speaker_text says "le ministre …".
    for query in ("Le Drian", "le drian", "Jean-Yves Le Drian"):
        assert [q.text for q in store.find_quotes(query)] == ["C’est le moment d’accroître nos efforts"]


def test_quotes_find_by_entity_whatever_the_speaker_text(
    store: Store, quoted_article: Article, make_article: MakeArticle, make_quote: MakeQuote
) -> None:
    other = make_article("b", "«Nous tiendrons», a-t-il ajouté.", published="2016-01-21")
    other.entities = [Entity("ent_ld", "Le Drian", "PER", "person", ["Le Drian"])]
    other.quotes = [make_quote(other, "Nous tiendrons", speaker="il", speaker_entity_id="ent_ld")]
    store.upsert([quoted_article, other])
    found = store.find_quotes("Jean-Yves Le Drian")
    assert [q.article_id for q in found] == ["b", "qa"]  # newest article first


def test_quotes_find_anonymous_source_by_text(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    assert [q.text for q in store.find_quotes("ENTOURAGE")] == ["recul"]


def test_quotes_find_filters_kind_and_limit(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    assert [q.kind for q in store.find_quotes(kind="partial")] == ["partial"]
    assert len(store.find_quotes(limit=1)) == 1
    assert store.find_quotes("Personne") == []
    assert store.find_quotes("  ") == []


def test_quotes_article_headers(store: Store, quoted_article: Article) -> None:
    store.upsert([quoted_article])
    assert store.article_headers(["qa", "nope"]) == {"qa": ("Le conseil de guerre", "2016-01-20")}


def test_quotes_export_has_contract_fields_first(
    store: Store, quoted_article: Article, tmp_path: Path
) -> None:
    store.upsert([quoted_article])
    assert export(store, tmp_path)["quotes"] == 2
    lines = [
        json.loads(line) for line in (tmp_path / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert list(QUOTE_FIELDS[: len(CONTRACT)]) == list(CONTRACT)
    assert all(list(line) == list(QUOTE_FIELDS) for line in lines)
    assert lines[0]["text"] == quoted_article.text[lines[0]["start"] : lines[0]["end"]]
    assert (lines[1]["kind"], lines[1]["speaker_kind"], lines[1]["speaker_entity_id"]) == (
        "partial", "anonymous", None,
    )  # fmt: skip
