"""OpenAPI and /docs are served, and /docs loads nothing from outside the server."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_app_docs_openapi_lists_the_endpoints(sqlite_store: str) -> None:
    from veille.api import create_app

    with TestClient(create_app(sqlite_store)) as client:
        schema = client.get("/openapi.json").json()
    for path in ("/api/articles", "/api/articles/{article_id}", "/api/stories", "/api/entities/{entity_id}",
                 "/api/quotes", "/api/events", "/api/timexes", "/api/search", "/api/ingest"):  # fmt: skip
        assert path in schema["paths"], path
    assert "/recherche" not in schema["paths"]  # pages are not API


def test_app_docs_are_local_only(sqlite_store: str) -> None:
    from veille.api import create_app

    with TestClient(create_app(sqlite_store)) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert assets and not [a for a in assets if a.startswith(("http:", "https:", "//"))]
        for asset in assets:
            assert client.get(asset).status_code == 200, asset
