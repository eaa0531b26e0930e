"""Opening a store's database: URLs, the SQLite file checks and pragmas, errors that name the fix.

Everything dialect-specific about *connecting* lives here (`store.py` holds the one piece about
writing: the upsert construct). `open_engine` returns an engine whose schema is migrated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.pool import StaticPool

from veille.errors import StoreError
from veille.store import schema
from veille.store.migrations import migrate

SQLITE_MAGIC = b"SQLite format 3\x00"
WRITE = "veille_write"  # execution option: open the transaction for writing up front


def open_engine(url_or_path: str) -> tuple[Engine, str]:
    """An engine on the store at a path or URL, migrated, and how to name it in messages.

    A plain path or a `sqlite:///` URL is a SQLite file; a `postgresql://` URL a shared server.
    """
    url = store_url(url_or_path)
    # Name the store as the user wrote it (not the driver we mapped it to), password hidden.
    where = url_or_path if "://" not in url_or_path else make_url(url_or_path).render_as_string()
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported store URL {where}: use a file path, sqlite:/// or postgresql://")
    # pre_ping: a shared server may drop idle connections between batches.
    engine = sqlite_engine(url) if backend == "sqlite" else create_engine(url, pool_pre_ping=True)
    try:
        if backend == "sqlite":
            check_sqlite_tables(engine, where)
        migrate(engine.execution_options(**{WRITE: True}), where)
    except OperationalError as exc:
        engine.dispose()
        if backend != "postgresql":
            raise StoreError(not_a_store(where, f"the database refused it: {exc.orig}")) from exc
        raise StoreError(
            f"cannot open the store at {where}: {str(exc.orig).strip()}; check that the server is "
            "running and that the URL's user, host, port and database are right"
        ) from exc
    except DatabaseError as exc:
        engine.dispose()
        raise StoreError(not_a_store(where, f"the database refused it: {exc.orig}")) from exc
    except StoreError:
        engine.dispose()
        raise
    return engine, where


def sqlite_engine(url: URL) -> Engine:
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


def check_sqlite_tables(engine: Engine, where: str) -> None:
    # An unrelated SQLite database would otherwise get our tables added next to its own.
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if tables and schema.schema_migrations.name not in tables:
        raise StoreError(not_a_store(where, "it is a SQLite database of another application"))


def store_url(url_or_path: str) -> URL:
    """A path or URL as SQLAlchemy's URL; plain `postgresql://` goes through psycopg 3."""
    if "://" not in url_or_path:
        return URL.create("sqlite", database=url_or_path)
    url = make_url(url_or_path)
    if url.drivername in ("postgresql", "postgres"):
        # SQLAlchemy's default PostgreSQL driver is psycopg2, which veille does not install.
        url = url.set(drivername="postgresql+psycopg")
    return url


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
            header = fh.read(len(SQLITE_MAGIC))
        if header != SQLITE_MAGIC:
            raise StoreError(not_a_store(str(path), "it is not a SQLite database"))


def not_a_store(where: str, why: str) -> str:
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
    immediate = conn.get_execution_options().get(WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
