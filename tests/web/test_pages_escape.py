"""Untrusted text reaches the page as text: markup in a title or body is shown, never run."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from veille.api import create_app
from veille.model import Article
from veille.store import Store


def test_pages_escape_script_in_article_shows_as_text(pages: TestClient) -> None:
    html = pages.get("/article/evil").text
    assert "<script>alert" not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;titre&#39;)&lt;/script&gt;" in html  # the title too
    assert "&lt;b&gt;gras&lt;/b&gt; &amp; fin." in html


def test_pages_escape_script_in_lists_and_search(pages: TestClient) -> None:
    for page in (pages.get("/").text, pages.get("/histoire/evil").text):
        assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;titre&#39;)" in page
    found = pages.get("/recherche", params={"q": "piégé"}).text
    assert "<script>alert" not in found and "&lt;script&gt;" in found
    assert "<mark>piégé</mark>" in found


def test_pages_escape_search_query_is_escaped(pages: TestClient) -> None:
    html = pages.get("/recherche", params={"q": '"><img src=x onerror=alert(1)>'}).text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_pages_escape_javascript_url_is_not_a_link(tmp_path: Path) -> None:
    where = str(tmp_path / "js.db")
    with Store.open(where) as store:
        page = Article(id="js", source_file="js.txt", source_id="", text="Texte.", url="javascript:alert(1)")
        store.upsert([page])
    with TestClient(create_app(where)) as client:
        html = client.get("/article/js").text
    assert 'href="javascript:' not in html and "page d’origine" not in html
