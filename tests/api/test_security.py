"""Security checks of issue 11 that no other test made: every write route found by enumerating the
app (so that a new route cannot be forgotten) refuses without the token or a session, and a reader
with a session; path parameters cannot reach a file outside the served folders; every SQL
statement carries user input as parameters only; a posted page's `url` is never fetched; passwords
and their hashes appear in no API answer and no log line; parallel sign-in guesses cannot pass the
limit. The other checks (cookie flags, CSRF, moderation, escaping, URL ingestion) are listed with
their tests in docs/reliability.md."""

from __future__ import annotations

import logging
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.test_schemathesis import _contents, light_pipeline
from veille.accounts import ratelimit
from veille.accounts.comments import add_comment
from veille.accounts.deps import COOKIE
from veille.accounts.sessions import open_session
from veille.accounts.users import User, create_user
from veille.api import create_app
from veille.api.ingest import get_pipeline
from veille.store import Store
from veille.store.watch import list_watchlists, save_watchlist
from veille.watch.query import Watchlist

TOKEN = "security-token-0123456789abcdef"
PASSWORD = "un mot de passe bien long"
SAFE = {"GET", "HEAD", "OPTIONS"}


@pytest.fixture
def app(sqlite_store: str) -> Iterator[FastAPI]:
    app = create_app(sqlite_store, token=TOKEN)
    stages = light_pipeline(app.state.store)
    app.dependency_overrides[get_pipeline] = lambda: stages
    yield app
    app.state.store.close()


def _ids(store: Store) -> dict[str, str]:
    """A real value for every path parameter, so that a refusal is never a 404 in disguise."""
    author = create_user(store, "Auteur", PASSWORD, "analyst")
    save_watchlist(store, Watchlist.from_dict({"name": "Daech", "keywords": "Daech"}))
    comment = add_comment(store, author, "story", "s1", "Un commentaire")
    wid = list_watchlists(store)[0].id
    return {"article_id": "a1", "story_id": "s1", "entity_id": "ent_carter", "wid": wid,
            "comment_id": comment.id, "user_id": author.id}  # fmt: skip


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """(full path, route) of every APIRoute, through included routers (FastAPI keeps those apart)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):  # FastAPI ≥ 0.12x: an included router, unflattened
            inner = prefix + str(getattr(route.include_context, "prefix", "") or "")
            yield from _routes(route.original_router.routes, inner)


def writes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route that is not a plain read, pages and API alike."""
    found = sorted({(method, path) for path, route in _routes(app.routes) for method in route.methods - SAFE})
    assert len(found) >= 19, f"too few write routes found to trust the enumeration: {found}"
    return found


BODIES: dict[str, Any] = {
    "/api/ingest": {"text": "Un texte envoyé sans droit."},
    "/api/watchlists": {"name": "Intrus"},
    "/api/watchlists/{wid}": {"name": "Intrus"},
    "/api/articles/{article_id}/rubriques": {"rubriques": ["sport"]},
}


def _send(client: TestClient, method: str, path: str, ids: dict[str, str], **extra: Any) -> Any:
    url = path.format(**ids)
    if path.startswith("/api/"):
        kwargs: dict[str, Any] = {"json": BODIES[path]} if path in BODIES else {"content": "texte"}
        return client.request(method, url, **kwargs, **extra)
    form = {"text": "x", "role": "admin", "action": "role", "name": "Intrus", "password": PASSWORD,
            "rubriques": "sport", "target_kind": "story", "target_id": "s1", "keywords": "x"}  # fmt: skip
    return client.request(method, url, data=form, **extra)


def _refused(response: Any) -> bool:
    to_sign_in = response.status_code == 303 and response.headers["location"].startswith("/connexion")
    return response.status_code in (401, 403) or to_sign_in


def test_security_every_write_refuses_without_credentials(app: FastAPI) -> None:
    store: Store = app.state.store
    ids = _ids(store)
    before = _contents(store)
    with TestClient(app, follow_redirects=False) as client:
        for method, path in writes(app):
            for headers in ({}, {"Authorization": "Bearer not-the-token"}, {"X-CSRF-Token": "guess"}):
                response = _send(client, method, path, ids, headers=headers)
                assert _refused(response), (method, path, headers, response.status_code, response.text[:200])
    assert _contents(store) == before


def test_security_api_writes_need_an_analyst(app: FastAPI) -> None:
    store: Store = app.state.store
    ids = _ids(store)
    before = _contents(store)
    reader = create_user(store, "Lecteur", PASSWORD, "reader")
    cookie, session = open_session(store, reader)
    with TestClient(app, follow_redirects=False, cookies={COOKIE: cookie}) as client:
        api = [(method, path) for method, path in writes(app) if path.startswith("/api/")]
        assert len(api) >= 7
        for method, path in api:
            response = _send(client, method, path, ids, headers={"X-CSRF-Token": session.csrf_token})
            # The token alone opens ingestion (401 for a session); the rest needs an analyst (403).
            assert response.status_code in (401, 403), (method, path, response.status_code, response.text)
        for path in ("/admin/invitations", "/admin/utilisateurs/{user_id}",
                     "/article/{article_id}/rubriques", "/veilles", "/veilles/{wid}/supprimer",
                     "/commentaires/{comment_id}/masquer"):  # fmt: skip
            response = _send(client, "POST", path, ids, headers={"X-CSRF-Token": session.csrf_token})
            assert response.status_code == 403, (path, response.status_code)
    assert _contents(store) == before


def test_security_analyst_cannot_administer(app: FastAPI) -> None:
    store: Store = app.state.store
    ids = _ids(store)
    analyst = create_user(store, "Analyste", PASSWORD, "analyst")
    cookie, session = open_session(store, analyst)
    with TestClient(app, follow_redirects=False, cookies={COOKIE: cookie}) as client:
        assert client.get("/admin/utilisateurs").status_code == 403
        for path in (
            "/admin/invitations",
            "/admin/utilisateurs/{user_id}",
            "/commentaires/{comment_id}/masquer",
        ):
            response = _send(client, "POST", path, ids, headers={"X-CSRF-Token": session.csrf_token})
            assert response.status_code == 403, (path, response.status_code)
        # …while the writes of an analyst go through, so the refusals above are about the role.
        wrote = client.post(
            "/api/watchlists", json={"name": "Mienne"}, headers={"X-CSRF-Token": session.csrf_token}
        )
        assert wrote.status_code == 201, wrote.text


TRAVERSALS = [
    "../../../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2e%2e%2f%2e%2e%2fpages.py", "..%5c..%5cpages.py", "....//....//etc/passwd", "/etc/passwd",
    "%2fetc%2fpasswd", "style.css%00.py", "%00", "..%00/", "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "..%252f..%252fetc%252fpasswd", "~root/.bashrc",
]  # fmt: skip


def test_security_path_parameters_stay_inside(sqlite_store: str) -> None:
    pages_source = (Path(__file__).resolve().parents[2] / "src/veille/web/pages.py").read_text()
    secret_line = next(line for line in pages_source.splitlines() if "STORIES_PER_PAGE = " in line)
    with TestClient(create_app(sqlite_store)) as client:
        assert client.get("/static/style.css").status_code == 200  # the folder is served…
        for prefix in ("/static/", "/docs-assets/", "/api/articles/", "/api/stories/", "/api/entities/",
                       "/article/", "/histoire/", "/entite/", "/api/watchlists/"):  # fmt: skip
            for attack in TRAVERSALS:
                response = client.get(prefix + attack)
                assert response.status_code in (400, 404, 405), (prefix + attack, response.status_code)
                assert "root:" not in response.text and secret_line not in response.text, prefix + attack


MARK = "zq9Mark'\"); DROP TABLE articles; --"


def test_security_user_input_reaches_sql_as_parameters_only(store_location: str) -> None:
    app = create_app(store_location, token=TOKEN)
    statements: list[str] = []
    parameters: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, _context: Any, _many: bool) -> None:
        statements.append(statement)
        parameters.append(repr(params))

    engine = app.state.store.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        with TestClient(app) as client:
            spec = client.get("/openapi.json").json()
            for path, operations in spec["paths"].items():
                if "get" not in operations:
                    continue
                names = [p["name"] for p in operations["get"].get("parameters", [])]
                url = re.sub(r"\{[^}]+\}", MARK.replace("/", "%2F"), path)
                query = {name: MARK for name in names if name not in ("limit", "offset")}
                assert client.get(url, params=query).status_code in (200, 404, 422), path
            for q in (MARK, 'Daech" OR "1', "NEAR(a b) * ^ AND OR NOT", "-Carter", "a:b"):
                assert client.get("/api/search", params={"q": q}).status_code == 200, q
                assert client.get("/recherche", params={"q": q}).status_code == 200, q
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert statements and not [s for s in statements if "zq9Mark" in s]
    assert any("zq9Mark" in p for p in parameters)  # the marker did reach the store, as a parameter
    with Store.open(store_location) as store:
        assert store.counts()["articles"] == 5


def test_security_posted_url_is_never_fetched(app: FastAPI) -> None:
    connections: list[bytes] = []
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        server.settimeout(0.5)
        port = server.getsockname()[1]

        def accept() -> None:
            try:
                peer, _ = server.accept()
                connections.append(peer.recv(100))
                peer.close()
            except OSError:
                pass

        listener = threading.Thread(target=accept)
        listener.start()
        page = {"text": "Une page postée.", "url": f"http://127.0.0.1:{port}/secret", "name": "posted"}
        with TestClient(app) as client:
            response = client.post("/api/ingest", json=page, headers={"Authorization": f"Bearer {TOKEN}"})
        listener.join()
    assert response.status_code == 201, response.text
    assert response.json()["article"]["url"] == page["url"]  # kept as metadata…
    assert connections == []  # …and never requested: a posted page cannot make the server fetch


def _admin_client(app: FastAPI) -> tuple[TestClient, User]:
    store: Store = app.state.store
    admin = create_user(store, "Racine", PASSWORD, "admin")
    cookie, _ = open_session(store, admin)
    return TestClient(app, cookies={COOKIE: cookie}), admin


def test_security_password_hashes_in_no_api_answer(app: FastAPI) -> None:
    store: Store = app.state.store
    ids = _ids(store)
    client, _ = _admin_client(app)
    with client:
        spec = client.get("/openapi.json").json()
        gets = [path for path, operations in spec["paths"].items() if "get" in operations]
        assert len(gets) >= 15
        for path in gets:
            response = client.get(
                path.format(**ids), params={"q": "Carter"}, headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert response.status_code == 200, (path, response.status_code)
            assert "scrypt$" not in response.text and PASSWORD not in response.text, path


def test_security_passwords_and_hashes_never_logged(app: FastAPI, caplog: pytest.LogCaptureFixture) -> None:
    store: Store = app.state.store
    caplog.set_level(logging.DEBUG)
    user = create_user(store, "Alice", PASSWORD, "analyst")
    with TestClient(app, follow_redirects=False) as client:
        page = client.get("/connexion").text
        assert re.search(r'<form[^>]*method="post"', page)  # the password travels in a body, never a URL
        token = re.search(r'name="form_token" value="([^"]+)"', page)
        assert token is not None
        for password in ("pas le bon", PASSWORD):
            data = {"name": "Alice", "password": password, "form_token": token.group(1)}
            assert client.post("/connexion", data=data).status_code in (303, 401)
    from veille.store.schema_workspace import users

    with store.engine.connect() as conn:
        stored = conn.execute(users.select().where(users.c.id == user.id)).one().password_hash
    logged = "\n".join(f"{r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records)
    assert PASSWORD not in logged and "pas le bon" not in logged
    assert stored not in logged and stored.split("$")[-1] not in logged and "scrypt$" not in logged


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_security_parallel_guesses_cannot_pass_the_limit(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    # Found by bench/signin_bruteforce.py: 8 clients at once got 8 guesses checked, the limit being 5.
    location = str(tmp_path / "limit.db") if backend == "sqlite" else str(request.getfixturevalue("pg_url"))
    keys = [ratelimit.name_key("Alice"), ratelimit.address_key("10.0.0.9")]
    with Store.open(location) as store:
        ratelimit.forget(store, keys)
    start = threading.Barrier(12)
    granted: list[int] = []

    def guess() -> None:
        with Store.open(location) as own:
            start.wait()
            wait, _ = ratelimit.claim(own, keys, ratelimit.SIGN_IN)
            if wait == 0:
                granted.append(1)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(granted) == ratelimit.SIGN_IN.attempts
    with Store.open(location) as store:
        assert ratelimit.retry_after(store, keys, ratelimit.SIGN_IN) > 0
        ratelimit.forget(store, keys)


def test_security_right_password_uncounts_its_attempt(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "limit.db")) as store:
        keys = [ratelimit.address_key("10.0.0.9")]
        for _ in range(ratelimit.SIGN_IN.attempts + 3):  # many sign-ins that succeed, one address
            wait, counted = ratelimit.claim(store, keys, ratelimit.SIGN_IN)
            assert wait == 0
            ratelimit.release(store, counted)
        assert ratelimit.retry_after(store, keys, ratelimit.SIGN_IN) == 0
