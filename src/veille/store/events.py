"""Time expressions and events in the store.

An article's timexes belong to it and are replaced with it, like its quotes. Events are shared:
an event is one row whatever the number of articles that tell it, and each article's telling is
an `event_evidence` row (trigger span, modality). `Store.upsert` replaces the batch's evidence,
upserts its events (participants are a union: an article that names one more attendee adds it,
none removes one; the date keeps the most precise value seen) and deletes any event the batch
left without evidence, so that a rerun whose extractor changed leaves no stale event.

`events_like(type, date)` is what the events stage asks the store for when it decides whether a
new report is an event already known (the `KnownEvents` protocol of `veille.events`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, exists, func, insert, or_, select

from veille.model import Article, Event, EventArgument, EventEvidence, Timex
from veille.store import schema
from veille.store.graph import chunks
from veille.store.paging import pages

TIMEX_COLUMNS: tuple[str, ...] = ("article_id", "start", "end", "text", "type", "value", "mod")
# How many events of one type `events_like` hands the matcher at most: the newest first.
KNOWN_EVENTS = 500
# Events read back by `events_like` kept between batches (least recently used out): the same few
# hundred candidates of a type and year are asked for after every write, and a write changes few.
EVENT_OBJECTS = 20_000


def write_timexes(conn: Connection, articles: Sequence[Article], ids: Sequence[str]) -> None:
    t = schema.timexes
    for chunk in chunks(list(ids)):
        conn.execute(delete(t).where(t.c.article_id.in_(chunk)))
    rows: dict[tuple[str, int, int], dict[str, object]] = {}
    for article in articles:
        for timex in article.timexes:
            row: dict[str, object] = {name: getattr(timex, name) for name in TIMEX_COLUMNS}
            row["article_id"] = article.id
            rows.setdefault((article.id, timex.start, timex.end), row)
    if rows:
        conn.execute(insert(t), list(rows.values()))


def timexes_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[Timex]]:
    t = schema.timexes
    found: dict[str, list[Timex]] = {}
    for chunk in chunks(list(ids)):
        query = select(t).where(t.c.article_id.in_(chunk)).order_by(t.c.article_id, t.c.start, t.c.end)
        for row in conn.execute(query):
            found.setdefault(row.article_id, []).append(_timex(row))
    return found


def _timex(row: Any) -> Timex:
    return Timex(**{name: getattr(row, name) for name in TIMEX_COLUMNS})


def _more_precise(old: str | None, new: str | None) -> str | None:
    """The date to keep of two values for one event: the longer of two compatible ones
    ("2016-01-20" over "2016-01"), else the one already stored."""
    if old is None or (new is not None and new.startswith(old) and len(new) > len(old)):
        return new
    return old


_Rows = dict[str, dict[str, Any]]


def _event_rows(
    articles: Sequence[Article],
) -> tuple[_Rows, dict[tuple[str, str, str], dict[str, Any]], list[dict[str, Any]]]:
    """The batch's events (one row per id, its tellings folded: the most precise date, the first
    place), their participants (a union) and each article's own evidence."""
    events: dict[str, dict[str, Any]] = {}
    participants: dict[tuple[str, str, str], dict[str, Any]] = {}
    evidence: dict[tuple[str, str, int, int], dict[str, Any]] = {}
    for article in articles:
        for event in article.events:
            row = events.get(event.id)
            if row is None:
                row = events[event.id] = {
                    "id": event.id, "type": event.type, "cameo": event.cameo, "trigger": event.trigger,
                    "date": event.date, "location_entity_id": None, "location_name": None,
                }  # fmt: skip
            row["date"] = _more_precise(row["date"], event.date)
            place = event.location
            if place is not None and row["location_name"] is None:
                row["location_entity_id"], row["location_name"] = place.entity_id, place.name
            for p in event.participants:
                participants.setdefault(
                    (event.id, p.role, p.name),
                    {"event_id": event.id, "role": p.role, "name": p.name, "entity_id": p.entity_id},
                )
            for proof in event.evidence:
                if proof.article_id == article.id:  # another article's evidence is that article's
                    evidence[(event.id, article.id, proof.start, proof.end)] = {
                        "event_id": event.id, "article_id": article.id,
                        "start": proof.start, "end": proof.end, "modality": proof.modality,
                    }  # fmt: skip
    return events, participants, list(evidence.values())


def write_events(
    conn: Connection, dialect_insert: Any, articles: Sequence[Article], ids: Sequence[str]
) -> set[str]:
    """Replace the batch's evidence, upsert its events and drop events left with no evidence;
    the ids of every event this changed (written, or told by a replaced article before)."""
    ev, evidence, part = schema.events, schema.event_evidence, schema.event_participants
    touched: set[str] = set()
    for chunk in chunks(list(ids)):
        query = select(evidence.c.event_id).where(evidence.c.article_id.in_(chunk))
        touched |= {r.event_id for r in conn.execute(query)}
        conn.execute(delete(evidence).where(evidence.c.article_id.in_(chunk)))
    events, participants, evidence_rows = _event_rows(articles)
    if events:
        for chunk in chunks(list(events)):
            for r in conn.execute(select(ev.c.id, ev.c.date).where(ev.c.id.in_(chunk))):
                events[r.id]["date"] = _more_precise(r.date, events[r.id]["date"])
        ins = dialect_insert(ev)
        keep_place = {
            "location_entity_id": func.coalesce(ev.c.location_entity_id, ins.excluded.location_entity_id),
            "location_name": func.coalesce(ev.c.location_name, ins.excluded.location_name),
        }
        conn.execute(
            ins.on_conflict_do_update(index_elements=["id"], set_={"date": ins.excluded.date, **keep_place}),
            list(events.values()),
        )
    if participants:
        conn.execute(dialect_insert(part).on_conflict_do_nothing(), list(participants.values()))
    if evidence_rows:
        conn.execute(insert(evidence), evidence_rows)
    has_evidence = exists().where(evidence.c.event_id == ev.c.id)
    for chunk in chunks(sorted(touched - set(events))):
        conn.execute(delete(ev).where(ev.c.id.in_(chunk), ~has_evidence))
    return touched | set(events)


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def events_from_rows(conn: Connection, rows: Sequence[Any]) -> list[Event]:
    """Events with their participants and evidence, in the order of `rows`."""
    events = {}
    for row in rows:
        place = None
        if row.location_name:
            place = EventArgument("place", row.location_name, row.location_entity_id)
        events[row.id] = Event(row.id, row.type, row.cameo, row.trigger, date=row.date, location=place)
    part, evidence = schema.event_participants, schema.event_evidence
    for chunk in chunks(list(events)):
        order = (part.c.event_id, part.c.role, part.c.name)
        query = select(part).where(part.c.event_id.in_(chunk)).order_by(*order)
        for row in conn.execute(query):
            events[row.event_id].participants.append(EventArgument(row.role, row.name, row.entity_id))
        query = (
            select(evidence)
            .where(evidence.c.event_id.in_(chunk))
            .order_by(evidence.c.event_id, evidence.c.article_id, evidence.c.start)
        )
        for row in conn.execute(query):
            proof = EventEvidence(row.article_id, row.start, row.end, row.modality)
            events[row.event_id].evidence.append(proof)
    return list(events.values())


def event_counts(conn: Connection) -> dict[str, Any]:
    ev = schema.events
    query = select(ev.c.type, func.count()).group_by(ev.c.type)
    by_type = {str(t): int(n) for t, n in conn.execute(query)}
    timexes = int(conn.execute(select(func.count()).select_from(schema.timexes)).scalar_one())
    by_type = dict(sorted(by_type.items()))
    return {"timexes": timexes, "events": sum(by_type.values()), "events_by_type": by_type}


class EventsMixin:
    """The timex and event reads of `Store` (writing is part of `Store.upsert`)."""

    _engine: Engine

    def iter_timexes(self, batch_size: int = 5000) -> Iterator[Timex]:
        t = schema.timexes
        for row in pages(self._engine, select(t), (t.c.article_id, t.c.start, t.c.end), batch_size):
            yield _timex(row)

    def iter_events(self, batch_size: int = 2000) -> Iterator[Event]:
        ev = schema.events
        page: list[Any] = []
        with self._engine.connect() as conn:
            for row in pages(self._engine, select(ev), (ev.c.id,), batch_size):
                page.append(row)
                if len(page) == batch_size:
                    yield from events_from_rows(conn, page)
                    page = []
            if page:
                yield from events_from_rows(conn, page)

    def _clear_event_cache(self) -> None:
        self._events_by_year: dict[tuple[str, str | None], list[Event]] = {}
        self._event_objects: OrderedDict[str, Event] = OrderedDict()

    def _forget_events(self, changed: Iterable[str]) -> None:
        """After a write: which events are candidates is asked again (ids only); the events read
        before are kept unless the write changed them (its events, and those its articles told)."""
        self._events_by_year = {}
        for event_id in changed:
            self._event_objects.pop(event_id, None)

    def events_like(self, type: str, date: str | None) -> list[Event]:
        """Stored events of `type` whose date is compatible with `date` (one a prefix of the
        other) or unknown: the candidates a new report may be another telling of.

        The query depends on the type and the year only, so its answer is kept until the next
        write: a batch asks once per type and year, not once per event (per-event queries were a
        quarter of the events stage's time). After a write only the candidates' ids are read
        again; the events themselves (participants, evidence: the costly part) come from an LRU
        of `EVENT_OBJECTS` that the store's own writes keep exact (`_forget_events`). A writer in
        another process is not seen in events already read until this store writes them too, as
        for the entity cache. The events returned are shared with the cache: callers build new
        events (`coref.merge`), never change these."""
        year = date[:4] if date is not None else None
        key = (type, year)
        if key not in self._events_by_year:
            ev = schema.events
            stmt = select(ev.c.id).where(ev.c.type == type)
            if year is not None:
                stmt = stmt.where(or_(ev.c.date.is_(None), ev.c.date.startswith(year)))
            stmt = stmt.order_by(ev.c.date.desc(), ev.c.id).limit(KNOWN_EVENTS)
            with self._engine.connect() as conn:
                ids = list(conn.execute(stmt).scalars())
                events = self._read_events(conn, ids)
            self._events_by_year[key] = [events[i] for i in ids if i in events]
        return [e for e in self._events_by_year[key] if _compatible(e.date, date)]

    def _read_events(self, conn: Connection, ids: Sequence[str]) -> dict[str, Event]:
        """The events of `ids`, by id: from the LRU, or read from the store (with participants and
        evidence) and added to it."""
        cache = self._event_objects
        found: dict[str, Event] = {}
        for event_id in ids:
            if event_id in cache:
                cache.move_to_end(event_id)
                found[event_id] = cache[event_id]
        rows: list[Any] = []
        for chunk in chunks([i for i in ids if i not in found]):
            rows.extend(conn.execute(select(schema.events).where(schema.events.c.id.in_(chunk))))
        for event in events_from_rows(conn, rows):
            found[event.id] = cache[event.id] = event
        while len(cache) > EVENT_OBJECTS:
            cache.popitem(last=False)
        return found

    def find_events(
        self,
        entity_ids: Iterable[str] | None = None,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 100,
    ) -> list[Event]:
        """Events by date (undated last): those with a participant or place among `entity_ids`,
        of one `type`, dated within [date_from, date_to] (TIMEX3 prefixes compare as strings:
        "2016-01" is within 2016-01-01 … 2016-01-31 only if `date_to` is "2016-01" or later)."""
        ev, part = schema.events, schema.event_participants
        stmt = select(ev)
        if entity_ids is not None:
            wanted = list(entity_ids)
            if not wanted:
                return []
            among = select(part.c.event_id).where(part.c.entity_id.in_(wanted))
            stmt = stmt.where(or_(ev.c.id.in_(among), ev.c.location_entity_id.in_(wanted)))
        if type is not None:
            stmt = stmt.where(ev.c.type == type)
        if date_from is not None:
            stmt = stmt.where(ev.c.date >= date_from)
        if date_to is not None:
            stmt = stmt.where(ev.c.date <= date_to + "\uffff")
        stmt = stmt.order_by(ev.c.date.is_(None), ev.c.date, ev.c.id).limit(limit)
        with self._engine.connect() as conn:
            return events_from_rows(conn, list(conn.execute(stmt)))


def events_for(conn: Connection, ids: Sequence[str]) -> dict[str, list[Event]]:
    """The events each article tells (with every article's evidence), by trigger position."""
    ev, evidence = schema.events, schema.event_evidence
    told: dict[str, list[tuple[int, str]]] = {}
    for chunk in chunks(list(ids)):
        query = select(evidence.c.article_id, evidence.c.start, evidence.c.event_id).where(
            evidence.c.article_id.in_(chunk)
        )
        for row in conn.execute(query):
            told.setdefault(row.article_id, []).append((row.start, row.event_id))
    wanted = sorted({event_id for pairs in told.values() for _, event_id in pairs})
    rows: list[Any] = []
    for chunk in chunks(wanted):
        rows.extend(conn.execute(select(ev).where(ev.c.id.in_(chunk))))
    by_id = {event.id: event for event in events_from_rows(conn, rows)}
    return {
        article_id: [by_id[event_id] for _, event_id in sorted(set(pairs)) if event_id in by_id]
        for article_id, pairs in told.items()
    }
