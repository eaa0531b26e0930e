"""A fresh store per test on SQLite and PostgreSQL (the pattern of tests/store/conftest.py), and
hand-built French articles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pg_store import wipe_store
from veille.model import Article
from veille.store import Store

MakeArticle = Callable[..., Article]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = Store.open(str(tmp_path / "veille.db"))
    else:
        opened = Store.open(request.getfixturevalue("pg_url"))
        wipe_store(opened)
    yield opened
    opened.close()


@pytest.fixture
def make_article() -> MakeArticle:
    def make(article_id: str, text: str = "Paris accueille la réunion.", **fields: Any) -> Article:
        fields.setdefault("source_file", f"seeds/{article_id}.txt")
        fields.setdefault("source_id", "")
        fields.setdefault("content_hash", f"hash-{article_id}")
        fields.setdefault("language", "fr")
        return Article(id=article_id, text=text, **fields)

    return make
