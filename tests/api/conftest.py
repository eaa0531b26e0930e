"""A small store filled by hand (no spaCy) and the real app over it, on SQLite and on PostgreSQL.

PostgreSQL tests run in the session's database (tests/pg_store.py) and
skip when the server cannot be reached, unless `VEILLE_REQUIRE_PG=1` (CI) makes that a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.sample_store import fill, filled_store
from veille.api import create_app
from veille.store import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store holding the sample articles: a SQLite file, or the session's PostgreSQL database."""
    return filled_store(request, tmp_path / "api.db")


@pytest.fixture
def client(store_location: str) -> Iterator[TestClient]:
    with TestClient(create_app(store_location)) as test_client:
        yield test_client


@pytest.fixture
def sqlite_store(tmp_path: Path) -> str:
    where = str(tmp_path / "api.db")
    with Store.open(where) as store:
        fill(store)
    return where
