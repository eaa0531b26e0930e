"""Tiny hand-built articles and a fresh store per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from veille.model import Article, DroppedLine, Mention
from veille.store import Store

MakeArticle = Callable[..., Article]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "veille.db")) as opened:
        yield opened


@pytest.fixture
def make_article() -> MakeArticle:
    def make(article_id: str, text: str = "Paris accueille la réunion.", **fields: Any) -> Article:
        fields.setdefault("source_file", f"seeds/{article_id}.txt")
        fields.setdefault("source_id", "")
        fields.setdefault("content_hash", f"hash-{article_id}")
        fields.setdefault("language", "fr")
        return Article(id=article_id, text=text, **fields)

    return make


@pytest.fixture
def rich_article(make_article: MakeArticle) -> Article:
    """One article with everything the store keeps: lines, mentions, every optional field."""
    text = "Jean-Yves Le Drian a réuni la coalition à Paris."
    return make_article(
        "a1",
        text,
        url="https://example.org/a1",
        source_name="Exemple",
        title="Le conseil de guerre",
        published="2016-01-20T10:00:00+01:00",
        dropped_lines=[
            DroppedLine("le , mis à jour à 00:24", "boilerplate:date_line"),
            DroppedLine("0", "boilerplate:counter"),
        ],
        mentions=[
            Mention("a1", 42, 47, "Paris", "LOC"),
            Mention("a1", 0, 18, "Jean-Yves Le Drian", "PER", "Q12345"),
        ],
        story_id="s1",
    )
