"""The members' pages: sign-in (/connexion), sign-out (/deconnexion), sign-up (/inscription) and the
admins' page (/admin/utilisateurs: invitations, roles, disabling).

Forms signed-in users send carry the session's CSRF token (`verify_csrf`). The sign-in and sign-up
forms come before any session, so they carry a form token that is also set in a cookie of their
own, and the POST must show both equal (a cross-site page can send the cookie, never read it).
Sign-in failures are rate limited per name and per client address (ratelimit.py); open sign-ups,
when the server allows them, need the captcha and are rate limited per address.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from veille.accounts import ratelimit
from veille.accounts.captcha import check_captcha, new_captcha
from veille.accounts.deps import (
    clear_session_cookie,
    current_session,
    current_user,
    require_role,
    set_session_cookie,
    verify_csrf,
)
from veille.accounts.sessions import SESSION_DAYS, close_session, open_session
from veille.accounts.settings import settings_of
from veille.accounts.users import (
    ROLE_LABELS,
    ROLES,
    AccountError,
    User,
    check_password,
    create_invitation,
    create_user,
    invitation_role,
    list_invitations,
    list_users,
    set_disabled,
    set_role,
    sign_up_with_invitation,
)
from veille.store import Store
from veille.web.pages import templates

FORM_COOKIE = "veille_form"
router = APIRouter(include_in_schema=False)
templates.env.globals["role_labels"] = ROLE_LABELS
Admin = Annotated[User, Depends(require_role("admin"))]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def local_path(target: str | None) -> str:
    """`target` when it is a path on this site, else "/": a sign-in link cannot send people away."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _render_form(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:  # fmt: skip
    """A signed-out form page, with the form token in the page and in its cookie (kept while it
    lasts, so that two open tabs both work)."""
    token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request, name, {**context, "form_token": token}, status_code=status_code, headers=headers
    )
    response.set_cookie(
        FORM_COOKIE,
        token,
        max_age=3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _form_token_ok(request: Request, given: str) -> bool:
    expected = request.cookies.get(FORM_COOKIE, "")
    return bool(expected) and secrets.compare_digest(given.encode(), expected.encode())


def _signed_in(request: Request, user: User, target: str) -> RedirectResponse:
    token, _ = open_session(_store(request), user)
    response = RedirectResponse(local_path(target), status_code=303)
    set_session_cookie(request, response, token, max_age=SESSION_DAYS * 86400)
    response.delete_cookie(FORM_COOKIE, path="/")
    return response


# -- sign-in and sign-out ------------------------------------------------------------------------


@router.get("/connexion", response_class=HTMLResponse)
def sign_in_page(request: Request, suite: str = "/") -> Response:
    if current_user(request) is not None:
        return RedirectResponse(local_path(suite), status_code=303)
    return _render_form(request, "account_connexion.html", {"suite": local_path(suite), "name": ""})


@router.post("/connexion", response_class=HTMLResponse)
def sign_in(
    request: Request,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    form_token: Annotated[str, Form()] = "",
    suite: Annotated[str, Form()] = "/",
) -> Response:
    store = _store(request)
    context: dict[str, Any] = {"suite": local_path(suite), "name": name}
    if not _form_token_ok(request, form_token):
        context["error"] = "Le formulaire a expiré : il est rechargé, saisissez à nouveau vos identifiants."
        return _render_form(request, "account_connexion.html", context, status_code=403)
    keys = [ratelimit.name_key(name), ratelimit.address_key(_address(request))]
    wait, counted = ratelimit.claim(store, keys, ratelimit.SIGN_IN)
    if wait:
        minutes = max(1, round(wait / 60))
        context["error"] = f"Trop d’essais manqués : réessayez dans {minutes} minute{'s' * (minutes > 1)}."
        headers = {"Retry-After": str(wait)}
        return _render_form(request, "account_connexion.html", context, status_code=429, headers=headers)
    user = check_password(store, name, password)
    if user is None:  # counted already, by the claim
        context["error"] = "Nom ou mot de passe incorrect."
        return _render_form(request, "account_connexion.html", context, status_code=401)
    ratelimit.forget(store, keys[:1])
    ratelimit.release(store, counted)
    return _signed_in(request, user, suite)


@router.post("/deconnexion", dependencies=[Depends(verify_csrf)])
def sign_out(request: Request) -> RedirectResponse:
    response = RedirectResponse("/", status_code=303)
    token = request.cookies.get("veille_session", "")
    if token and current_session(request) is not None:
        close_session(_store(request), token)
    clear_session_cookie(request, response)
    return response


# -- sign-up -------------------------------------------------------------------------------------


def _signup_context(request: Request, invitation: str, name: str = "") -> dict[str, Any]:
    store = _store(request)
    context: dict[str, Any] = {"invitation": invitation, "name": name, "role": None, "captcha": None}
    if invitation:
        context["role"] = invitation_role(store, invitation)
        if context["role"] is None:
            context["error"] = "Cette invitation n’est pas valable : inconnue, déjà utilisée ou expirée."
    elif settings_of(request).open_signup:
        context["captcha"], _ = new_captcha(store)
    return context


@router.get("/inscription", response_class=HTMLResponse)
def sign_up_page(request: Request, invitation: str = "") -> Response:
    context = _signup_context(request, invitation)
    status = 404 if invitation and context["role"] is None else 200
    return _render_form(request, "account_inscription.html", context, status_code=status)


@router.post("/inscription", response_class=HTMLResponse)
def sign_up(
    request: Request,
    *,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    password2: Annotated[str, Form(max_length=1000)] = "",
    invitation: Annotated[str, Form(max_length=200)] = "",
    captcha_id: Annotated[str, Form(max_length=200)] = "",
    captcha: Annotated[str, Form(max_length=50)] = "",
    form_token: Annotated[str, Form()] = "",
) -> Response:
    store = _store(request)
    open_signup = settings_of(request).open_signup
    if not invitation and not open_signup:
        context = _signup_context(request, "", name)
        return _render_form(request, "account_inscription.html", context, status_code=403)
    try:
        if not _form_token_ok(request, form_token):
            raise AccountError("Le formulaire a expiré : il est rechargé, remplissez-le à nouveau.")
        if password != password2:
            raise AccountError("Les deux mots de passe diffèrent.")
        if invitation:
            user = sign_up_with_invitation(store, invitation, name, password)
        else:
            key = [ratelimit.signup_key(_address(request))]
            wait, _ = ratelimit.claim(store, key, ratelimit.SIGN_UP)
            if wait:
                context = {**_signup_context(request, "", name), "error": "Trop d’inscriptions depuis cette "
                           f"adresse : réessayez dans {max(1, round(wait / 60))} minutes."}  # fmt: skip
                return _render_form(request, "account_inscription.html", context, status_code=429)
            if not check_captcha(store, captcha_id, captcha):
                raise AccountError("Le code recopié ne correspond pas à l’image : essayez avec la nouvelle.")
            user = create_user(store, name, password, "reader")
    except AccountError as error:
        context = {**_signup_context(request, invitation, name), "error": str(error)}
        return _render_form(request, "account_inscription.html", context, status_code=400)
    return _signed_in(request, user, "/")


# -- administration ------------------------------------------------------------------------------


def _admin_page(request: Request, admin: User, **extra: Any) -> HTMLResponse:
    store = _store(request)
    context = {"me": admin, "users": list_users(store), "invitations": list_invitations(store),
               "roles": ROLES, **extra}  # fmt: skip
    return templates.TemplateResponse(
        request, "account_admin.html", context, status_code=400 if extra.get("error") else 200
    )


@router.get("/admin/utilisateurs", response_class=HTMLResponse)
def admin_page(request: Request, admin: Admin) -> HTMLResponse:
    return _admin_page(request, admin)


@router.post("/admin/invitations", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def admin_invite(request: Request, admin: Admin, role: Annotated[str, Form()] = "reader") -> HTMLResponse:
    try:
        token = create_invitation(_store(request), role, created_by=admin.id)
    except AccountError as error:
        return _admin_page(request, admin, error=str(error))
    link = f"{str(request.base_url).rstrip('/')}/inscription?invitation={token}"
    return _admin_page(request, admin, new_link=link, new_role=role)


@router.post("/admin/utilisateurs/{user_id}", dependencies=[Depends(verify_csrf)], response_model=None)
def admin_change_user(
    request: Request, admin: Admin, user_id: str, action: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
) -> Response:  # fmt: skip
    store = _store(request)
    try:
        if action == "role":
            set_role(store, user_id, role)
        elif action in ("disable", "enable"):
            set_disabled(store, user_id, action == "disable")
        else:
            raise AccountError(f"Action inconnue « {action} » : role, disable ou enable.")
    except AccountError as error:
        return _admin_page(request, admin, error=str(error))
    return RedirectResponse("/admin/utilisateurs", status_code=303)
