"""The JSON API of rubriques: the set with its article counts, an article's rubriques (the
classifier's and a user's override) and a story's, and the override itself.

Reading follows the server's read setting (public unless `--private`). Overriding needs a
signed-in analyst (session cookie plus the `X-CSRF-Token` header) or the server's API token
(`Authorization: Bearer …`), as `veille.accounts.deps.require_role` decides — the rule of the
watchlists' routes. An override is kept when the article is ingested again; an empty list, or
DELETE, removes it and the classifier's rubriques count again.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field

from veille.accounts.deps import read_access
from veille.api.stories import get_story
from veille.api.writers import Writer
from veille.rubriques.taxonomy import NAMES, RUBRIQUES
from veille.store import Store
from veille.store.rubriques import (
    article_rubriques_detail,
    inherited_rubriques,
    rubrique_counts,
    set_rubriques_override,
)

router = APIRouter(prefix="/api", tags=["rubriques"])


class RubriquesIn(BaseModel):
    rubriques: list[str] = Field(
        max_length=len(NAMES), description="Rubrique names, primary first; [] removes the override."
    )


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _known_article(store: Store, article_id: str) -> None:
    if not store.article_headers([article_id]):
        raise HTTPException(status_code=404, detail=f"no article {article_id!r}: list them at /api/articles")


def article_rubriques_json(store: Store, article_id: str) -> dict[str, Any]:
    detail = article_rubriques_detail(store, article_id)
    override = None
    if detail.override:
        override = {"rubriques": detail.override, "user_id": detail.override_by, "set_at": detail.override_at}
    return {
        "article_id": article_id,
        "rubriques": detail.rubriques,
        "source": "override" if detail.override else "auto",
        "auto": [{"rubrique": name, "score": round(score, 4)} for name, score in detail.auto],
        "override": override,
    }


@router.get("/rubriques", dependencies=[Depends(read_access)])
def rubriques_route(request: Request) -> list[dict[str, Any]]:
    """The rubrique set, with how many kept articles each holds (copies left out)."""
    counts = rubrique_counts(_store(request))
    return [{"rubrique": r.name, "iptc": list(r.iptc), "articles": counts.get(r.name, 0)} for r in RUBRIQUES]


@router.get("/articles/{article_id}/rubriques", dependencies=[Depends(read_access)])
def article_route(request: Request, article_id: str) -> dict[str, Any]:
    store = _store(request)
    _known_article(store, article_id)
    return article_rubriques_json(store, article_id)


@router.put("/articles/{article_id}/rubriques")
def override_route(request: Request, article_id: str, body: RubriquesIn, user: Writer) -> dict[str, Any]:
    store = _store(request)
    _known_article(store, article_id)
    try:
        set_rubriques_override(store, article_id, body.rubriques, user.id)
    except ValueError as error:  # an unknown rubrique: the message lists the valid ones
        raise HTTPException(status_code=422, detail=str(error)) from None
    return article_rubriques_json(store, article_id)


@router.delete("/articles/{article_id}/rubriques", status_code=204)
def clear_route(request: Request, article_id: str, user: Writer) -> Response:
    store = _store(request)
    _known_article(store, article_id)
    set_rubriques_override(store, article_id, [], user.id)
    return Response(status_code=204)


@router.get("/stories/{story_id}/rubriques", dependencies=[Depends(read_access)])
def story_route(request: Request, story_id: str) -> list[dict[str, Any]]:
    """The rubriques a story inherits from its articles, most frequent first."""
    store = _store(request)
    story = get_story(store, story_id)
    if story is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id!r}: list them at /api/stories")
    found = inherited_rubriques(store, {story.id: story.article_ids}).get(story.id, [])
    return [{"rubrique": name, "articles": n} for name, n in found]
