"""`veille check` (`veille.store.check`): a clean store passes on both backends; each corruption we
can make by hand is reported under its code, with the ids it concerns."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from cli_runner import veille
from veille.model import Article
from veille.store import Store, schema
from veille.store.check import check_store, open_for_check
from veille.store.migrations import LATEST_VERSION

# The veille invariants: SQL that breaks exactly one (portable to SQLite and PostgreSQL), the code
# the check must report, and an id it must name.
CORRUPTIONS = [
    ("bad_status", "UPDATE articles SET status = 'lost' WHERE id = 'qa'", "qa"),
    ("duplicate_without_original", "UPDATE articles SET duplicate_of = 'gone' WHERE id = 'd1'", "d1"),
    ("duplicate_of_not_kept", "UPDATE articles SET status = 'rejected' WHERE id = 'k1'", "d1"),
    ("stray_duplicate_of", "UPDATE articles SET duplicate_of = 'k1' WHERE id = 'qa'", "qa"),
    ("copies_unresolved", "UPDATE articles SET status = 'kept', duplicate_of = NULL WHERE id = 'd1'",
     "h-shared"),
    ("failed_with_fingerprint", "INSERT INTO stage_failures VALUES ('k1', 0, 'quotes', 'boom')", "k1"),
    ("article_story_missing", "UPDATE articles SET story_id = 's_gone' WHERE id = 'k1'", "k1"),
    ("story_merge_missing", "INSERT INTO story_merges (absorbed, survivor) VALUES ('s_a', 's_gone')", "s_a"),
    (
        "event_without_evidence",
        "INSERT INTO events (id, type, cameo, trigger) VALUES ('ev_bare', 'meeting', '04', 'réunion')",
        "ev_bare",
    ),
]  # fmt: skip


@pytest.fixture
def filled(store: Store, make_article: Callable[..., Article], quoted_article: Article) -> Store:
    """A store with a kept article, its exact copy (a duplicate) and an article with mentions,
    an entity and quotes; every article stored with a fingerprint, as the engine stores them."""
    first = make_article("k1", "Le conseil de guerre se réunit à Paris.", content_hash="h-shared",
                         published="2016-01-20")  # fmt: skip
    copy = make_article("d1", "Le conseil de guerre se réunit à Paris.", content_hash="h-shared",
                        published="2016-01-21")  # fmt: skip
    batch = [first, copy, quoted_article]
    store.upsert(batch, {a.id: f"fp-{a.id}" for a in batch})
    return store


def _corrupt(store: Store, sql: str) -> None:
    with store._write() as conn:
        conn.execute(text(sql))


def test_check_clean_store_passes(filled: Store) -> None:
    duplicate = filled.get_article("d1")
    assert duplicate is not None and duplicate.duplicate_of == "k1"  # the base really has a copy group
    report = check_store(filled)
    assert report.ok, report.problems
    assert report.schema_version == LATEST_VERSION
    assert {"schema version", "duplicate_of_not_kept", "event_without_evidence"} <= set(report.checks)
    if report.backend == "sqlite":
        assert {"sqlite integrity_check", "sqlite foreign_key_check", "search index articles_fts"} <= set(
            report.checks
        )
    else:
        assert "foreign keys" in report.checks
        assert any(note.startswith("engine-level integrity check skipped") for note in report.notes)


@pytest.mark.parametrize(("code", "sql", "example"), CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_check_invariant_broken_is_reported(filled: Store, code: str, sql: str, example: str) -> None:
    _corrupt(filled, sql)
    report = check_store(filled)
    found = {p.code: p for p in report.problems}
    assert code in found, report.problems
    assert found[code].count == 1 and example in found[code].examples
    assert "report it" in found[code].message  # says what to do, not only what is wrong


def test_check_article_deleted_under_its_mentions_is_reported(filled: Store) -> None:
    if filled.engine.dialect.name == "sqlite":
        with sqlite3.connect(filled.where) as conn:  # foreign keys are off by default in sqlite3
            conn.execute("DELETE FROM articles WHERE id = 'qa'")
    else:
        with filled._write() as conn:  # only a superuser can switch the constraints off
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("DELETE FROM articles WHERE id = 'qa'"))
    report = check_store(filled)
    orphans = [p for p in report.problems if p.code == "foreign_key"]
    tables = {p.message.split(" row(s) of ")[1].split(" ")[0] for p in orphans}
    assert {"mentions", "quotes"} <= tables
    assert all(p.examples == ("qa",) * len(p.examples) for p in orphans)
    mentions = next(p for p in orphans if " of mentions " in p.message)
    assert mentions.count == 1
    assert "DELETE FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)" in mentions.message


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (f"DELETE FROM schema_migrations WHERE version = {LATEST_VERSION}", "schema_outdated"),
        (
            f"INSERT INTO schema_migrations VALUES ({LATEST_VERSION + 1}, 'from the future', '2099-01-01')",
            "schema_newer",
        ),
        ("DELETE FROM schema_migrations WHERE version = 5", "schema_gap"),
    ],
)
def test_check_wrong_schema_version_is_reported(filled: Store, change: str, code: str) -> None:
    with filled.engine.connect() as conn:  # put back after: the PostgreSQL database is the session's
        recorded = conn.execute(text("SELECT * FROM schema_migrations")).mappings().all()
    _corrupt(filled, change)
    try:
        report = check_store(filled)
    finally:
        with filled._write() as conn:
            conn.execute(text("DELETE FROM schema_migrations"))
            conn.execute(schema.schema_migrations.insert(), [dict(row) for row in recorded])
    assert code in report.codes(), report.problems


def test_check_story_waiting_for_its_article_is_a_note(filled: Store) -> None:
    # What an ingest killed between saving its stories and writing its batch leaves: not damage.
    _corrupt(
        filled,
        "INSERT INTO stories (id, size, independent_sources, seq, state) VALUES ('s1', 1, 1, 1, '{}')",
    )
    _corrupt(filled, "INSERT INTO story_articles VALUES ('a_next', 's1')")
    report = check_store(filled)
    assert report.ok, report.problems
    assert any("1 story membership(s) wait for their article (e.g. a_next)" in n for n in report.notes)


# -- SQLite only: the file and the full-text indexes ---------------------------------------------


@pytest.fixture
def sqlite_filled(filled: Store) -> Store:
    if filled.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 indexes; PostgreSQL indexes an expression, nothing to desync")
    return filled


def test_check_search_row_dropped_is_reported(sqlite_filled: Store) -> None:
    with sqlite3.connect(sqlite_filled.where) as conn:
        row = conn.execute("SELECT rowid, title, text FROM articles WHERE id = 'k1'").fetchone()
        conn.execute(
            "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)", row
        )
    report = check_store(sqlite_filled)
    (problem,) = report.problems
    assert (problem.code, problem.count, problem.examples) == ("search_index_out_of_sync", 1, ("k1",))
    assert "VALUES ('rebuild')" in problem.message


def test_check_search_index_with_stale_terms_is_reported(sqlite_filled: Store) -> None:
    with sqlite3.connect(sqlite_filled.where) as conn:
        (trigger,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'quotes_fts_au'").fetchone()
        conn.execute("DROP TRIGGER quotes_fts_au")
        conn.execute("UPDATE quotes SET text = 'tout autre chose'")  # the index keeps the old words
        conn.execute(trigger)
    report = check_store(sqlite_filled)
    assert report.codes() == {"search_index_corrupt"}
    assert report.problems[0].examples == ("quotes_fts",)


def test_check_search_trigger_missing_is_reported(sqlite_filled: Store) -> None:
    with sqlite3.connect(sqlite_filled.where) as conn:
        conn.execute("DROP TRIGGER articles_fts_ai")
    report = check_store(sqlite_filled)
    assert [(p.code, p.examples) for p in report.problems] == [("search_index_missing", ("articles_fts_ai",))]


def test_check_damaged_file_is_reported(sqlite_filled: Store) -> None:
    sqlite_filled.engine.dispose()  # no pooled connection holds pages in memory
    with sqlite3.connect(sqlite_filled.where) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
        (page,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_articles_status'"
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    with Path(sqlite_filled.where).open("r+b") as fh:  # a torn page: an index page overwritten
        fh.seek((page - 1) * size)
        fh.write(b"\xff" * size)
    report = check_store(sqlite_filled)
    assert "sqlite_integrity" in report.codes(), report.problems
    problem = next(p for p in report.problems if p.code == "sqlite_integrity")
    assert f"`sqlite3 {sqlite_filled.where} .recover`" in problem.message


# -- the command -----------------------------------------------------------------------------------


def test_check_cli_exit_codes(
    sqlite_filled: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = sqlite_filled.where
    code, out, _ = veille(monkeypatch, capsys, "check", "--db", db)
    assert (
        code == 0 and "clean: " in out and f"checks on {db} (sqlite, schema version {LATEST_VERSION})" in out
    )
    _corrupt(sqlite_filled, "UPDATE articles SET duplicate_of = 'gone' WHERE id = 'd1'")
    code, out, _ = veille(monkeypatch, capsys, "check", "--db", db, "--quick")
    assert code == 1
    assert "duplicate_without_original" in out and "not clean" in out
    missing = tmp_path / "absent.db"
    code, _, err = veille(monkeypatch, capsys, "check", "--db", str(missing))
    assert code == 2
    assert f"no store at {missing}: pass --db with the path of an existing veille store" in err
    assert not missing.exists()  # checking never creates a store


def test_check_does_not_migrate_an_old_store(sqlite_filled: Store) -> None:
    _corrupt(sqlite_filled, f"DELETE FROM schema_migrations WHERE version = {LATEST_VERSION}")
    engine, where = open_for_check(sqlite_filled.where)
    report = check_store(Store(engine, where))
    engine.dispose()
    assert report.codes() == {"schema_outdated"}
    assert f"`veille stats --db {where}`" in report.problems[0].message
    with sqlite3.connect(where) as conn:
        assert conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == LATEST_VERSION - 1
