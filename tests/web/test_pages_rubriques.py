"""Rubriques on the pages: the article, story and list pages show them; an analyst or admin
overrides an article's from its page (CSRF-protected), readers and visitors may not, and the
override outlives a re-ingest of the same article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accounts.conftest import add_user, sign_in
from api.sample_store import fill, sample_articles
from veille.api import create_app
from veille.model import Article
from veille.store import Store
from veille.store.rubriques import article_rubriques_detail

CHOICE = {"principale": "justice", "autres": ["politique", "justice"]}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _rubriques(html: str) -> str:
    """What a reader sees of the rubriques block of a page."""
    found = re.search(r'<(?:p|div) class="rubriques" id="rubriques">(.*?)</p>', html, re.S)
    assert found is not None, "no rubriques block on the page"
    return _text(found.group(1))


@pytest.fixture
def where(tmp_path: Path) -> str:
    url = str(tmp_path / "rubriques.db")
    with Store.open(url) as store:
        fill(store)
    return url


@pytest.fixture
def client(where: str) -> Iterator[TestClient]:
    with TestClient(create_app(where), follow_redirects=False) as test_client:
        yield test_client


def _as(client: TestClient, where: str, name: str, role: str) -> str:
    with Store.open(where) as store:
        return sign_in(client, store, add_user(store, name, role))


def _stored(where: str, article_id: str) -> list[str]:
    with Store.open(where) as store:
        return article_rubriques_detail(store, article_id).rubriques


def test_pages_rubriques_shown_on_article_story_and_list(client: TestClient) -> None:
    article = client.get("/article/a2").text
    assert _rubriques(article) == "Rubriques : défense et conflits international · classement automatique"
    assert '<span class="rubrique primary" title="rubrique principale">défense et conflits</span>' in article
    assert _rubriques(client.get("/article/a1").text) == "Rubriques : aucune"
    story = _rubriques(client.get("/histoire/s2").text)
    assert story == "Rubriques : défense et conflits 1 article · international 1 article"
    cards = client.get("/").text
    card = cards[cards.index('href="/histoire/s2"') :]
    card = card[: card.index("</li>")]
    assert _text(card).endswith(
        "Frappes sur Raqqa 1 article · le 16 novembre 2015 · AFP défense et conflits international Raqqa"
    )
    assert '<p class="rubriques"><span class="rubrique">défense et conflits</span>' in card
    assert "Modifier les rubriques" not in article  # a visitor sees no form


def test_pages_rubriques_story_inherits_from_all_its_articles(client: TestClient, where: str) -> None:
    with Store.open(where) as store:
        a1, _a2, copy, *_ = sample_articles()
        a1.rubriques, copy.rubriques = ["défense et conflits", "international"], ["international"]
        store.upsert([a1, copy])
    inherited = _rubriques(client.get("/histoire/s1").text)
    assert inherited == "Rubriques : international 2 articles · défense et conflits 1 article"


def test_pages_rubriques_analyst_overrides_and_it_outlives_a_reingest(client: TestClient, where: str) -> None:
    csrf = _as(client, where, "Nadia", "analyst")
    page = client.get("/article/a2").text
    assert "Modifier les rubriques" in page and 'name="csrf_token"' in page
    done = client.post("/article/a2/rubriques", data={**CHOICE, "csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/article/a2#rubriques"
    shown = _rubriques(client.get("/article/a2").text)
    assert shown.startswith("Rubriques : justice politique · choisies par Nadia le ")
    assert shown.endswith("(classement automatique : défense et conflits, international)")

    with Store.open(where) as store:  # the same article stored again, the classifier now says sport
        a2 = sample_articles()[1]
        a2.rubriques = ["sport"]
        store.upsert([a2])
    shown = _rubriques(client.get("/article/a2").text)
    assert shown.startswith("Rubriques : justice politique · choisies par Nadia")
    assert shown.endswith("(classement automatique : sport)")
    assert _rubriques(client.get("/histoire/s2").text).startswith("Rubriques : justice 1 article")

    back = client.post("/article/a2/rubriques", data={"action": "automatique", "csrf_token": csrf})
    assert back.status_code == 303
    assert _rubriques(client.get("/article/a2").text) == "Rubriques : sport · classement automatique"


def test_pages_rubriques_admin_may_override_too(client: TestClient, where: str) -> None:
    csrf = _as(client, where, "Claire", "admin")
    assert client.post("/article/a2/rubriques", data={**CHOICE, "csrf_token": csrf}).status_code == 303
    assert _stored(where, "a2") == ["justice", "politique"]


def test_pages_rubriques_override_refused_to_visitors_readers_and_without_csrf(
    client: TestClient, where: str
) -> None:
    signed_out = client.post("/article/a2/rubriques", data=CHOICE)
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/connexion?suite=")
    reader_csrf = _as(client, where, "Lou", "reader")
    assert "Modifier les rubriques" not in client.get("/article/a2").text
    assert client.post("/article/a2/rubriques", data={**CHOICE, "csrf_token": reader_csrf}).status_code == 403
    csrf = _as(client, where, "Nadia", "analyst")
    assert client.post("/article/a2/rubriques", data=CHOICE).status_code == 403  # no token
    assert client.post("/article/a2/rubriques", data={**CHOICE, "csrf_token": "forged"}).status_code == 403
    assert _stored(where, "a2") == ["défense et conflits", "international"]
    assert client.post("/article/a2/rubriques", data={**CHOICE, "csrf_token": csrf}).status_code == 303


def test_pages_rubriques_bad_choices_are_refused_in_french(client: TestClient, where: str) -> None:
    csrf = _as(client, where, "Nadia", "analyst")
    unknown = client.post("/article/a2/rubriques", data={"principale": "<b>cuisine</b>", "csrf_token": csrf})
    assert unknown.status_code == 400
    assert "Rubrique inconnue : &lt;b&gt;cuisine&lt;/b&gt;. Choisissez parmi : politique" in unknown.text
    none = client.post("/article/a2/rubriques", data={"csrf_token": csrf})
    assert none.status_code == 400 and "Choisissez la rubrique principale de l’article." in none.text
    missing = client.post("/article/nope/rubriques", data={**CHOICE, "csrf_token": csrf})
    assert missing.status_code == 404 and "Article introuvable" in missing.text
    assert _stored(where, "a2") == ["défense et conflits", "international"]


def test_pages_rubriques_names_are_escaped(client: TestClient, where: str) -> None:
    with Store.open(where) as store:  # the store takes any name from a stage; the page must not trust it
        store.upsert([Article(id="odd", source_file="odd.txt", source_id="", text="Texte.", story_id="s9",
                              rubriques=["<script>alert(1)</script>"])])  # fmt: skip
    for path in ("/article/odd", "/histoire/s9", "/"):
        html = client.get(path).text
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
