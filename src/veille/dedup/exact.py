"""Exact copies: the same normalised text is one story told once, however many files carry it.

Copies are kept as articles (status "duplicate", `duplicate_of` = the first copy), never dropped.
The first copy is the earliest published, then the smallest id (`copy_order_key`), so the answer
does not depend on the order files are ingested in: this stage decides with what it has seen plus a
read-only view of the store, and the store re-resolves each hash group after writing a batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import ClassVar, Protocol

from veille.clean.normalize import match_key
from veille.model import DUPLICATE, KEPT, REJECTED, Article
from veille.store.copies import copy_order_key


def content_hash(text: str) -> str:
    """Hash of the text's matching form: typography, case and spacing do not make a new text."""
    return hashlib.sha256(match_key(text).encode("utf-8")).hexdigest()[:32]


class FirstCopyIndex(Protocol):
    """What the store already knows: content hash → (published, id) of its first copy."""

    def first_copies(self, hashes: Iterable[str]) -> dict[str, tuple[str | None, str]]: ...


class ContentHashStage:
    name: ClassVar[str] = "content_hash"
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset({"content_hash"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status != REJECTED and article.text:
                article.content_hash = content_hash(article.text)
        return batch


class ExactCopiesStage:
    name: ClassVar[str] = "exact_copies"
    requires: ClassVar[frozenset[str]] = frozenset({"content_hash", "published", "id"})
    provides: ClassVar[frozenset[str]] = frozenset({"status", "duplicate_of"})

    def __init__(self, index: FirstCopyIndex | None = None) -> None:
        self.index = index
        # First copy seen so far in this run, per hash: (published, id).
        self.firsts: dict[str, tuple[str | None, str]] = {}
        self.counters: dict[str, int] = {}

    def __call__(self, batch: list[Article]) -> list[Article]:
        # In copy order, so that the first copy of a hash inside this batch is met before the others.
        candidates = sorted(
            (a for a in batch if a.status != REJECTED and a.content_hash),
            key=lambda a: copy_order_key(a.published, a.id),
        )
        hashes = {str(a.content_hash) for a in candidates if a.content_hash not in self.firsts}
        known = self.index.first_copies(hashes) if self.index is not None and hashes else {}
        for content_key, stored_first in known.items():
            self.firsts.setdefault(content_key, stored_first)
        for article in candidates:
            content = str(article.content_hash)
            mine = (article.published, article.id)
            first = self.firsts.get(content)
            if first is None or first[1] == article.id or copy_order_key(*mine) < copy_order_key(*first):
                self.firsts[content] = mine
                article.status, article.duplicate_of = KEPT, None
            else:
                article.status, article.duplicate_of = DUPLICATE, first[1]
                self.counters["duplicate"] = self.counters.get("duplicate", 0) + 1
        return batch
