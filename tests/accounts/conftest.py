"""A store per test (SQLite, and PostgreSQL where reachable) and the real app over it, with helpers to
make users and sign them in by hand (no form), so each test states only what it checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.sample_store import filled_store
from veille.accounts.deps import COOKIE
from veille.accounts.sessions import open_session
from veille.accounts.settings import AccountSettings
from veille.accounts.users import User, create_user
from veille.api import create_app
from veille.store import Store

PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The sample articles (story s1, article a1 …) in a fresh store on each backend."""
    return filled_store(request, tmp_path / "accounts.db")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as opened:
        yield opened


MakeClient = Callable[..., TestClient]


@pytest.fixture
def make_client(store_url: str) -> Iterator[MakeClient]:
    """make_client(settings=…, token=…) → a TestClient over the store (closed at the end)."""
    opened: list[TestClient] = []

    def make(settings: AccountSettings | None = None, token: str | None = None) -> TestClient:
        app = create_app(store_url, token=token)
        if settings is not None:
            app.state.settings = settings
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def add_user(store: Store, name: str, role: str) -> User:
    return create_user(store, name, PASSWORD, role)


def sign_in(client: TestClient, store: Store, user: User) -> str:
    """Give `client` a session cookie for `user`; returns the session's CSRF token."""
    token, session = open_session(store, user)
    client.cookies.set(COOKIE, token)
    return session.csrf_token
