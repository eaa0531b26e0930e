"""Reading entities back: one entity whole, a search, a stream for export, and what surrounds one.

An entity read from the store is assembled from three places: its row (name, label, type, kb id),
its aliases (the distinct texts of its mentions across the store, plus the alias texts stored with
it, most frequent first) and its roles (every article's, by date then article). `mention_count`
counts its mentions. Everything is read page by page or chunk by chunk, never row by row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, case, func, or_, select

from veille.entities.names import name_key
from veille.model import Entity, Role
from veille.store import schema
from veille.store.graph import chunks
from veille.store.search import alias_key_contains


def _aliases(conn: Connection, ids: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Aliases by frequency (then text), and mention counts, of some entities."""
    m, a = schema.mentions, schema.entity_aliases
    texts: dict[str, Counter[str]] = {i: Counter() for i in ids}
    for chunk in chunks(ids):
        query = select(m.c.entity_id, m.c.text, func.count()).where(m.c.entity_id.in_(chunk))
        for entity, text, n in conn.execute(query.group_by(m.c.entity_id, m.c.text)):
            texts[entity][text] += int(n)
        for entity, text in conn.execute(select(a.c.entity_id, a.c.text).where(a.c.entity_id.in_(chunk))):
            texts[entity][text] += 0  # known, never mentioned under this exact text: listed last
    counts = {i: sum(c.values()) for i, c in texts.items()}
    ordered = {i: [t for t, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))] for i, c in texts.items()}
    return ordered, counts


def _roles(conn: Connection, ids: Sequence[str]) -> dict[str, list[Role]]:
    r = schema.roles
    found: dict[str, list[Role]] = {}
    for chunk in chunks(ids):
        for row in conn.execute(select(r).where(r.c.entity_id.in_(chunk))):
            found.setdefault(row.entity_id, []).append(
                Role(title=row.title, organisation=row.organisation, country=row.country,
                     country_entity_id=row.country_entity_id, article_id=row.article_id,
                     date=row.date, start=row.start, end=row.end)
            )  # fmt: skip
    for roles in found.values():
        # Undated roles after dated ones; then by article and place in it.
        roles.sort(key=lambda role: (role.date is None, role.date or "", role.article_id, role.start))
    return found


def load_entities(conn: Connection, rows: Sequence[Any], *, with_roles: bool = True) -> list[Entity]:
    ids = [row.id for row in rows]
    aliases, counts = _aliases(conn, ids)
    roles = _roles(conn, ids) if with_roles else {}
    return [
        Entity(id=row.id, name=row.name, label=row.label, type=row.type, kb_id=row.kb_id,
               aliases=aliases.get(row.id, []), mention_count=counts.get(row.id, 0),
               roles=roles.get(row.id, []))
        for row in rows
    ]  # fmt: skip


def _query_keys(query: str) -> list[str]:
    # People's keys keep a leading article ("le pen"), other keys drop it: search under both.
    return [k for k in dict.fromkeys((name_key(query), name_key(query, person=True))) if k]


class EntityReadsMixin:
    """The reading side of entities on `Store`."""

    _engine: Engine

    def get_entity(self, entity_id: str) -> Entity | None:
        """One entity with its aliases, mention count and roles; None when the id is unknown."""
        e = schema.entities
        with self._engine.connect() as conn:
            rows = conn.execute(select(e).where(e.c.id == entity_id)).all()
            found = load_entities(conn, rows)
        return found[0] if found else None

    def find_entities(
        self, query: str | None = None, label: str | None = None, type: str | None = None, limit: int = 50
    ) -> list[Entity]:
        """Entities whose name or an alias contains `query` once both are keys (`name_key`: case,
        accents and punctuation do not count), filtered by label and type.

        Ordered by how well they match (an alias key equal to the query's, then one starting with
        it, then one containing it), then by mention count, then by name and id. No query lists
        every entity, most mentioned first. Roles are not loaded (see `get_entity`).
        """
        e, a, m = schema.entities, schema.entity_aliases, schema.mentions
        # Mentions counted for the entities kept only (an index lookup each), not over every mention
        # of the store on each search: that was 90 % of a search's time with 244k mentions.
        n = select(func.count()).where(m.c.entity_id == e.c.id).scalar_subquery()
        stmt = select(e, n.label("n"))
        order: list[Any] = []
        if query is not None:
            keys = _query_keys(query)
            if not keys:
                return []
            rank = case(
                *[(a.c.key == k, 0) for k in keys],
                *[(a.c.key.startswith(k, autoescape=True), 1) for k in keys],
                else_=2,
            )
            ranked = (
                select(a.c.entity_id, func.min(rank).label("rank"))
                .where(or_(*[alias_key_contains(self._engine.dialect.name, k) for k in keys]))
                .group_by(a.c.entity_id)
                .subquery()
            )
            stmt = stmt.join(ranked, ranked.c.entity_id == e.c.id)
            order.append(ranked.c.rank)
        if label is not None:
            stmt = stmt.where(e.c.label == label)
        if type is not None:
            stmt = stmt.where(e.c.type == type)
        stmt = stmt.order_by(*order, n.desc(), e.c.name, e.c.id).limit(limit)
        with self._engine.connect() as conn:
            return load_entities(conn, conn.execute(stmt).all(), with_roles=False)

    def iter_entities(self, batch_size: int = 500) -> Iterator[Entity]:
        """Every entity by id, whole (aliases, mention count, roles), paged like `iter_articles`."""
        e = schema.entities
        last: str | None = None
        while True:
            query = select(e).order_by(e.c.id).limit(batch_size)
            if last is not None:
                query = query.where(e.c.id > last)
            with self._engine.connect() as conn:
                batch = load_entities(conn, conn.execute(query).all())
            if not batch:
                return
            yield from batch
            last = batch[-1].id

    def entity_articles(self, entity_id: str) -> list[tuple[str, str | None, str | None, int]]:
        """(article id, title, published, mentions of the entity in it), by date (undated last)."""
        m, a = schema.mentions, schema.articles
        query = (
            select(a.c.id, a.c.title, a.c.published, func.count())
            .join(m, m.c.article_id == a.c.id)
            .where(m.c.entity_id == entity_id)
            .group_by(a.c.id, a.c.title, a.c.published)
            .order_by(a.c.published.is_(None), a.c.published, a.c.id)
        )
        with self._engine.connect() as conn:
            return [(row[0], row[1], row[2], int(row[3])) for row in conn.execute(query)]

    def cooccurring(self, entity_id: str, limit: int = 10) -> list[tuple[str, str, str, int]]:
        """(entity id, name, label, articles shared) of the entities most often in the same
        articles as this one, most shared first, then by id."""
        m, e = schema.mentions, schema.entities
        # Both steps read indexes alone (migration 11): the entity's articles from the index by
        # entity then article, every entity of those articles from the one by article then entity.
        # Names are joined after the counting, to the counted entities only, not to every mention.
        its_articles = select(m.c.article_id).where(m.c.entity_id == entity_id).distinct()
        shared = func.count(m.c.article_id.distinct()).label("shared")
        counted = (
            select(m.c.entity_id, shared)
            .where(m.c.article_id.in_(its_articles), m.c.entity_id.is_not(None), m.c.entity_id != entity_id)
            .group_by(m.c.entity_id)
            .subquery()
        )
        query = (
            select(e.c.id, e.c.name, e.c.label, counted.c.shared)
            .join(counted, counted.c.entity_id == e.c.id)
            .order_by(counted.c.shared.desc(), e.c.id)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            return [(row[0], row[1], row[2], int(row[3])) for row in conn.execute(query)]
