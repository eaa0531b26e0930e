"""Reading and writing watchlists, their matches and their webhook deliveries (issue 9).

Plain functions over a `Store`; the tables are in `schema_workspace.py`. The webhook secret is
stored so that deliveries can be signed, and never returned by the API or the pages.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select, update

from veille.store.schema_workspace import watch_matches, watchlists, webhook_deliveries
from veille.store.store import Store
from veille.watch.query import Watchlist

__all__ = [
    "Delivery", "MatchRow", "add_delivery", "delete_watchlist", "due_deliveries", "get_watchlist",
    "list_deliveries", "list_matches", "list_watchlists", "matched_stories", "record_matches",
    "save_watchlist", "set_last_digest", "update_delivery",
]  # fmt: skip


def stamp(when: datetime) -> str:
    """A stored time: ISO 8601 in UTC to the microsecond, so that string order is time order and a
    digest taken in the same second as a match still tells before from after."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def now_iso() -> str:
    return stamp(datetime.now(UTC))


@dataclass(slots=True)
class MatchRow:
    watchlist_id: str
    article_id: str
    story_id: str | None
    matched_at: str
    why: dict[str, Any]


@dataclass(slots=True)
class Delivery:
    id: str
    watchlist_id: str
    payload: str
    status: str  # pending | delivered | failed
    attempts: int
    last_error: str | None
    next_attempt_at: str | None
    created_at: str


def _watchlist(row: Any) -> Watchlist:
    query = json.loads(row.query)
    return Watchlist(
        name=row.name, entities=query.get("entities", []), keywords=query.get("keywords", ""),
        sources=query.get("sources", []), languages=query.get("languages", []),
        rubriques=query.get("rubriques", []), event_types=query.get("event_types", []),
        min_sources=int(query.get("min_sources", 0)), webhook_url=row.webhook_url,
        webhook_secret=row.webhook_secret, owner_id=row.owner_id,
    )  # fmt: skip


def save_watchlist(store: Store, watchlist: Watchlist, *, replaces: str | None = None) -> str:
    """Create or update `watchlist` (by id, derived from its name) and return its id.

    `replaces`: the id of a watchlist being renamed; its matches move to the new id.
    """
    watchlist.validate()
    now = now_iso()
    row = {
        "id": watchlist.id, "name": watchlist.name,
        "query": json.dumps(watchlist.query_json(), ensure_ascii=False),
        "webhook_url": watchlist.webhook_url, "webhook_secret": watchlist.webhook_secret,
        "owner_id": watchlist.owner_id, "created_at": now, "updated_at": now,
    }  # fmt: skip
    ins = store._dialect_insert(watchlists)
    changes = {k: ins.excluded[k] for k in row if k not in ("id", "created_at", "owner_id")}
    with store._write() as conn:
        if replaces and replaces != watchlist.id:
            old = conn.execute(select(watchlists).where(watchlists.c.id == replaces)).first()
            if old is not None:
                row["created_at"], row["owner_id"] = old.created_at, old.owner_id or row["owner_id"]
            conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=changes), [row])
            for table in (watch_matches, webhook_deliveries):
                conn.execute(
                    update(table).where(table.c.watchlist_id == replaces).values(watchlist_id=watchlist.id)
                )
            conn.execute(delete(watchlists).where(watchlists.c.id == replaces))
        else:
            conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=changes), [row])
    return watchlist.id


def list_watchlists(store: Store) -> list[Watchlist]:
    with store.engine.connect() as conn:
        return [_watchlist(r) for r in conn.execute(select(watchlists).order_by(watchlists.c.name))]


def get_watchlist(store: Store, id_or_name: str) -> Watchlist | None:
    """A watchlist by id or by name (case-insensitive)."""
    from veille.watch.query import watchlist_id

    with store.engine.connect() as conn:
        for key in (id_or_name, watchlist_id(id_or_name)):
            row = conn.execute(select(watchlists).where(watchlists.c.id == key)).first()
            if row is not None:
                return _watchlist(row)
    return None


def watchlist_times(store: Store, wid: str) -> tuple[str, str, str | None] | None:
    """(created_at, updated_at, last_digest_at) of a watchlist."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(watchlists.c.created_at, watchlists.c.updated_at, watchlists.c.last_digest_at).where(
                watchlists.c.id == wid
            )
        ).first()
    return None if row is None else (row[0], row[1], row[2])


def delete_watchlist(store: Store, wid: str) -> bool:
    """Delete a watchlist with its matches and deliveries; False when there was none."""
    with store._write() as conn:
        # Explicit deletes: SQLite enforces ON DELETE CASCADE only with a pragma the store may not set.
        conn.execute(delete(watch_matches).where(watch_matches.c.watchlist_id == wid))
        conn.execute(delete(webhook_deliveries).where(webhook_deliveries.c.watchlist_id == wid))
        return conn.execute(delete(watchlists).where(watchlists.c.id == wid)).rowcount > 0


def set_last_digest(store: Store, wid: str, when: str) -> None:
    with store._write() as conn:
        conn.execute(update(watchlists).where(watchlists.c.id == wid).values(last_digest_at=when))


# -- matches -------------------------------------------------------------------------------------
def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def record_matches(store: Store, matches: Sequence[MatchRow]) -> list[MatchRow]:
    """Store the matches not stored yet and return those (a re-ingested article matches once)."""
    if not matches:
        return []
    article_ids = sorted({m.article_id for m in matches})
    known: set[tuple[str, str]] = set()
    with store._write() as conn:
        for chunk in _chunks(article_ids):
            query = select(watch_matches.c.watchlist_id, watch_matches.c.article_id).where(
                watch_matches.c.article_id.in_(chunk)
            )
            known.update((r[0], r[1]) for r in conn.execute(query))
        fresh = [m for m in matches if (m.watchlist_id, m.article_id) not in known]
        fresh = list({(m.watchlist_id, m.article_id): m for m in fresh}.values())
        if fresh:
            rows = [
                {"watchlist_id": m.watchlist_id, "article_id": m.article_id, "story_id": m.story_id,
                 "matched_at": m.matched_at, "why": json.dumps(m.why, ensure_ascii=False)}
                for m in fresh
            ]  # fmt: skip
            conn.execute(watch_matches.insert(), rows)
    return fresh


def matched_stories(store: Store, story_ids: Iterable[str]) -> dict[str, set[str]]:
    """story id → the watchlists that already matched one of its articles."""
    ids = sorted(set(story_ids))
    found: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for chunk in _chunks(ids):
            query = select(watch_matches.c.story_id, watch_matches.c.watchlist_id).where(
                watch_matches.c.story_id.in_(chunk)
            )
            for story_id, wid in conn.execute(query):
                found.setdefault(story_id, set()).add(wid)
    return found


def list_matches(
    store: Store, wid: str, *, since: str | None = None, limit: int | None = None
) -> list[MatchRow]:
    """A watchlist's matches, newest first; `since` (ISO 8601) keeps those matched from then on."""
    query = select(watch_matches).where(watch_matches.c.watchlist_id == wid)
    if since is not None:
        query = query.where(watch_matches.c.matched_at >= since)
    query = query.order_by(watch_matches.c.matched_at.desc(), watch_matches.c.article_id)
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as conn:
        return [
            MatchRow(r.watchlist_id, r.article_id, r.story_id, r.matched_at, json.loads(r.why))
            for r in conn.execute(query)
        ]


# -- webhook deliveries --------------------------------------------------------------------------
def _delivery(row: Any) -> Delivery:
    return Delivery(
        row.id, row.watchlist_id, row.payload, row.status, row.attempts, row.last_error,
        row.next_attempt_at, row.created_at,
    )  # fmt: skip


def add_delivery(store: Store, wid: str, payload: str, when: str) -> Delivery:
    delivery = Delivery(uuid.uuid4().hex, wid, payload, "pending", 0, None, when, when)
    with store._write() as conn:
        conn.execute(
            webhook_deliveries.insert(),
            [{"id": delivery.id, "watchlist_id": wid, "payload": payload, "status": "pending", "attempts": 0,
              "last_error": None, "next_attempt_at": when, "created_at": when}],
        )  # fmt: skip
    return delivery


def due_deliveries(store: Store, when: str, limit: int = 20) -> list[Delivery]:
    """Pending deliveries whose next attempt is due at `when`, oldest first."""
    d = webhook_deliveries.c
    query = (
        select(webhook_deliveries)
        .where(d.status == "pending", d.next_attempt_at <= when)
        .order_by(d.next_attempt_at, d.created_at)
        .limit(limit)
    )
    with store.engine.connect() as conn:
        return [_delivery(r) for r in conn.execute(query)]


def has_pending(store: Store) -> bool:
    with store.engine.connect() as conn:
        query = select(webhook_deliveries.c.id).where(webhook_deliveries.c.status == "pending").limit(1)
        return conn.execute(query).first() is not None


def update_delivery(store: Store, delivery: Delivery) -> None:
    with store._write() as conn:
        conn.execute(
            update(webhook_deliveries)
            .where(webhook_deliveries.c.id == delivery.id)
            .values(status=delivery.status, attempts=delivery.attempts, last_error=delivery.last_error,
                    next_attempt_at=delivery.next_attempt_at)
        )  # fmt: skip


def list_deliveries(store: Store, wid: str | None = None) -> list[Delivery]:
    query = select(webhook_deliveries).order_by(webhook_deliveries.c.created_at)
    if wid is not None:
        query = query.where(webhook_deliveries.c.watchlist_id == wid)
    with store.engine.connect() as conn:
        return [_delivery(r) for r in conn.execute(query)]


@dataclass(slots=True)
class ArticleBrief:
    """What feeds, digests and pages show of a matched article."""

    id: str
    title: str | None
    url: str | None
    source_name: str | None
    published: str | None
    status: str


def article_briefs(store: Store, article_ids: Iterable[str]) -> dict[str, ArticleBrief]:
    from veille.store.schema import articles

    ids = sorted(set(article_ids))
    found: dict[str, ArticleBrief] = {}
    a = articles.c
    with store.engine.connect() as conn:
        for chunk in _chunks(ids):
            query = select(a.id, a.title, a.url, a.source_name, a.published, a.status).where(a.id.in_(chunk))
            for r in conn.execute(query):
                found[r.id] = ArticleBrief(r.id, r.title, r.url, r.source_name, r.published, r.status)
    return found


def story_articles(store: Store, story_ids: Iterable[str]) -> dict[str, list[ArticleBrief]]:
    """story id → its articles (every status), for the breaking signal's arrivals."""
    from veille.store.schema import articles

    ids = sorted(set(story_ids))
    found: dict[str, list[ArticleBrief]] = {}
    a = articles.c
    with store.engine.connect() as conn:
        for chunk in _chunks(ids):
            query = select(a.id, a.title, a.url, a.source_name, a.published, a.status, a.story_id).where(
                a.story_id.in_(chunk)
            )
            for r in conn.execute(query):
                brief = ArticleBrief(r.id, r.title, r.url, r.source_name, r.published, r.status)
                found.setdefault(r.story_id, []).append(brief)
    return found


# -- export (`veille export`: watchlists and matches; fields documented in docs/export.md) --------
WATCHLIST_FIELDS: tuple[str, ...] = (
    "id", "name", "entities", "keywords", "sources", "languages", "rubriques", "event_types", "min_sources",
    "webhook_url", "owner_id", "created_at", "updated_at", "last_digest_at",
)  # fmt: skip
MATCH_FIELDS: tuple[str, ...] = ("watchlist_id", "article_id", "story_id", "matched_at", "why")


def iter_watchlist_records(store: Store) -> Iterator[dict[str, Any]]:
    """Watchlists by id; the webhook secret is never exported."""
    with store.engine.connect() as conn:
        rows = list(conn.execute(select(watchlists).order_by(watchlists.c.id)))
    for row in rows:
        record = {
            "id": row.id, **_watchlist(row).query_json(), "name": row.name, "webhook_url": row.webhook_url,
            "owner_id": row.owner_id, "created_at": row.created_at, "updated_at": row.updated_at,
            "last_digest_at": row.last_digest_at,
        }  # fmt: skip
        yield {name: record[name] for name in WATCHLIST_FIELDS}


def iter_match_records(store: Store, page: int = 5000) -> Iterator[dict[str, Any]]:
    """Matches by watchlist id then article id, a page at a time (keyset paging)."""
    m = watch_matches.c
    after: tuple[str, str] | None = None
    while True:
        query = select(watch_matches).order_by(m.watchlist_id, m.article_id).limit(page)
        if after is not None:
            query = query.where(
                (m.watchlist_id > after[0]) | ((m.watchlist_id == after[0]) & (m.article_id > after[1]))
            )
        with store.engine.connect() as conn:
            rows = list(conn.execute(query))
        for r in rows:
            yield {"watchlist_id": r.watchlist_id, "article_id": r.article_id, "story_id": r.story_id,
                   "matched_at": r.matched_at, "why": json.loads(r.why)}  # fmt: skip
        if len(rows) < page:
            return
        after = (rows[-1].watchlist_id, rows[-1].article_id)
