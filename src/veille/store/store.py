"""The embedded store: SQLite by default, PostgreSQL through the same code.

Everything goes through SQLAlchemy Core. The only dialect-specific pieces are `_dialect_insert`
(upsert syntax) here, connecting (`connect.py`: URL mapping, SQLite pragmas), and BLOB vs BYTEA and
the collation of text columns (`schema.py`). The rest must
stay portable SQL: a test exports the same articles from both backends and compares the bytes.

Writes come in batches, one transaction each: a batch is stored whole or not at all, and a crash
never leaves an article with half of its mentions. Ids come from where a record came from, so
storing a batch again replaces rows instead of adding copies (sqlite-utils' `upsert_all` habit).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, Table, delete, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from veille.model import DUPLICATE, KEPT, REJECTED, Article, DroppedLine, Mention, StageFailure
from veille.store import graph, schema
from veille.store.connect import WRITE, open_engine
from veille.store.copies import copy_order_key
from veille.store.entities import EntityIndexMixin, save_kb_rows, write_entities
from veille.store.entity_reads import EntityReadsMixin
from veille.store.events import (
    EventsMixin,
    event_counts,
    events_for,
    timexes_for,
    write_events,
    write_timexes,
)
from veille.store.graph import CHUNK, chunks
from veille.store.paging import pages
from veille.store.quotes import QuotesMixin, quote_counts, quotes_for, write_quotes
from veille.store.rubriques import rubriques_for, write_rubriques
from veille.store.stories import StoriesMixin, story_counts

__all__ = ["CHUNK", "Store"]

log = logging.getLogger(__name__)
# Key of the PostgreSQL advisory lock that serialises writers (any constant; "veille" in ASCII).
_PG_WRITE_LOCK = 0x76_65_69_6C_6C_65
# Article fields that are columns of `articles` (the rest are child tables or transient).
_ARTICLE_COLUMNS = (
    "id", "source_file", "source_id", "url", "source_name", "title", "text", "language",
    "published", "author", "partial", "content_hash", "status", "reason", "reason_detail",
    "duplicate_of", "story_id",
)  # fmt: skip
_chunks = chunks


class Store(EntityIndexMixin, EntityReadsMixin, QuotesMixin, EventsMixin, StoriesMixin):
    """Articles, their dropped lines and mentions, entities and roles, in a SQL database.

    Open with `Store.open`. The entity methods (`entity_for_alias`, `get_entity`, `find_entities`
    …) live in `store/entities.py` and `store/entity_reads.py`; the quote reads (`iter_quotes`,
    `find_quotes`) in `store/quotes.py`.
    """

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**{WRITE: True})
        self.where = where
        # What writes skipped or left alone, for the engine's summary: near-copy edges to ids that
        # are neither stored nor in the batch, copy components too large to resolve.
        self.counters: dict[str, int] = {}
        self._clear_entity_cache()
        self._clear_event_cache()

    def _count(self, key: str, n: int) -> None:
        if n:
            self.counters[key] = self.counters.get(key, 0) + n

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, url_or_path: str) -> Store:
        """Open (creating and migrating as needed) the store at a path or a database URL.

        A plain path or a `sqlite:///` URL is a SQLite file; a `postgresql://` URL a shared server.
        """
        engine, where = open_engine(url_or_path)
        return cls(engine, where)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._writer.begin() as conn:
            if conn.dialect.name == "postgresql":
                # One writer at a time, as SQLite's BEGIN IMMEDIATE gives: copy resolution reads a
                # component and then rewrites it, and two batches joining one component at once
                # would each see half of it. Released at commit; writes are short next to NLP.
                conn.execute(select(func.pg_advisory_xact_lock(_PG_WRITE_LOCK)))
            yield conn

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for reads this class does not offer (the API's search, paging)."""
        return self._engine

    def _dialect_insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    # -- writing -----------------------------------------------------------------------------

    def upsert(
        self,
        articles: Sequence[Article],
        fingerprints: Mapping[str, str] | None = None,
        run_id: str | None = None,
    ) -> None:
        """Store a batch in one transaction: article rows by id; lines, mentions, signature and
        near-copy edges replaced; then the copy components the batch touched re-resolved.
        Each article's `entities` are upserted (see `veille.store.entities`), its roles and quotes
        replaced.

        `fingerprints` maps article id → the engine's fingerprint of the raw record; an article
        missing from it is stored with none, so the next run processes it again. Within a batch,
        the last article with a given id wins. `run_id` tags the rows with the run that wrote them
        (`run_counts`). A near-copy pointing at an id neither stored nor in the batch is skipped and
        counted (`counters["copy_edges_unknown_id"]`), never a failed batch.
        """
        latest = {article.id: article for article in articles}
        if not latest:
            return
        fingerprints = fingerprints or {}
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = []
        line_rows: list[dict[str, object]] = []
        failure_rows: list[dict[str, object]] = []
        mention_rows: list[dict[str, object]] = []
        for article in latest.values():
            row: dict[str, object] = {name: getattr(article, name) for name in _ARTICLE_COLUMNS}
            # An article a stage failed on has no fingerprint: the next run gives it another try.
            row["fingerprint"] = None if article.failures else fingerprints.get(article.id)
            row["ingested_at"] = now
            row["run_id"] = run_id
            rows.append(row)
            line_rows.extend(
                {"article_id": article.id, "position": i, "text": line.text, "reason": line.reason}
                for i, line in enumerate(article.dropped_lines)
            )
            failure_rows.extend(
                {"article_id": article.id, "position": i, "stage": failure.stage, "error": failure.error}
                for i, failure in enumerate(article.failures)
            )
            mention_rows.extend(_mention_rows(article))
        signature_rows = [
            {"article_id": a.id, "signature": a.minhash} for a in latest.values() if a.minhash is not None
        ]
        edges = _batch_edges(latest.values())
        ins = self._dialect_insert(schema.articles)
        # ingested_at keeps the first ingestion time, so storing the same batch twice changes nothing.
        keep = {"id", "ingested_at"}
        changes = {c.name: ins.excluded[c.name] for c in schema.articles.columns if c.name not in keep}
        stmt = ins.on_conflict_do_update(index_elements=["id"], set_=changes)
        ids = list(latest)
        a, e = schema.articles, schema.copy_edges
        with self._write() as conn:
            # Components the batch leaves (a rerun whose text changed, or whose near-copies changed)
            # and joins are both re-resolved, in the same transaction, so the store never shows a
            # duplicate pointing at a non-copy.
            touched = {article.content_hash for article in latest.values() if article.content_hash}
            old_neighbours: set[str] = set()
            for chunk in _chunks(ids):
                query = select(a.c.content_hash).where(a.c.id.in_(chunk), a.c.content_hash.is_not(None))
                touched.update(conn.execute(query).scalars())
                for column in (e.c.a, e.c.b):
                    for edge in conn.execute(select(e.c.a, e.c.b).where(column.in_(chunk))):
                        old_neighbours.update((edge.a, edge.b))
            edge_rows = self._known_edges(conn, edges, latest)
            conn.execute(stmt, rows)
            for chunk in _chunks(ids):
                for table in (schema.dropped_lines, schema.stage_failures, schema.mentions, schema.minhashes):
                    conn.execute(delete(table).where(table.c.article_id.in_(chunk)))
                conn.execute(delete(e).where(e.c.a.in_(chunk)))
                conn.execute(delete(e).where(e.c.b.in_(chunk)))
            if line_rows:
                conn.execute(insert(schema.dropped_lines), line_rows)
            if failure_rows:
                conn.execute(insert(schema.stage_failures), failure_rows)
            if mention_rows:
                conn.execute(insert(schema.mentions), mention_rows)
            if signature_rows:
                conn.execute(insert(schema.minhashes), signature_rows)
            if edge_rows:
                conn.execute(insert(e), edge_rows)
            changed_events = self._write_annotations(conn, list(latest.values()), ids)
            self._resolve(conn, [*ids, *sorted(old_neighbours - latest.keys())], touched)
        # What the linker read may have changed; cleared after the commit, so that a lookup made
        # meanwhile cannot cache what this batch is replacing.
        self._clear_entity_cache()
        self._forget_events(changed_events)

    def _write_annotations(self, conn: Connection, articles: list[Article], ids: Sequence[str]) -> set[str]:
        """The batch's entities upserted; its articles' roles, quotes, timexes and event evidence
        replaced, its events upserted, its auto rubriques replaced (overrides kept); the ids of
        the events this changed."""
        write_entities(conn, self._dialect_insert, articles, ids)
        write_quotes(conn, articles, ids)
        write_timexes(conn, articles, ids)
        changed = write_events(conn, self._dialect_insert, articles, ids)
        write_rubriques(conn, articles, ids)
        return changed

    def save_kb_entries(self, entries: Sequence[dict[str, Any]]) -> None:
        """Save imported knowledge-base entries (`KbEntry` fields as JSON objects), replacing those
        with the same "id", in one transaction."""
        rows = save_kb_rows(entries)
        if not rows:
            return
        ins = self._dialect_insert(schema.kb_entries)
        with self._write() as conn:
            conn.execute(
                ins.on_conflict_do_update(index_elements=["id"], set_={"data": ins.excluded.data}), rows
            )

    def _known_edges(
        self, conn: Connection, edges: Mapping[tuple[str, str], float], batch: Mapping[str, Article]
    ) -> list[dict[str, object]]:
        """Edge rows whose two ends are stored or in the batch; the others skipped and counted."""
        outside = sorted({end for pair in edges for end in pair if end not in batch})
        stored: set[str] = set()
        a = schema.articles
        for chunk in _chunks(outside):
            stored.update(conn.execute(select(a.c.id).where(a.c.id.in_(chunk))).scalars())
        known = batch.keys() | stored
        rows = [
            {"a": x, "b": y, "similarity": similarity}
            for (x, y), similarity in edges.items()
            if x in known and y in known
        ]
        unknown = len(edges) - len(rows)
        if unknown:
            missing = sorted(set(outside) - stored)
            log.warning("skipped %d near-copy edge(s) to unknown article ids, e.g. %s", unknown, missing[0])
            self._count("copy_edges_unknown_id", unknown)
        return rows

    def fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        """Stored fingerprints of the given ids that exist and have one."""
        a = schema.articles
        found: dict[str, str] = {}
        with self._engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                query = select(a.c.id, a.c.fingerprint).where(a.c.id.in_(chunk), a.c.fingerprint.is_not(None))
                found.update({row.id: row.fingerprint for row in conn.execute(query)})
        return found

    def iter_signatures(self, batch_size: int = 1000) -> Iterator[tuple[str, bytes]]:
        """(article id, MinHash signature) of every non-rejected article that has one, by id.

        For the near-copy stage to load its index. Paged by id like `iter_articles`, so memory stays
        at one page and no read transaction stays open while the caller works.
        """
        h, a = schema.minhashes, schema.articles
        query = (
            select(h.c.article_id, h.c.signature)
            .join(a, a.c.id == h.c.article_id)
            .where(a.c.status != REJECTED)
        )
        for row in pages(self._engine, query, (h.c.article_id,), batch_size):
            yield row.article_id, bytes(row.signature)

    # -- copies ------------------------------------------------------------------------------

    @staticmethod
    def _copies(conn: Connection, hashes: Iterable[str]) -> dict[str, list[Any]]:
        """Non-rejected articles per content hash: rows of (id, published, status, duplicate_of)."""
        a = schema.articles
        groups: dict[str, list[Any]] = {}
        for chunk in _chunks([h for h in dict.fromkeys(hashes) if h]):
            query = select(a.c.content_hash, a.c.id, a.c.published, a.c.status, a.c.duplicate_of).where(
                a.c.content_hash.in_(chunk), a.c.status != REJECTED
            )
            for row in conn.execute(query):
                groups.setdefault(row.content_hash, []).append(row)
        return groups

    def first_copies(self, hashes: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        """For each hash held by a non-rejected article: (published, id) of its first copy."""
        with self._engine.connect() as conn:
            groups = self._copies(conn, hashes)
        firsts = {h: min(rows, key=lambda r: copy_order_key(r.published, r.id)) for h, rows in groups.items()}
        return {h: (row.published, row.id) for h, row in firsts.items()}

    def resolve_copies(self, hashes: Iterable[str] = (), ids: Iterable[str] = ()) -> None:
        """Re-resolve the copy components holding these content hashes or article ids.

        In each component of the copy graph (same content hash, or joined by a near-copy edge; see
        `veille.store.graph`), the first copy is kept and every other member a duplicate pointing
        at it. `upsert` does this for everything its batch touches, old and new: whatever order
        copies arrived in, the store ends up as if they had all come in one batch.
        """
        with self._write() as conn:
            self._resolve(conn, list(ids), hashes)

    def _resolve(self, conn: Connection, ids: Sequence[str], hashes: Iterable[str]) -> None:
        self._count("copy_components_capped", graph.resolve(conn, ids, hashes))

    # -- reading -----------------------------------------------------------------------------

    @staticmethod
    def _lines_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[DroppedLine]]:
        d = schema.dropped_lines
        lines: dict[str, list[DroppedLine]] = {}
        for chunk in _chunks(ids):
            query = select(d).where(d.c.article_id.in_(chunk)).order_by(d.c.article_id, d.c.position)
            for row in conn.execute(query):
                lines.setdefault(row.article_id, []).append(DroppedLine(text=row.text, reason=row.reason))
        return lines

    @staticmethod
    def _failures_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[StageFailure]]:
        f = schema.stage_failures
        failures: dict[str, list[StageFailure]] = {}
        for chunk in _chunks(ids):
            query = select(f).where(f.c.article_id.in_(chunk)).order_by(f.c.article_id, f.c.position)
            for row in conn.execute(query):
                failures.setdefault(row.article_id, []).append(StageFailure(row.stage, row.error))
        return failures

    @staticmethod
    def _mentions_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[Mention]]:
        m = schema.mentions
        found: dict[str, list[Mention]] = {}
        for chunk in _chunks(ids):
            query = (
                select(m)
                .where(m.c.article_id.in_(chunk))
                .order_by(m.c.article_id, m.c.start, m.c.end, m.c.label)
            )
            for row in conn.execute(query):
                found.setdefault(row.article_id, []).append(_mention(row))
        return found

    @staticmethod
    def _copy_links_for(
        conn: Connection, ids: Sequence[str]
    ) -> tuple[dict[str, bytes], dict[str, list[tuple[str, float]]]]:
        """Stored signatures and near-copies (other id, similarity; by other id) of some articles."""
        h, e = schema.minhashes, schema.copy_edges
        signatures: dict[str, bytes] = {}
        near: dict[str, list[tuple[str, float]]] = {}
        for chunk in _chunks(ids):
            query = select(h.c.article_id, h.c.signature).where(h.c.article_id.in_(chunk))
            signatures.update((row.article_id, bytes(row.signature)) for row in conn.execute(query))
            for mine, other in ((e.c.a, e.c.b), (e.c.b, e.c.a)):
                query = select(mine.label("mine"), other.label("other"), e.c.similarity)
                for row in conn.execute(query.where(mine.in_(chunk))):
                    near.setdefault(row.mine, []).append((row.other, float(row.similarity)))
        return signatures, {key: sorted(pairs) for key, pairs in near.items()}

    def _load(self, conn: Connection, rows: Sequence[Any], full: bool) -> list[Article]:
        """Articles from their rows, with dropped lines; `full` adds mentions, quotes, signature and
        near-copies."""
        ids = [row.id for row in rows]
        lines = self._lines_for(conn, ids)
        failures = self._failures_for(conn, ids)
        mentions = self._mentions_for(conn, ids) if full else {}
        quotes = quotes_for(conn, ids) if full else {}
        timexes = timexes_for(conn, ids) if full else {}
        events = events_for(conn, ids) if full else {}
        signatures, near = self._copy_links_for(conn, ids) if full else ({}, {})
        rubriques = rubriques_for(conn, ids)
        return [
            Article(
                **{name: getattr(row, name) for name in _ARTICLE_COLUMNS},
                dropped_lines=lines.get(row.id, []),
                failures=failures.get(row.id, []),
                mentions=mentions.get(row.id, []),
                quotes=quotes.get(row.id, []),
                timexes=timexes.get(row.id, []),
                events=events.get(row.id, []),
                minhash=signatures.get(row.id),
                near_copies=near.get(row.id, []),
                rubriques=[name for name, _ in rubriques.get(row.id, [])],
                rubrique_scores=rubriques.get(row.id, []),
            )
            for row in rows
        ]

    def get_article(self, article_id: str) -> Article | None:
        """One article with its dropped lines (in page order), mentions and quotes (by start)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(schema.articles).where(schema.articles.c.id == article_id)).all()
            loaded = self._load(conn, rows, full=True)
        return loaded[0] if loaded else None

    def find_articles(self, source_file_suffix: str) -> list[Article]:
        """Articles whose source file is the given path or ends with it (whole path parts only)."""
        suffix = source_file_suffix.replace("\\", "/").removeprefix("./")
        a = schema.articles
        # autoescape: file names are full of '_', a LIKE wildcard.
        condition = or_(a.c.source_file == suffix, a.c.source_file.endswith("/" + suffix, autoescape=True))
        query = select(a).where(condition).order_by(a.c.source_file, a.c.source_id, a.c.id)
        with self._engine.connect() as conn:
            return self._load(conn, conn.execute(query).all(), full=True)

    def iter_articles(self, batch_size: int = 500) -> Iterator[Article]:
        """Every article by id, with dropped lines (not mentions: see `iter_mentions`).

        Pages by id rather than holding one cursor open, so memory stays at one batch and a
        long export does not keep a read transaction open against writers.
        """
        a = schema.articles
        last: str | None = None
        while True:
            query = select(a).order_by(a.c.id).limit(batch_size)
            if last is not None:
                query = query.where(a.c.id > last)
            with self._engine.connect() as conn:
                batch = self._load(conn, conn.execute(query).all(), full=False)
            if not batch:
                return
            yield from batch
            last = batch[-1].id

    def iter_mentions(self, batch_size: int = 5000) -> Iterator[Mention]:
        """Every mention, ordered by article id then start (then end, label), paged like articles."""
        m = schema.mentions
        key = (m.c.article_id, m.c.start, m.c.end, m.c.label)
        for row in pages(self._engine, select(m), key, batch_size):
            yield _mention(row)

    def run_counts(self, run_id: str) -> dict[str, int]:
        """Articles last written by one ingest run, by status, as the store resolved them."""
        a = schema.articles
        query = select(a.c.status, func.count()).where(a.c.run_id == run_id).group_by(a.c.status)
        with self._engine.connect() as conn:
            return {str(status): int(n) for status, n in conn.execute(query)}

    def counts(self) -> dict[str, Any]:
        """Totals for summaries: articles by status, reason and language; mentions; dropped lines;
        entities by label; quotes by kind."""
        a, m, d, n = schema.articles, schema.mentions, schema.dropped_lines, schema.entities

        def grouped(conn: Connection, column: Any, *where: Any) -> dict[str, int]:
            query = select(column, func.count()).where(*where).group_by(column).order_by(column)
            return {str(key): int(n) for key, n in conn.execute(query)}

        with self._engine.connect() as conn:
            statuses = grouped(conn, a.c.status)
            labels = grouped(conn, m.c.label)
            entity_labels = grouped(conn, n.c.label)
            return {
                "articles": sum(statuses.values()),
                KEPT: statuses.get(KEPT, 0),
                DUPLICATE: statuses.get(DUPLICATE, 0),
                REJECTED: statuses.get(REJECTED, 0),
                "rejected_by_reason": grouped(conn, a.c.reason, a.c.status == REJECTED),
                "languages": grouped(conn, a.c.language, a.c.language.is_not(None)),
                "mentions": sum(labels.values()),
                "mentions_by_label": labels,
                "dropped_lines_by_reason": grouped(conn, d.c.reason),
                "stage_failures_by_stage": grouped(conn, schema.stage_failures.c.stage),
                "entities": sum(entity_labels.values()),
                "entities_by_label": entity_labels,
                **quote_counts(conn),
                **event_counts(conn),
                **story_counts(conn),
            }


def _mention_rows(article: Article) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    seen: set[tuple[int, int, str]] = set()
    for m in article.mentions:
        key = (m.start, m.end, m.label)
        if key in seen:  # the same span twice under one label says nothing more
            continue
        seen.add(key)
        rows.append(
            {"article_id": article.id, "start": m.start, "end": m.end, "text": m.text,
             "label": m.label, "entity_id": m.entity_id, "kind": m.kind}
        )  # fmt: skip
    return rows


def _batch_edges(articles: Iterable[Article]) -> dict[tuple[str, str], float]:
    """The batch's near-copy edges, each once as (smaller id, larger id).

    Both ends may report the same pair; their estimates should agree, and taking the larger keeps
    the result independent of which end came last.
    """
    edges: dict[tuple[str, str], float] = {}
    for article in articles:
        for other, similarity in article.near_copies:
            if other == article.id:
                continue
            pair = (article.id, other) if article.id < other else (other, article.id)
            edges[pair] = max(similarity, edges.get(pair, similarity))
    return edges


def _mention(row: Any) -> Mention:
    return Mention(
        article_id=row.article_id, start=row.start, end=row.end, text=row.text,
        label=row.label, entity_id=row.entity_id, kind=row.kind,
    )  # fmt: skip
