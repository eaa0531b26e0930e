"""The web pages: stories, a story, an entity, an article, a search. Server-rendered, French.

Each route reads the store, shapes what the template shows (helpers in `render.py`) and renders
one Jinja2 template. Autoescaping is on for every template, so text from articles (titles, bodies,
quotes, dropped lines) always reaches the page as text, never as markup.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from veille.accounts.deps import csrf_field, current_user
from veille.api import reads
from veille.api.stories import get_story, list_stories
from veille.model import Article, Event
from veille.store import Store
from veille.store.search import MARK_END, MARK_START, query_words, search_articles
from veille.web.render import french_date, highlight, month_label, timeline_bars

HERE = Path(__file__).parent
STORIES_PER_PAGE = 30
# Past this page the offset no longer fits a 64-bit SQL integer (it raised OverflowError, a 500);
# such a page is empty anyway, so any larger page number reads as this one.
MAX_PAGE = 10**9 // STORIES_PER_PAGE
# A story page loads its articles whole; a story larger than this shows its first ones only.
STORY_ARTICLES = 50
MODALITIES = {"planned": "prévu", "happened": "a eu lieu", "negated": "démenti", "claimed": "affirmé"}
KINDS = {"direct": "directe", "partial": "partielle", "indirect": "indirecte"}

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.autoescape = True  # for every template, whatever its file name ends with
router = APIRouter(include_in_schema=False)


def marked(snippet: str) -> Markup:
    """A search snippet escaped, its match marks turned into <mark>."""
    safe = str(escape(snippet))
    return Markup(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


templates.env.filters["date_fr"] = french_date
templates.env.filters["marked"] = marked
templates.env.filters["month_fr"] = month_label
templates.env.globals["modalities"] = MODALITIES
templates.env.globals["kinds"] = KINDS
# The accounts' helpers, for every page: the header's user menu and the forms' CSRF field.
templates.env.globals["csrf_field"] = csrf_field
templates.env.globals["current_user"] = current_user


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _missing(request: Request, what: str, ident: str) -> HTMLResponse:
    context = {"what": what, "ident": ident}
    return templates.TemplateResponse(request, "missing.html", context, status_code=404)


def _names(store: Store, ids: list[str]) -> dict[str, tuple[str, str]]:
    return reads.entity_names(store.engine, ids)


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, page: int = 1) -> HTMLResponse:
    store = _store(request)
    page = min(max(page, 1), MAX_PAGE)
    found = list_stories(store, STORIES_PER_PAGE + 1, (page - 1) * STORIES_PER_PAGE)
    more = len(found) > STORIES_PER_PAGE
    found = found[:STORIES_PER_PAGE]
    names = _names(store, [i for s in found for i in s.entity_ids])
    return templates.TemplateResponse(
        request, "stories.html", {"stories": found, "names": names, "page": page, "more": more}
    )


def _timeline(articles: list[Article]) -> list[tuple[Event, Article]]:
    """Each event once (with the first article telling it), by date, undated last."""
    seen: dict[str, tuple[Event, Article]] = {}
    for article in articles:
        for event in article.events:
            seen.setdefault(event.id, (event, article))
    return sorted(seen.values(), key=lambda pair: (pair[0].date is None, pair[0].date or "", pair[0].id))


@router.get("/histoire/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    store = _store(request)
    story = get_story(store, story_id)
    if story is None:
        return _missing(request, "histoire", story_id)
    loaded = (store.get_article(i) for i in story.article_ids[:STORY_ARTICLES])
    articles = [a for a in loaded if a is not None]
    mentioned: Counter[str] = Counter(m.entity_id for a in articles for m in a.mentions if m.entity_id)
    names = _names(store, list(mentioned))
    context: dict[str, Any] = {
        "story": story,
        "articles": articles,
        "events": _timeline(articles),
        "quotes": [(q, a) for a in articles for q in a.quotes],
        "entities": [(i, n) for i, n in mentioned.most_common() if i in names],
        "names": names,
    }
    return templates.TemplateResponse(request, "story.html", context)


@router.get("/entite/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, entity_id: str) -> HTMLResponse:
    store = _store(request)
    entity = store.get_entity(entity_id)
    if entity is None:
        return _missing(request, "entité", entity_id)
    said = reads.list_quotes(store.engine, speaker_entity_ids=[entity_id], limit=50)[:50]
    headers = store.article_headers({q.article_id for q in said} | {r.article_id for r in entity.roles})
    counts = reads.mentions_by_day(store.engine, entity_id)
    context: dict[str, Any] = {
        "entity": entity,
        "quotes": said,
        "headers": headers,
        "articles": store.entity_articles(entity_id),
        "neighbours": store.cooccurring(entity_id, limit=15),
        "bars": timeline_bars(counts),
        "events": store.find_events([entity_id], limit=50),
    }
    return templates.TemplateResponse(request, "entity.html", context)


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    store = _store(request)
    article = store.get_article(article_id)
    if article is None:
        return _missing(request, "article", article_id)
    names = _names(store, [m.entity_id for m in article.mentions if m.entity_id])
    # Each entity once, with the anchors of its mentions in the text.
    by_entity: dict[str, list[str]] = {}
    for i, m in enumerate(article.mentions):
        by_entity.setdefault(m.entity_id or f"?{m.text}", []).append(f"m-{i}")
    context: dict[str, Any] = {
        "article": article,
        "pieces": highlight(article),
        "names": names,
        "by_entity": by_entity,
        "first_copy": store.article_headers([article.duplicate_of]) if article.duplicate_of else {},
    }
    return templates.TemplateResponse(request, "article.html", context)


@router.get("/recherche", response_class=HTMLResponse)
def search_page(request: Request, q: str = "") -> HTMLResponse:
    store = _store(request)
    query = q.strip()[:500]
    context: dict[str, Any] = {"q": query, "articles": [], "entities": [], "quotes": [], "headers": {}}
    if query:
        quotes = reads.quotes_containing(store.engine, query_words(query), limit=20)
        context.update(
            articles=search_articles(store.engine, query, limit=30),
            entities=store.find_entities(query, limit=20),
            quotes=quotes,
            headers=store.article_headers(q.article_id for q in quotes),
        )
    return templates.TemplateResponse(request, "search.html", context)
