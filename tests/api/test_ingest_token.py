"""POST /api/ingest and the token rule: read-only without a token; 401 without it, 403 with another."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from veille.api import create_app
from veille.api.ingest import get_pipeline
from veille.model import Article, Mention

TOKEN = "test-token-0123456789abcdef"
PAGE = {"text": "Ashton Carter parle à Paris.", "name": "carter-paris", "title": "Carter à Paris",
        "published": "2016-01-22", "source_name": "Test"}  # fmt: skip


def fake_pipeline(batch: list[Article]) -> list[Article]:
    """Stands for the stage list: the raw text kept as clean text, one mention, no model to load."""
    for article in batch:
        assert article.raw is not None and article.raw.text is not None
        article.text = article.raw.text
        article.language = "fr"
        article.content_hash = "hash-" + article.id
        article.mentions = [Mention(article.id, 0, 13, "Ashton Carter", "PER", "ent_carter")]
    return batch


def writable_client(store_location: str) -> Iterator[TestClient]:
    """A client of an app with the token, whose ingestion runs `fake_pipeline`."""
    app = create_app(store_location, token=TOKEN)
    app.dependency_overrides[get_pipeline] = lambda: fake_pipeline
    with TestClient(app) as client:
        yield client


@pytest.fixture
def writable(sqlite_store: str) -> Iterator[TestClient]:
    yield from writable_client(sqlite_store)


def test_ingest_token_read_only_server_refuses_with_the_fix(sqlite_store: str) -> None:
    with TestClient(create_app(sqlite_store)) as client:
        response = client.post("/api/ingest", json=PAGE, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"] and "--token" in response.json()["detail"]


def test_ingest_token_missing_is_401_wrong_is_403(writable: TestClient) -> None:
    missing = writable.post("/api/ingest", json=PAGE)
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["detail"] == "missing API token: send the header `Authorization: Bearer TOKEN`"
    wrong = writable.post("/api/ingest", json=PAGE, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 403 and "wrong API token" in wrong.json()["detail"]
    basic = writable.post("/api/ingest", json=PAGE, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401


def test_ingest_token_right_token_stores_the_page_and_reruns_upsert(writable: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    response = writable.post("/api/ingest", json=PAGE, headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["article"]["title"] == "Carter à Paris" and body["mentions"] == 1
    article_id = body["article"]["id"]
    assert writable.get(f"/api/articles/{article_id}").json()["text"] == PAGE["text"]
    again = writable.post("/api/ingest", json=PAGE, headers=headers).json()
    assert again["article"]["id"] == article_id
    assert writable.get("/api/articles", params={"source": "Test"}).json()["items"] == [body["article"]]


def test_ingest_token_bad_body_is_422(writable: TestClient) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert writable.post("/api/ingest", json={"text": ""}, headers=headers).status_code == 422


def test_ingest_token_reads_need_no_token(writable: TestClient) -> None:
    assert writable.get("/api/articles").status_code == 200


def test_ingest_token_empty_token_is_refused(sqlite_store: str) -> None:
    with pytest.raises(ValueError, match="the API token is empty"):
        create_app(sqlite_store, token="  ")


def test_ingest_token_plain_text_body(writable: TestClient) -> None:
    params = {"name": "plain", "title": "Texte brut", "published": "2016-01-23"}
    refused = writable.post(
        "/api/ingest/text", params=params, content="Ashton Carter parle à Paris.".encode()
    )
    assert refused.status_code == 401
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain; charset=utf-8"}
    response = writable.post(
        "/api/ingest/text", params=params, content="Ashton Carter parle à Paris.".encode(), headers=headers
    )
    assert response.status_code == 201, response.text
    article_id = response.json()["article"]["id"]
    stored = writable.get(f"/api/articles/{article_id}").json()
    assert stored["text"] == "Ashton Carter parle à Paris." and stored["title"] == "Texte brut"
    bad = writable.post("/api/ingest/text", content=b"\xff\xfe", headers=headers)
    assert bad.status_code == 422 and "not UTF-8" in bad.json()["detail"]
    empty = writable.post("/api/ingest/text", content=b"", headers=headers)
    assert empty.status_code == 422
