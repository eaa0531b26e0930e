"""Ordered schema migrations, each applied once and recorded in `schema_migrations`.

Opening a store runs `migrate`, so a store is always at the version this code knows. Each step
runs in its own transaction together with the row that records it: a crash leaves the store
either before or after a step, never half-way. A store recorded at a version newer than the
last step here was written by a newer veille; we refuse it rather than guess at its shape.

Adding a step: append a `Migration` with the next version. Never edit a released step: stores in
the wild already ran it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from veille.errors import StoreError
from veille.store import schema
from veille.store import schema_workspace as ws
from veille.store.search import (
    accent_free_search,
    create_alias_search_index,
    create_quote_search_index,
    create_search_index,
)
from veille.store.stories import backfill_summaries


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[Connection], None]


def _create_tables(conn: Connection) -> None:
    # schema.py holds the v1 shape today. When a later step changes a table, give this step its
    # own frozen copy of the v1 tables first, so new stores still replay history step by step.
    tables = [
        schema.articles, schema.dropped_lines, schema.mentions, schema.minhashes, schema.copy_edges,
        schema.entities, schema.entity_aliases, schema.roles, schema.kb_entries, schema.quotes,
    ]  # fmt: skip
    schema.metadata.create_all(conn, tables=tables)


def _create_time_and_event_tables(conn: Connection) -> None:
    tables = [schema.timexes, schema.events, schema.event_participants, schema.event_evidence]
    schema.metadata.create_all(conn, tables=tables)


def _create_story_tables(conn: Connection) -> None:
    tables = [schema.stories, schema.story_keys, schema.story_articles, schema.story_merges]
    schema.metadata.create_all(conn, tables=tables)


def _create_stage_failures(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[schema.stage_failures])


def _create_workspace_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn, tables=[*ws.RUBRIQUE_TABLES, *ws.WATCH_TABLES, *ws.ACCOUNT_TABLES])


def _index_alias_keys(conn: Connection) -> None:
    for index in schema.entity_aliases.indexes:
        if index.name == "ix_entity_aliases_entity_key":
            index.create(conn, checkfirst=True)  # stores created since have it from step 1


def _create_index(conn: Connection, table: Table, name: str) -> None:
    for index in table.indexes:
        if index.name == name:
            index.create(conn, checkfirst=True)  # stores created since have it from their first step


def _summarise_stories(conn: Connection) -> None:
    backfill_summaries(conn)
    conn.execute(text("DROP INDEX IF EXISTS ix_stories_last_seen"))  # the list index starts with it
    _create_index(conn, schema.stories, "ix_stories_list")


def _index_quotes_for_search(conn: Connection) -> None:
    create_quote_search_index(conn)
    _create_index(conn, schema.articles, "ix_articles_id_published")


def _index_mentions_for_reads(conn: Connection) -> None:
    # The composite index by entity serves every lookup the one by entity alone served.
    conn.execute(text("DROP INDEX IF EXISTS ix_mentions_entity_id"))
    for name in ("ix_mentions_entity_text", "ix_mentions_article_entity"):
        _create_index(conn, schema.mentions, name)


MIGRATIONS: list[Migration] = [
    Migration(
        1,
        "create articles, dropped_lines, mentions, minhashes, copy_edges, entities, entity_aliases, "
        "roles, kb_entries and quotes",
        _create_tables,
    ),
    Migration(
        2, "create timexes, events, event_participants and event_evidence", _create_time_and_event_tables
    ),
    Migration(3, "create stories, story_keys, story_articles and story_merges", _create_story_tables),
    Migration(4, "create the full-text search index over articles", create_search_index),
    Migration(5, "create stage_failures", _create_stage_failures),
    Migration(
        6, "PostgreSQL: search ignoring accents where the unaccent extension exists", accent_free_search
    ),
    Migration(7, "create the rubriques, watchlists, accounts and comments tables", _create_workspace_tables),
    Migration(8, "index entity aliases by entity and key", _index_alias_keys),
    Migration(
        9,
        "stories: a summary column (the lists a reader is shown), written for every story; list index",
        _summarise_stories,
    ),
    Migration(
        10,
        "create the full-text search index over quotes; index article dates by id",
        _index_quotes_for_search,
    ),
    Migration(
        11,
        "index mentions by entity, text and article, and by article then entity",
        _index_mentions_for_reads,
    ),
    Migration(12, "index entity alias keys by trigrams for the entity search", create_alias_search_index),
]

LATEST_VERSION = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The highest recorded version, 0 for a store that has none yet."""
    version = conn.execute(select(func.max(schema.schema_migrations.c.version))).scalar_one()
    return int(version or 0)


def _check_not_newer(version: int, where: str) -> None:
    if version > LATEST_VERSION:
        raise StoreError(
            f"the store at {where} has schema version {version}, but this veille only knows up to "
            f"version {LATEST_VERSION}: it was written by a newer veille. "
            "Upgrade veille (pip install --upgrade veille) to open it."
        )


def migrate(engine: Engine, where: str | None = None) -> list[int]:
    """Apply the missing migrations; return the versions applied now (empty when up to date)."""
    where = where or engine.url.render_as_string(hide_password=True)
    with engine.begin() as conn:
        schema.schema_migrations.create(conn, checkfirst=True)
    applied: list[int] = []
    for step in MIGRATIONS:
        with engine.begin() as conn:
            # Read the version inside the step's transaction (an immediate one on SQLite): of two
            # processes opening a new store at once, the second sees the step done and skips it.
            # Elsewhere the version primary key makes the loser fail instead of applying twice.
            version = current_version(conn)
            _check_not_newer(version, where)
            if version >= step.version:
                continue
            step.apply(conn)
            conn.execute(
                insert(schema.schema_migrations).values(
                    version=step.version,
                    name=step.name,
                    applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
                )
            )
            applied.append(step.version)
    return applied
