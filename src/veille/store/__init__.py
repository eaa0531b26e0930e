"""The store: batched idempotent upserts of articles, lines, mentions, entities, quotes, timexes and
events; copies; export.

SQLite (WAL) by default, PostgreSQL through the same SQLAlchemy Core code. See docs/export.md.
"""

from veille.store.copies import copy_order_key
from veille.store.export import ARTICLE_FIELDS, ENTITY_FIELDS, MENTION_FIELDS, QUOTE_FIELDS, export
from veille.store.store import Store

__all__ = [
    "ARTICLE_FIELDS", "ENTITY_FIELDS", "MENTION_FIELDS", "QUOTE_FIELDS", "Store", "copy_order_key", "export",
]  # fmt: skip
