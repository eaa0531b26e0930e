"""Rubriques in the store: the classifier's ("auto") and users' ("override") rows of
`article_rubriques`, and the reads the API and pages make of them.

An article's effective rubriques are its override rows when it has any, else its auto rows.
`Store.upsert` replaces the auto rows of its batch (`write_rubriques`) and never touches overrides,
so a user's choice survives re-ingesting; `set_rubriques_override` sets or clears one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, delete, desc, exists, func, insert, or_, select

from veille.model import KEPT, Article
from veille.store import schema
from veille.store.graph import chunks
from veille.store.schema_workspace import article_rubriques

if TYPE_CHECKING:
    from veille.store.store import Store

AUTO = "auto"
OVERRIDE = "override"


@dataclass(slots=True)
class RubriqueArticle:
    """One article listed under a rubrique."""

    id: str
    title: str | None
    published: str | None
    source_name: str | None
    url: str | None
    rank: int  # 0: the article's primary rubrique
    score: float


def _effective() -> Any:
    """The rows that count: overrides, and auto rows of articles that have no override."""
    r = article_rubriques
    o = article_rubriques.alias("o")
    has_override = exists().where(o.c.article_id == r.c.article_id, o.c.source == OVERRIDE)
    return or_(r.c.source == OVERRIDE, and_(r.c.source == AUTO, ~has_override))


def has_rubrique(article_id: Any, rubrique: str) -> Any:
    """A condition for queries over articles: the article (its id column) has `rubrique` among its
    effective rubriques (for the API's `?rubrique=` filter)."""
    r = article_rubriques
    return exists().where(r.c.article_id == article_id, r.c.rubrique == rubrique, _effective())


def write_rubriques(conn: Connection, articles: Sequence[Article], ids: Sequence[str]) -> None:
    """Replace the auto rubriques of every article of the batch (`ids`: all of them, so that an
    article that lost its rubriques loses their rows); override rows are left as they are."""
    r = article_rubriques
    for chunk in chunks(list(ids)):
        conn.execute(delete(r).where(r.c.article_id.in_(chunk), r.c.source == AUTO))
    rows = [
        {
            "article_id": article.id,
            "source": AUTO,
            "rubrique": name,
            "rank": rank,
            "score": score,
            "user_id": None,
            "set_at": None,
        }
        for article in articles
        for rank, (name, score) in enumerate(_pairs(article))
    ]
    if rows:
        conn.execute(insert(r), rows)


def _pairs(article: Article) -> list[tuple[str, float]]:
    """(rubrique, score) of an article, from its scores when the stage left them, else its names."""
    if article.rubrique_scores:
        return [(name, float(score)) for name, score in article.rubrique_scores]
    return [(name, 1.0) for name in dict.fromkeys(article.rubriques)]


def rubriques_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[tuple[str, float]]]:
    """The effective (rubrique, score) pairs of some articles, primary first."""
    r = article_rubriques
    found: dict[str, list[tuple[str, float]]] = {}
    for chunk in chunks(list(ids)):
        query = (
            select(r.c.article_id, r.c.rubrique, r.c.score)
            .where(r.c.article_id.in_(chunk), _effective())
            .order_by(r.c.article_id, r.c.rank, r.c.rubrique)
        )
        for row in conn.execute(query):
            found.setdefault(row.article_id, []).append((row.rubrique, float(row.score)))
    return found


def set_rubriques_override(
    store: Store, article_id: str, rubriques: Sequence[str], user_id: str | None = None
) -> None:
    """Set a user's rubriques for an article, primary first, kept across re-ingests; an empty
    list removes the override (the classifier's rubriques show again)."""
    from veille.rubriques.taxonomy import check_names

    names = check_names(list(rubriques))
    r, a = article_rubriques, schema.articles
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store._write() as conn:
        if conn.execute(select(a.c.id).where(a.c.id == article_id)).first() is None:
            raise KeyError(f"no article {article_id!r} in the store; check the id (veille export lists them)")
        conn.execute(delete(r).where(r.c.article_id == article_id, r.c.source == OVERRIDE))
        if names:
            conn.execute(
                insert(r),
                [
                    {
                        "article_id": article_id,
                        "source": OVERRIDE,
                        "rubrique": name,
                        "rank": rank,
                        "score": 1.0,
                        "user_id": user_id,
                        "set_at": now,
                    }
                    for rank, name in enumerate(names)
                ],
            )


def rubrique_counts(store: Store) -> dict[str, int]:
    """Kept articles (copies left out) per effective rubrique, most articles first."""
    r, a = article_rubriques, schema.articles
    n = func.count(func.distinct(r.c.article_id))
    query = (
        select(r.c.rubrique, n.label("n"))
        .join(a, a.c.id == r.c.article_id)
        .where(a.c.status == KEPT, _effective())
        .group_by(r.c.rubrique)
        .order_by(desc("n"), r.c.rubrique)
    )
    with store.engine.connect() as conn:
        return {row.rubrique: int(row.n) for row in conn.execute(query)}


def articles_by_rubrique(
    store: Store, rubrique: str, limit: int = 50, offset: int = 0
) -> list[RubriqueArticle]:
    """Kept articles whose effective rubriques include `rubrique`, newest first (undated last)."""
    if limit < 0 or offset < 0:
        raise ValueError(f"limit and offset must be ≥ 0, got limit={limit}, offset={offset}")
    r, a = article_rubriques, schema.articles
    query = (
        select(a.c.id, a.c.title, a.c.published, a.c.source_name, a.c.url, r.c.rank, r.c.score)
        .join(a, a.c.id == r.c.article_id)
        .where(r.c.rubrique == rubrique, a.c.status == KEPT, _effective())
        .order_by(a.c.published.is_(None), desc(a.c.published), a.c.id)
        .limit(limit)
        .offset(offset)
    )
    with store.engine.connect() as conn:
        return [
            RubriqueArticle(
                row.id, row.title, row.published, row.source_name, row.url, int(row.rank), float(row.score)
            )
            for row in conn.execute(query)
        ]


def inherited_rubriques(
    store: Store, groups: Mapping[str, Sequence[str]]
) -> dict[str, list[tuple[str, int]]]:
    """The rubriques each group of articles inherits (a story from its articles), in one read:
    group key → (rubrique, number of its articles that have it), most frequent first, ties by how
    many have it as their primary one, then by name. A group without rubriques is left out."""
    ids = list(dict.fromkeys(i for members in groups.values() for i in members))
    with store.engine.connect() as conn:
        found = rubriques_for(conn, ids)
    out: dict[str, list[tuple[str, int]]] = {}
    for key, members in groups.items():
        counts: Counter[str] = Counter()
        primary: Counter[str] = Counter()
        for pairs in (found.get(i, []) for i in dict.fromkeys(members)):
            counts.update(name for name, _ in pairs)
            if pairs:
                primary[pairs[0][0]] += 1
        if counts:
            out[key] = sorted(counts.items(), key=lambda item: (-item[1], -primary[item[0]], item[0]))
    return out


def story_rubriques(store: Store, story_id: str) -> list[tuple[str, int]]:
    """A story's rubriques, inherited from its articles (see `inherited_rubriques`). An unknown
    story has none."""
    story = store.get_story(story_id)
    if story is None:
        return []
    return inherited_rubriques(store, {story.id: story.article_ids}).get(story.id, [])


@dataclass(slots=True)
class ArticleRubriques:
    """An article's rubriques as the pages and the API show them, primary first."""

    rubriques: list[str]  # the effective ones: the override when there is one, else the classifier's
    auto: list[tuple[str, float]]  # the classifier's, with their scores (kept under an override)
    override: list[str]  # a user's choice, [] when none
    override_by: str | None  # who set it (a user id; None from the CLI)
    override_at: str | None  # when (ISO 8601, UTC)


def article_rubriques_detail(store: Store, article_id: str) -> ArticleRubriques:
    """Both sides of an article's rubriques: the classifier's and a user's override, if any."""
    r = article_rubriques
    query = select(r).where(r.c.article_id == article_id).order_by(r.c.source, r.c.rank, r.c.rubrique)
    with store.engine.connect() as conn:
        rows = list(conn.execute(query))
    auto = [(row.rubrique, float(row.score)) for row in rows if row.source == AUTO]
    chosen = [row for row in rows if row.source == OVERRIDE]
    override = [row.rubrique for row in chosen]
    return ArticleRubriques(
        rubriques=override or [name for name, _ in auto],
        auto=auto,
        override=override,
        override_by=chosen[0].user_id if chosen else None,
        override_at=chosen[0].set_at if chosen else None,
    )
