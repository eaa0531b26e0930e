"""The embedded store: SQLite by default, PostgreSQL through the same code.

Everything goes through SQLAlchemy Core. The only dialect-specific pieces are `_connect_sqlite`
(pragmas) and `_dialect_insert` (upsert syntax); the rest must stay portable SQL.

Writes come in batches, one transaction each: a batch is stored whole or not at all, and a crash
never leaves an article with half of its mentions. Ids come from where a record came from, so
storing a batch again replaces rows instead of adding copies (sqlite-utils' `upsert_all` habit).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    URL,
    Connection,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import StaticPool

from veille.errors import StoreError
from veille.model import DUPLICATE, KEPT, REJECTED, Article, DroppedLine, Mention
from veille.store import schema
from veille.store.copies import copy_order_key
from veille.store.migrations import migrate

# Upper bound on ids per IN (...): well under SQLite's bound-parameter limit on old builds (999).
CHUNK = 500
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WRITE = "veille_write"  # execution option: open the transaction for writing up front
# Article fields that are columns of `articles` (the rest are child tables or transient).
_ARTICLE_COLUMNS = (
    "id", "source_file", "source_id", "url", "source_name", "title", "text", "language",
    "published", "content_hash", "status", "reason", "reason_detail", "duplicate_of", "story_id",
)  # fmt: skip


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL; None for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def _check_sqlite_file(path: Path) -> None:
    """Refuse what SQLite would only notice later, or would silently create somewhere odd."""
    if path.is_dir():
        raise StoreError(f"cannot use {path} as a store: it is a folder; pass --db with a file name")
    parent = path.parent
    if not parent.is_dir():
        raise StoreError(
            f"cannot create the store at {path}: folder {parent} does not exist; "
            "create it or pass --db with an existing folder"
        )
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as fh:
            header = fh.read(len(_SQLITE_MAGIC))
        if header != _SQLITE_MAGIC:
            raise StoreError(_not_a_store(str(path), "it is not a SQLite database"))


def _not_a_store(where: str, why: str) -> str:
    return (
        f"{where} is not a veille store ({why}); "
        "pass --db with a new file name or the path of an existing veille store"
    )


def _connect_sqlite(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite opens transactions itself, but not before DDL, so migrations would not be atomic;
    # turning that off and emitting BEGIN in `_begin_sqlite` makes every transaction explicit.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # WAL lets readers (veille show, the API) run while an ingest writes; NORMAL sync is safe in WAL
    # (a power cut may lose the last commits, never corrupt the file); the busy timeout makes a second
    # writer wait for the lock instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_sqlite(conn: Connection) -> None:
    # A deferred transaction that reads and then writes can fail with SQLITE_BUSY without waiting
    # when another writer got in between; writers take the lock up front and wait their turn.
    immediate = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Store:
    """Articles, their dropped lines and mentions, in a SQL database. Open with `Store.open`."""

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self._writer = engine.execution_options(**{_WRITE: True})
        self.where = where

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, url_or_path: str) -> Store:
        """Open (creating and migrating as needed) the store at a path or a database URL.

        A plain path or a `sqlite:///` URL is a SQLite file; a `postgresql://` URL a shared server.
        """
        url = make_url(url_or_path) if "://" in url_or_path else URL.create("sqlite", database=url_or_path)
        where = url_or_path if "://" not in url_or_path else url.render_as_string(hide_password=True)
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(f"unsupported store URL {where}: use a file path, sqlite:/// or postgresql://")
        # pre_ping: a shared server may drop idle connections between batches.
        engine = cls._sqlite_engine(url) if backend == "sqlite" else create_engine(url, pool_pre_ping=True)
        try:
            if backend == "sqlite":
                cls._check_sqlite_tables(engine, where)
            migrate(engine.execution_options(**{_WRITE: True}), where)
        except DatabaseError as exc:
            engine.dispose()
            raise StoreError(_not_a_store(where, f"the database refused it: {exc.orig}")) from exc
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, where)

    @staticmethod
    def _sqlite_engine(url: URL) -> Engine:
        path = _sqlite_path(url)
        if path is None:
            # One shared connection, or every new connection would see its own empty database.
            engine = create_engine(url, poolclass=StaticPool)
        else:
            _check_sqlite_file(path)
            engine = create_engine(url)
        event.listen(engine, "connect", _connect_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine

    @staticmethod
    def _check_sqlite_tables(engine: Engine, where: str) -> None:
        # An unrelated SQLite database would otherwise get our tables added next to its own.
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
        if tables and schema.schema_migrations.name not in tables:
            raise StoreError(_not_a_store(where, "it is a SQLite database of another application"))

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
            yield conn

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
        """Store a batch in one transaction: article rows by id, their lines and mentions replaced.

        `fingerprints` maps article id → the engine's fingerprint of the raw record; an article
        missing from it is stored with none, so the next run processes it again. Within a batch,
        the last article with a given id wins. `run_id` tags the rows with the run that wrote them
        (`run_counts`).
        """
        latest = {article.id: article for article in articles}
        if not latest:
            return
        fingerprints = fingerprints or {}
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = []
        line_rows: list[dict[str, object]] = []
        mention_rows: list[dict[str, object]] = []
        for article in latest.values():
            row: dict[str, object] = {name: getattr(article, name) for name in _ARTICLE_COLUMNS}
            row["fingerprint"] = fingerprints.get(article.id)
            row["ingested_at"] = now
            row["run_id"] = run_id
            rows.append(row)
            line_rows.extend(
                {"article_id": article.id, "position": i, "text": line.text, "reason": line.reason}
                for i, line in enumerate(article.dropped_lines)
            )
            seen: set[tuple[int, int, str]] = set()
            for m in article.mentions:
                key = (m.start, m.end, m.label)
                if key in seen:  # the same span twice under one label says nothing more
                    continue
                seen.add(key)
                mention_rows.append(
                    {"article_id": article.id, "start": m.start, "end": m.end, "text": m.text,
                     "label": m.label, "entity_id": m.entity_id}
                )  # fmt: skip
        ins = self._dialect_insert(schema.articles)
        # ingested_at keeps the first ingestion time, so storing the same batch twice changes nothing.
        keep = {"id", "ingested_at"}
        changes = {c.name: ins.excluded[c.name] for c in schema.articles.columns if c.name not in keep}
        stmt = ins.on_conflict_do_update(index_elements=["id"], set_=changes)
        ids = list(latest)
        a = schema.articles
        with self._write() as conn:
            # Copy groups the batch leaves (a rerun whose text changed) and joins are both re-resolved,
            # in the same transaction, so the store never shows a duplicate pointing at a non-copy.
            touched = {article.content_hash for article in latest.values() if article.content_hash}
            for chunk in _chunks(ids):
                query = select(a.c.content_hash).where(a.c.id.in_(chunk), a.c.content_hash.is_not(None))
                touched.update(conn.execute(query).scalars())
            conn.execute(stmt, rows)
            for chunk in _chunks(ids):
                conn.execute(delete(schema.dropped_lines).where(schema.dropped_lines.c.article_id.in_(chunk)))
                conn.execute(delete(schema.mentions).where(schema.mentions.c.article_id.in_(chunk)))
            if line_rows:
                conn.execute(insert(schema.dropped_lines), line_rows)
            if mention_rows:
                conn.execute(insert(schema.mentions), mention_rows)
            self._resolve(conn, touched)

    def fingerprints(self, ids: Iterable[str]) -> dict[str, str]:
        """Stored fingerprints of the given ids that exist and have one."""
        a = schema.articles
        found: dict[str, str] = {}
        with self._engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(ids))):
                query = select(a.c.id, a.c.fingerprint).where(a.c.id.in_(chunk), a.c.fingerprint.is_not(None))
                found.update({row.id: row.fingerprint for row in conn.execute(query)})
        return found

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

    def resolve_copies(self, hashes: Iterable[str]) -> None:
        """Mark, per hash, the first copy kept and every other copy a duplicate pointing at it.

        `upsert` does this for every hash its batch touches, old and new: whatever order copies
        arrived in, the store ends up as if they had all come in one batch.
        """
        with self._write() as conn:
            self._resolve(conn, hashes)

    def _resolve(self, conn: Connection, hashes: Iterable[str]) -> None:
        a = schema.articles
        changes = []
        for rows in self._copies(conn, hashes).values():
            first = min(rows, key=lambda r: copy_order_key(r.published, r.id))
            for row in rows:
                status, target = (KEPT, None) if row is first else (DUPLICATE, first.id)
                if (row.status, row.duplicate_of) != (status, target):  # reruns write nothing
                    changes.append({"b_id": row.id, "b_status": status, "b_target": target})
        if changes:
            stmt = (
                update(a)
                .where(a.c.id == bindparam("b_id"))
                .values(status=bindparam("b_status"), duplicate_of=bindparam("b_target"))
            )
            conn.execute(stmt, changes)

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

    def _load(self, conn: Connection, rows: Sequence[Any], with_mentions: bool) -> list[Article]:
        ids = [row.id for row in rows]
        lines = self._lines_for(conn, ids)
        mentions = self._mentions_for(conn, ids) if with_mentions else {}
        return [
            Article(
                **{name: getattr(row, name) for name in _ARTICLE_COLUMNS},
                dropped_lines=lines.get(row.id, []),
                mentions=mentions.get(row.id, []),
            )
            for row in rows
        ]

    def get_article(self, article_id: str) -> Article | None:
        """One article with its dropped lines (in page order) and mentions (by start)."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(schema.articles).where(schema.articles.c.id == article_id)).all()
            loaded = self._load(conn, rows, with_mentions=True)
        return loaded[0] if loaded else None

    def find_articles(self, source_file_suffix: str) -> list[Article]:
        """Articles whose source file is the given path or ends with it (whole path parts only)."""
        suffix = source_file_suffix.replace("\\", "/").removeprefix("./")
        a = schema.articles
        # autoescape: file names are full of '_', a LIKE wildcard.
        condition = or_(a.c.source_file == suffix, a.c.source_file.endswith("/" + suffix, autoescape=True))
        query = select(a).where(condition).order_by(a.c.source_file, a.c.source_id, a.c.id)
        with self._engine.connect() as conn:
            return self._load(conn, conn.execute(query).all(), with_mentions=True)

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
                batch = self._load(conn, conn.execute(query).all(), with_mentions=False)
            if not batch:
                return
            yield from batch
            last = batch[-1].id

    def iter_mentions(self, batch_size: int = 5000) -> Iterator[Mention]:
        """Every mention, ordered by article id then start (then end, label), paged like articles."""
        m = schema.mentions
        key = tuple_(m.c.article_id, m.c.start, m.c.end, m.c.label)
        last: tuple[str, int, int, str] | None = None
        while True:
            query = select(m).order_by(m.c.article_id, m.c.start, m.c.end, m.c.label).limit(batch_size)
            if last is not None:
                query = query.where(key > tuple_(*last))
            with self._engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _mention(row)
            tail = rows[-1]
            last = (tail.article_id, tail.start, tail.end, tail.label)

    def run_counts(self, run_id: str) -> dict[str, int]:
        """Articles last written by one ingest run, by status, as the store resolved them."""
        a = schema.articles
        query = select(a.c.status, func.count()).where(a.c.run_id == run_id).group_by(a.c.status)
        with self._engine.connect() as conn:
            return {str(status): int(n) for status, n in conn.execute(query)}

    def counts(self) -> dict[str, Any]:
        """Totals for summaries: articles by status, reason and language; mentions; dropped lines."""
        a, m, d = schema.articles, schema.mentions, schema.dropped_lines

        def grouped(conn: Connection, column: Any, *where: Any) -> dict[str, int]:
            query = select(column, func.count()).where(*where).group_by(column).order_by(column)
            return {str(key): int(n) for key, n in conn.execute(query)}

        with self._engine.connect() as conn:
            statuses = grouped(conn, a.c.status)
            labels = grouped(conn, m.c.label)
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
            }


def _mention(row: Any) -> Mention:
    return Mention(
        article_id=row.article_id, start=row.start, end=row.end, text=row.text,
        label=row.label, entity_id=row.entity_id,
    )  # fmt: skip
