"""A PostgreSQL database for one test session, and emptying a store between tests; shared by the
store, API and web tests.

Tests run against `VEILLE_TEST_PG_URL` (default: the local server's `test` database), in a database
created for this session and dropped at its end, so runs never see each other. When the server
cannot be reached they skip, unless `VEILLE_REQUIRE_PG=1` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from veille.store import Store, schema
from veille.store.connect import store_url

PG_URL = os.environ.get("VEILLE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_database(prefix: str) -> Iterator[str]:
    """A new PostgreSQL database named `prefix` + random hex, dropped afterwards; skips (or fails,
    with VEILLE_REQUIRE_PG=1) when the server cannot be reached."""
    admin = create_engine(
        store_url(PG_URL), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"{prefix}{secrets.token_hex(6)}"
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


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this session (postgresql://, as a user would give it)."""
    with fresh_database("veille_test_") as url:
        yield url


def wipe_store(store: Store) -> None:
    """Empty every table but schema_migrations (children first, for the foreign keys)."""
    with store._write() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            if table is not schema.schema_migrations:
                conn.execute(delete(table))
