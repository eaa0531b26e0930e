"""The shared contract of `veille.accounts.deps`: who is signed in, roles, redirects, CSRF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse

from accounts.conftest import MakeClient, add_user, sign_in
from veille.accounts.deps import COOKIE, csrf_field, current_user, require_role, verify_csrf
from veille.accounts.sessions import close_session, open_session
from veille.accounts.settings import AccountSettings
from veille.accounts.users import User, set_disabled
from veille.store import Store

TOKEN = "a-test-token-long-enough"


def _probe_routes(app: FastAPI) -> None:
    router = APIRouter()

    @router.get("/sonde/qui")
    def who(request: Request) -> dict[str, str | None]:
        user = current_user(request)
        return {"name": user.name if user else None}

    @router.get("/sonde/analyste")
    def analyst_page(user: Annotated[User, Depends(require_role("analyst"))]) -> dict[str, str]:
        return {"name": user.name}

    @router.get("/api/sonde/analyste")
    def analyst_api(user: Annotated[User, Depends(require_role("analyst"))]) -> dict[str, str]:
        return {"name": user.name}

    @router.post("/sonde/ecrire", dependencies=[Depends(verify_csrf)])
    def write(user: Annotated[User, Depends(require_role("reader"))]) -> dict[str, str]:
        return {"written_by": user.name}

    @router.get("/sonde/formulaire", response_class=HTMLResponse)
    def form(request: Request) -> str:
        return f"<form>{csrf_field(request)}</form>"

    app.include_router(router)


def test_deps_current_user_reads_the_session_cookie(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    _probe_routes(client.app)
    assert client.get("/sonde/qui").json() == {"name": None}
    sign_in(client, store, add_user(store, "Alice", "reader"))
    assert client.get("/sonde/qui").json() == {"name": "Alice"}
    client.cookies.set(COOKIE, "not-a-session")
    assert client.get("/sonde/qui").json() == {"name": None}


def test_deps_closed_session_and_disabled_user_are_signed_out(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    _probe_routes(client.app)
    alice = add_user(store, "Alice", "reader")
    token, _ = open_session(store, alice)
    client.cookies.set(COOKIE, token)
    close_session(store, token)
    assert client.get("/sonde/qui").json() == {"name": None}
    bob = add_user(store, "Bob", "reader")
    sign_in(client, store, bob)
    set_disabled(store, bob.id, True)
    assert client.get("/sonde/qui").json() == {"name": None}


def test_deps_require_role_redirects_pages_and_401s_api(make_client: MakeClient) -> None:
    client = make_client()
    _probe_routes(client.app)
    page = client.get("/sonde/analyste?x=1")
    assert page.status_code == 303
    assert page.headers["location"] == "/connexion?suite=%2Fsonde%2Fanalyste%3Fx%3D1"
    assert client.get("/api/sonde/analyste").status_code == 401


def test_deps_require_role_orders_roles(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    _probe_routes(client.app)
    sign_in(client, store, add_user(store, "Rita", "reader"))
    assert client.get("/sonde/analyste").status_code == 403
    sign_in(client, store, add_user(store, "Anna", "analyst"))
    assert client.get("/sonde/analyste").json() == {"name": "Anna"}
    sign_in(client, store, add_user(store, "Adam", "admin"))
    assert client.get("/sonde/analyste").json() == {"name": "Adam"}


def test_deps_api_token_passes_on_api_only(make_client: MakeClient) -> None:
    client = make_client(token=TOKEN)
    _probe_routes(client.app)
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/api/sonde/analyste", headers=bearer).status_code == 200
    assert client.get("/api/sonde/analyste", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/sonde/analyste", headers=bearer).status_code == 303


def test_deps_csrf_token_required_on_post(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    _probe_routes(client.app)
    assert client.post("/sonde/ecrire", data={"csrf_token": "x"}).status_code == 403  # signed out
    csrf = sign_in(client, store, add_user(store, "Alice", "reader"))
    assert client.post("/sonde/ecrire", data={}).status_code == 403
    assert client.post("/sonde/ecrire", data={"csrf_token": "wrong"}).status_code == 403
    assert client.post("/sonde/ecrire", data={"csrf_token": csrf}).json() == {"written_by": "Alice"}
    assert client.post("/sonde/ecrire", headers={"X-CSRF-Token": csrf}).status_code == 200


def test_deps_csrf_field_holds_the_session_token(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    _probe_routes(client.app)
    assert client.get("/sonde/formulaire").text == "<form></form>"
    csrf = sign_in(client, store, add_user(store, "Alice", "reader"))
    assert client.get("/sonde/formulaire").text == (
        f'<form><input type="hidden" name="csrf_token" value="{csrf}"></form>'
    )


def test_deps_private_setting_guards_reading(make_client: MakeClient, store: Store) -> None:
    public = make_client()
    assert public.get("/histoire/s1").status_code == 200
    private = make_client(settings=AccountSettings(private=True))
    assert private.get("/histoire/s1").status_code == 303
    assert private.get("/api/stories").status_code == 401
    sign_in(private, store, add_user(store, "Rita", "reader"))
    assert private.get("/histoire/s1").status_code == 200
    assert private.get("/api/stories").status_code == 200
