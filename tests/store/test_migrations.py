from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from veille.errors import StoreError
from veille.store import Store
from veille.store.migrations import LATEST_VERSION, MIGRATIONS


def _recorded(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()


def test_migrations_recorded_once_and_not_reapplied(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    Store.open(str(db)).close()
    first = _recorded(db)
    assert first == [(m.version, m.name) for m in MIGRATIONS]
    with Store.open(f"sqlite:///{db}") as store:  # the URL form opens the same file
        assert store.counts()["articles"] == 0
    assert _recorded(db) == first


def test_migrations_newer_store_refused(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    Store.open(str(db)).close()
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', '2099-01-01')",
                     (LATEST_VERSION + 1,))  # fmt: skip
    with pytest.raises(StoreError) as err:
        Store.open(str(db))
    assert str(err.value) == (
        f"the store at {db} has schema version {LATEST_VERSION + 1}, but this veille only knows up to "
        f"version {LATEST_VERSION}: it was written by a newer veille. "
        "Upgrade veille (pip install --upgrade veille) to open it."
    )


def test_migrations_not_a_database_file_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("ceci n'est pas une base\n" * 10, encoding="utf-8")
    with pytest.raises(StoreError) as err:
        Store.open(str(notes))
    assert str(err.value) == (
        f"{notes} is not a veille store (it is not a SQLite database); "
        "pass --db with a new file name or the path of an existing veille store"
    )
    assert notes.read_text(encoding="utf-8").startswith("ceci")  # left untouched


def test_migrations_foreign_sqlite_database_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recettes (nom TEXT)")
    with pytest.raises(
        StoreError, match=r"is not a veille store \(it is a SQLite database of another application\)"
    ):
        Store.open(str(other))


def test_migrations_missing_parent_folder_message(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "veille.db"
    with pytest.raises(StoreError) as err:
        Store.open(str(target))
    assert str(err.value) == (
        f"cannot create the store at {target}: folder {target.parent} does not exist; "
        "create it or pass --db with an existing folder"
    )
    assert not target.parent.exists()


def test_migrations_empty_file_becomes_a_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()  # an empty file is an empty SQLite database: fine to start a store in
    Store.open(str(empty)).close()
    assert _recorded(empty)[-1][0] == LATEST_VERSION
