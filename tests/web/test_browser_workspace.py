"""The analysts' workspace end to end in headless Chromium (Debian's `chromium`, driven by Playwright).

One walk, in the issue's order, as two colleagues would take it: the admin signs in and makes an
invitation link; an analyst signs up through it (in a browser of her own), signs out and in again;
she creates a watchlist for "Daech" in its form at /veilles while the store holds no article yet
(the name waits, unresolved); the seed pages are ingested as `veille ingest` does (the engine's
path, where watchlists are evaluated); she sees the Daech story among the watchlist's matches, with
why, and in its Atom feed (parsed back with feedparser); she opens the story from the watchlist and
comments on it, and the admin replies. Each step saves a screenshot; the folder is printed (set
VEILLE_SCREENSHOTS to choose it). Skips, saying why, where Playwright or Chromium is missing
(fixtures: tests/web/conftest.py).

The server runs in a thread on a free port over a fresh store that holds only the first admin (made
as `veille user add` makes it).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser
import pytest

pytestmark = pytest.mark.browser
SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
TOKEN = "workspace-test-token-0123456789"
ADMIN, ADMIN_PASSWORD = "Admin", "mot de passe de l’admin"
ANALYST, ANALYST_PASSWORD = "Nadia", "mot de passe de Nadia"
STORY = "Conseil de guerre"  # in the headline of the story the two seed pages tell


@pytest.fixture(scope="module")
def server(
    browser: Any, serve: Callable[[Any], str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, str]:
    """(base URL, store path) of a server with the API token over a store holding only the first admin."""
    from veille.accounts.users import create_user
    from veille.api import create_app
    from veille.store import Store

    db = str(tmp_path_factory.mktemp("workspace") / "workspace.db")
    with Store.open(db) as store:
        create_user(store, ADMIN, ADMIN_PASSWORD, "admin")
    return serve(create_app(db, token=TOKEN)), db


def _person(browser: Any, base_url: str, outside: list[str]) -> Any:
    """A browser of one's own (own cookies), whose requests must all stay on the server."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.on("request", lambda r: None if r.url.startswith(base_url) else outside.append(r.url))
    return context


def _sign_in(page: Any, name: str, password: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Nom").fill(name)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert page.locator(".user-name").inner_text() == name


def _ingest_seeds(db: str) -> list[str]:
    """Ingest the seed pages as `veille ingest examples/seeds --db DB` does (the engine's path, where
    watchlists are evaluated after each stored batch); the ids of the stories they made."""
    from veille.engines.local import ingest_paths
    from veille.pipeline import default_pipeline
    from veille.store import Store

    with Store.open(db) as store:
        ingest_paths([SEEDS], store, default_pipeline(store, progress=False))
        return sorted({a.story_id for a in store.iter_articles() if a.story_id})


def _invite(admin: Any, shots: Path) -> str:
    """The admin signs in and makes an invitation link for an analyst; the link."""
    _sign_in(admin, ADMIN, ADMIN_PASSWORD)
    admin.get_by_role("link", name="Utilisateurs").click()
    admin.wait_for_url("**/admin/utilisateurs")
    admin.get_by_label("Rôle du compte invité").select_option("analyst")
    admin.get_by_role("button", name="Créer un lien d’invitation").click()
    link = admin.locator("#invitation-link").get_attribute("href")
    assert link and "/inscription?invitation=" in link
    admin.screenshot(path=str(shots / "1-admin-invitation.png"), full_page=True)
    return str(link)


def _sign_up(analyst: Any, link: str, base_url: str, shots: Path) -> None:
    """The analyst signs up through the link in her own browser, signs out, and in again."""
    analyst.goto(link)
    assert "analyste" in analyst.locator("main").inner_text()
    analyst.get_by_label("Nom").fill(ANALYST)
    analyst.get_by_label("Mot de passe (8 caractères au moins)").fill(ANALYST_PASSWORD)
    analyst.get_by_label("Mot de passe, à nouveau").fill(ANALYST_PASSWORD)
    analyst.screenshot(path=str(shots / "2-inscription.png"), full_page=True)
    analyst.get_by_role("button", name="Créer mon compte").click()
    analyst.wait_for_url(base_url + "/")
    assert analyst.locator(".user-name").inner_text() == ANALYST
    analyst.get_by_role("button", name="Déconnexion").click()
    analyst.wait_for_load_state()
    assert analyst.get_by_role("link", name="Connexion").count() == 1
    _sign_in(analyst, ANALYST, ANALYST_PASSWORD)


def _watch(analyst: Any, shots: Path) -> str:
    """The analyst creates the "Daech" watchlist in its form before any article is in the store;
    the watchlist page's path."""
    analyst.get_by_role("link", name="Veilles").click()
    analyst.wait_for_url("**/veilles")
    assert "Aucune veille pour l’instant." in analyst.locator("main").inner_text()
    analyst.get_by_label("Nom", exact=True).fill("Daech")
    analyst.get_by_label("Entités (").fill("Daech")
    analyst.get_by_label("Mots-clés (").fill("Raqqa* OR Mossoul")  # "Raqqah" in one page
    analyst.screenshot(path=str(shots / "3-veille-formulaire.png"), full_page=True)
    analyst.get_by_role("button", name="Créer la veille").click()
    analyst.wait_for_url("**/veilles/w_*")
    assert analyst.locator("h1").inner_text() == "Veille « Daech »"
    query = analyst.locator("dl.query").inner_text()
    assert "pas encore dans la base" in query and "Raqqa* OR Mossoul" in query
    assert "Aucun article ne répond encore à cette veille" in analyst.locator("main").inner_text()
    analyst.screenshot(path=str(shots / "3-veille-creee.png"), full_page=True)
    return str(analyst.url).removeprefix(analyst.url.split("/veilles/")[0])


def _see_matches(analyst: Any, watch_path: str, story_ids: list[str], shots: Path) -> None:
    """After the ingest, the watchlist page lists the story with its two pages and why each
    matched, and the page's "Flux Atom" link serves a feed holding both."""
    analyst.goto(watch_path)
    assert "pas encore dans la base" not in analyst.locator("dl.query").inner_text()
    cards = analyst.locator(".watch-matches .story-card")
    assert cards.count() == 1
    story_link = cards.locator("h3 a")
    assert STORY in story_link.inner_text()
    assert story_link.get_attribute("href") in {f"/histoire/{i}" for i in story_ids}
    items = cards.locator("ul li")
    assert items.count() == 2
    titles = sorted(items.locator("a").all_inner_texts())
    for why in items.locator(".why").all_inner_texts():
        assert why.startswith("Pourquoi : ") and "entités" in why and "Raqqa" in why, why
    analyst.screenshot(path=str(shots / "4-veille-histoire.png"), full_page=True)

    feed_link = analyst.get_by_role("link", name="Flux Atom")
    href = feed_link.get_attribute("href")
    assert href == f"{watch_path}/atom.xml"
    with analyst.expect_response(lambda r: r.url.endswith(href)) as served:
        feed_link.click()  # what a person does: Chromium shows the feed's XML
    answer = served.value
    assert answer.ok and answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.body())
    assert not feed.bozo, feed.get("bozo_exception")
    assert "Daech" in feed.feed.title
    assert sorted(e.title for e in feed.entries) == titles
    for entry in feed.entries:
        assert "/article/" in entry.link
        assert any(link.get("rel") == "related" and "/histoire/" in link.href for link in entry.links)
    analyst.screenshot(path=str(shots / "4-flux-atom.png"), full_page=True)


def _discuss(analyst: Any, admin: Any, story_url: str, shots: Path) -> None:
    """The analyst comments on the story, the admin replies, the analyst sees the reply."""
    analyst.goto(story_url)
    analyst.get_by_label("Votre commentaire").fill("À suivre : <b>Daech</b> recule à Raqqa ?")
    analyst.get_by_role("button", name="Commenter").click()
    analyst.wait_for_url("**/histoire/*#commentaire-*")
    comment = analyst.locator("li.comment").first
    assert comment.locator(".comment-text").inner_text() == "À suivre : <b>Daech</b> recule à Raqqa ?"

    admin.goto(story_url)
    admin.locator("li.comment summary", has_text="Répondre").first.click()
    admin.get_by_label(f"Votre réponse à {ANALYST}").fill("Oui, les sources se multiplient.")
    admin.get_by_role("button", name="Répondre", exact=True).first.click()
    admin.wait_for_url("**/histoire/*#commentaire-*")
    analyst.reload()
    reply = analyst.locator("ol.replies li.comment")
    assert reply.count() == 1
    assert reply.locator(".author").inner_text() == ADMIN
    assert reply.locator(".comment-text").inner_text() == "Oui, les sources se multiplient."
    analyst.locator("#commentaires").screenshot(path=str(shots / "6-commentaires.png"))
    analyst.screenshot(path=str(shots / "6-histoire-commentee.png"), full_page=True)


def test_browser_workspace_invite_sign_up_watch_ingest_discuss(
    browser: Any, server: tuple[str, str], shots: Path
) -> None:
    base_url, db = server
    outside: list[str] = []
    admin_context, analyst_context = _person(browser, base_url, outside), _person(browser, base_url, outside)
    admin, analyst = admin_context.new_page(), analyst_context.new_page()
    _sign_up(analyst, _invite(admin, shots), base_url, shots)
    watch_path = _watch(analyst, shots)

    story_ids = _ingest_seeds(db)
    assert story_ids

    _see_matches(analyst, watch_path, story_ids, shots)
    analyst.goto(watch_path)
    analyst.locator(".watch-matches .story-card h3 a", has_text=STORY).click()
    analyst.wait_for_url("**/histoire/*")
    assert STORY in analyst.locator("h1").inner_text()
    analyst.screenshot(path=str(shots / "5-histoire.png"), full_page=True)
    _discuss(analyst, admin, analyst.url, shots)

    admin_context.close()
    analyst_context.close()
    assert outside == [], f"the pages loaded resources from outside the server: {outside}"
