"""Quotes in the store: written with their article, read back with it, searched by speaker.

An article's quotes belong to it: `Store.upsert` deletes them by article id and inserts the batch's
anew, inside the batch's one transaction, so a rerun whose extractor changed leaves no stale quote.
Searching by speaker goes through the entities first: "Carter" finds the entity "Ashton Carter"
through its aliases, and so every quote attributed to that entity, whatever the article called him
("le secrétaire américain à la Défense", "il"). A speaker with no entity (an anonymous or
collective source, an unresolved name) is found by the text of its name as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, func, insert, or_, select

from veille.model import Article, Entity, Quote
from veille.store import schema
from veille.store.graph import chunks
from veille.store.paging import pages

# Quote fields that are columns of `quotes`, in table order.
QUOTE_COLUMNS: tuple[str, ...] = (
    "id", "article_id", "start", "end", "text", "kind", "speaker_text", "speaker_start",
    "speaker_end", "speaker_entity_id", "speaker_name", "speaker_kind", "cue", "cue_start", "cue_end",
)  # fmt: skip
# How many entities a speaker search may expand to: a one-letter query should not list them all.
SPEAKER_ENTITIES = 50


def quote_rows(articles: Iterable[Article]) -> list[dict[str, object]]:
    """One row per distinct quote id of the batch, the first kept (the id is the article and the
    span: the same span twice says nothing more), and always under its article's id."""
    rows: dict[str, dict[str, object]] = {}
    for article in articles:
        for quote in article.quotes:
            if quote.id in rows:
                continue
            row: dict[str, object] = {name: getattr(quote, name) for name in QUOTE_COLUMNS}
            row["article_id"] = article.id
            rows[quote.id] = row
    return list(rows.values())


def write_quotes(conn: Connection, articles: Sequence[Article], ids: Sequence[str]) -> None:
    """Replace the quotes of every article of the batch (`ids`: all of them, so that an article
    that lost its quotes loses their rows)."""
    q = schema.quotes
    for chunk in chunks(list(ids)):
        conn.execute(delete(q).where(q.c.article_id.in_(chunk)))
    rows = quote_rows(articles)
    if rows:
        # Ids are global: a quote id stored under another article (it cannot be, short of a hash
        # collision) would fail the batch rather than move silently.
        conn.execute(insert(q), rows)


def quote_from_row(row: Any) -> Quote:
    return Quote(**{name: getattr(row, name) for name in QUOTE_COLUMNS})


def quotes_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[Quote]]:
    """The quotes of some articles, each article's by start (then end, id)."""
    q = schema.quotes
    found: dict[str, list[Quote]] = {}
    for chunk in chunks(list(ids)):
        query = (
            select(q).where(q.c.article_id.in_(chunk)).order_by(q.c.article_id, q.c.start, q.c.end, q.c.id)
        )
        for row in conn.execute(query):
            found.setdefault(row.article_id, []).append(quote_from_row(row))
    return found


def quote_counts(conn: Connection) -> dict[str, Any]:
    """`quotes` (total) and `quotes_by_kind`, for `Store.counts`."""
    q = schema.quotes
    query = select(q.c.kind, func.count()).group_by(q.c.kind).order_by(q.c.kind)
    by_kind = {str(kind): int(n) for kind, n in conn.execute(query)}
    return {"quotes": sum(by_kind.values()), "quotes_by_kind": by_kind}


class QuotesMixin:
    """The quote reads of `Store` (writing is part of `Store.upsert`)."""

    _engine: Engine

    if TYPE_CHECKING:  # provided by EntityReadsMixin, beside this mixin on Store

        def find_entities(
            self, query: str | None = None, label: str | None = None, type: str | None = None, limit: int = 50
        ) -> list[Entity]: ...

    def iter_quotes(self, batch_size: int = 5000) -> Iterator[Quote]:
        """Every quote, by article id then start (then end, id), paged so memory stays at one page."""
        q = schema.quotes
        for row in pages(self._engine, select(q), (q.c.article_id, q.c.start, q.c.end, q.c.id), batch_size):
            yield quote_from_row(row)

    def find_quotes(
        self, speaker: str | None = None, kind: str | None = None, limit: int = 50
    ) -> list[Quote]:
        """Quotes, newest article first (undated last), then by article id and place in the text.

        `speaker` matches a quote whose speaker entity has this name or an alias containing it
        (`find_entities`: case, accents and punctuation do not count), or whose `speaker_name` or
        `speaker_text` contains it, case-insensitively. `kind` keeps one kind (direct, partial,
        indirect). No speaker lists every quote.
        """
        q, a = schema.quotes, schema.articles
        stmt = select(q).join(a, a.c.id == q.c.article_id)
        if speaker is not None:
            wanted = speaker.strip()
            if not wanted:
                return []
            entity_ids = [e.id for e in self.find_entities(wanted, limit=SPEAKER_ENTITIES)]
            needle = wanted.lower()
            conditions: list[Any] = [
                func.lower(q.c.speaker_name).contains(needle, autoescape=True),
                func.lower(q.c.speaker_text).contains(needle, autoescape=True),
            ]
            if entity_ids:
                conditions.append(q.c.speaker_entity_id.in_(entity_ids))
            stmt = stmt.where(or_(*conditions))
        if kind is not None:
            stmt = stmt.where(q.c.kind == kind)
        stmt = stmt.order_by(a.c.published.is_(None), a.c.published.desc(), q.c.article_id, q.c.start, q.c.id)
        with self._engine.connect() as conn:
            return [quote_from_row(row) for row in conn.execute(stmt.limit(limit))]

    def article_headers(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """(title, published) of the given article ids that exist."""
        a = schema.articles
        found: dict[str, tuple[str | None, str | None]] = {}
        with self._engine.connect() as conn:
            for chunk in chunks(list(dict.fromkeys(ids))):
                query = select(a.c.id, a.c.title, a.c.published).where(a.c.id.in_(chunk))
                found.update({row.id: (row.title, row.published) for row in conn.execute(query)})
        return found
