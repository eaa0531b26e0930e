"""A small store filled by hand (no spaCy) and the real app over it, on SQLite and on PostgreSQL.

PostgreSQL tests run in a database created for this session (as tests/store/conftest.py does) and
skip when the server cannot be reached, unless `VEILLE_REQUIRE_PG=1` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from api.sample_store import fill
from veille.api import create_app
from veille.store import Store, schema
from veille.store.connect import store_url

PG_URL = os.environ.get("VEILLE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    admin = create_engine(
        store_url(PG_URL), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"veille_api_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach or use the server means "no PostgreSQL here"
        admin.dispose()
        message = (
            f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string(hide_password=True)} "
            f"({type(exc).__name__}: {str(exc).splitlines()[0]}); set VEILLE_TEST_PG_URL to a server "
            "where the user may CREATE DATABASE"
        )
        if os.environ.get("VEILLE_REQUIRE_PG") == "1":
            pytest.fail(f"{message} (VEILLE_REQUIRE_PG=1: PostgreSQL tests may not skip)")
        pytest.skip(message)
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _wipe(store: Store) -> None:
    with store._write() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            if table is not schema.schema_migrations:
                conn.execute(delete(table))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store holding the sample articles: a SQLite file, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        where = str(tmp_path / "api.db")
        with Store.open(where) as store:
            fill(store)
        return where
    where = str(request.getfixturevalue("pg_url"))
    with Store.open(where) as store:
        _wipe(store)
        fill(store)
    return where


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
