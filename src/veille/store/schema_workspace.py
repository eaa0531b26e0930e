"""Tables of the analysts' workspace (issue 9): rubriques, watchlists and their matches, accounts
and comments. Store migration 7 creates them all; each feature's module reads and writes its own.

They live on the same `metadata` as the core tables, apart from schema.py so that the workspace can
grow without touching the analysis tables. Ids are content-derived or random tokens stored hashed
(sessions, invitations): a leaked database gives no live session.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, Table, Text

from veille.store.schema import Str, metadata

# -- rubriques -----------------------------------------------------------------------------------
# An article's rubriques, best first (`rank` 0 is its primary one). `source` is "auto" (the
# classifier) or "override" (a user's choice, which re-ingesting never replaces). Both sets are
# kept side by side: an article with override rows shows those, and removing the override brings
# the classifier's back without a re-ingest.
article_rubriques = Table(
    "article_rubriques",
    metadata,
    Column("article_id", Str, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("source", Str, primary_key=True),
    Column("rubrique", Str, primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("user_id", Str),  # who set an override (None for "auto", or an override from the CLI)
    Column("set_at", Str),  # when an override was set (ISO 8601, UTC)
    Index("ix_article_rubriques_rubrique", "rubrique", "source"),
)

# -- watchlists ----------------------------------------------------------------------------------
watchlists = Table(
    "watchlists",
    metadata,
    Column("id", Str, primary_key=True),
    Column("name", Str, nullable=False, unique=True),
    Column("query", Text, nullable=False),  # the saved query as JSON
    Column("webhook_url", Text),
    Column("webhook_secret", Text),
    Column("owner_id", Str),
    Column("created_at", Str, nullable=False),
    Column("updated_at", Str, nullable=False),
    Column("last_digest_at", Str),
)

# One row per (watchlist, article) that matched, with why it matched (JSON).
watch_matches = Table(
    "watch_matches",
    metadata,
    Column("watchlist_id", Str, ForeignKey("watchlists.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Str, primary_key=True),
    Column("story_id", Str),
    Column("matched_at", Str, nullable=False),
    Column("why", Text, nullable=False),
    Index("ix_watch_matches_matched_at", "watchlist_id", "matched_at"),
    # Story growth asks, for each batch, which watchlists already matched its stories.
    Index("ix_watch_matches_story_id", "story_id"),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Str, primary_key=True),
    Column("watchlist_id", Str, ForeignKey("watchlists.id", ondelete="CASCADE"), nullable=False),
    Column("payload", Text, nullable=False),
    Column("status", Str, nullable=False),  # pending | delivered | failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_attempt_at", Str),
    Column("created_at", Str, nullable=False),
    Index("ix_webhook_deliveries_status", "status", "next_attempt_at"),
)

# -- accounts and comments -----------------------------------------------------------------------
users = Table(
    "users",
    metadata,
    Column("id", Str, primary_key=True),
    Column("name", Str, nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),  # never exported, logged nor served
    Column("role", Str, nullable=False),  # admin | analyst | reader
    Column("created_at", Str, nullable=False),
    Column("disabled", Integer, nullable=False, server_default="0"),
)

invitations = Table(
    "invitations",
    metadata,
    Column("token_hash", Str, primary_key=True),
    Column("role", Str, nullable=False),
    Column("created_by", Str),
    Column("created_at", Str, nullable=False),
    Column("expires_at", Str, nullable=False),
    Column("used_at", Str),
)

sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", Str, primary_key=True),
    Column("user_id", Str, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", Str, nullable=False),
    Column("created_at", Str, nullable=False),
    Column("expires_at", Str, nullable=False),
)

comments = Table(
    "comments",
    metadata,
    Column("id", Str, primary_key=True),
    Column("target_kind", Str, nullable=False),  # story | article | entity
    Column("target_id", Str, nullable=False),
    Column("parent_id", Str),  # replies are threaded one level
    Column("user_id", Str, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),  # untrusted: escaped wherever it is shown
    Column("created_at", Str, nullable=False),
    Column("edited_at", Str),
    Column("deleted_at", Str),
    Column("hidden_by", Str),  # an admin who moderated it
    Index("ix_comments_target", "target_kind", "target_id", "created_at"),
)

# Failed sign-in (and sign-up) attempts, for rate limiting by name and by client address; `key` is
# "name:<name>", "addr:<address>" or "signup:<address>". A random id: two failures may share a time.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Str, primary_key=True),
    Column("key", Str, nullable=False),
    Column("at", Str, nullable=False),
    Index("ix_login_attempts_key", "key", "at"),
)

# Offline image captchas of the open sign-up: the answer stored hashed, one use only (the row is
# deleted by the first answer, right or wrong).
captchas = Table(
    "captchas",
    metadata,
    Column("id", Str, primary_key=True),
    Column("answer_hash", Str, nullable=False),
    Column("created_at", Str, nullable=False),
    Column("expires_at", Str, nullable=False),
)

RUBRIQUE_TABLES = (article_rubriques,)
WATCH_TABLES = (watchlists, watch_matches, webhook_deliveries)
ACCOUNT_TABLES = (users, invitations, sessions, comments, login_attempts, captchas)
