"""The watchlist pages: /veilles (the list and the creation form), /veilles/{id} (matched stories
and articles, with why), its Atom feed, and deletion.

Reading follows the server's read setting; creating and deleting need a signed-in analyst and the
form's CSRF token (`veille.accounts.deps`). Entities are typed by name or id: a name is resolved to
the best-matching entity of the store, so that every alias of it counts.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from veille.accounts.deps import User, current_user, read_access, require_role, verify_csrf
from veille.accounts.users import has_role
from veille.api import reads
from veille.store import Store
from veille.store.watch import (
    article_briefs,
    delete_watchlist,
    get_watchlist,
    list_matches,
    list_watchlists,
    save_watchlist,
)
from veille.watch.atom import atom_feed, why_text
from veille.watch.breaking import watchlist_bursts
from veille.watch.evaluate import NAME_PREFIX, resolve_entity_name
from veille.watch.query import Watchlist
from veille.watch.webhook import target_refusal
from veille.web.pages import templates

router = APIRouter(include_in_schema=False)
_analyst = require_role("analyst")


def _writer(user: Annotated[User, Depends(_analyst)], _csrf: Annotated[None, Depends(verify_csrf)]) -> User:
    """Signed in first (a signed-out browser is sent to /connexion), then the form's CSRF token."""
    return user


Analyst = Annotated[User, Depends(_writer)]
PAGE_MATCHES = 200


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _may_write(request: Request) -> bool:
    user = current_user(request)
    return user is not None and has_role(user.role, "analyst")


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def resolve_entities(store: Store, given: list[str]) -> tuple[list[str], list[str]]:
    """(entries, names not known yet): an id is kept, a name becomes the id of the entity one of
    whose names it is, and a name the store does not know yet is kept as `name:…`, resolved at
    each ingest (watch/evaluate.py) so that a watchlist can be set up before the articles come."""
    entries: list[str] = []
    pending: list[str] = []
    for value in given:
        if value.startswith(NAME_PREFIX) or store.get_entity(value) is not None:
            entries.append(value)
            continue
        found = resolve_entity_name(store, value)
        if found is None:
            pending.append(value)
        entries.append(found or NAME_PREFIX + value)
    return list(dict.fromkeys(entries)), pending


def _list_page(
    request: Request, error: str | None = None, form: dict[str, str] | None = None
) -> HTMLResponse:
    store = _store(request)
    watchlists = list_watchlists(store)
    counts = {w.id: len(list_matches(store, w.id, limit=1000)) for w in watchlists}
    context = {
        "watchlists": watchlists, "counts": counts, "may_write": _may_write(request), "error": error,
        "form": form or {},
    }  # fmt: skip
    return templates.TemplateResponse(request, "watch_list.html", context, status_code=400 if error else 200)


@router.get("/veilles", response_class=HTMLResponse, dependencies=[Depends(read_access)])
def watchlists_page(request: Request) -> HTMLResponse:
    return _list_page(request)


@router.post("/veilles")
def create_watchlist(
    request: Request,
    user: Analyst,
    *,
    nom: Annotated[str, Form()] = "",
    entites: Annotated[str, Form()] = "",
    mots_cles: Annotated[str, Form()] = "",
    sources: Annotated[str, Form()] = "",
    langues: Annotated[str, Form()] = "",
    rubriques: Annotated[str, Form()] = "",
    evenements: Annotated[str, Form()] = "",
    min_sources: Annotated[str, Form()] = "0",
    webhook_url: Annotated[str, Form()] = "",
    webhook_secret: Annotated[str, Form()] = "",
) -> Response:
    store = _store(request)
    form = {
        "nom": nom, "entites": entites, "mots_cles": mots_cles, "sources": sources, "langues": langues,
        "rubriques": rubriques, "evenements": evenements, "min_sources": min_sources,
        "webhook_url": webhook_url,
    }  # fmt: skip
    ids, _pending = resolve_entities(store, _split(entites))
    try:
        minimum = int(min_sources or "0")
        watchlist = Watchlist.from_dict({
            "name": nom.strip(), "entities": ids, "keywords": mots_cles.strip(), "sources": _split(sources),
            "languages": _split(langues), "rubriques": _split(rubriques), "event_types": _split(evenements),
            "min_sources": minimum, "webhook_url": webhook_url.strip() or None,
            "webhook_secret": webhook_secret or None, "owner_id": user.id,
        })  # fmt: skip
    except ValueError as error:
        return _list_page(request, f"Veille refusée : {error}", form)
    refused = target_refusal(watchlist.webhook_url)
    if refused is not None:
        return _list_page(request, f"Veille refusée : {refused}", form)
    if not ids and not watchlist.keywords:
        return _list_page(request, "Donnez au moins une entité ou des mots-clés à surveiller.", form)
    if get_watchlist(store, watchlist.id) is not None:
        return _list_page(
            request, f"Une veille s’appelle déjà « {watchlist.name} » : choisissez un autre nom.", form
        )
    save_watchlist(store, watchlist)
    return RedirectResponse(f"/veilles/{watchlist.id}", status_code=303)


@router.get("/veilles/{wid}", response_class=HTMLResponse, dependencies=[Depends(read_access)])
def watchlist_page(request: Request, wid: str) -> HTMLResponse:
    store = _store(request)
    watchlist = get_watchlist(store, wid)
    if watchlist is None:
        missing = {"what": "veille", "ident": wid}
        return templates.TemplateResponse(request, "missing.html", missing, status_code=404)
    matches = list_matches(store, watchlist.id, limit=PAGE_MATCHES)
    briefs = article_briefs(store, [m.article_id for m in matches])
    bursts = {b.story_id: b for b in watchlist_bursts(store, watchlist.id)}
    groups: dict[str, dict[str, Any]] = {}
    for match in matches:
        key = match.story_id or f"article:{match.article_id}"
        group = groups.setdefault(key, {"story_id": match.story_id, "title": None, "items": []})
        brief = briefs.get(match.article_id)
        group["items"].append({"match": match, "brief": brief, "why": why_text(match.why)})
    for group in groups.values():
        story = store.get_story(group["story_id"]) if group["story_id"] else None
        first = group["items"][0]["brief"]
        group["title"] = (
            (story.title if story else None) or (first.title if first else None) or "(sans titre)"
        )
        group["sources"] = story.independent_sources if story else 1
        burst = bursts.get(story.id) if story else None
        group["breaking"] = burst is not None and burst.breaking
    entities = []  # (entity id or None, what to show)
    for entry in watchlist.entities:
        name = entry.removeprefix(NAME_PREFIX)
        ident = (resolve_entity_name(store, name) if entry.startswith(NAME_PREFIX) else entry) or None
        entities.append((ident, name))
    names = reads.entity_names(store.engine, [e for e, _ in entities if e])
    context = {
        "watchlist": watchlist, "groups": list(groups.values()), "names": names, "entities": entities,
        "may_write": _may_write(request),
    }  # fmt: skip
    return templates.TemplateResponse(request, "watch_page.html", context)


@router.get("/veilles/{wid}/atom.xml", dependencies=[Depends(read_access)])
def watchlist_feed(request: Request, wid: str) -> Response:
    store = _store(request)
    watchlist = get_watchlist(store, wid)
    if watchlist is None:
        return Response(f"no watchlist {wid}: see /veilles", status_code=404, media_type="text/plain")
    body = atom_feed(store, watchlist, str(request.base_url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.post("/veilles/{wid}/supprimer")
def remove_watchlist(request: Request, wid: str, user: Analyst) -> Response:
    store = _store(request)
    watchlist = get_watchlist(store, wid)
    if watchlist is not None:
        delete_watchlist(store, watchlist.id)
    return RedirectResponse("/veilles", status_code=303)


__all__ = ["resolve_entities", "router"]
