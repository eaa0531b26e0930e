"""Each page shows what a reader expects, in French, from the hand-built sample store."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_pages_render_stories_list(pages: TestClient) -> None:
    response = pages.get("/")
    assert response.status_code == 200 and 'lang="fr"' in response.text
    text = _text(response.text)
    assert "Dernières histoires" in text
    assert "Le conseil de guerre de Paris 2 articles · du 20 janvier 2016 au 21 janvier 2016" in text
    assert "Le Monde, Ouest-France" in text
    assert 'href="/histoire/s1"' in response.text and 'href="/entite/ent_carter"' in response.text
    assert text.index("Le conseil de guerre") < text.index("Frappes sur Raqqa")  # latest first


def test_pages_render_story_page(pages: TestClient) -> None:
    html = pages.get("/histoire/s1").text
    text = _text(html)
    assert "1 source indépendante" in text and "copie" in text
    assert 'href="/article/a1"' in html
    assert "20 janvier 2016 meeting" in text  # the timeline
    assert "« Nous allons accélérer la campagne contre Daech »" in text
    assert 'href="/article/a1#e-0"' in html


def test_pages_render_entity_page(pages: TestClient) -> None:
    html = pages.get("/entite/ent_carter").text
    text = _text(html)
    assert "Ashton Carter" in text and "Autres noms : Carter " in text
    assert "secrétaire à la Défense" in text and "États-Unis" in text
    assert "« Nous allons accélérer la campagne contre Daech »" in text
    assert re.search(r'<svg class="chart"[^>]*>.*<rect', html, re.S)
    assert "20 janvier 2016 : 2 mentions" in text
    assert 'href="/entite/ent_paris"' in html  # co-occurring


def test_pages_render_article_page_links_facts_to_spans(pages: TestClient) -> None:
    html = pages.get("/article/a1").text
    quote_id = re.search(r'href="#(q_[0-9a-f]+)"', html)
    assert quote_id is not None and f'id="{quote_id.group(1)}"' in html
    for anchor in ("m-0", "t-0", "e-0"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert 'class="mention mention-per" title="PER">Ashton Carter</a>' in html
    assert 'class="timex" title="2016-01-20">le 20 janvier</span>' in html
    text = _text(html)
    assert "boilerplate:share Partager sur Facebook" in text


def test_pages_render_duplicate_points_to_first_copy(pages: TestClient) -> None:
    text = _text(pages.get("/article/a1copy").text)
    assert "Copie de Le conseil de guerre de Paris" in text


def test_pages_render_search_across_kinds(pages: TestClient) -> None:
    html = pages.get("/recherche", params={"q": "Daech"}).text
    assert "<mark>Daech</mark>" in html
    assert 'href="/article/a1"' in html and 'href="/article/a1copy"' not in html
    assert "Nous allons accélérer la campagne contre Daech" in _text(html)
    assert 'href="/entite/ent_carter"' in pages.get("/recherche", params={"q": "carter"}).text


def test_pages_render_unknown_ids_are_french_404(pages: TestClient) -> None:
    response = pages.get("/entite/personne")
    assert response.status_code == 404 and "Entité introuvable" in response.text


def test_pages_render_static_files_are_served(pages: TestClient) -> None:
    assert pages.get("/static/style.css").status_code == 200
    assert pages.get("/static/app.js").status_code == 200
    assert not re.search(r'(src|href)="(https?:)?//', pages.get("/").text)
