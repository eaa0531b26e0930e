"""Integrity check of a store (`veille check`): what a crash, a torn write or a hand edit would break.

Three layers, each reported as `Problem`s (a stable code, a count, a few example ids, what to do):

- the engine's own check: SQLite's `PRAGMA integrity_check` (pages, indexes) and
  `PRAGMA foreign_key_check`; PostgreSQL checks its pages itself and has no such pragma, so only the
  foreign keys are checked there, with queries derived from the schema (the server enforces them,
  so this finds only rows written with the constraints switched off);
- the schema: the version recorded equals the last migration this veille knows, with no step
  missing, and every table exists;
- veille's own invariants, which no constraint expresses but every batch transaction keeps: a
  duplicate points at an existing kept article and nothing else points anywhere, one kept article
  per content hash, an article a stage failed on has no fingerprint (or a rerun would never retry
  it), an article's story exists, merged stories point at existing ones, every event has evidence,
  and on SQLite the full-text indexes (FTS5 tables kept by triggers) hold exactly the rows of their
  tables.

Checking never writes and never migrates: `open_for_check` opens the store as it is, so an old
store is reported as one, not silently upgraded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Connection,
    Engine,
    Select,
    create_engine,
    exists,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from veille.errors import StoreError
from veille.model import DUPLICATE, KEPT, REJECTED
from veille.store import schema
from veille.store.connect import check_sqlite_tables, sqlite_engine, store_url
from veille.store.migrations import LATEST_VERSION
from veille.store.search import ALIASES_FTS, FTS_TABLE, QUOTES_FTS
from veille.store.store import Store

EXAMPLES = 3
# FTS5 index → the table whose rows it indexes (external content, kept in sync by three triggers).
SEARCH_INDEXES = {FTS_TABLE: "articles", QUOTES_FTS: "quotes", ALIASES_FTS: "entity_aliases"}
_REPORT_BUG = (
    "veille writes each batch in one transaction, so this comes from outside it (a hand edit, a file "
    "copied while written) or from a bug: please report it with this output"
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One kind of damage: `code` is stable (tests and scripts match on it), `message` says what is
    wrong and what to do."""

    code: str
    count: int
    examples: tuple[str, ...]
    message: str


@dataclass(slots=True)
class CheckReport:
    where: str
    backend: str
    schema_version: int = 0
    problems: list[Problem] = field(default_factory=list)
    # Checks skipped (and why), or states that are not damage (an ingest stopped half-way).
    notes: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def codes(self) -> set[str]:
        return {problem.code for problem in self.problems}

    def add(self, code: str, count: int, examples: list[str], message: str) -> None:
        if count:
            self.problems.append(Problem(code, count, tuple(examples[:EXAMPLES]), message))


def open_for_check(url_or_path: str) -> tuple[Engine, str]:
    """An engine on an existing store, neither created nor migrated, and its name for messages."""
    url = store_url(url_or_path)
    # Named as the user wrote it, password hidden (not as the driver URL we mapped it to).
    where = (
        make_url(url_or_path).render_as_string(hide_password=True) if "://" in url_or_path else url_or_path
    )
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(f"unsupported store URL {where}: use a file path, sqlite:/// or postgresql://")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:" or not Path(url.database).is_file():
            raise StoreError(f"no store at {where}: pass --db with the path of an existing veille store")
        engine = sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    try:
        if backend == "sqlite":
            check_sqlite_tables(engine, where)
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    except StoreError:
        engine.dispose()
        raise
    except DBAPIError as exc:  # not a database, a damaged schema, or a server that cannot be reached
        engine.dispose()
        raise StoreError(
            f"cannot open the store at {where}: {str(exc.orig).strip()}; check that it is a veille "
            "store (SQLite: restore a backup if the file is damaged) and, for a server, that it is "
            "running and the URL is right"
        ) from exc
    if schema.schema_migrations.name not in tables:
        engine.dispose()
        raise StoreError(
            f"no veille store at {where} (no schema_migrations table): "
            "pass --db with the path or URL of a veille store"
        )
    return engine, where


def check_store(store: Store, *, quick: bool = False) -> CheckReport:
    """Check an open store (see the module doc); `quick` runs SQLite's quick_check instead of the
    full integrity_check (skips matching indexes to their tables: O(N) instead of O(N log N))."""
    return check_engine(store.engine, store.where, quick=quick)


def check_engine(engine: Engine, where: str, *, quick: bool = False) -> CheckReport:
    report = CheckReport(where=where, backend=engine.dialect.name)
    sqlite = report.backend == "sqlite"
    tables: set[str] = set()

    def schema_step(conn: Connection) -> None:
        tables.update(_check_schema(conn, report))

    steps: list[tuple[str, Callable[[Connection], None]]] = [("schema", schema_step)]
    if sqlite:
        steps.append(("sqlite integrity", lambda conn: _sqlite_integrity(conn, report, quick)))
        steps.append(("sqlite foreign keys", lambda conn: _sqlite_foreign_keys(conn, report)))
    else:
        report.notes.append(
            "engine-level integrity check skipped: PostgreSQL has no integrity_check; use "
            "pg_amcheck on the server to verify its pages and indexes"
        )
        steps.append(("foreign keys", lambda conn: _foreign_keys_by_query(conn, report, tables)))
    steps.append(("invariants", lambda conn: _invariants(conn, report, tables)))
    if sqlite:
        steps.append(("search indexes", lambda conn: _sqlite_search_indexes(engine, conn, report, tables)))
    else:
        report.notes.append(
            "full-text search: PostgreSQL indexes an expression of the rows, nothing can fall out of sync"
        )
    for name, step in steps:
        try:
            # A connection per step: on PostgreSQL an error aborts the transaction it happened in.
            with engine.connect() as conn:
                step(conn)
        except DBAPIError as exc:  # a damaged file fails reads: report it, go on with the next step
            report.add(
                "unreadable", 1, [name],
                f"the {name} check could not read the store ({str(exc.orig).strip()}): the file or the "
                "database is damaged; stop writing to it, copy it aside, and restore a backup "
                f"(SQLite: or recover it with `sqlite3 {where} .recover`)",
            )  # fmt: skip
    return report


# -- schema ---------------------------------------------------------------------------------------


def _check_schema(conn: Connection, report: CheckReport) -> set[str]:
    report.checks.append("schema version")
    recorded = set(conn.execute(select(schema.schema_migrations.c.version)).scalars())
    report.schema_version = max(recorded, default=0)
    version = report.schema_version
    if version > LATEST_VERSION:
        report.add(
            "schema_newer", 1, [str(version)],
            f"the store is at schema version {version}, newer than this veille knows ({LATEST_VERSION}): "
            "check it with the veille that wrote it (pip install --upgrade veille)",
        )  # fmt: skip
    elif version < LATEST_VERSION:
        report.add(
            "schema_outdated", 1, [str(version)],
            f"the store is at schema version {version}, this veille's is {LATEST_VERSION}: open it once "
            f"with this veille (e.g. `veille stats --db {report.where}`) to migrate it, then check again",
        )  # fmt: skip
    gaps = sorted(set(range(1, min(version, LATEST_VERSION) + 1)) - recorded)
    report.add(
        "schema_gap", len(gaps), [str(v) for v in gaps],
        f"schema_migrations lacks step(s) {', '.join(map(str, gaps))} below the recorded version "
        f"{version}: the steps' tables may be missing; restore a backup, or re-ingest into a new store",
    )  # fmt: skip
    tables = set(inspect(conn).get_table_names())
    if version >= LATEST_VERSION:
        report.checks.append("tables")
        missing = sorted(set(schema.metadata.tables) - tables)
        report.add(
            "missing_table", len(missing), missing,
            f"table(s) {', '.join(missing)} missing from a store at the latest schema version: "
            "restore a backup, or re-ingest the sources into a new store",
        )  # fmt: skip
    return tables


# -- the engine's checks --------------------------------------------------------------------------


def _sqlite_integrity(conn: Connection, report: CheckReport, quick: bool) -> None:
    pragma = "quick_check" if quick else "integrity_check"
    report.checks.append(f"sqlite {pragma}")
    try:
        found = [str(row[0]) for row in conn.exec_driver_sql(f"PRAGMA {pragma}(100)")]
    except DBAPIError as exc:  # damage bad enough that the check itself cannot walk the file
        found = [str(exc.orig).strip()]
    damage = [line for line in found if line != "ok"]
    report.add(
        "sqlite_integrity", len(damage), damage,
        f"SQLite's {pragma} found the file damaged (first: {damage[0] if damage else ''}): stop writing "
        f"to it, copy it aside, and restore a backup or recover it with `sqlite3 {report.where} .recover`",
    )  # fmt: skip


def _sqlite_foreign_keys(conn: Connection, report: CheckReport) -> None:
    report.checks.append("sqlite foreign_key_check")
    groups: dict[tuple[str, str, int], list[int]] = {}
    for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
        groups.setdefault((str(row[0]), str(row[2]), int(row[3])), []).append(int(row[1]))
    for (table, parent, fk_id), rowids in sorted(groups.items()):
        links = {
            int(r[0]): (str(r[3]), str(r[4]))
            for r in conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")')
        }
        column, target = links.get(fk_id, ("?", "?"))
        shown = rowids[:EXAMPLES]
        marks = ", ".join("?" for _ in shown)
        query = f'SELECT "{column}" FROM "{table}" WHERE rowid IN ({marks}) ORDER BY rowid'
        examples = [str(r[0]) for r in conn.exec_driver_sql(query, tuple(shown))]
        _orphans(report, (table, column, parent, target), len(rowids), examples)


def _foreign_keys_by_query(conn: Connection, report: CheckReport, tables: set[str]) -> None:
    report.checks.append("foreign keys")
    for table in schema.metadata.sorted_tables:
        if table.name not in tables:
            continue
        for fk in table.foreign_keys:
            child, parent = fk.parent, fk.column
            if parent.table.name not in tables:
                continue
            query = select(child).where(child.is_not(None), ~exists().where(parent == child))
            count, examples = _count_and_examples(conn, query)
            link = (table.name, child.name, parent.table.name, parent.name)
            _orphans(report, link, count, examples)


def _orphans(report: CheckReport, link: tuple[str, str, str, str], count: int, examples: list[str]) -> None:
    table, column, parent, target = link
    report.add(
        "foreign_key", count, examples,
        f"{count} row(s) of {table} point at {parent} rows that do not exist ({table}.{column} → "
        f"{parent}.{target}); {_REPORT_BUG}. Restore a backup, or delete them: "
        f"DELETE FROM {table} WHERE {column} NOT IN (SELECT {target} FROM {parent})",
    )  # fmt: skip


# -- veille's invariants --------------------------------------------------------------------------


def _count_and_examples(conn: Connection, query: Select[Any] | CompoundSelect[Any]) -> tuple[int, list[str]]:
    sub = query.subquery()
    count = int(conn.execute(select(func.count()).select_from(sub)).scalar_one())
    if not count:
        return 0, []
    first = sub.columns[0]
    examples = [str(v) for v in conn.execute(select(first).order_by(first).limit(EXAMPLES)).scalars()]
    return count, examples


def _invariants(conn: Connection, report: CheckReport, tables: set[str]) -> None:
    a, st, ev = schema.articles, schema.stories, schema.events
    original = a.alias("original")
    merges, failures, evidence = schema.story_merges, schema.stage_failures, schema.event_evidence
    reingest = "rerun `veille ingest` on the sources once the cause is fixed"
    checks: list[tuple[str, tuple[str, ...], Select[Any] | CompoundSelect[Any], Callable[[int], str]]] = [
        ("bad_status", ("articles",),
         select(a.c.id).where(a.c.status.not_in([KEPT, DUPLICATE, REJECTED])),
         lambda n: f"{n} article(s) have a status other than {KEPT}, {DUPLICATE} or {REJECTED}; "
         f"{_REPORT_BUG}"),
        ("duplicate_without_original", ("articles",),
         select(a.c.id).where(a.c.status == DUPLICATE, or_(
             a.c.duplicate_of.is_(None), ~exists().where(original.c.id == a.c.duplicate_of))),
         lambda n: f"{n} duplicate(s) point at no stored article (duplicate_of empty or unknown); "
         f"{_REPORT_BUG}"),
        ("duplicate_of_not_kept", ("articles",),
         select(a.c.id).join(original, original.c.id == a.c.duplicate_of)
         .where(a.c.status == DUPLICATE, original.c.status != KEPT),
         lambda n: f"{n} duplicate(s) point at an article that is not kept (a chain, or a rejected "
         "page): copy groups over 10,000 articles are left unresolved (logged at ingest); otherwise "
         f"{_REPORT_BUG}"),
        ("stray_duplicate_of", ("articles",),
         select(a.c.id).where(a.c.status != DUPLICATE, a.c.duplicate_of.is_not(None)),
         lambda n: f"{n} kept or rejected article(s) still name an original in duplicate_of; {_REPORT_BUG}"),
        ("copies_unresolved", ("articles",),
         select(a.c.content_hash).where(a.c.status == KEPT, a.c.content_hash.is_not(None))
         .group_by(a.c.content_hash).having(func.count() > 1),
         lambda n: f"{n} content hash(es) have more than one kept article (examples are hashes): copy "
         "groups over 10,000 articles are left unresolved (logged at ingest); otherwise "
         f"{_REPORT_BUG}"),
        ("failed_with_fingerprint", ("articles", "stage_failures"),
         select(a.c.id).where(a.c.fingerprint.is_not(None),
                              exists().where(failures.c.article_id == a.c.id)),
         lambda n: f"{n} article(s) a stage failed on have a fingerprint, so reruns will never retry "
         f"them; {_REPORT_BUG}"),
        ("article_story_missing", ("articles", "stories"),
         select(a.c.id).where(a.c.story_id.is_not(None), ~exists().where(st.c.id == a.c.story_id)),
         lambda n: f"{n} article(s) name a story the store does not hold; {_REPORT_BUG}; then {reingest}"),
        ("story_merge_missing", ("stories", "story_merges"),
         select(st.c.id).where(st.c.merged_into.is_not(None),
                               ~exists().where(st.alias("s2").c.id == st.c.merged_into))
         .union_all(select(merges.c.absorbed).where(
             ~exists().where(st.c.id == merges.c.survivor))),
         lambda n: f"{n} merged story(ies) point at a surviving story the store does not hold; "
         f"{_REPORT_BUG}"),
        ("event_without_evidence", ("events", "event_evidence"),
         select(ev.c.id).where(~exists().where(evidence.c.event_id == ev.c.id)),
         lambda n: f"{n} event(s) have no evidence left (each batch deletes those it leaves bare); "
         f"{_REPORT_BUG}"),
    ]  # fmt: skip
    for code, needs, query, message in checks:
        if not set(needs) <= tables:
            report.notes.append(f"{code}: not checked, the store has no {' or '.join(needs)} table")
            continue
        report.checks.append(code)
        count, examples = _count_and_examples(conn, query)
        report.add(code, count, examples, message(count))
    if {"story_articles", "articles"} <= tables:
        sa = schema.story_articles
        waiting = select(sa.c.article_id).where(~exists().where(a.c.id == sa.c.article_id))
        count, examples = _count_and_examples(conn, waiting)
        if count:
            # Stories are saved just before their batch's articles: an ingest stopped in between
            # leaves this, and the rerun stores the articles (each joins its story as "known").
            report.notes.append(
                f"{count} story membership(s) wait for their article (e.g. {', '.join(examples)}): an "
                "ingest stopped between saving stories and its batch; rerun it to store them"
            )


# -- SQLite full-text indexes ---------------------------------------------------------------------


def _sqlite_search_indexes(engine: Engine, conn: Connection, report: CheckReport, tables: set[str]) -> None:
    triggers = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    for fts, content in SEARCH_INDEXES.items():
        if content not in tables:
            continue
        if report.schema_version < LATEST_VERSION and fts not in tables:
            continue  # the migration that makes it has not run: schema_outdated says so
        report.checks.append(f"search index {fts}")
        rebuild = f"rebuild it: sqlite3 {report.where} \"INSERT INTO {fts}({fts}) VALUES ('rebuild')\""
        absent = [
            name
            for name in (fts, *(f"{fts}_{t}" for t in ("ai", "ad", "au")))
            if name not in tables | triggers
        ]
        if absent:
            report.add(
                "search_index_missing", len(absent), absent,
                f"the full-text index {fts} over {content} lacks {', '.join(absent)}: searches miss rows. "
                f"Open the store once with this veille (migrations recreate it), or {rebuild}",
            )  # fmt: skip
            continue
        unindexed = (
            f"SELECT c.rowid FROM {content} AS c WHERE NOT EXISTS "
            f"(SELECT 1 FROM {fts}_docsize AS d WHERE d.id = c.rowid) ORDER BY c.rowid"
        )
        stale = (
            f"SELECT d.id FROM {fts}_docsize AS d WHERE NOT EXISTS "
            f"(SELECT 1 FROM {content} AS c WHERE c.rowid = d.id) ORDER BY d.id"
        )
        missing = [int(r[0]) for r in conn.exec_driver_sql(unindexed)]
        extra = [int(r[0]) for r in conn.exec_driver_sql(stale)]
        key = "id" if content != "entity_aliases" else "key"
        marks = ", ".join("?" for _ in missing[:EXAMPLES])
        examples = [
            str(r[0])
            for r in conn.exec_driver_sql(
                f"SELECT {key} FROM {content} WHERE rowid IN ({marks}) ORDER BY rowid",
                tuple(missing[:EXAMPLES]),
            )
        ] if missing else []  # fmt: skip
        examples += [f"rowid {r}" for r in extra[:EXAMPLES]]
        report.add(
            "search_index_out_of_sync", len(missing) + len(extra), examples,
            f"the full-text index {fts} misses {len(missing)} row(s) of {content} and holds {len(extra)} "
            f"that no longer exist: searches give wrong results; {rebuild}",
        )  # fmt: skip
        if missing or extra:
            continue
        try:
            # Compares the index with the rows it indexes, term by term. It is an INSERT, so it
            # waits for a running ingest's write to commit; it changes nothing.
            with engine.connect() as probe:
                probe.exec_driver_sql(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")
                probe.rollback()
        except DBAPIError as exc:
            report.add(
                "search_index_corrupt", 1, [fts],
                f"the full-text index {fts} does not match the rows of {content} "
                f"({str(exc.orig).strip()}): searches give wrong results; {rebuild}",
            )  # fmt: skip
