"""Reads the API needs and `Store` does not offer: filtered, sorted, paged lists.

SQLAlchemy Core against `veille.store.schema`, portable between SQLite and PostgreSQL. Dates are
ISO text as the sources gave them, so a range compares strings: `date_to` "2016-01" takes every
date-time of January 2016 (the bound is padded past any suffix, as `Store.find_events` does).
Each function reads one page more than asked, so callers can tell whether a next page exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, func, or_, select

from veille.model import REJECTED, Quote, Timex
from veille.store import schema
from veille.store.quotes import quote_from_row
from veille.store.rubriques import has_rubrique
from veille.store.search import search_quotes

# Sort keys a client may ask for; "-" means descending. Undated articles always come last.
ARTICLE_SORTS = ("-published", "published", "title", "-title", "id")
_PAST_ANY_SUFFIX = "\uffff"


@dataclass(slots=True)
class ArticleFilter:
    date_from: str | None = None
    date_to: str | None = None
    source: str | None = None
    language: str | None = None
    status: str | None = None
    entity_id: str | None = None
    story_id: str | None = None
    rubrique: str | None = None


def _date_range(column: Any, date_from: str | None, date_to: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if date_from is not None:
        conditions.append(column >= date_from)
    if date_to is not None:
        conditions.append(column <= date_to + _PAST_ANY_SUFFIX)
    return conditions


def _article_conditions(wanted: ArticleFilter) -> list[ColumnElement[bool]]:
    a, m = schema.articles, schema.mentions
    conditions = _date_range(a.c.published, wanted.date_from, wanted.date_to)
    if wanted.source is not None:
        conditions.append(a.c.source_name == wanted.source)
    if wanted.language is not None:
        conditions.append(a.c.language == wanted.language)
    conditions.append(a.c.status == wanted.status if wanted.status is not None else a.c.status != REJECTED)
    if wanted.entity_id is not None:
        conditions.append(a.c.id.in_(select(m.c.article_id).where(m.c.entity_id == wanted.entity_id)))
    if wanted.story_id is not None:
        conditions.append(a.c.story_id == wanted.story_id)
    if wanted.rubrique is not None:
        conditions.append(has_rubrique(a.c.id, wanted.rubrique))
    return conditions


def list_articles(
    engine: Engine, wanted: ArticleFilter, sort: str = "-published", limit: int = 20, offset: int = 0
) -> list[Any]:
    """Article rows (every column but the text) matching the filter; rejected ones only when
    `status` asks for them. Up to `limit + 1` rows."""
    a = schema.articles
    columns = [c for c in a.c if c.name not in ("text", "fingerprint")]
    descending = sort.startswith("-")
    column = {"published": a.c.published, "title": a.c.title, "id": a.c.id}[sort.lstrip("-")]
    order: list[Any] = [column.is_(None), column.desc() if descending else column.asc(), a.c.id]
    query = select(*columns).where(*_article_conditions(wanted)).order_by(*order)
    return _page(engine, query, limit, offset)


def list_quotes(
    engine: Engine,
    *,
    speaker_entity_ids: Sequence[str] | None = None,
    speaker_name: str | None = None,
    kind: str | None = None,
    article_id: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Quote]:
    """Quotes, newest article first (undated last), then by article and place in it.

    With `speaker_name`, a quote is kept when its speaker is one of `speaker_entity_ids` or its
    speaker's name or text contains `speaker_name` (case-insensitive), as `Store.find_quotes`
    matches; without it, `speaker_entity_ids` alone filters."""
    q, a = schema.quotes, schema.articles
    query = select(q).join(a, a.c.id == q.c.article_id).where(*_date_range(a.c.published, date_from, date_to))
    by_entity = None if speaker_entity_ids is None else q.c.speaker_entity_id.in_(list(speaker_entity_ids))
    if speaker_name is not None:
        needle = speaker_name.strip().lower()
        named = [
            func.lower(q.c.speaker_name).contains(needle, autoescape=True),
            func.lower(q.c.speaker_text).contains(needle, autoescape=True),
        ]
        query = query.where(or_(*named, *([] if by_entity is None else [by_entity])))
    elif by_entity is not None:
        query = query.where(by_entity)
    if kind is not None:
        query = query.where(q.c.kind == kind)
    if article_id is not None:
        query = query.where(q.c.article_id == article_id)
    query = query.order_by(a.c.published.is_(None), a.c.published.desc(), q.c.article_id, q.c.start, q.c.id)
    return [quote_from_row(row) for row in _page(engine, query, limit, offset)]


def quotes_containing(engine: Engine, words: Sequence[str], limit: int = 10) -> list[Quote]:
    """Quotes whose text holds every one of `words` (case and accents ignored), newest article
    first, through the quotes' full-text index (`veille.store.search.search_quotes`)."""
    return [quote_from_row(row) for row in search_quotes(engine, words, limit)]


def list_timexes(
    engine: Engine,
    *,
    article_id: str | None = None,
    type: str | None = None,
    value_from: str | None = None,
    value_to: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Timex]:
    """Time expressions by article then place in it; `value_from`/`value_to` bound their TIMEX3 value."""
    t = schema.timexes
    query = select(t).where(*_date_range(t.c.value, value_from, value_to))
    if article_id is not None:
        query = query.where(t.c.article_id == article_id)
    if type is not None:
        query = query.where(t.c.type == type)
    query = query.order_by(t.c.article_id, t.c.start, t.c.end)
    rows = _page(engine, query, limit, offset)
    return [Timex(r.article_id, r.start, r.end, r.text, r.type, r.value, r.mod) for r in rows]


def mentions_by_month(engine: Engine, entity_id: str) -> list[tuple[str, int]]:
    """(YYYY-MM, mentions of the entity in articles published that month), by month; undated
    articles are left out."""
    m, a = schema.mentions, schema.articles
    month = func.substr(a.c.published, 1, 7)
    query = (
        select(month.label("month"), func.count())
        .join(a, a.c.id == m.c.article_id)
        .where(m.c.entity_id == entity_id, a.c.published.is_not(None), a.c.status != REJECTED)
        .group_by(month)
        .order_by(month)
    )
    with engine.connect() as conn:
        return [(str(row[0]), int(row[1])) for row in conn.execute(query) if len(str(row[0])) == 7]


def mentions_by_day(engine: Engine, entity_id: str) -> list[tuple[str, int]]:
    """(YYYY-MM-DD, mentions of the entity in articles published that day), by day; articles with
    no full date are left out."""
    m, a = schema.mentions, schema.articles
    day = func.substr(a.c.published, 1, 10)
    query = (
        select(day.label("day"), func.count())
        .join(a, a.c.id == m.c.article_id)
        .where(m.c.entity_id == entity_id, a.c.published.is_not(None), a.c.status != REJECTED)
        .group_by(day)
        .order_by(day)
    )
    with engine.connect() as conn:
        rows = [(str(row[0]), int(row[1])) for row in conn.execute(query)]
    return [(d, n) for d, n in rows if _is_day(d)]


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def entity_names(engine: Engine, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(name, label) of the given entity ids that exist."""
    e = schema.entities
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    with engine.connect() as conn:
        query = select(e.c.id, e.c.name, e.c.label).where(e.c.id.in_(wanted))
        return {row.id: (row.name, row.label) for row in conn.execute(query)}


def _page(engine: Engine, query: Select[Any], limit: int, offset: int) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(query.limit(limit + 1).offset(offset)))
