"""A person's walk through the UI in headless Chromium (Debian's `chromium`, driven by Playwright).

The server runs in a thread on a free port over a store built from the seed pages by the real
pipeline. Each step saves a screenshot; the folder is printed (set VEILLE_SCREENSHOTS to choose it).
The tests skip, saying why, where Playwright or Chromium is missing (fixtures: tests/web/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from veille.model import Article

pytestmark = pytest.mark.browser
SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


@pytest.fixture(scope="module")
def base_url(browser: Any, serve: Callable[[Any], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """A server over the seed pages (ingested by the real pipeline) plus one page full of markup."""
    from veille.api import create_app
    from veille.engines.local import ingest_paths
    from veille.pipeline import default_pipeline
    from veille.store import Store

    db = str(tmp_path_factory.mktemp("browser") / "seeds.db")
    with Store.open(db) as store:
        ingest_paths([SEEDS], store, default_pipeline(store, progress=False))
        title, text = "Piège <script>alert(1)</script>", "Avant <script>alert(2)</script> après."
        store.upsert([Article(id="evil", source_file="evil.txt", source_id="", title=title, text=text)])
    return serve(create_app(db))


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, locale="fr-FR")
    # Every request must stay on the server: the pages load nothing from outside.
    outside: list[str] = []
    context.on(
        "request", lambda request: None if request.url.startswith(base_url) else outside.append(request.url)
    )
    opened = context.new_page()
    yield opened
    context.close()
    assert outside == [], f"the page loaded resources from outside the server: {outside}"


def test_browser_pages_story_then_entity(page: Any, shots: Path) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Dernières histoires"
    cards = page.locator(".story-card")
    assert cards.count() == 1  # the two seed pages tell one story (the markup page was not clustered)
    page.screenshot(path=str(shots / "1-histoires.png"), full_page=True)

    page.get_by_role("link", name="Le «Conseil de guerre» de la coalition se félicite").click()
    page.wait_for_url("**/histoire/*")
    assert "Conseil de guerre" in page.locator("h1").inner_text()
    assert page.locator("ul.articles li").count() == 2
    assert page.locator("ul.quotes li").count() >= 3
    page.screenshot(path=str(shots / "2-histoire.png"), full_page=True)

    page.locator("aside .entity-list").get_by_role("link", name="Ashton Carter").click()
    page.wait_for_url("**/entite/*")
    assert page.locator("h1").inner_text().startswith("Ashton Carter")
    assert page.locator("svg.chart rect").count() >= 1
    assert "secrétaire à la défense" in page.locator("table.roles").inner_text().lower()
    assert page.locator("ul.quotes li").count() >= 1
    page.screenshot(path=str(shots / "3-entite-ashton-carter.png"), full_page=True)


def test_browser_pages_search_then_article(page: Any, shots: Path) -> None:
    page.goto("/")
    page.get_by_label("Rechercher").fill("Daech")
    page.get_by_label("Rechercher").press("Enter")
    page.wait_for_url("**/recherche?q=Daech")
    hits = page.locator("ul.hits li")
    assert hits.count() == 2
    assert page.locator("ul.hits mark").first.inner_text() == "Daech"
    assert page.locator("aside .entity-list li").first.inner_text().startswith("État islamique")
    page.screenshot(path=str(shots / "4-recherche-daech.png"), full_page=True)

    hits.first.locator("a").first.click()
    page.wait_for_url("**/article/*")
    assert page.locator(".text a.mention").count() > 5
    assert page.locator("ul.dropped li").count() >= 1
    quote_link = page.locator("ul.quotes li > a").first
    target = quote_link.get_attribute("href")
    quote_link.click()
    assert page.url.endswith(target)
    assert page.locator(f"[id='{target[1:]}']").count() == 1
    page.screenshot(path=str(shots / "5-article.png"), full_page=False)


def test_browser_pages_markup_in_an_article_is_text(page: Any, shots: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto("/article/evil")
    assert page.locator("h1").inner_text() == "Piège <script>alert(1)</script>"
    assert "Avant <script>alert(2)</script> après." in page.locator(".text").inner_text()
    assert dialogs == []
    page.screenshot(path=str(shots / "6-article-piege.png"))
