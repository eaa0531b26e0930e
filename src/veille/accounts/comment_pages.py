"""The comment forms of the story, article and entity pages: post, reply, edit, delete, moderate.

Every route needs a session and the session's CSRF token. Any signed-in member may comment and reply
(readers included: discussing what they read is part of reading); only the author edits or deletes
a comment (403 for anyone else), only admins hide one. Each form goes back to the page it came
from, at the comment. The pages show the threads through the `comment_threads` template global, so
the page routes themselves need no change.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from veille.accounts.comments import (
    MAX_LENGTH,
    TARGET_KINDS,
    Comment,
    add_comment,
    delete_comment,
    edit_comment,
    get_comment,
    hide_comment,
    thread,
)
from veille.accounts.deps import current_user, require_role, verify_csrf
from veille.accounts.users import AccountError, User
from veille.store import Store
from veille.web.pages import templates

PAGES = {"story": "/histoire/", "article": "/article/", "entity": "/entite/"}
router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
Member = Annotated[User, Depends(require_role("reader"))]
Admin = Annotated[User, Depends(require_role("admin"))]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def comment_threads(request: Request, target_kind: str, target_id: str) -> list[Comment]:
    """The threads on a target as the signed-in user (or a visitor) may see them (template global)."""
    return thread(_store(request), target_kind, target_id, viewer=current_user(request))


templates.env.globals["comment_threads"] = comment_threads
templates.env.globals["comment_max_length"] = MAX_LENGTH


def page_of(target_kind: str, target_id: str, comment_id: str | None = None) -> str:
    from urllib.parse import quote

    anchor = f"#commentaire-{comment_id}" if comment_id else "#commentaires"
    return f"{PAGES[target_kind]}{quote(target_id, safe='')}{anchor}"


def _refused(request: Request, message: str, back: str, status_code: int = 400) -> HTMLResponse:
    context = {"message": message, "back": back}
    return templates.TemplateResponse(request, "account_message.html", context, status_code=status_code)


def _comment_or_404(request: Request, comment_id: str) -> Comment:
    found = get_comment(_store(request), comment_id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"no comment {comment_id!r}: it may have been deleted")
    return found


@router.post("/commentaires", response_model=None)
def post_comment(
    request: Request,
    user: Member,
    *,
    target_kind: Annotated[str, Form()],
    target_id: Annotated[str, Form()],
    text: Annotated[str, Form(max_length=MAX_LENGTH * 2)] = "",
    parent_id: Annotated[str, Form()] = "",
) -> Response:
    if target_kind not in TARGET_KINDS:
        return _refused(request, f"On ne commente pas « {target_kind} ».", "/")
    back = page_of(target_kind, target_id)
    try:
        made = add_comment(_store(request), user, target_kind, target_id, text, parent_id=parent_id or None)
    except AccountError as error:
        return _refused(request, str(error), back)
    return RedirectResponse(page_of(target_kind, target_id, made.id), status_code=303)


@router.post("/commentaires/{comment_id}/modifier", response_model=None)
def edit(
    request: Request,
    user: Member,
    comment_id: str,
    text: Annotated[str, Form(max_length=MAX_LENGTH * 2)] = "",
) -> Response:
    found = _comment_or_404(request, comment_id)
    back = page_of(found.target_kind, found.target_id, found.id)
    try:
        edit_comment(_store(request), user, comment_id, text)
    except PermissionError:
        return _refused(request, "Seul l’auteur d’un commentaire peut le modifier.", back, status_code=403)
    except AccountError as error:
        return _refused(request, str(error), back)
    return RedirectResponse(back, status_code=303)


@router.post("/commentaires/{comment_id}/supprimer", response_model=None)
def delete(request: Request, user: Member, comment_id: str) -> Response:
    found = _comment_or_404(request, comment_id)
    back = page_of(found.target_kind, found.target_id)
    try:
        delete_comment(_store(request), user, comment_id)
    except PermissionError:
        return _refused(request, "Seul l’auteur d’un commentaire peut le supprimer.", back, status_code=403)
    except AccountError as error:
        return _refused(request, str(error), back)
    return RedirectResponse(back, status_code=303)


@router.post("/commentaires/{comment_id}/masquer", response_model=None)
def moderate(
    request: Request, admin: Admin, comment_id: str, hidden: Annotated[str, Form()] = "1"
) -> Response:
    found = _comment_or_404(request, comment_id)
    hide_comment(_store(request), admin, comment_id, hidden=hidden == "1")
    return RedirectResponse(page_of(found.target_kind, found.target_id, found.id), status_code=303)
