"""A fresh store per test on SQLite and PostgreSQL (the pattern of tests/store/conftest.py);
hand-built articles come from tests/conftest.py's `make_article`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_store import wipe_store
from veille.store import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = Store.open(str(tmp_path / "veille.db"))
    else:
        opened = Store.open(request.getfixturevalue("pg_url"))
        wipe_store(opened)
    yield opened
    opened.close()
