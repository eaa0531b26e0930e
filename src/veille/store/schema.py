"""The store's tables, as SQLAlchemy Core objects shared by every dialect.

This module describes the *current* shape of the store. Changing it is not enough to change a
store on disk: every change needs a new step in `migrations.py`, which is what existing stores run.

Columns mirror `veille.model` field for field, plus the bookkeeping the engine needs
(`fingerprint`, `ingested_at`). Dates stay ISO 8601 text exactly as the source gave them: sources mix
plain dates and date-times, and rewriting them would lose what the source said; the one place that
compares them (`copies.copy_order_key`) normalises on the fly.

Text columns compare bytewise on every backend: SQLite does by default, and PostgreSQL gets the "C"
collation, since a server's locale collation (en_US, fr_FR) would order ids differently, and exports
(ordered by id) must not depend on the backend or on how the server was installed.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    false,
)

# Text ordered by code point everywhere (UTF-8 byte order is code point order).
Str = Text().with_variant(Text(collation="C"), "postgresql")

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Str, primary_key=True),
    Column("source_file", Str, nullable=False),
    Column("source_id", Str, nullable=False),
    Column("url", Str),
    Column("source_name", Str),
    Column("title", Str),
    Column("text", Str, nullable=False),
    Column("language", Str),
    Column("published", Str),
    Column("author", Str),
    Column("partial", Boolean, nullable=False, server_default=false()),
    Column("content_hash", Str),
    Column("status", Str, nullable=False),
    Column("reason", Str),
    Column("reason_detail", Str),
    Column("duplicate_of", Str),
    Column("story_id", Str),
    # The engine's hash of the raw record + pipeline version: equal means "skip on rerun".
    Column("fingerprint", Str),
    # First time this id was stored; upserts leave it alone so a rerun changes nothing.
    Column("ingested_at", Str, nullable=False),
    # The ingest run that last wrote the row: a run's own outcome is one query away.
    Column("run_id", Str),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_run_id", "run_id"),
    Index("ix_articles_status", "status"),
    # Quotes (and other rows) joined to their article's date read it here, not from the article's
    # row, where it sits after the text (the whole text would be walked for it). Migration 10.
    Index("ix_articles_id_published", "id", "published"),
    Index("ix_articles_source_file", "source_file"),
)

dropped_lines = Table(
    "dropped_lines",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("text", Str, nullable=False),
    Column("reason", Str, nullable=False),
    Index("ix_dropped_lines_reason", "reason"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("text", Str, nullable=False),
    Column("label", Str, primary_key=True),
    Column("entity_id", Str),
    # name | adjective | demonym | metonym (see `Mention.kind`).
    Column("kind", Str, nullable=False, server_default="name"),
    Index("ix_mentions_label", "label"),
    # Entity, text, article: an entity's mention count, its aliases by text (in index order, no
    # sort) and its articles (its page, the co-occurrences' first step, mentions by month) are read
    # from the index alone, without a row lookup per mention. Article, then entity: the
    # co-occurrences' second step (every entity of those articles) likewise. Migration 11 (the
    # index by entity alone before it).
    Index("ix_mentions_entity_text", "entity_id", "text", "article_id"),
    Index("ix_mentions_article_entity", "article_id", "entity_id"),
)

# The MinHash signature of each article's text, for the near-copy stage to rebuild its index
# (`Store.iter_signatures`). Stored, never exported: it is an internal, version-bound encoding.
minhashes = Table(
    "minhashes",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", LargeBinary, nullable=False),  # BLOB on SQLite, BYTEA on PostgreSQL
)

# Near-copy edges, each held once with a < b; the copy graph is these edges plus equal content hashes.
copy_edges = Table(
    "copy_edges",
    metadata,
    Column("a", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("b", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("similarity", Float, nullable=False),  # estimated Jaccard, 0..1
    # The primary key serves lookups by `a`; this one serves lookups by `b`.
    Index("ix_copy_edges_b", "b"),
)

# One row per resolved entity. `surname` and `given` are the parts of a person's name key
# (`veille.entities.names.person_parts`), so that linking "Carter" to the one known Carter is an
# indexed lookup; null for anything but PER. No foreign key from mentions: a mention may name an
# entity id this store has no row for (an older run, a hand-built article).
entities = Table(
    "entities",
    metadata,
    Column("id", Str, primary_key=True),
    Column("name", Str, nullable=False),
    Column("label", Str, nullable=False),
    Column("type", Str),
    Column("kb_id", Str),
    Column("surname", Str),
    Column("given", Str),
    Index("ix_entities_surname", "surname"),
    Index("ix_entities_label", "label"),
)

# Every name key an entity was seen under, with the first text seen for it. The primary key starts
# with (label, key), so it is the index `entity_for_alias` looks up; a second one would only slow
# writes down.
entity_aliases = Table(
    "entity_aliases",
    metadata,
    Column("entity_id", Str, ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    Column("label", Str, nullable=False),
    Column("key", Str, nullable=False),
    Column("text", Str, nullable=False),
    PrimaryKeyConstraint("label", "key", "entity_id"),
    Index("ix_entity_aliases_entity_id", "entity_id"),
    # Covers the alias search (keys grouped by entity) without a table lookup per alias: migration 8.
    Index("ix_entity_aliases_entity_key", "entity_id", "key"),
)

# The roles (titles) people hold as each article states them, replaced with the article.
roles = Table(
    "roles",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("entity_id", Str, ForeignKey("entities.id"), nullable=False),
    Column("title", Str, nullable=False),
    Column("organisation", Str),
    Column("country", Str),
    Column("country_entity_id", Str),
    Column("date", Str),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Index("ix_roles_entity_id", "entity_id"),
)

# Quotations found in each article, replaced with it. `start`/`end` span the words inside the
# quotation marks (or an indirect quote's reported content); the speaker and cue keep their own
# spans. `speaker_entity_id` has no foreign key, like mentions: an entity id may have no row here.
quotes = Table(
    "quotes",
    metadata,
    Column("id", Str, primary_key=True),
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Str, nullable=False),
    Column("kind", Str, nullable=False),  # direct | partial | indirect
    Column("speaker_text", Str),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("speaker_entity_id", Str),
    Column("speaker_name", Str),
    Column("speaker_kind", Str),  # person | organisation | anonymous | collective
    Column("cue", Str),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Index("ix_quotes_article_id", "article_id"),
    Index("ix_quotes_speaker_entity_id", "speaker_entity_id"),
)

# Time expressions found in each article, replaced with it (TIMEX3 value, None when unknown).
timexes = Table(
    "timexes",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("text", Str, nullable=False),
    Column("type", Str, nullable=False),  # DATE | TIME | DURATION | SET
    Column("value", Str),
    Column("mod", Str),
)

# Events are shared across articles: one row per event, whatever the number of articles telling
# it; each article's telling is a row of `event_evidence`, replaced with the article. An event
# left with no evidence is deleted. Entity ids have no foreign key, like mentions.
events = Table(
    "events",
    metadata,
    Column("id", Str, primary_key=True),
    Column("type", Str, nullable=False),
    Column("cameo", Str, nullable=False),
    Column("trigger", Str, nullable=False),
    Column("date", Str),  # TIMEX3 value
    Column("location_entity_id", Str),
    Column("location_name", Str),
    Index("ix_events_type_date", "type", "date"),
)

event_participants = Table(
    "event_participants",
    metadata,
    Column("event_id", Str, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", Str, primary_key=True),  # agent | target | attendee | absent …
    Column("name", Str, primary_key=True),
    Column("entity_id", Str),
    Index("ix_event_participants_entity_id", "entity_id"),
)

event_evidence = Table(
    "event_evidence",
    metadata,
    Column("event_id", Str, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("modality", Str, nullable=False),  # planned | happened | negated | claimed
    Index("ix_event_evidence_article_id", "article_id"),
)

# Stories: one row per story, its clustering state as JSON (`veille.stories.state.StoryState`), the
# columns users filter on beside it. `seq` orders saves, so that an index lookup reads a key's most
# recently active stories first. A merged story keeps its row with `merged_into` set: its id still
# answers, through the survivor. `summary` is what a reader is shown (`Story`'s lists: articles,
# sources, top entities, events, undated articles) as a small JSON object written with the state,
# so that lists and pages never parse the state (tens of kB: terms, embedding, headlines); with the
# title, dates, size and independent sources beside it, a row is a whole `Story` (migration 9).
stories = Table(
    "stories",
    metadata,
    Column("id", Str, primary_key=True),
    Column("title", Text),
    Column("first_seen", Str),
    Column("last_seen", Str),
    Column("size", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("merged_into", Str),
    Column("seq", Integer, nullable=False),
    Column("state", Text, nullable=False),
    Column("summary", Text),
    # Covers the story list's filter and order (live, span, size, id): a page, even one of a date
    # range that most stories miss, reads index entries until it is full, then only its own rows,
    # never the rows (large states) of the stories it skips. Migration 9 (by last_seen alone before).
    Index("ix_stories_list", "last_seen", "first_seen", "merged_into", "size", "id"),
)

# The candidate index: entity ids, event ids and rare terms → live stories.
story_keys = Table(
    "story_keys",
    metadata,
    Column("key", Str, primary_key=True),
    Column("story_id", Str, ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, nullable=False),
    Index("ix_story_keys_key_seq", "key", "seq"),
)

# Which story each clustered article joined first (merges followed on read). No foreign key to
# articles: the stage saves stories before the engine stores the batch's articles.
story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", Str, primary_key=True),
    Column("story_id", Str, ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    Index("ix_story_articles_story_id", "story_id"),
)

story_merges = Table(
    "story_merges",
    metadata,
    Column("absorbed", Str, primary_key=True),
    Column("survivor", Str, nullable=False),
)

# Knowledge-base entries imported with `veille kb import`, each a `KbEntry` as a JSON object, so
# that every run merges them into the built-in base again.
kb_entries = Table(
    "kb_entries",
    metadata,
    Column("id", Str, primary_key=True),
    Column("data", Text, nullable=False),
)

# A stage that raised on one article (see `veille.pipeline.run_stage`): the article is stored
# without that stage's output and with no fingerprint, so the next run processes it again.
stage_failures = Table(
    "stage_failures",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("stage", Str, nullable=False),
    Column("error", Str, nullable=False),
    Index("ix_stage_failures_stage", "stage"),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("applied_at", Text, nullable=False),
)
