"""`veille export`: the store as files other tools read, one writer per format.

The field lists below are a public contract (docs/export.md documents each one, and a test checks
the two agree): fields may be added, never renamed or removed. Writers stream, so exporting a
large store holds one page of articles in memory, and write to a temporary name first, so a
failed export never leaves a half-written file looking complete.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from veille.errors import ConfigError
from veille.model import Article, Mention
from veille.store.store import Store

ARTICLE_FIELDS: tuple[str, ...] = (
    "id", "source_file", "source_id", "url", "source_name", "title", "text", "language",
    "published", "content_hash", "status", "reason", "reason_detail", "duplicate_of",
    "dropped_lines", "story_id",
)  # fmt: skip
MENTION_FIELDS: tuple[str, ...] = ("article_id", "start", "end", "text", "label", "entity_id")


def article_record(article: Article) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    record["dropped_lines"] = [{"text": line.text, "reason": line.reason} for line in article.dropped_lines]
    return record


def mention_record(mention: Mention) -> dict[str, Any]:
    return {name: getattr(mention, name) for name in MENTION_FIELDS}


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as fh:
            for record in records:
                # ensure_ascii=False: French text stays readable, and offsets count characters
                # of the text as written, not of \\u escapes.
                fh.write(json.dumps(record, ensure_ascii=False))
                fh.write("\n")
                count += 1
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _export_jsonl(store: Store, out_dir: Path) -> dict[str, int]:
    articles: Iterator[dict[str, Any]] = (article_record(a) for a in store.iter_articles())
    mentions: Iterator[dict[str, Any]] = (mention_record(m) for m in store.iter_mentions())
    return {
        "articles": _write_jsonl(out_dir / "articles.jsonl", articles),
        "mentions": _write_jsonl(out_dir / "mentions.jsonl", mentions),
    }


# Format name → writer. A new format (parquet is next) is one function and one entry here.
WRITERS: dict[str, Callable[[Store, Path], dict[str, int]]] = {
    "jsonl": _export_jsonl,
}


def export(store: Store, out_dir: Path, fmt: str = "jsonl") -> dict[str, int]:
    """Write every article and mention under `out_dir` (created if missing); counts per kind."""
    writer = WRITERS.get(fmt)
    if writer is None:
        supported = ", ".join(sorted(WRITERS))
        raise ConfigError(f"unknown export format {fmt!r}; supported formats: {supported}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return writer(store, out_dir)
