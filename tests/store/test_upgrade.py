"""Upgrades (issue 11): a store written at an older schema version opens with today's code, migrates,
and keeps its rows.

The old store is built from the migration steps themselves (`MIGRATIONS[:version]`, each recorded as
`migrate` records it), not from a binary file, then filled with rows of that version's tables; the
shape of a table changed later is covered by test_story_summary.py (back to version 8).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, insert, select

from pg_store import fresh_database
from veille.entities.names import name_key, person_parts
from veille.store import Store, schema
from veille.store.check import check_store
from veille.store.connect import sqlite_engine, store_url
from veille.store.migrations import LATEST_VERSION, MIGRATIONS, current_version
from veille.store.search import search_articles, search_quotes

TEXT = "« C’est le moment d’accroître nos efforts », a plaidé Jean-Yves Le Drian à Paris."
NAME = "Jean-Yves Le Drian"


def build_at(engine: Engine, version: int) -> None:
    """A store at `version`: steps 1..version applied and recorded, one transaction each."""
    with engine.begin() as conn:
        schema.schema_migrations.create(conn)
    for step in MIGRATIONS[:version]:
        with engine.begin() as conn:
            step.apply(conn)
            stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat(timespec="seconds")
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=step.version, name=step.name, applied_at=stamp
                )
            )


def _article(article_id: str, **fields: Any) -> dict[str, Any]:
    row = {
        "id": article_id, "source_file": f"seeds/{article_id}.txt", "source_id": "", "url": None,
        "source_name": "Exemple", "title": "Le conseil de guerre", "text": TEXT, "language": "fr",
        "published": "2016-01-20", "author": None, "partial": False, "content_hash": "h-conseil",
        "status": "kept", "reason": None, "reason_detail": None, "duplicate_of": None, "story_id": None,
        "fingerprint": f"fp-{article_id}", "ingested_at": "2026-01-01T00:00:00+00:00", "run_id": "r1",
    }  # fmt: skip
    row.update(fields)
    return row


def fill_version_1(engine: Engine) -> None:
    """Rows in every table of schema version 1, as an ingest of that version would leave them."""
    start = TEXT.index(NAME)
    key = name_key(NAME, person=True)
    given, surname = person_parts(key)
    quote_start = TEXT.index("C’est")
    rows: list[tuple[Any, list[dict[str, Any]]]] = [
        (schema.articles, [
            _article("k1"),
            _article("d1", published="2016-01-21", status="duplicate", duplicate_of="k1"),
        ]),
        (schema.dropped_lines, [{"article_id": "k1", "position": 0, "text": "Partager",
                                 "reason": "boilerplate:share"}]),
        (schema.mentions, [
            {"article_id": "k1", "start": start, "end": start + len(NAME), "text": NAME, "label": "PER",
             "entity_id": "ent_ld", "kind": "name"},
        ]),
        (schema.minhashes, [{"article_id": "k1", "signature": b"\x01\x02"}]),
        (schema.copy_edges, [{"a": "d1", "b": "k1", "similarity": 1.0}]),
        (schema.entities, [{"id": "ent_ld", "name": NAME, "label": "PER", "type": "person", "kb_id": None,
                            "surname": surname, "given": given}]),
        (schema.entity_aliases, [{"entity_id": "ent_ld", "label": "PER", "key": key, "text": NAME}]),
        (schema.roles, [{"article_id": "k1", "position": 0, "entity_id": "ent_ld", "title": "ministre",
                         "organisation": None, "country": None, "country_entity_id": None,
                         "date": "2016-01-20", "start": start, "end": start + len(NAME)}]),
        (schema.kb_entries, [{"id": "Q1", "data": '{"id": "Q1", "label": "Paris"}'}]),
        (schema.quotes, [{"id": "q1", "article_id": "k1", "start": quote_start,
                          "end": quote_start + len("C’est le moment d’accroître nos efforts"),
                          "text": "C’est le moment d’accroître nos efforts", "kind": "direct",
                          "speaker_text": NAME, "speaker_entity_id": "ent_ld", "speaker_name": NAME,
                          "speaker_kind": "person", "cue": "a plaidé"}]),
    ]  # fmt: skip
    with engine.begin() as conn:
        for table, values in rows:
            conn.execute(insert(table), values)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where to build an old store: a new SQLite file, or a new PostgreSQL database (the session's
    one already holds the latest schema)."""
    if request.param == "sqlite":
        yield str(tmp_path / "old.db")
        return
    with fresh_database("veille_upgrade_") as url:
        yield url


def old_store(where: str, version: int, fill: Callable[[Engine], None]) -> None:
    url = store_url(where)
    engine = sqlite_engine(url) if url.get_backend_name() == "sqlite" else create_engine(url)
    try:
        build_at(engine, version)
        fill(engine)
        with engine.connect() as conn:
            assert current_version(conn) == version
    finally:
        engine.dispose()


def test_upgrade_version_1_store_migrates_and_keeps_its_rows(empty_db: str) -> None:
    old_store(empty_db, 1, fill_version_1)
    with Store.open(empty_db) as store:
        with store.engine.connect() as conn:
            recorded = conn.execute(select(schema.schema_migrations.c.version)).scalars().all()
            kb = conn.execute(select(func.count()).select_from(schema.kb_entries)).scalar_one()
        assert sorted(recorded) == list(range(1, LATEST_VERSION + 1))
        kept, copy = store.get_article("k1"), store.get_article("d1")
        assert kept is not None and copy is not None
        assert (kept.title, kept.text) == ("Le conseil de guerre", TEXT)
        assert [line.text for line in kept.dropped_lines] == ["Partager"]
        assert [(m.text, m.entity_id) for m in kept.mentions] == [(NAME, "ent_ld")]
        assert [q.id for q in kept.quotes] == ["q1"] and kept.quotes[0].speaker_entity_id == "ent_ld"
        assert kept.near_copies == [("d1", 1.0)] and kept.minhash == b"\x01\x02"
        assert (copy.status, copy.duplicate_of) == ("duplicate", "k1")
        entity = store.get_entity("ent_ld")
        assert entity is not None and entity.roles[0].title == "ministre" and kb == 1
        # Indexes made by later steps cover the rows written before them (4, 10, 12).
        assert [hit.article_id for hit in search_articles(store.engine, "moment efforts")] == ["k1"]
        assert [row.id for row in search_quotes(store.engine, ["accroître"])] == ["q1"]
        assert [e.id for e in store.find_entities("drian")] == ["ent_ld"]
        report = check_store(store)
        assert report.ok, report.problems
    # Fingerprints survive too: a rerun of the same input still skips these articles.
    with Store.open(empty_db) as store:
        assert store.fingerprints(["k1", "d1"]) == {"k1": "fp-k1", "d1": "fp-d1"}


def _one_article(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(schema.articles), [_article("k1")])
        conn.execute(
            insert(schema.mentions),
            [{"article_id": "k1", "start": 0, "end": 1, "text": "«", "label": "MISC", "entity_id": None}],
        )


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
def test_upgrade_from_every_older_version(tmp_path: Path, version: int) -> None:
    where = str(tmp_path / "old.db")
    old_store(where, version, _one_article)
    with Store.open(where) as store:
        with store.engine.connect() as conn:
            assert current_version(conn) == LATEST_VERSION
        article = store.get_article("k1")
        assert article is not None and article.text == TEXT and len(article.mentions) == 1
        assert [hit.article_id for hit in search_articles(store.engine, "moment")] == ["k1"]
        report = check_store(store)
        assert report.ok, report.problems
