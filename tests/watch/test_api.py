"""The watchlists' JSON API over a real store (SQLite, and PostgreSQL where reachable)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts.conftest import add_user, sign_in
from api.sample_store import fill, sample_articles
from pg_store import wipe_store
from veille.accounts.settings import AccountSettings
from veille.api import create_app
from veille.store import Store
from veille.watch.evaluate import evaluate_batch
from watch.conftest import save_story

TOKEN = "t0ken"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BODY = {"name": "Carter", "entities": ["ent_carter"], "keywords": "Daech OR coalition", "languages": ["fr"]}


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = str(tmp_path / "api.db") if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    with Store.open(url) as store:
        if request.param == "postgresql":
            wipe_store(store)
        fill(store)
    return url


@pytest.fixture
def client(where: str) -> Iterator[TestClient]:
    with TestClient(create_app(where, token=TOKEN), follow_redirects=False) as test_client:
        yield test_client


@pytest.mark.usefixtures("allow_private_webhooks")  # the webhook is on 127.0.0.1
def test_api_create_read_update_delete_with_the_token(client: TestClient) -> None:
    assert client.get("/api/watchlists").json() == []
    made = client.post("/api/watchlists", json={**BODY, "webhook_url": "http://127.0.0.1:9/h",
                                                "webhook_secret": "chut"}, headers=AUTH)  # fmt: skip
    assert made.status_code == 201, made.text
    wid = made.json()["id"]
    assert made.json()["webhook"] is True and "chut" not in made.text  # the secret is write-only
    assert client.get(f"/api/watchlists/{wid}").json()["keywords"] == "Daech OR coalition"
    assert client.get("/api/watchlists/Carter").json()["id"] == wid  # by name too
    assert client.post("/api/watchlists", json=BODY, headers=AUTH).status_code == 409
    renamed = client.put(
        f"/api/watchlists/{wid}",
        json={**BODY, "name": "Carter 2", "webhook_url": "http://127.0.0.1:9/h"},
        headers=AUTH,
    )
    assert renamed.status_code == 200, renamed.text  # the stored secret is kept
    new_id = renamed.json()["id"]
    assert new_id != wid and client.get(f"/api/watchlists/{wid}").status_code == 404
    assert client.delete(f"/api/watchlists/{new_id}", headers=AUTH).status_code == 204
    assert client.get("/api/watchlists").json() == []


def test_api_matches_list_why_and_article_fields(client: TestClient, where: str) -> None:
    wid = client.post("/api/watchlists", json=BODY, headers=AUTH).json()["id"]
    with Store.open(where) as store:
        save_story(store, "s1", {"a1": "Le Monde", "a1copy": "Ouest-France"})
        evaluate_batch(store, sample_articles())
    matches = client.get(f"/api/watchlists/{wid}/matches").json()
    assert [(m["article_id"], m["why"], m["source"]) for m in matches] == [
        (
            "a1",
            {
                "entities": ["ent_carter"],
                "entity_names": ["Ashton Carter"],
                "keywords": ["Daech", "coalition"],
                "language": "fr",
            },
            "Le Monde",
        )
    ]
    [burst] = client.get(f"/api/watchlists/{wid}/breaking").json()
    assert (burst["story_id"], burst["new_sources"], burst["breaking"]) == (
        "s1",
        1,
        False,
    )  # the copy counts not
    assert client.get("/api/watchlists/nope/matches").status_code == 404


def test_api_bad_query_is_refused_with_its_position(client: TestClient) -> None:
    answer = client.post("/api/watchlists", json={**BODY, "keywords": "Daech AND (Raqqa"}, headers=AUTH)
    assert answer.status_code == 422
    assert "unclosed '('" in answer.json()["detail"] and "at character 11" in answer.json()["detail"]


def test_api_writing_needs_an_analyst_session_with_csrf_or_the_token(client: TestClient, where: str) -> None:
    assert client.post("/api/watchlists", json=BODY).status_code == 401
    assert (
        client.post("/api/watchlists", json=BODY, headers={"Authorization": "Bearer wrong"}).status_code
        == 401
    )
    with Store.open(where) as store:
        reader, analyst = add_user(store, "lecteur", "reader"), add_user(store, "analyste", "analyst")
        sign_in(client, store, reader)
        assert client.post("/api/watchlists", json=BODY).status_code == 403
        csrf = sign_in(client, store, analyst)
    assert client.post("/api/watchlists", json=BODY).status_code == 403  # no CSRF token
    made = client.post("/api/watchlists", json=BODY, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201 and made.json()["owner_id"] != "api-token"


def test_api_reading_follows_the_private_setting(where: str) -> None:
    app = create_app(where, token=TOKEN)
    app.state.settings = AccountSettings(private=True)
    with TestClient(app) as client:
        assert client.get("/api/watchlists").status_code == 401
        assert client.get("/api/watchlists", headers=AUTH).status_code == 200
