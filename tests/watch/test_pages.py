"""The Veilles pages: list, creation form (analyst + CSRF), a watchlist's matches with why, its feed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from accounts.conftest import add_user, sign_in
from api.sample_store import fill, sample_articles
from veille.api import create_app
from veille.store import Store
from veille.store.watch import get_watchlist
from veille.watch.evaluate import evaluate_batch
from watch.conftest import article

FORM = {"nom": "Carter", "entites": "Ashton Carter", "mots_cles": "", "min_sources": "0"}


@pytest.fixture
def where(tmp_path: Path) -> str:
    url = str(tmp_path / "pages.db")
    with Store.open(url) as store:
        fill(store)
    return url


@pytest.fixture
def client(where: str) -> Iterator[TestClient]:
    with TestClient(create_app(where), follow_redirects=False) as test_client:
        yield test_client


def _analyst(client: TestClient, where: str) -> str:
    with Store.open(where) as store:
        return sign_in(client, store, add_user(store, "analyste", "analyst"))


def test_pages_nav_and_list_offer_the_form_to_analysts_only(client: TestClient, where: str) -> None:
    page = client.get("/veilles")
    assert page.status_code == 200 and '<a href="/veilles">Veilles</a>' in page.text
    assert 'id="watch-form"' not in page.text and "/connexion?suite=/veilles" in page.text
    _analyst(client, where)
    assert 'id="watch-form"' in client.get("/veilles").text


def test_pages_create_resolves_entity_names_and_shows_matches_with_why(
    client: TestClient, where: str
) -> None:
    csrf = _analyst(client, where)
    made = client.post("/veilles", data={**FORM, "csrf_token": csrf})
    assert made.status_code == 303
    with Store.open(where) as store:
        watchlist = get_watchlist(store, "Carter")
        assert watchlist is not None and watchlist.entities == ["ent_carter"]
        evaluate_batch(store, sample_articles())
    assert made.headers["location"] == f"/veilles/{watchlist.id}"
    page = client.get(made.headers["location"]).text
    assert "Le conseil de guerre de Paris" in page and "Pourquoi : entités : Ashton Carter" in page
    assert '<a href="/entite/ent_carter">Ashton Carter</a>' in page
    assert f'href="/veilles/{watchlist.id}/atom.xml"' in page
    feed = client.get(f"/veilles/{watchlist.id}/atom.xml")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo and [e.title for e in parsed.entries] == ["Le conseil de guerre de Paris"]


def test_pages_form_needs_sign_in_and_csrf(client: TestClient, where: str) -> None:
    signed_out = client.post("/veilles", data=FORM)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/connexion?suite=")
    with Store.open(where) as store:
        sign_in(client, store, add_user(store, "lecteur", "reader"))
    assert client.post("/veilles", data=FORM).status_code == 403  # a reader may not, CSRF or not
    csrf = _analyst(client, where)
    assert client.post("/veilles", data=FORM).status_code == 403  # no token
    assert client.post("/veilles", data={**FORM, "csrf_token": "forged"}).status_code == 403
    with Store.open(where) as store:
        assert get_watchlist(store, "Carter") is None
    assert client.post("/veilles", data={**FORM, "csrf_token": csrf}).status_code == 303


def test_pages_form_errors_are_shown_escaped(client: TestClient, where: str) -> None:
    csrf = _analyst(client, where)
    bad = client.post(
        "/veilles", data={**FORM, "entites": "", "mots_cles": "<b>x</b> AND", "csrf_token": csrf}
    )
    assert bad.status_code == 400
    assert (
        "Veille refusée" in bad.text and "&lt;b&gt;x&lt;/b&gt; AND" in bad.text and "<b>x</b>" not in bad.text
    )


@pytest.mark.usefixtures("private_webhooks_refused")
def test_pages_form_refuses_a_private_webhook(client: TestClient, where: str) -> None:
    csrf = _analyst(client, where)
    form = {**FORM, "webhook_url": "http://169.254.169.254/latest/", "webhook_secret": "chut"}
    refused = client.post("/veilles", data={**form, "csrf_token": csrf})
    assert refused.status_code == 400
    assert "Veille refusée : webhook target 169.254.169.254 is a link-local address" in refused.text
    with Store.open(where) as store:
        assert get_watchlist(store, "Carter") is None


def test_pages_entity_named_before_the_store_knows_it_matches_once_it_comes(
    client: TestClient, where: str
) -> None:
    csrf = _analyst(client, where)
    made = client.post("/veilles", data={**FORM, "nom": "Daech", "entites": "Daech", "csrf_token": csrf})
    assert made.status_code == 303
    page = client.get(made.headers["location"]).text
    assert "Daech <small>(pas encore dans la base" in page
    with Store.open(where) as store:
        watchlist = get_watchlist(store, "Daech")
        assert watchlist is not None and watchlist.entities == ["name:Daech"]
        assert evaluate_batch(store, sample_articles()) == []  # no entity of that name yet
        daech = article(
            "d1", "L'État islamique recule.", story="s7", entities={"État islamique": "ent_daech"}
        )
        daech.entities[0].aliases = ["État islamique", "Daech", "EI"]
        store.upsert([daech])
        found = evaluate_batch(store, [daech])
    assert [(m.article_id, m.why) for m in found] == [
        ("d1", {"entities": ["ent_daech"], "entity_names": ["État islamique"]})
    ]
    assert '<a href="/entite/ent_daech">' in client.get(made.headers["location"]).text


def test_pages_delete_needs_csrf(client: TestClient, where: str) -> None:
    csrf = _analyst(client, where)
    wid = client.post("/veilles", data={**FORM, "csrf_token": csrf}).headers["location"].rsplit("/", 1)[1]
    assert client.post(f"/veilles/{wid}/supprimer").status_code == 403
    assert client.post(f"/veilles/{wid}/supprimer", data={"csrf_token": csrf}).status_code == 303
    assert client.get(f"/veilles/{wid}").status_code == 404
