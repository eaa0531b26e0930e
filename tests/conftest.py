"""Shared fixtures: the spaCy model loaded once per session, the shared data folder, opt-in slow tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pg_store import pg_url  # noqa: F401  (the session's PostgreSQL database, for every test folder)
from veille.model import Article

MakeArticle = Callable[..., Article]

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SEEDS = REPO / "examples" / "seeds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False, help="run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)


@pytest.fixture(scope="session")
def nlp() -> Any:
    from veille.nlp import load_model

    return load_model("fr_core_news_md")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (a fresh clone has no ../shared/data)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def make_article() -> MakeArticle:
    """A hand-built stored-shape article (tests/stories has its own, with analysis fields)."""

    def make(article_id: str, text: str = "Paris accueille la réunion.", **fields: Any) -> Article:
        fields.setdefault("source_file", f"seeds/{article_id}.txt")
        fields.setdefault("source_id", "")
        fields.setdefault("content_hash", f"hash-{article_id}")
        fields.setdefault("language", "fr")
        return Article(id=article_id, text=text, **fields)

    return make
