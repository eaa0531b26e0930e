"""Cross-article event coreference: content-derived ids, the same-event test, merging, an index.

Two reports are one event when they have the same type, compatible dates, compatible places and
enough participants in common (`same_event`). Participants are compared as actors: an entity id,
with its role for directed events (who accused whom is part of the event) and without it for
meetings and agreements; a person who attends for a country counts as that country once (the
country argument read from the same mention stands for them), because one page lists the
ministers and another the countries.

Thresholds: with both dates known and compatible, a Jaccard of 0.3 over actors suffices (the date
already ties the reports; a second page often names a few more participants); with one date
unknown, 0.5 and two actors in common are needed. Reports without any resolved actor merge only
when both dates and both places are known and equal. Speech acts (statement, accusation, appeal)
merge only when both are dated to the same day: one person says many things. docs/events.md
gives the reasons.
"""

from __future__ import annotations

import copy
import hashlib
from collections import OrderedDict
from functools import cache
from typing import Any, Protocol

from veille.model import Event, EventArgument

SYMMETRIC_TYPES = frozenset({"meeting", "agreement"})
JACCARD_DATED = 0.3
JACCARD_UNDATED = 0.5
MIN_SHARED_UNDATED = 2
SPEECH_TYPES = frozenset({"statement", "accusation", "appeal"})
# Events one run keeps in memory for matching (`EventIndex.trim`): ≈ 6,000 articles' worth.
RUN_EVENTS = 20_000


class KnownEvents(Protocol):
    """What the store gives the stage: events seen by earlier runs."""

    def events_like(self, type: str, date: str | None) -> list[Event]:
        """Events of that type whose date is compatible with `date`, or unknown."""
        ...


def _argument_key(argument: EventArgument) -> str:
    return argument.entity_id or "name:" + argument.name.casefold()


def event_key(event: Event) -> str:
    """What identifies an event: type, date, place and the sorted participant entity ids. An event
    not dated to the day, or with neither a resolved participant nor a place, is identified by its
    first report too: "a statement by Donald Trump" or "an arrest on 2020-06-30" alone would give
    many events one id."""
    place = _argument_key(event.location) if event.location is not None else ""
    participants = sorted({_argument_key(p) for p in event.participants if p.role != "absent"})
    parts = [event.type, event.date or "", place, ",".join(participants)]
    anchored = (bool(place) or any(p.entity_id for p in event.participants)) and _day_known(event.date)
    if not anchored and event.evidence:
        first = event.evidence[0]
        parts.append(f"{first.article_id}:{first.start}")
    return "\x1f".join(parts)


def event_id(event: Event) -> str:
    """A content-derived id ("ev_" + 20 hex digits): a rerun finds the same event again."""
    return "ev_" + hashlib.sha256(event_key(event).encode()).hexdigest()[:20]


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Equal, or one a prefix of the other ("2016-01" / "2016-01-20"); X matches any digit.
    An unknown date is compatible with anything."""
    if a is None or b is None:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return all(x == y or "X" in (x, y) for x, y in zip(short, long, strict=False))


@cache
def _kb() -> Any:
    from veille.entities.kb import KnowledgeBase

    return KnowledgeBase.builtin()


def place_inside(inner: EventArgument, outer: EventArgument) -> bool:
    """Whether `inner` lies in `outer` as far as the knowledge base tells (a city in its country)."""
    countries = {e.country for e in _kb().lookup(inner.name, "LOC") if e.country}
    return any(e.id in countries for e in _kb().lookup(outer.name, "LOC"))


def _same_place(a: EventArgument, b: EventArgument) -> bool:
    if a.entity_id and b.entity_id:
        return a.entity_id == b.entity_id
    return a.name.casefold() == b.name.casefold()


def places_compatible(a: EventArgument | None, b: EventArgument | None) -> bool:
    if a is None or b is None:
        return True
    return _same_place(a, b) or place_inside(a, b) or place_inside(b, a)


def actor_keys(event: Event) -> set[str]:
    """The resolved actors of an event, for comparing two reports (see the module docstring)."""
    keys: set[str] = set()
    arguments = event.participants
    for k, argument in enumerate(arguments):
        if argument.entity_id is None:
            continue
        following = arguments[k + 1] if k + 1 < len(arguments) else None
        stands_for_country = (
            following is not None
            and following.entity_id is not None
            and following.start == argument.start >= 0
            and following.end == argument.end
        )
        if stands_for_country:
            continue
        role = "" if event.type in SYMMETRIC_TYPES else argument.role + ":"
        keys.add(role + argument.entity_id)
    return keys


def _same_person(event: Event, shared: set[str]) -> bool:
    """A shared participant that is no place (a country's death toll is no one's death)."""
    names = {a.name for a in event.participants if a.entity_id and "target:" + a.entity_id in shared}
    return any(not _kb().lookup(name, "LOC") for name in names)


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def same_event(a: Event, b: Event) -> bool:
    """Whether two reports tell one event (see the module docstring for the rule)."""
    if a.type != b.type or not dates_compatible(a.date, b.date):
        return False
    if not places_compatible(a.location, b.location):
        return False
    dated = a.date is not None and b.date is not None
    if a.type in SPEECH_TYPES and not (dated and _day_known(a.date) and _day_known(b.date)):
        return False  # one person says many things: only the same day makes it one speech act
    keys_a, keys_b = actor_keys(a), actor_keys(b)
    if a.type == "death" and _same_person(a, keys_a & keys_b):
        return True  # one dies once: the death of one person is one event
    if keys_a and keys_b:
        if dated:
            return jaccard(keys_a, keys_b) >= JACCARD_DATED
        return jaccard(keys_a, keys_b) >= JACCARD_UNDATED and len(keys_a & keys_b) >= MIN_SHARED_UNDATED
    return (
        dated
        and a.date == b.date
        and a.location is not None
        and b.location is not None
        and _same_place(a.location, b.location)
    )


def _day_known(value: str | None) -> bool:
    return value is not None and len(value) >= 10 and value[:10].replace("-", "").isdigit()


def _precision(value: str | None) -> int:
    return sum(c.isdigit() for c in value) if value else -1


def _merge_participants(into: list[EventArgument], other: list[EventArgument]) -> list[EventArgument]:
    """Union by entity (or name); a participant said to attend in one report and to be absent in
    another attends: presence is observed, absence is often what was expected beforehand."""
    merged = [copy.copy(p) for p in into]
    index = {_argument_key(p): p for p in merged}
    for argument in other:
        key = _argument_key(argument)
        present = index.get(key)
        if present is None:
            added = copy.copy(argument)
            merged.append(added)
            index[key] = added
        elif present.role == "absent" and argument.role == "attendee":
            present.role = "attendee"
    return merged


def merge(into: Event, other: Event) -> Event:
    """One event from two reports: `into`'s id and trigger, the participants' union, the most
    precise date, the more specific place, and every piece of evidence once."""
    location = into.location or other.location
    if (
        into.location is not None
        and other.location is not None
        and place_inside(other.location, into.location)
    ):
        location = other.location
    evidence = list(into.evidence)
    seen = {(e.article_id, e.start, e.end) for e in evidence}
    evidence += [e for e in other.evidence if (e.article_id, e.start, e.end) not in seen]
    return Event(
        id=into.id,
        type=into.type,
        cameo=into.cameo,
        trigger=into.trigger,
        participants=_merge_participants(into.participants, other.participants),
        location=copy.copy(location),
        date=other.date if _precision(other.date) > _precision(into.date) else into.date,
        evidence=[copy.copy(e) for e in evidence],
    )


class EventIndex:
    """The events of one run, merged as they come; also a `KnownEvents` for tests and later batches.

    Kept by type, so that a report is compared with the events of its own type only, and bounded:
    `trim()` forgets the events told least recently beyond `capacity`. A run of 20,000 articles
    holds ≈ 70,000 events; comparing each report with all of them made the stage's cost grow with
    the run (at 20,000 articles a third of the ingest's time) and its memory too. A forgotten event
    is stored by then (the engine writes each batch before the next is matched), and the store's
    `KnownEvents` still offers the newest ones of its type and year, as it does across runs: a long
    run matches like a series of shorter ones."""

    def __init__(self, capacity: int | None = RUN_EVENTS) -> None:
        self._events: OrderedDict[str, Event] = OrderedDict()  # least recently told first
        self._by_type: dict[str, dict[str, Event]] = {}
        self.capacity = capacity

    def __len__(self) -> int:
        return len(self._events)

    def get(self, ident: str) -> Event | None:
        return self._events.get(ident)

    def events(self) -> list[Event]:
        return list(self._events.values())

    def events_like(self, type: str, date: str | None) -> list[Event]:
        # First told first, as before the index was kept by type: the first match wins in `add`.
        return [e for e in self._by_type.get(type, {}).values() if dates_compatible(e.date, date)]

    def _keep(self, event: Event) -> None:
        self._events[event.id] = event
        self._events.move_to_end(event.id)
        self._by_type.setdefault(event.type, {})[event.id] = event

    def trim(self) -> int:
        """Forget the least recently told events beyond `capacity`; how many were forgotten. The
        caller trims between batches, never while a batch's reports are being merged."""
        forgotten = 0
        while self.capacity is not None and len(self._events) > self.capacity:
            ident, event = self._events.popitem(last=False)
            self._by_type.get(event.type, {}).pop(ident, None)
            forgotten += 1
        return forgotten

    def add(self, event: Event, known: KnownEvents | None = None) -> Event:
        """Merge `event` into the event of this index, else of `known`, that it tells; or keep it
        as a new one. Returns the merged event: its id is the one the report takes."""
        candidates = self.events_like(event.type, event.date)
        if known is not None:
            seen = {c.id for c in candidates}
            candidates += [k for k in known.events_like(event.type, event.date) if k.id not in seen]
        for candidate in candidates:
            if same_event(candidate, event):
                merged = merge(candidate, event)
                self._keep(merged)
                return merged
        if event.id in self._events:  # equal content that the rule still tells apart
            event = copy.copy(event)
            first = event.evidence[0] if event.evidence else None
            salt = f"{first.article_id}:{first.start}" if first else str(len(self._events))
            event.id = "ev_" + hashlib.sha256((event_key(event) + "\x1f" + salt).encode()).hexdigest()[:20]
        self._keep(event)
        return event
