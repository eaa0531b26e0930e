from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from veille.errors import REASONS, ConfigError
from veille.model import Article, Mention
from veille.store import ARTICLE_FIELDS, MENTION_FIELDS, Store, export

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)

DOC = Path(__file__).resolve().parents[2] / "docs" / "export.md"


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_writes_both_files_with_documented_fields(
    store: Store, rich_article: Article, tmp_path: Path
) -> None:
    store.upsert([rich_article])
    out = tmp_path / "new" / "export"  # created, parents included
    assert export(store, out) == {"articles": 1, "mentions": 2}
    articles, mentions = _read(out / "articles.jsonl"), _read(out / "mentions.jsonl")
    assert [list(a) for a in articles] == [list(ARTICLE_FIELDS)]
    assert all(list(m) == list(MENTION_FIELDS) for m in mentions) and len(mentions) == 2
    assert articles[0]["dropped_lines"][0] == {
        "text": "le , mis à jour à 00:24",
        "reason": "boilerplate:date_line",
    }
    assert [(m["start"], m["entity_id"]) for m in mentions] == [(0, "Q12345"), (42, None)]
    assert sorted(p.name for p in out.iterdir()) == ["articles.jsonl", "mentions.jsonl"]  # no leftovers


def test_export_empty_store_writes_empty_files(store: Store, tmp_path: Path) -> None:
    assert export(store, tmp_path) == {"articles": 0, "mentions": 0}
    assert (tmp_path / "articles.jsonl").read_bytes() == b""
    assert (tmp_path / "mentions.jsonl").read_bytes() == b""


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


def test_export_docs_list_every_reason_code() -> None:
    body = DOC.read_text(encoding="utf-8").split("### Rejection reasons")[1]
    assert re.findall(r"^\| `([a-z_]+)` \|", body.split("\n## ")[0], flags=re.MULTILINE) == list(REASONS)


def test_export_docs_example_lines_match_contract() -> None:
    blocks = re.findall(r"```json\n(.*?)\n```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    article, mention = (json.loads(block) for block in blocks)
    assert list(article) == list(ARTICLE_FIELDS) and list(mention) == list(MENTION_FIELDS)
    assert article["text"][mention["start"] : mention["end"]] == mention["text"]
    seed = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "000_2c3758c6a7c524fe.txt"
    assert article["text"] in seed.read_text(encoding="utf-8")
