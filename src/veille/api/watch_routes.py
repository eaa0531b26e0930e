"""The JSON API of watchlists: list, read, create, update, delete; their matches and bursts.

Reading follows the server's read setting (public unless `--private`). Writing needs a signed-in
analyst (session cookie plus the `X-CSRF-Token` header) or the server's API token
(`Authorization: Bearer …`), as `veille.accounts.deps.require_role` decides. The webhook secret is
write-only: responses say whether a webhook is set, never the secret. A webhook URL whose host is
(or resolves to) a private, loopback or otherwise non-public address is refused with a 422 unless
the server allows private webhooks (`veille serve --allow-private-webhooks`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from veille.accounts.deps import read_access
from veille.api.writers import Writer
from veille.store import Store
from veille.store.watch import (
    article_briefs,
    delete_watchlist,
    get_watchlist,
    list_matches,
    list_watchlists,
    save_watchlist,
    watchlist_times,
)
from veille.watch.breaking import watchlist_bursts
from veille.watch.query import Watchlist
from veille.watch.webhook import target_refusal

router = APIRouter(prefix="/api/watchlists", tags=["watchlists"])


class WatchlistIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    entities: list[str] = []
    keywords: str = ""
    sources: list[str] = []
    languages: list[str] = []
    rubriques: list[str] = []
    event_types: list[str] = []
    min_sources: int = Field(0, ge=0)
    webhook_url: str | None = None
    webhook_secret: str | None = None


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def watchlist_json(store: Store, watchlist: Watchlist) -> dict[str, Any]:
    times = watchlist_times(store, watchlist.id)
    return {
        "id": watchlist.id, "name": watchlist.name, **watchlist.query_json(),
        "webhook": bool(watchlist.webhook_url), "webhook_url": watchlist.webhook_url,
        "owner_id": watchlist.owner_id, "created_at": times[0] if times else None,
        "updated_at": times[1] if times else None, "last_digest_at": times[2] if times else None,
        "feed": f"/veilles/{watchlist.id}/atom.xml",
    }  # fmt: skip


def _found(store: Store, wid: str) -> Watchlist:
    watchlist = get_watchlist(store, wid)
    if watchlist is None:
        raise HTTPException(status_code=404, detail=f"no watchlist {wid!r}: list them at /api/watchlists")
    return watchlist


def _build(body: WatchlistIn, owner: str | None) -> Watchlist:
    try:
        watchlist = Watchlist.from_dict({**body.model_dump(), "owner_id": owner})
    except ValueError as error:  # QuerySyntaxError included: its message points at the fault
        raise HTTPException(status_code=422, detail=str(error)) from None
    # Checked here too, not only at delivery, so that whoever saves it learns at once; the server's
    # --allow-private-webhooks (VEILLE_WEBHOOK_ALLOW_PRIVATE) lifts it, as it does for deliveries.
    refused = target_refusal(watchlist.webhook_url)
    if refused is not None:
        raise HTTPException(status_code=422, detail=refused)
    return watchlist


@router.get("", dependencies=[Depends(read_access)])
def list_route(request: Request) -> list[dict[str, Any]]:
    store = _store(request)
    return [watchlist_json(store, w) for w in list_watchlists(store)]


@router.get("/{wid}", dependencies=[Depends(read_access)])
def get_route(request: Request, wid: str) -> dict[str, Any]:
    store = _store(request)
    return watchlist_json(store, _found(store, wid))


@router.get("/{wid}/matches", dependencies=[Depends(read_access)])
def matches_route(
    request: Request,
    wid: str,
    since: Annotated[str | None, Query(description="ISO 8601: matches recorded from then on")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    store = _store(request)
    watchlist = _found(store, wid)
    matches = list_matches(store, watchlist.id, since=since, limit=limit)
    briefs = article_briefs(store, [m.article_id for m in matches])
    out = []
    for m in matches:
        brief = briefs.get(m.article_id)
        out.append({
            "article_id": m.article_id, "story_id": m.story_id, "matched_at": m.matched_at, "why": m.why,
            "title": brief.title if brief else None, "url": brief.url if brief else None,
            "source": brief.source_name if brief else None, "published": brief.published if brief else None,
        })  # fmt: skip
    return out


@router.get("/{wid}/breaking", dependencies=[Depends(read_access)])
def breaking_route(request: Request, wid: str) -> list[dict[str, Any]]:
    store = _store(request)
    watchlist = _found(store, wid)
    return [
        {"story_id": b.story_id, "new_sources": b.new_sources, "start": b.start.isoformat(),
         "end": b.end.isoformat(), "usual": b.usual, "breaking": b.breaking}
        for b in watchlist_bursts(store, watchlist.id)
    ]  # fmt: skip


@router.post("", status_code=201)
def create_route(request: Request, body: WatchlistIn, user: Writer) -> dict[str, Any]:
    store = _store(request)
    watchlist = _build(body, user.id)
    if get_watchlist(store, watchlist.id) is not None:
        raise HTTPException(
            status_code=409,
            detail=f"a watchlist named {watchlist.name!r} exists: PUT /api/watchlists/{watchlist.id}",
        )
    save_watchlist(store, watchlist)
    return watchlist_json(store, watchlist)


@router.put("/{wid}")
def update_route(request: Request, wid: str, body: WatchlistIn, user: Writer) -> dict[str, Any]:
    store = _store(request)
    old = _found(store, wid)
    if body.webhook_url and body.webhook_secret is None:
        # The secret is write-only (never served): keep the stored one unless a new one is sent.
        body = body.model_copy(update={"webhook_secret": old.webhook_secret})
    watchlist = _build(body, old.owner_id or user.id)
    clash = get_watchlist(store, watchlist.id)
    if clash is not None and watchlist.id != old.id:
        raise HTTPException(
            status_code=409, detail=f"another watchlist is named {watchlist.name!r}: pick another name"
        )
    save_watchlist(store, watchlist, replaces=old.id)
    return watchlist_json(store, watchlist)


@router.delete("/{wid}", status_code=204)
def delete_route(request: Request, wid: str, user: Writer) -> Response:
    store = _store(request)
    delete_watchlist(store, _found(store, wid).id)
    return Response(status_code=204)
