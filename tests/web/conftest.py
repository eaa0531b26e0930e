"""The pages over the hand-built sample store (see tests/api/sample_store.py), on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.sample_store import fill
from veille.api import create_app
from veille.store import Store


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[TestClient]:
    where = str(tmp_path / "web.db")
    with Store.open(where) as store:
        fill(store)
    with TestClient(create_app(where)) as client:
        yield client


def pytest_configure(config: pytest.Config) -> None:
    # Not "slow": CI runs these; they skip by themselves where no browser can run.
    config.addinivalue_line("markers", "browser: drives headless Chromium through Playwright")
