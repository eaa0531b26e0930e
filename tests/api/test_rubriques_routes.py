"""The rubriques' JSON API over the sample store (SQLite, and PostgreSQL where reachable): the set
with counts, an article's and a story's rubriques, and the override (token or analyst + CSRF)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts.conftest import add_user, sign_in
from api.sample_store import filled_store, sample_articles
from veille.api import create_app
from veille.rubriques.taxonomy import NAMES
from veille.store import Store

TOKEN = "t0ken-rubriques"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
AUTO = ["défense et conflits", "international"]


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return filled_store(request, tmp_path / "rubriques.db")


@pytest.fixture
def client(where: str) -> Iterator[TestClient]:
    with TestClient(create_app(where, token=TOKEN), follow_redirects=False) as test_client:
        yield test_client


def test_rubriques_routes_set_counts_article_and_story(client: TestClient) -> None:
    listed = client.get("/api/rubriques").json()
    assert [r["rubrique"] for r in listed] == list(NAMES)
    counts = {r["rubrique"]: r["articles"] for r in listed}
    assert counts["défense et conflits"] == 1 and counts["international"] == 1 and counts["sport"] == 0
    assert client.get("/api/articles/a2/rubriques").json() == {
        "article_id": "a2", "rubriques": AUTO, "source": "auto", "override": None,
        "auto": [{"rubrique": name, "score": 1.0} for name in AUTO],
    }  # fmt: skip
    assert client.get("/api/stories/s2/rubriques").json() == [
        {"rubrique": "défense et conflits", "articles": 1},
        {"rubrique": "international", "articles": 1},
    ]
    assert client.get("/api/articles/a2").json()["rubriques"] == AUTO
    assert client.get("/api/articles/nope/rubriques").status_code == 404
    assert client.get("/api/stories/nope/rubriques").status_code == 404


def test_rubriques_routes_override_with_the_token_is_kept_after_reingest(
    client: TestClient, where: str
) -> None:
    done = client.put(
        "/api/articles/a2/rubriques", json={"rubriques": ["justice", "politique"]}, headers=AUTH
    )
    assert done.status_code == 200, done.text
    assert done.json()["rubriques"] == ["justice", "politique"] and done.json()["source"] == "override"
    assert done.json()["override"]["user_id"] == "api-token"
    with Store.open(where) as store:
        a2 = sample_articles()[1]
        a2.rubriques = ["sport"]
        store.upsert([a2])
    after = client.get("/api/articles/a2/rubriques").json()
    assert after["rubriques"] == ["justice", "politique"]
    assert client.get("/api/articles/a2").json()["rubriques"] == ["justice", "politique"]
    assert after["auto"] == [{"rubrique": "sport", "score": 1.0}]
    assert client.get("/api/stories/s2/rubriques").json()[0] == {"rubrique": "justice", "articles": 1}
    assert client.delete("/api/articles/a2/rubriques", headers=AUTH).status_code == 204
    assert client.get("/api/articles/a2/rubriques").json()["rubriques"] == ["sport"]


def test_rubriques_routes_refusals(client: TestClient, where: str) -> None:
    body = {"rubriques": ["justice"]}
    assert client.put("/api/articles/a2/rubriques", json=body).status_code == 401
    bad = client.put("/api/articles/a2/rubriques", json={"rubriques": ["cuisine"]}, headers=AUTH)
    assert bad.status_code == 422 and "choose among: politique" in bad.json()["detail"]
    assert client.put("/api/articles/nope/rubriques", json=body, headers=AUTH).status_code == 404
    with Store.open(where) as store:
        reader_csrf = sign_in(client, store, add_user(store, "lecteur", "reader"))
    refused = client.put("/api/articles/a2/rubriques", json=body, headers={"X-CSRF-Token": reader_csrf})
    assert refused.status_code == 403
    with Store.open(where) as store:
        csrf = sign_in(client, store, add_user(store, "analyste", "analyst"))
    assert client.put("/api/articles/a2/rubriques", json=body).status_code == 403  # no CSRF header
    assert client.get("/api/articles/a2/rubriques").json()["rubriques"] == AUTO
    done = client.put("/api/articles/a2/rubriques", json=body, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200 and done.json()["rubriques"] == ["justice"]
