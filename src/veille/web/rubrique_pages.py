"""Rubriques on the pages: what the article, story and story-list templates show, and the form by
which an analyst or an admin overrides an article's rubriques.

The templates read rubriques through Jinja2 globals set here (the pattern of the comments'
`comment_threads`), so the page routes of `pages.py` need no change: `article_rubriques(request,
id)` on the article page, `story_rubriques(request, story)` on the story page, and
`stories_rubriques(request, stories)` on the list (one read for the whole page).

The override form posts to `/article/{id}/rubriques`: a signed-in analyst or admin with the
session's CSRF token (`veille.accounts.deps`); a signed-out browser is sent to /connexion, a
reader gets 403. The choice is stored as an override (`veille.store.rubriques`), which re-ingesting
the article leaves as it is; "Revenir au classement automatique" removes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from veille.accounts.deps import User, current_user, require_role, verify_csrf
from veille.accounts.users import get_user, has_role
from veille.model import Story
from veille.rubriques.taxonomy import NAMES
from veille.store import Store
from veille.store.rubriques import (
    ArticleRubriques,
    article_rubriques_detail,
    inherited_rubriques,
    set_rubriques_override,
)
from veille.web.pages import templates

router = APIRouter(include_in_schema=False)
_analyst = require_role("analyst")
# How many rubriques a story card of the list shows (the most frequent among its articles).
CARD_RUBRIQUES = 3
# A story card's rubriques are read from its first articles only, so that a list of large stories
# stays one small read; the most frequent rubriques of a story show among its first articles.
CARD_ARTICLES = 10


def _writer(user: Annotated[User, Depends(_analyst)], _csrf: Annotated[None, Depends(verify_csrf)]) -> User:
    """Signed in first (a signed-out browser is sent to /connexion), then the form's CSRF token."""
    return user


Analyst = Annotated[User, Depends(_writer)]


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@dataclass(slots=True)
class RubriquesView:
    """An article's rubriques as its page shows them."""

    detail: ArticleRubriques
    by: str | None  # the name of who set the override, when known
    may_set: bool  # whether the signed-in user may change them


def article_rubriques(request: Request, article_id: str) -> RubriquesView:
    """Template global: the article's rubriques, who overrode them, and whether the user may."""
    store = _store(request)
    detail = article_rubriques_detail(store, article_id)
    author = get_user(store, detail.override_by) if detail.override_by else None
    user = current_user(request)
    may_set = user is not None and has_role(user.role, "analyst")
    return RubriquesView(detail, author.name if author else None, may_set)


def story_rubriques(request: Request, story: Story) -> list[tuple[str, int]]:
    """Template global: the rubriques a story inherits, (rubrique, number of its articles)."""
    return inherited_rubriques(_store(request), {story.id: story.article_ids}).get(story.id, [])


def stories_rubriques(request: Request, stories: Sequence[Story]) -> dict[str, list[str]]:
    """Template global: each listed story's most frequent rubriques, in one read."""
    groups = {s.id: s.article_ids[:CARD_ARTICLES] for s in stories}
    found = inherited_rubriques(_store(request), groups)
    return {key: [name for name, _ in pairs[:CARD_RUBRIQUES]] for key, pairs in found.items()}


templates.env.globals["article_rubriques"] = article_rubriques
templates.env.globals["story_rubriques"] = story_rubriques
templates.env.globals["stories_rubriques"] = stories_rubriques
templates.env.globals["rubrique_names"] = NAMES


def _refused(request: Request, message: str, back: str) -> HTMLResponse:
    context = {"message": message, "back": back}
    return templates.TemplateResponse(request, "account_message.html", context, status_code=400)


@router.post("/article/{article_id}/rubriques", response_model=None)
def set_article_rubriques(
    request: Request,
    article_id: str,
    user: Analyst,
    *,
    principale: Annotated[str, Form()] = "",
    autres: Annotated[list[str] | None, Form()] = None,
    action: Annotated[str, Form()] = "enregistrer",
) -> Response:
    store = _store(request)
    back = f"/article/{quote(article_id, safe='')}"
    if not store.article_headers([article_id]):
        missing = {"what": "article", "ident": article_id}
        return templates.TemplateResponse(request, "missing.html", missing, status_code=404)
    if action == "automatique":
        names: list[str] = []
    elif not principale:
        return _refused(request, "Choisissez la rubrique principale de l’article.", back)
    else:
        names = list(dict.fromkeys([principale, *(autres or [])]))
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        return _refused(
            request,
            f"Rubrique inconnue : {', '.join(unknown)}. Choisissez parmi : {', '.join(NAMES)}.",
            back,
        )
    set_rubriques_override(store, article_id, names, user.id)
    return RedirectResponse(f"{back}#rubriques", status_code=303)


__all__ = ["article_rubriques", "router", "stories_rubriques", "story_rubriques"]
