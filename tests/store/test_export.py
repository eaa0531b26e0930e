from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from veille.errors import REASONS, ConfigError
from veille.model import Article, Entity, Mention, Role
from veille.store import ARTICLE_FIELDS, ENTITY_FIELDS, MENTION_FIELDS, QUOTE_FIELDS, Store, export
from veille.store.export import EVENT_FIELDS, ROLE_FIELDS, STORY_FIELDS, TIMEX_FIELDS

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)

DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_writes_both_files_with_documented_fields(
    store: Store, rich_article: Article, tmp_path: Path
) -> None:
    store.upsert([rich_article])
    out = tmp_path / "new" / "export"  # created, parents included
    counts = {"articles": 1, "mentions": 2, "entities": 0, "quotes": 0}
    counts |= {"timexes": 0, "events": 0, "stories": 0, "watchlists": 0, "matches": 0}
    assert export(store, out) == counts
    articles, mentions = _read(out / "articles.jsonl"), _read(out / "mentions.jsonl")
    assert [list(a) for a in articles] == [list(ARTICLE_FIELDS)]
    assert all(list(m) == list(MENTION_FIELDS) for m in mentions) and len(mentions) == 2
    assert articles[0]["dropped_lines"][0] == {
        "text": "le , mis à jour à 00:24",
        "reason": "boilerplate:date_line",
    }
    assert [(m["start"], m["entity_id"]) for m in mentions] == [(0, "Q12345"), (42, None)]
    assert [m["kind"] for m in mentions] == ["name", "name"]
    # No leftovers.
    assert sorted(p.name for p in out.iterdir()) == [
        "articles.jsonl", "entities.jsonl", "events.jsonl", "matches.jsonl", "mentions.jsonl",
        "quotes.jsonl", "stories.jsonl", "timexes.jsonl", "watchlists.jsonl",
    ]  # fmt: skip


def test_export_empty_store_writes_empty_files(store: Store, tmp_path: Path) -> None:
    kinds = (
        "articles", "mentions", "entities", "quotes", "timexes", "events", "stories", "watchlists", "matches",
    )  # fmt: skip
    empty = dict.fromkeys(kinds, 0)
    assert export(store, tmp_path) == empty
    for kind in ("articles", "mentions", "entities", "quotes"):
        assert (tmp_path / f"{kind}.jsonl").read_bytes() == b""


def test_export_unknown_format_message(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        export(store, tmp_path / "out", fmt="csv")
    assert str(err.value) == "unknown export format 'csv'; supported formats: jsonl, parquet"
    assert not (tmp_path / "out").exists()


def test_export_unicode_unescaped_and_offsets_index_text(
    store: Store, make_article: MakeArticle, tmp_path: Path
) -> None:
    text = "«\u00a0C’est le moment\u00a0», a plaidé Jean-Yves Le\u00a0Drian à Paris."
    mentions = []
    for found, label in (("Jean-Yves Le\u00a0Drian", "PER"), ("Paris", "LOC")):
        start = text.index(found)
        mentions.append(Mention("u", start, start + len(found), found, label))
    store.upsert([make_article("u", text, mentions=mentions)])
    export(store, tmp_path)
    raw = (tmp_path / "articles.jsonl").read_text(encoding="utf-8")
    assert "«\u00a0C’est" in raw  # written as is, not as \\u escapes
    exported_text = _read(tmp_path / "articles.jsonl")[0]["text"]
    assert exported_text == text
    for m in _read(tmp_path / "mentions.jsonl"):
        assert exported_text[m["start"] : m["end"]] == m["text"]


def _doc_table_fields(section: str) -> list[str]:
    body = DOC.read_text(encoding="utf-8").split(f"## `{section}`")[1].split("\n## ")[0]
    return re.findall(r"^\| `([a-z_]+)` \|", body, flags=re.MULTILINE)


def test_export_docs_document_every_field() -> None:
    article_rows = _doc_table_fields("articles.jsonl")
    assert [f for f in article_rows if f not in REASONS] == list(ARTICLE_FIELDS)
    assert _doc_table_fields("mentions.jsonl") == list(MENTION_FIELDS)
    assert _doc_table_fields("entities.jsonl") == list(ENTITY_FIELDS)
    assert _doc_table_fields("quotes.jsonl") == list(QUOTE_FIELDS)
    assert _doc_table_fields("timexes.jsonl") == list(TIMEX_FIELDS)
    assert _doc_table_fields("events.jsonl") == list(EVENT_FIELDS)
    assert _doc_table_fields("stories.jsonl") == list(STORY_FIELDS)


def test_export_docs_list_every_reason_code() -> None:
    body = DOC.read_text(encoding="utf-8").split("### Rejection reasons")[1]
    assert re.findall(r"^\| `([a-z_]+)` \|", body.split("\n## ")[0], flags=re.MULTILINE) == list(REASONS)


def test_export_docs_example_lines_match_contract() -> None:
    blocks = re.findall(r"```json\n(.*?)\n```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    article, mention, entity, quote = (json.loads(block) for block in blocks)
    assert list(article) == list(ARTICLE_FIELDS) and list(mention) == list(MENTION_FIELDS)
    assert list(entity) == list(ENTITY_FIELDS)
    assert all(list(role) == list(ROLE_FIELDS) for role in entity["roles"])
    assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    assert list(quote) == list(QUOTE_FIELDS) and quote["article_id"] == article["id"]
    seed = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "000_2c3758c6a7c524fe.txt"
    assert article["text"] in seed.read_text(encoding="utf-8")
    assert quote["text"] in seed.read_text(encoding="utf-8")
    assert quote["end"] - quote["start"] == len(quote["text"])


def test_export_entities_carry_contract_fields_roles_and_mention_kind(
    store: Store, make_article: MakeArticle, tmp_path: Path
) -> None:
    text = "Ashton Carter, secrétaire américain à la Défense, à Paris."
    role = Role("secrétaire à la Défense", None, "États-Unis", "ent_us", "", "2016-01-20", 0, 13)
    carter = Entity("ent_carter", "Ashton Carter", "PER", "person", ["Ashton Carter"], roles=[role])
    us = Entity("ent_us", "États-Unis", "LOC", "country", ["américain"], kb_id="iso3166:US")
    mentions = [
        Mention("c", 0, 13, "Ashton Carter", "PER", "ent_carter"),
        Mention("c", 29, 38, "américain", "LOC", "ent_us", kind="adjective"),
    ]
    store.upsert([make_article("c", text, published="2016-01-20", mentions=mentions, entities=[carter, us])])
    assert export(store, tmp_path)["entities"] == 2
    entities = _read(tmp_path / "entities.jsonl")
    assert [list(e) for e in entities] == [list(ENTITY_FIELDS)] * 2
    assert entities[0] == {
        "id": "ent_carter", "name": "Ashton Carter", "label": "PER", "type": "person",
        "aliases": ["Ashton Carter"], "kb_id": None, "mention_count": 1,
        "roles": [{"title": "secrétaire à la Défense", "organisation": None, "country": "États-Unis",
                   "country_entity_id": "ent_us", "article_id": "c", "date": "2016-01-20"}],
    }  # fmt: skip
    assert entities[1]["aliases"] == ["américain", "États-Unis"]  # mentioned first, then stored names
    assert [m["kind"] for m in _read(tmp_path / "mentions.jsonl")] == ["name", "adjective"]
