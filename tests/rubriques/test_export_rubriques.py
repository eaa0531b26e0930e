"""`articles` carry their rubriques in both export formats (overrides included)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq

from veille.model import Article
from veille.store import ARTICLE_FIELDS, Store, export
from veille.store.rubriques import set_rubriques_override

MakeArticle = Callable[..., Article]  # the make_article fixture (tests/conftest.py)


def test_export_rubriques_in_jsonl_and_parquet(
    store: Store, make_article: MakeArticle, tmp_path: Path
) -> None:
    store.upsert([make_article("a1", rubriques=["sport", "culture"]), make_article("a2", "Autre.")])
    set_rubriques_override(store, "a2", ["justice"])
    export(store, tmp_path / "js", "jsonl")
    export(store, tmp_path / "pq", "parquet")
    lines = (tmp_path / "js" / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    by_id = {r["id"]: r["rubriques"] for r in map(json.loads, lines)}
    assert by_id == {"a1": ["sport", "culture"], "a2": ["justice"]}
    table = pq.read_table(tmp_path / "pq" / "articles.parquet")
    assert {r["id"]: r["rubriques"] for r in table.to_pylist()} == by_id
    assert str(table.schema.field("rubriques").type) == "list<element: string not null>"
    assert ARTICLE_FIELDS[-1] == "rubriques"
