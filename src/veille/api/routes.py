"""The read-only JSON endpoints under /api: articles, stories, entities, quotes, events, timexes,
search and counts. Each is one store read turned into response models; nothing here writes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from veille.api import reads
from veille.api.models import (
    ArticleHitOut,
    ArticleOut,
    ArticleSummary,
    EntityArticle,
    EntityOut,
    EntitySummary,
    EventOut,
    MonthCount,
    Neighbour,
    Page,
    QuoteOut,
    SearchOut,
    StoryOut,
    TimexOut,
    article_out,
    entity_summary,
    event_out,
    quote_out,
    role_out,
    timex_out,
)
from veille.api.stories import get_story, list_stories
from veille.store import Store
from veille.store.quotes import SPEAKER_ENTITIES
from veille.store.search import plain_snippet, query_words, search_articles

# A date as the store keeps them, or a prefix of one: 2016, 2016-01, 2016-01-20.
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
LABELS = r"^(PER|ORG|LOC|MISC)$"
MAX_LIMIT = 200
# SQLite and PostgreSQL integers are 64-bit: a larger OFFSET raised OverflowError (a 500), and no
# store holds this many items anyway.
MAX_OFFSET = 10**9

router = APIRouter(prefix="/api")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Most items on the page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
DateFrom = Annotated[
    str | None, Query(pattern=DATE, description="From this date on (2016, 2016-01, 2016-01-20).")
]
DateTo = Annotated[str | None, Query(pattern=DATE, description="Up to this date, included.")]


def _page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    """A page from up to `limit + 1` items: the extra one only says there is a next page."""
    more = len(items) > limit
    next_offset = offset + limit if more else None
    return {"items": items[:limit], "limit": limit, "offset": offset, "next_offset": next_offset}


def _not_found(what: str, ident: str, hint: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} {ident!r} in this store; {hint}")


@router.get("/articles", response_model=Page[ArticleSummary], tags=["articles"])
def articles(
    *,
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    source: Annotated[str | None, Query(description="Source name, exactly.")] = None,
    language: Annotated[str | None, Query(pattern=r"^[a-z]{2}$", description="ISO 639-1 code.")] = None,
    status: Annotated[str | None, Query(pattern=r"^(kept|duplicate|rejected)$")] = None,
    entity: Annotated[str | None, Query(description="Only articles mentioning this entity id.")] = None,
    story: Annotated[str | None, Query(description="Only articles with this story_id.")] = None,
    rubrique: Annotated[str | None, Query(description="Only articles with this rubrique.")] = None,
    sort: Annotated[str, Query(pattern="^(" + "|".join(reads.ARTICLE_SORTS) + ")$")] = "-published",
) -> dict[str, Any]:
    """Articles (not their text: see /api/articles/{id}), newest first by default; rejected ones only
    with status=rejected."""
    wanted = reads.ArticleFilter(date_from, date_to, source, language, status, entity, story, rubrique)
    rows = reads.list_articles(store.engine, wanted, sort, limit, offset)
    return _page([ArticleSummary.model_validate(row._asdict()) for row in rows], limit, offset)


@router.get("/articles/{article_id}", response_model=ArticleOut, tags=["articles"])
def article(article_id: str, store: StoreDep) -> ArticleOut:
    """One article: clean text, dropped lines with reasons, mentions, quotes, timexes, events."""
    found = store.get_article(article_id)
    if found is None:
        raise _not_found("article", article_id, "list ids with /api/articles or search with /api/search")
    return article_out(found)


@router.get("/stories", response_model=Page[StoryOut], tags=["stories"])
def stories(
    store: StoreDep, limit: Limit = 20, offset: Offset = 0, date_from: DateFrom = None, date_to: DateTo = None
) -> dict[str, Any]:
    """Stories, latest first: their articles, time span, sources and top entities; with dates, those
    whose time span meets the range."""
    found = list_stories(store, limit + 1, offset, date_from, date_to)
    return _page([StoryOut.model_validate(s, from_attributes=True) for s in found], limit, offset)


@router.get("/stories/{story_id}", response_model=StoryOut, tags=["stories"])
def story(story_id: str, store: StoreDep) -> StoryOut:
    found = get_story(store, story_id)
    if found is None:
        raise _not_found("story", story_id, "list ids with /api/stories")
    return StoryOut.model_validate(found, from_attributes=True)


@router.get("/entities", response_model=Page[EntitySummary], tags=["entities"])
def entities(
    *,
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    q: Annotated[
        str | None, Query(description="Name or alias containing this (case, accents ignored).")
    ] = None,
    label: Annotated[str | None, Query(pattern=LABELS)] = None,
    type: Annotated[str | None, Query(description="Finer type: country, city, party …")] = None,
) -> dict[str, Any]:
    """Entities, best match first for a query, else most mentioned first."""
    # The store's search ranks in SQL and has no offset: read through the page and cut.
    found = store.find_entities(q, label, type, limit=offset + limit + 1)[offset:]
    return _page([entity_summary(e) for e in found], limit, offset)


@router.get("/entities/{entity_id}", response_model=EntityOut, tags=["entities"])
def entity(entity_id: str, store: StoreDep) -> EntityOut:
    """One entity: aliases, roles over time, articles, co-occurring entities, mentions by month."""
    found = store.get_entity(entity_id)
    if found is None:
        raise _not_found("entity", entity_id, "find ids with /api/entities?q=NAME")
    return EntityOut(
        **entity_summary(found).model_dump(),
        roles=[role_out(r) for r in found.roles],
        articles=[EntityArticle(id=i, title=t, published=p, mentions=n) for i, t, p, n in
                  store.entity_articles(entity_id)],
        cooccurring=[Neighbour(id=i, name=n, label=lb, shared_articles=k) for i, n, lb, k in
                     store.cooccurring(entity_id)],
        mentions_by_month=[MonthCount(month=m, mentions=n) for m, n in
                           reads.mentions_by_month(store.engine, entity_id)],
    )  # fmt: skip


@router.get("/quotes", response_model=Page[QuoteOut], tags=["quotes"])
def quotes(
    *,
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    speaker: Annotated[
        str | None, Query(min_length=1, description="Speaker name or alias (as `veille quotes`).")
    ] = None,
    entity: Annotated[str | None, Query(description="Speaker entity id.")] = None,
    kind: Annotated[str | None, Query(pattern=r"^(direct|partial|indirect)$")] = None,
    article: Annotated[str | None, Query(description="Only this article's quotes.")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> dict[str, Any]:
    """Quotes, newest article first, with their speakers."""
    ids: list[str] | None = None if entity is None else [entity]
    if speaker is not None:
        # As `veille quotes --speaker`: the entities named so (any alias), or the speaker as written.
        named = [e.id for e in store.find_entities(speaker, limit=SPEAKER_ENTITIES)]
        ids = named if entity is None else [i for i in named if i == entity]
    found = reads.list_quotes(
        store.engine, speaker_entity_ids=ids, speaker_name=speaker if entity is None else None,
        kind=kind, article_id=article, date_from=date_from, date_to=date_to, limit=limit, offset=offset,
    )  # fmt: skip
    return _page([quote_out(q) for q in found], limit, offset)


@router.get("/events", response_model=Page[EventOut], tags=["events"])
def events(
    *,
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    entity: Annotated[str | None, Query(description="A participant's or the place's entity id.")] = None,
    type: Annotated[str | None, Query(description="meeting, attack, statement …")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> dict[str, Any]:
    """Events by date (undated last), with participants, place and every article's evidence."""
    found = store.find_events(
        None if entity is None else [entity], type, date_from, date_to, limit=offset + limit + 1
    )[offset:]
    return _page([event_out(e) for e in found], limit, offset)


@router.get("/timexes", response_model=Page[TimexOut], tags=["timexes"])
def timexes(
    *,
    store: StoreDep,
    limit: Limit = 20,
    offset: Offset = 0,
    article: Annotated[str | None, Query(description="Only this article's time expressions.")] = None,
    type: Annotated[str | None, Query(pattern=r"^(DATE|TIME|DURATION|SET)$")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> dict[str, Any]:
    """Time expressions with their TIMEX3 values; the date range bounds the value."""
    found = reads.list_timexes(
        store.engine, article_id=article, type=type, value_from=date_from, value_to=date_to,
        limit=limit, offset=offset,
    )  # fmt: skip
    return _page([timex_out(t) for t in found], limit, offset)


@router.get("/search", response_model=SearchOut, tags=["search"])
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words, all required.")],
    limit: Limit = 20,
    offset: Offset = 0,
) -> SearchOut:
    """Full-text search of articles (accents ignored on SQLite, French stemming on PostgreSQL),
    entities by name or alias, and quotes by their words."""
    hits = search_articles(store.engine, q, limit, offset)
    return SearchOut(
        query=q,
        articles=[ArticleHitOut(article_id=h.article_id, title=h.title, published=h.published,
                                source_name=h.source_name, snippet=plain_snippet(h.snippet), rank=h.rank)
                  for h in hits],
        entities=[entity_summary(e) for e in store.find_entities(q, limit=10)] if offset == 0 else [],
        quotes=[quote_out(x) for x in reads.quotes_containing(store.engine, query_words(q))]
        if offset == 0 else [],
    )  # fmt: skip


@router.get("/stats", tags=["store"])
def stats(store: StoreDep) -> dict[str, Any]:
    """What the store holds: articles by status, reason and language; mentions; entities; quotes;
    events."""
    return store.counts()
