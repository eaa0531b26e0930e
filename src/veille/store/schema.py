"""The store's tables, as SQLAlchemy Core objects shared by every dialect.

This module describes the *current* shape of the store. Changing it is not enough to change a
store on disk: every change needs a new step in `migrations.py`, which is what existing stores run.

Columns mirror `veille.model` field for field, plus the bookkeeping the engine needs
(`fingerprint`, `ingested_at`). Dates stay ISO 8601 text exactly as the source gave them: sources mix
plain dates and date-times, and rewriting them would lose what the source said; the one place that
compares them (`copies.copy_order_key`) normalises on the fly.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, Table, Text

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", Text, primary_key=True),
    Column("source_file", Text, nullable=False),
    Column("source_id", Text, nullable=False),
    Column("url", Text),
    Column("source_name", Text),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("language", Text),
    Column("published", Text),
    Column("content_hash", Text),
    Column("status", Text, nullable=False),
    Column("reason", Text),
    Column("reason_detail", Text),
    Column("duplicate_of", Text),
    Column("story_id", Text),
    # The engine's hash of the raw record + pipeline version: equal means "skip on rerun".
    Column("fingerprint", Text),
    # First time this id was stored; upserts leave it alone so a rerun changes nothing.
    Column("ingested_at", Text, nullable=False),
    # The ingest run that last wrote the row: a run's own outcome is one query away.
    Column("run_id", Text),
    Index("ix_articles_content_hash", "content_hash"),
    Index("ix_articles_run_id", "run_id"),
    Index("ix_articles_status", "status"),
    Index("ix_articles_source_file", "source_file"),
)

dropped_lines = Table(
    "dropped_lines",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_dropped_lines_reason", "reason"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("article_id", Text, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("start", Integer, primary_key=True),
    Column("end", Integer, primary_key=True),
    Column("text", Text, nullable=False),
    Column("label", Text, primary_key=True),
    Column("entity_id", Text),
    Index("ix_mentions_label", "label"),
    Index("ix_mentions_entity_id", "entity_id"),
)

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("applied_at", Text, nullable=False),
)
