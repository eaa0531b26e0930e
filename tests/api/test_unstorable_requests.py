"""Text the store cannot hold, sent to the API: 422 with the fix, never a 500 (found by schemathesis
on PostgreSQL: a NUL in a search parameter or an ingested page's fields was a 500 there)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.test_ingest_token import TOKEN, writable_client
from veille.api.app import UNSTORABLE

HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def writable(store_location: str) -> Iterator[TestClient]:
    yield from writable_client(store_location)


@pytest.mark.parametrize("path", ["/api/articles", "/api/search", "/api/entities", "/api/quotes"])
def test_unstorable_requests_nul_in_a_query_is_422(writable: TestClient, path: str) -> None:
    response = writable.get(path, params={"q": "Carter\x00"})
    assert response.status_code == 422
    assert response.json() == {"detail": UNSTORABLE}


def test_unstorable_requests_nul_in_a_path_is_400(writable: TestClient) -> None:
    for path in ("/api/articles/abc%00def", "/static/style.css%00.py"):
        response = writable.get(path)
        assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_unstorable_requests_ingested_page_fields_are_stored_without_them(writable: TestClient) -> None:
    page = {"text": "Ashton Carter parle à Paris.", "name": "page\u0000",
            "title": "Carter\u0000 à \ud800Paris", "url": "http://example.org/a\u0000b",
            "source_name": "Test\u0000"}  # fmt: skip
    # ensure_ascii sends the lone surrogate as the JSON escape a hostile client would send.
    body = json.dumps(page, ensure_ascii=True)
    response = writable.post(
        "/api/ingest", content=body, headers={**HEADERS, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert article["url"] == "http://example.org/ab" and article["source_name"] == "Test"
    assert "\x00" not in article["title"] and "\ufffd" in article["title"]
    stored = writable.get(f"/api/articles/{article['id']}")
    assert stored.status_code == 200 and stored.json()["url"] == "http://example.org/ab"


def test_unstorable_requests_nul_in_a_watchlist_body_is_not_a_500(
    writable: TestClient, store_location: str
) -> None:
    body = {"name": "veille\u0000", "keywords": "Daech\u0000"}
    response = writable.post("/api/watchlists", json=body, headers=HEADERS)
    if store_location.startswith("postgresql"):  # PostgreSQL cannot hold it: refused, nothing written
        assert response.status_code == 422 and response.json() == {"detail": UNSTORABLE}
        assert writable.get("/api/watchlists").json() == []
    else:  # SQLite holds a NUL like any other character
        assert response.status_code == 201, response.text
        assert writable.get("/api/watchlists").json()[0]["name"] == "veille\x00"
