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

import pyarrow as pa  # pyarrow ships no type hints
import pyarrow.parquet as pq

from veille.errors import ConfigError
from veille.model import Article, Entity, Event, Mention, Quote, Story, Timex
from veille.store.store import Store
from veille.store.watch import MATCH_FIELDS, WATCHLIST_FIELDS, iter_match_records, iter_watchlist_records

ARTICLE_FIELDS: tuple[str, ...] = (
    "id", "source_file", "source_id", "url", "source_name", "title", "text", "language",
    "published", "content_hash", "status", "reason", "reason_detail", "duplicate_of",
    "dropped_lines", "story_id", "author", "partial", "rubriques",
)  # fmt: skip
MENTION_FIELDS: tuple[str, ...] = ("article_id", "start", "end", "text", "label", "entity_id", "kind")
ENTITY_FIELDS: tuple[str, ...] = ("id", "name", "label", "type", "aliases", "kb_id", "mention_count", "roles")
# The contract's fields first, then the spans of the speaker and the cue.
QUOTE_FIELDS: tuple[str, ...] = (
    "id", "article_id", "text", "start", "end", "kind", "speaker_text", "speaker_entity_id",
    "speaker_name", "speaker_kind", "cue", "speaker_start", "speaker_end", "cue_start", "cue_end",
)  # fmt: skip
ROLE_FIELDS: tuple[str, ...] = ("title", "organisation", "country", "country_entity_id", "article_id", "date")
TIMEX_FIELDS: tuple[str, ...] = ("article_id", "start", "end", "text", "type", "value", "mod")
STORY_FIELDS: tuple[str, ...] = (
    "id", "title", "article_ids", "first_seen", "last_seen", "sources", "entity_ids", "independent_sources",
    "event_ids", "undated_article_ids",
)  # fmt: skip
EVENT_FIELDS: tuple[str, ...] = (
    "id", "type", "cameo", "trigger", "participants", "location", "date", "evidence",
)  # fmt: skip


def article_record(article: Article) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    record["dropped_lines"] = [{"text": line.text, "reason": line.reason} for line in article.dropped_lines]
    record["rubriques"] = list(article.rubriques)
    return record


def mention_record(mention: Mention) -> dict[str, Any]:
    return {name: getattr(mention, name) for name in MENTION_FIELDS}


def quote_record(quote: Quote) -> dict[str, Any]:
    return {name: getattr(quote, name) for name in QUOTE_FIELDS}


def entity_record(entity: Entity) -> dict[str, Any]:
    record: dict[str, Any] = {name: getattr(entity, name) for name in ENTITY_FIELDS}
    record["roles"] = [{name: getattr(role, name) for name in ROLE_FIELDS} for role in entity.roles]
    return record


def timex_record(timex: Timex) -> dict[str, Any]:
    return {name: getattr(timex, name) for name in TIMEX_FIELDS}


def event_record(event: Event) -> dict[str, Any]:
    place = event.location
    return {
        "id": event.id,
        "type": event.type,
        "cameo": event.cameo,
        "trigger": event.trigger,
        "participants": [
            {"entity_id": p.entity_id, "name": p.name, "role": p.role} for p in event.participants
        ],
        "location": {"entity_id": place.entity_id, "name": place.name} if place else None,
        "date": event.date,
        "evidence": [
            {"article_id": e.article_id, "start": e.start, "end": e.end, "modality": e.modality}
            for e in event.evidence
        ],
    }


def story_record(story: Story) -> dict[str, Any]:
    return {name: getattr(story, name) for name in STORY_FIELDS}


def _records(store: Store) -> dict[str, Iterator[dict[str, Any]]]:
    """Each kind's records, in export order, streamed from the store."""
    return {
        "articles": (article_record(a) for a in store.iter_articles()),
        "mentions": (mention_record(m) for m in store.iter_mentions()),
        "entities": (entity_record(e) for e in store.iter_entities()),
        "quotes": (quote_record(q) for q in store.iter_quotes()),
        "timexes": (timex_record(t) for t in store.iter_timexes()),
        "events": (event_record(e) for e in store.iter_events()),
        "stories": (story_record(s) for s in store.iter_stories()),
        "watchlists": iter_watchlist_records(store),
        "matches": iter_match_records(store),
    }


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
    return {
        kind: _write_jsonl(out_dir / f"{kind}.jsonl", records) for kind, records in _records(store).items()
    }


# One explicit schema per kind, in field order: an empty store still gets files with the right
# columns, and a column's type never depends on which values happened to come first. List items
# are named "element", as the Parquet format names them, so a file reads back with this schema.
_DROPPED_LINE = pa.struct([pa.field("text", pa.string(), nullable=False),
                           pa.field("reason", pa.string(), nullable=False)])  # fmt: skip
_ARTICLE_TYPES: dict[str, pa.DataType] = {
    "dropped_lines": pa.list_(pa.field("element", _DROPPED_LINE, nullable=False)),
    "partial": pa.bool_(),
    "rubriques": pa.list_(pa.field("element", pa.string(), nullable=False)),
}
_REQUIRED = {"id", "source_file", "source_id", "text", "status", "dropped_lines", "partial", "rubriques"}
ARTICLE_SCHEMA = pa.schema(
    [pa.field(name, _ARTICLE_TYPES.get(name, pa.string()), nullable=name not in _REQUIRED)
     for name in ARTICLE_FIELDS]
)  # fmt: skip
MENTION_SCHEMA = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("entity_id", pa.string()),
        pa.field("kind", pa.string(), nullable=False),
    ]
)
_ROLE = pa.struct([pa.field(name, pa.string(), nullable=name != "title") for name in ROLE_FIELDS])
ENTITY_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("name", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False),
        pa.field("type", pa.string()),
        pa.field("aliases", pa.list_(pa.field("element", pa.string(), nullable=False)), nullable=False),
        pa.field("kb_id", pa.string()),
        pa.field("mention_count", pa.int64(), nullable=False),
        pa.field("roles", pa.list_(pa.field("element", _ROLE, nullable=False)), nullable=False),
    ]
)
_QUOTE_INTS = {"start", "end", "speaker_start", "speaker_end", "cue_start", "cue_end"}
QUOTE_SCHEMA = pa.schema(
    [pa.field(name, pa.int64() if name in _QUOTE_INTS else pa.string(),
              nullable=name not in {"id", "article_id", "text", "start", "end", "kind"})
     for name in QUOTE_FIELDS]
)  # fmt: skip
TIMEX_SCHEMA = pa.schema(
    [pa.field(name, pa.int64() if name in {"start", "end"} else pa.string(),
              nullable=name in {"value", "mod"})
     for name in TIMEX_FIELDS]
)  # fmt: skip
_PARTICIPANT = pa.struct([pa.field("entity_id", pa.string()), pa.field("name", pa.string(), nullable=False),
                          pa.field("role", pa.string(), nullable=False)])  # fmt: skip
_PLACE = pa.struct([pa.field("entity_id", pa.string()), pa.field("name", pa.string(), nullable=False)])
_EVIDENCE = pa.struct([pa.field("article_id", pa.string(), nullable=False),
                       pa.field("start", pa.int64(), nullable=False),
                       pa.field("end", pa.int64(), nullable=False),
                       pa.field("modality", pa.string(), nullable=False)])  # fmt: skip
EVENT_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("type", pa.string(), nullable=False),
        pa.field("cameo", pa.string(), nullable=False),
        pa.field("trigger", pa.string(), nullable=False),
        pa.field("participants", pa.list_(pa.field("element", _PARTICIPANT, nullable=False)), nullable=False),
        pa.field("location", _PLACE),
        pa.field("date", pa.string()),
        pa.field("evidence", pa.list_(pa.field("element", _EVIDENCE, nullable=False)), nullable=False),
    ]
)
_STRINGS = pa.list_(pa.field("element", pa.string(), nullable=False))
STORY_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("article_ids", _STRINGS, nullable=False),
        pa.field("first_seen", pa.string()),
        pa.field("last_seen", pa.string()),
        pa.field("sources", _STRINGS, nullable=False),
        pa.field("entity_ids", _STRINGS, nullable=False),
        pa.field("independent_sources", pa.int64(), nullable=False),
        pa.field("event_ids", _STRINGS, nullable=False),
        pa.field("undated_article_ids", _STRINGS, nullable=False),
    ]
)
_WATCH_TYPES = dict.fromkeys(("entities", "sources", "languages", "rubriques", "event_types"), _STRINGS)
_WATCH_TYPES["min_sources"] = pa.int64()
WATCHLIST_SCHEMA = pa.schema(
    [pa.field(name, _WATCH_TYPES.get(name, pa.string()),
              nullable=name in {"webhook_url", "owner_id", "last_digest_at"})
     for name in WATCHLIST_FIELDS]
)  # fmt: skip
# `why` has a key per condition that held, so Parquet keeps it as its JSON text.
MATCH_SCHEMA = pa.schema(
    [pa.field(name, pa.string(), nullable=name == "story_id") for name in MATCH_FIELDS]
)  # fmt: skip
SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLE_SCHEMA,
    "mentions": MENTION_SCHEMA,
    "entities": ENTITY_SCHEMA,
    "quotes": QUOTE_SCHEMA,
    "timexes": TIMEX_SCHEMA,
    "events": EVENT_SCHEMA,
    "stories": STORY_SCHEMA,
    "watchlists": WATCHLIST_SCHEMA,
    "matches": MATCH_SCHEMA,
}
# Rows per record batch (and row group): a few thousand keeps memory small and reads fast.
PARQUET_BATCH = 4096


def _write_parquet(path: Path, schema: pa.Schema, records: Iterable[dict[str, Any]]) -> int:
    if "why" in schema.names:
        records = ({**r, "why": json.dumps(r["why"], ensure_ascii=False, sort_keys=True)} for r in records)
    partial = path.with_name(path.name + ".partial")
    count = 0
    try:
        with pq.ParquetWriter(str(partial), schema) as writer:
            rows: list[dict[str, Any]] = []
            for record in records:
                rows.append(record)
                if len(rows) == PARQUET_BATCH:
                    writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=schema))
                    count += len(rows)
                    rows = []
            if rows:
                writer.write_batch(pa.RecordBatch.from_pylist(rows, schema=schema))
                count += len(rows)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _export_parquet(store: Store, out_dir: Path) -> dict[str, int]:
    return {
        kind: _write_parquet(out_dir / f"{kind}.parquet", SCHEMAS[kind], records)
        for kind, records in _records(store).items()
    }


# Format name → writer. A new format is one function and one entry here.
WRITERS: dict[str, Callable[[Store, Path], dict[str, int]]] = {
    "jsonl": _export_jsonl,
    "parquet": _export_parquet,
}


def export(store: Store, out_dir: Path, fmt: str = "jsonl") -> dict[str, int]:
    """Write every article, mention, entity, quote, timex, event, story, watchlist and watchlist match
    under `out_dir` (created if missing); counts per kind."""
    writer = WRITERS.get(fmt)
    if writer is None:
        supported = ", ".join(WRITERS)
        raise ConfigError(f"unknown export format {fmt!r}; supported formats: {supported}")
    out_dir.mkdir(parents=True, exist_ok=True)
    return writer(store, out_dir)
