"""FastAPI dependencies of the accounts: who is signed in, who may do what, and CSRF checks.

The contract other features code against (watchlists, comments, admin pages):

- `current_user(request)` — the signed-in `User`, or None;
- `require_role(role)` — a dependency giving the signed-in `User` with at least `role`
  (reader < analyst < admin). Signed out: a page request is redirected (303) to
  `/connexion?suite=<path>`, an /api request gets 401. Too low a role: 403. On /api, the server's
  API token (`Authorization: Bearer …`) also passes, as the `API_TOKEN_USER` admin;
- `csrf_field(request)` — the hidden form input with the session's CSRF token (also the Jinja2
  global `csrf_field`), and `verify_csrf` — refuses (403) a POST whose `csrf_token` form field (or
  `X-CSRF-Token` header) is not the session's token;
- `read_access` — lets everyone read, or only signed-in users when the server is `--private`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import quote

from fastapi import HTTPException, Request, Response
from markupsafe import Markup, escape

from veille.accounts.sessions import Session, find_session
from veille.accounts.settings import settings_of
from veille.accounts.users import ROLES, User, has_role
from veille.store import Store

COOKIE = "veille_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# Who a request carrying the server's API token acts as (the token already allows ingestion).
API_TOKEN_USER = User(id="api-token", name="jeton API", role="admin")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

__all__ = [
    "API_TOKEN_USER", "COOKIE", "User", "csrf_field", "current_session", "current_user", "read_access",
    "require_role", "verify_csrf",
]  # fmt: skip


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def current_session(request: Request) -> Session | None:
    """The request's live session (looked up once per request, then kept on request.state)."""
    if not hasattr(request.state, "veille_session"):
        token = request.cookies.get(COOKIE, "")
        request.state.veille_session = find_session(_store(request), token) if token else None
    found: Session | None = request.state.veille_session
    return found


def current_user(request: Request) -> User | None:
    """The signed-in user, or None when signed out (no cookie, or an expired or closed session)."""
    session = current_session(request)
    return None if session is None else session.user


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _token_user(request: Request) -> User | None:
    token: str | None = getattr(request.app.state, "token", None)
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return None
    if secrets.compare_digest(given.strip().encode(), token.encode()):
        return API_TOKEN_USER
    return None


def sign_in_url(request: Request) -> str:
    """/connexion, with the page to come back to after signing in."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"/connexion?suite={quote(back, safe='')}"


def _signed_out(request: Request) -> HTTPException:
    if _is_api(request):
        return HTTPException(
            status_code=401,
            detail="sign-in required: send the session cookie of a signed-in user (sign in at /connexion) "
            "or `Authorization: Bearer TOKEN` with the server's API token",
        )
    return HTTPException(status_code=303, headers={"Location": sign_in_url(request)})


def require_role(role: str) -> Callable[[Request], User]:
    """A dependency giving the signed-in user when their role is at least `role` (see module doc)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")

    def dependency(request: Request) -> User:
        user = current_user(request) or (_token_user(request) if _is_api(request) else None)
        if user is None:
            raise _signed_out(request)
        if not has_role(user.role, role):
            raise HTTPException(
                status_code=403,
                detail=f"this needs the role {role} or higher; {user.name} is {user.role}: ask an admin",
            )
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


def read_access(request: Request) -> User | None:
    """Everyone may read, unless the server is private: then only signed-in users (or the token)."""
    user = current_user(request)
    if user is None and settings_of(request).private:
        user = _token_user(request) if _is_api(request) else None
        if user is None:
            raise _signed_out(request)
    return user


def csrf_field(request: Request) -> str:
    """The hidden input carrying the session's CSRF token, for forms; empty when signed out."""
    session = current_session(request)
    if session is None:
        return Markup("")
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(session.csrf_token))


async def verify_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request whose CSRF token is missing or not the session's.

    Requests authenticated by the API token carry no cookie, so cross-site forgery cannot use them:
    they pass without a CSRF token.
    """
    if request.method in _SAFE_METHODS:
        return
    if _is_api(request) and current_session(request) is None and _token_user(request) is not None:
        return
    session = current_session(request)
    given = request.headers.get(CSRF_HEADER, "")
    if not given and "form" in request.headers.get("content-type", ""):
        # Starlette keeps the parsed form on the request, so the endpoint's Form(...) still reads it.
        given = str((await request.form()).get(CSRF_FIELD) or "")
    if session is None:
        raise HTTPException(status_code=403, detail="CSRF check failed: sign in, then send the form again")
    if not given or not secrets.compare_digest(given.encode(), session.csrf_token.encode()):
        raise HTTPException(
            status_code=403, detail="CSRF check failed: reload the page and send the form again"
        )


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    """The session cookie: HttpOnly, SameSite=Lax, Secure when the request came over https."""
    response.set_cookie(
        COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="lax",
        secure=request.url.scheme == "https",
    )  # fmt: skip


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="lax", secure=request.url.scheme == "https"
    )
