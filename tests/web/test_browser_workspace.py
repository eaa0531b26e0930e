"""The analysts' workspace end to end in headless Chromium (Debian's `chromium`, driven by Playwright).

One walk, as two colleagues would take it: the admin signs in and makes an invitation link; an
analyst signs up through it (in a browser of her own), signs out and in again; the seed pages are
ingested as `veille ingest` does (the engine's path, where watchlists are evaluated); the analyst
comments on the Daech story and the admin replies. Not walked here yet: creating a watchlist in its
form and seeing the story in it and its feed (tests/watch covers them without a browser). Each step saves a
screenshot; the folder is printed (set VEILLE_SCREENSHOTS to choose it). Skips, saying why, where
Playwright or Chromium is missing.

The server runs in a thread on a free port over a fresh store that holds only the first admin (made
as `veille user add` makes it).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = os.environ.get("VEILLE_CHROMIUM", "/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
TOKEN = "workspace-test-token-0123456789"
ADMIN, ADMIN_PASSWORD = "Admin", "mot de passe de l’admin"
ANALYST, ANALYST_PASSWORD = "Nadia", "mot de passe de Nadia"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[dev]' (or pip install playwright)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set VEILLE_CHROMIUM to one")
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def server(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, store path) of a server with the API token over a store holding only the first admin."""
    import uvicorn

    from veille.accounts.users import create_user
    from veille.api import create_app
    from veille.store import Store

    db = str(tmp_path_factory.mktemp("workspace") / "workspace.db")
    with Store.open(db) as store:
        create_user(store, ADMIN, ADMIN_PASSWORD, "admin")
    app = create_app(db, token=TOKEN)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail(f"the test server did not start on 127.0.0.1:{port} within 30 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", db
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    folder = Path(os.environ.get("VEILLE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:  # shown whatever the capture mode
        reporter.write_line(f"\nbrowser screenshots: {folder}")
    return folder


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


def test_browser_workspace_invite_sign_up_ingest_discuss(
    browser: Any, server: tuple[str, str], shots: Path
) -> None:
    base_url, db = server
    outside: list[str] = []
    admin_context, analyst_context = _person(browser, base_url, outside), _person(browser, base_url, outside)
    admin, analyst = admin_context.new_page(), analyst_context.new_page()
    _sign_up(analyst, _invite(admin, shots), base_url, shots)

    assert _ingest_seeds(db)

    analyst.goto("/")
    analyst.locator(".story-card a", has_text="Daech").first.click()
    analyst.wait_for_url("**/histoire/*")
    analyst.screenshot(path=str(shots / "5-histoire.png"), full_page=True)
    _discuss(analyst, admin, analyst.url, shots)

    admin_context.close()
    analyst_context.close()
    assert outside == [], f"the pages loaded resources from outside the server: {outside}"
