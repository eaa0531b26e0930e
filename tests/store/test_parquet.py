from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from veille.model import Article, DroppedLine, Entity, Event, EventArgument, EventEvidence, Role, Timex
from veille.store import ARTICLE_FIELDS, ENTITY_FIELDS, MENTION_FIELDS, QUOTE_FIELDS, Store, export

# The package re-exports the function `export`, which hides the module of the same name.
export_module = importlib.import_module("veille.store.export")

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_parquet_round_trip_same_rows_as_jsonl(
    store: Store, rich_article: Article, make_article: MakeArticle, quoted_article: Article, tmp_path: Path
) -> None:
    rich_article.author, rich_article.partial = "Marie Dupont", True
    role = Role("ministre de la Défense", None, "France", "ent_fr", "a1", "2016-01-20", 0, 18)
    rich_article.entities = [
        Entity("Q12345", "Jean-Yves Le Drian", "PER", aliases=["Jean-Yves Le Drian"], roles=[role]),
        Entity("ent_paris", "Paris", "LOC", "city", ["Paris"], kb_id="city:paris"),
    ]
    rich_article.timexes = [Timex("a1", 0, 4, "Jean", "DATE", None, None)]
    rich_article.events = [
        Event("ev_1", "meeting", "04", "réuni", [EventArgument("agent", "Jean-Yves Le Drian", "Q12345")],
              EventArgument("place", "Paris", "ent_paris"), "2016-01-20",
              [EventEvidence("a1", 21, 26, "happened")]),
        Event("ev_2", "visit", "04", "réuni", [], None, None, [EventEvidence("a1", 21, 26, "planned")]),
    ]  # fmt: skip
    store.upsert(
        [
            rich_article,
            make_article("b", "«\u00a0C’est\u00a0»", content_hash="hash-a1", published="2020-01-01"),
            make_article("r", "", status="rejected", reason="empty", reason_detail="line 3"),
            quoted_article,
        ]
    )
    assert export(store, tmp_path / "pq", "parquet") == export(store, tmp_path / "js", "jsonl")
    for kind in ("articles", "mentions", "entities", "quotes", "timexes", "events", "stories"):
        table = pq.read_table(tmp_path / "pq" / f"{kind}.parquet")
        assert table.to_pylist() == _jsonl(tmp_path / "js" / f"{kind}.jsonl")
    names = sorted(p.name for p in (tmp_path / "pq").iterdir())
    assert names == [
        "articles.parquet", "entities.parquet", "events.parquet", "matches.parquet", "mentions.parquet",
        "quotes.parquet", "stories.parquet", "timexes.parquet", "watchlists.parquet",
    ]  # fmt: skip


def test_parquet_empty_store_writes_files_with_columns(store: Store, tmp_path: Path) -> None:
    kinds = (
        "articles", "mentions", "entities", "quotes", "timexes", "events", "stories", "watchlists", "matches",
    )  # fmt: skip
    empty = dict.fromkeys(kinds, 0)
    assert export(store, tmp_path, "parquet") == empty
    articles = pq.read_table(tmp_path / "articles.parquet")
    assert articles.num_rows == 0
    assert str(articles.schema.field("dropped_lines").type) == (
        "list<element: struct<text: string not null, reason: string not null> not null>"
    )
    assert pq.read_table(tmp_path / "mentions.parquet").num_rows == 0
    entities = pq.read_table(tmp_path / "entities.parquet")
    assert entities.num_rows == 0
    assert str(entities.schema.field("aliases").type) == "list<element: string not null>"
    quotes = pq.read_table(tmp_path / "quotes.parquet")
    assert quotes.num_rows == 0 and str(quotes.schema.field("start").type) == "int64"


def test_parquet_field_names_equal_contract(store: Store, tmp_path: Path) -> None:
    export(store, tmp_path, "parquet")
    assert pq.read_schema(tmp_path / "articles.parquet").names == list(ARTICLE_FIELDS)
    assert pq.read_schema(tmp_path / "mentions.parquet").names == list(MENTION_FIELDS)
    assert pq.read_schema(tmp_path / "entities.parquet").names == list(ENTITY_FIELDS)
    assert pq.read_schema(tmp_path / "quotes.parquet").names == list(QUOTE_FIELDS)


def test_parquet_written_in_record_batches(
    store: Store, make_article: MakeArticle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "PARQUET_BATCH", 2)
    store.upsert([make_article(f"a{i}", dropped_lines=[DroppedLine("0", "r")]) for i in range(5)])
    assert export(store, tmp_path, "parquet")["articles"] == 5
    meta = pq.ParquetFile(tmp_path / "articles.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [2, 2, 1]
