"""The "breaking" signal: a story whose independent sources grow unusually fast within an hour.

The rule, per watchlist:

- a story's *arrivals* are its kept articles (copies count once: they are not kept) with a
  publication time; a source *joins* the story at its first arrival;
- its *burst* is the largest number of sources joining within any 60-minute window;
- the watchlist's *usual growth* is the median, over every clock hour in which at least one source
  joined one of its matched stories, of the number of sources that joined that story in that hour
  (1 when there is no history);
- a story is breaking when its burst is at least `MIN_NEW_SOURCES` (3) and at least `FACTOR` (2)
  times the usual growth.

Publication times are used, not ingestion times, so that a corpus ingested at once is judged on
when its articles came out.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from veille.model import KEPT
from veille.store import Store
from veille.store.watch import article_briefs, list_matches

MIN_NEW_SOURCES = 3
FACTOR = 2.0
WINDOW = timedelta(minutes=60)

Arrival = tuple[datetime, str]  # (publication time, source)


@dataclass(slots=True)
class Burst:
    story_id: str
    new_sources: int  # sources joining within the busiest hour
    start: datetime  # that hour's first arrival
    end: datetime  # and its last
    usual: float  # the watchlist's median hourly growth
    breaking: bool


def parse_time(text: str | None) -> datetime | None:
    """A publication date-time as an aware datetime (naive ones taken as UTC); None for a bare date."""
    if not text or len(text) <= 10:
        return None  # a date alone says nothing about the hour
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def joins(arrivals: Iterable[Arrival]) -> list[Arrival]:
    """Each source's first arrival, in time order."""
    first: dict[str, datetime] = {}
    for when, source in sorted(arrivals):
        first.setdefault(source, when)
    return sorted((when, source) for source, when in first.items())


def busiest_hour(arrivals: Iterable[Arrival]) -> tuple[int, datetime | None, datetime | None]:
    """(sources joining, first, last) of the 60-minute window where most sources join."""
    joined = joins(arrivals)
    best, start, end = 0, None, None
    left = 0
    for right, (when, _) in enumerate(joined):
        while when - joined[left][0] >= WINDOW:
            left += 1
        if right - left + 1 > best:
            best, start, end = right - left + 1, joined[left][0], when
    return best, start, end


def hourly_growth(arrivals: Iterable[Arrival]) -> list[int]:
    """Sources joining per clock hour, for the hours where any joined."""
    hours: dict[datetime, int] = {}
    for when, _ in joins(arrivals):
        hour = when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        hours[hour] = hours.get(hour, 0) + 1
    return list(hours.values())


def breaking_stories(
    stories: Mapping[str, Iterable[Arrival]], *, min_new: int = MIN_NEW_SOURCES, factor: float = FACTOR
) -> list[Burst]:
    """The burst of each story, judged against the median hourly growth of all of them."""
    arrivals = {sid: list(found) for sid, found in stories.items()}
    history = [n for found in arrivals.values() for n in hourly_growth(found)]
    usual = float(statistics.median(history)) if history else 1.0
    bursts = []
    for sid, found in arrivals.items():
        count, start, end = busiest_hour(found)
        if start is None or end is None:
            continue
        bursts.append(Burst(sid, count, start, end, usual, count >= min_new and count >= factor * usual))
    return sorted(bursts, key=lambda b: (not b.breaking, -b.new_sources, b.story_id))


def watchlist_bursts(store: Store, wid: str) -> list[Burst]:
    """The bursts of the stories a watchlist matched, breaking ones first."""
    story_ids = sorted({m.story_id for m in list_matches(store, wid) if m.story_id})
    members: dict[str, list[str]] = {}
    for sid in story_ids:
        story = store.get_story(sid)
        if story is not None:
            members[story.id] = list(story.article_ids)
    briefs = article_briefs(store, [a for ids in members.values() for a in ids])
    stories: dict[str, list[Arrival]] = {}
    for sid, ids in members.items():
        found = []
        for article_id in ids:
            brief = briefs.get(article_id)
            when = parse_time(brief.published) if brief is not None and brief.status == KEPT else None
            if brief is not None and when is not None:
                found.append((when, brief.source_name or brief.id))
        stories[sid] = found
    return breaking_stories(stories)


__all__ = ["Burst", "breaking_stories", "busiest_hour", "hourly_growth", "parse_time", "watchlist_bursts"]
