"""The stories table's summary column (migration 9): story reads built from it equal what the full
state says, on SQLite and PostgreSQL, and a store at schema version 8 migrates and back-fills it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import inspect, select, text

from veille.api.reads import quotes_containing
from veille.errors import StoreError
from veille.model import Article, Quote
from veille.store import Store, schema
from veille.store.migrations import current_version
from veille.stories.features import TimelineEntry
from veille.stories.state import Headline, StoryState


def rich_state(sid: str, day: str, *, n: int = 3) -> StoryState:
    """A state with every part a reader is shown: sources (one unnamed), a copy, an undated article,
    ranked entities, events out of date order, several headlines."""
    articles = [f"{sid}_a{i}" for i in range(n)]
    return StoryState(
        id=sid, article_ids=articles, first_seen=day, last_seen=day[:8] + "28",
        terms={"grève": 3.0, "rail": 2.0, "sncf": 1.0}, embedding=[0.1, 0.2], embedded=2,
        entities={"ent_sncf": 2.0, "ent_paris": 5.0, "ent_borne": 1.0},
        events=[TimelineEntry("ev_2", "strike", None, "grève"),
                TimelineEntry("ev_1", "meeting", day, "réunion")],
        sources={"Le Monde": 1, "AFP": 2},
        article_sources={articles[0]: "AFP", articles[1]: "Le Monde", articles[2]: None},
        copies={articles[2]: articles[0]}, undated=[articles[-1]],
        headlines=[Headline(articles[0], "Grève à la SNCF", {"grève": 1.0, "sncf": 1.0}),
                   Headline(articles[1], "Le rail à l'arrêt", {"rail": 1.0})],
        keys=["e:ent_sncf", f"t:{sid}"],
    )  # fmt: skip


def test_story_summary_reads_equal_the_full_state(store: Store) -> None:
    first, second, absorbed = (
        rich_state("s1", "2020-06-02"),
        rich_state("s2", "2020-07-03"),
        rich_state("s3", "2020-07-04"),
    )
    store.save([first, second, absorbed], [])
    second.absorb(absorbed)
    store.save([second, absorbed], [("s3", "s2")])
    assert store.get_story("s1") == first.to_story()
    assert store.get_story("s3") == second.to_story()  # a merged id answers with its survivor
    assert store.find_stories() == [second.to_story(), first.to_story()]
    assert list(store.iter_stories()) == [first.to_story(), second.to_story()]
    story = store.get_story("s1")
    assert story is not None and set(story.entity_ids) == {"ent_paris", "ent_sncf", "ent_borne"}
    assert story.event_ids == ["ev_1", "ev_2"] and story.sources == ["AFP", "Le Monde"]


def test_story_summary_list_pages_and_filters(store: Store) -> None:
    states = [rich_state(f"s{i}", f"2020-0{5 + i % 4}-1{i % 10}") for i in range(8)]
    store.save(states, [])
    everything = store.find_stories(limit=100)
    assert len(everything) == 8
    assert store.find_stories(limit=3, offset=2) == everything[2:5]
    assert store.find_stories(limit=3, offset=7) == everything[7:]
    june = store.find_stories(date_from="2020-06", date_to="2020-06")
    assert june and {s.id for s in june} == {
        s.id for s in everything if s.first_seen and s.first_seen[:7] == "2020-06"
    }
    named = store.find_stories(entity_ids=["ent_sncf"], limit=2, offset=1)
    assert named == everything[1:3]


def downgrade_to_v8(store: Store) -> None:
    """Take a store back to its shape at schema version 8, as a veille of that version left it."""
    with store._write() as conn:
        conn.execute(text("DELETE FROM schema_migrations WHERE version >= 9"))
        conn.execute(text("ALTER TABLE stories DROP COLUMN summary"))
        if conn.dialect.name == "sqlite":
            for fts in ("quotes_fts", "aliases_fts"):
                for trigger in ("ai", "ad", "au"):
                    conn.execute(text(f"DROP TRIGGER {fts}_{trigger}"))
                conn.execute(text(f"DROP TABLE {fts}"))
        else:
            conn.execute(text("DROP INDEX ix_quotes_search"))
            conn.execute(text("DROP INDEX IF EXISTS ix_entity_aliases_key_trgm"))
        conn.execute(text("DROP INDEX ix_stories_list"))
        conn.execute(text("CREATE INDEX ix_stories_last_seen ON stories (last_seen)"))
        conn.execute(text("DROP INDEX ix_articles_id_published"))
        conn.execute(text("DROP INDEX ix_mentions_entity_text"))
        conn.execute(text("DROP INDEX ix_mentions_article_entity"))
        conn.execute(text("CREATE INDEX ix_mentions_entity_id ON mentions (entity_id)"))


def _index_names(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return {index["name"] or "" for index in inspect(conn).get_indexes("mentions")}


def test_story_summary_migration_backfills_a_version_8_store(
    open_store: Callable[[], Store], make_article: Callable[..., Article], make_quote: Callable[..., Quote]
) -> None:
    store = open_store()
    where = store.where
    states = [rich_state(f"s{i}", f"2020-06-1{i}") for i in range(3)]
    store.save(states, [])
    article = make_article("a1", "« Nous tiendrons Mossoul », a déclaré le ministre.", published="2016-01-20")
    article.quotes = [make_quote(article, "Nous tiendrons Mossoul", speaker="le ministre")]
    store.upsert([article])
    downgrade_to_v8(store)
    with store.engine.connect() as conn:
        assert current_version(conn) == 8
        columns = {column["name"] for column in inspect(conn).get_columns("stories")}
    assert "summary" not in columns and "ix_mentions_entity_id" in _index_names(store)
    store.close()
    with Store.open(where) as reopened:
        with reopened.engine.connect() as conn:
            assert current_version(conn) >= 12
            summaries = conn.execute(select(schema.stories.c.summary)).scalars().all()
        assert len(summaries) == 3 and all(summaries)
        assert [reopened.get_story(s.id) for s in states] == [s.to_story() for s in states]
        # Quotes stored before their index existed are found through it (migration 10).
        assert [q.id for q in quotes_containing(reopened.engine, ["mossoul"])] == [article.quotes[0].id]
        names = _index_names(reopened)
        assert {"ix_mentions_entity_text", "ix_mentions_article_entity"} <= names
        assert "ix_mentions_entity_id" not in names


def test_story_summary_missing_names_the_fix(store: Store) -> None:
    store.save([rich_state("s1", "2020-06-02")], [])
    with store._write() as conn:  # as a foreign tool writing the table might leave it
        conn.execute(text("UPDATE stories SET summary = NULL"))
    with pytest.raises(StoreError, match=r"story 's1' has no summary.*ingest its articles again"):
        store.find_stories()
