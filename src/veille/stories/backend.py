"""Where stories live between batches: the protocol the clusterer needs, and an in-memory store.

The clusterer never scans all stories: it asks for the candidates that share an index key (an
entity id, an event id, a rare term) with the article and whose dates reach into the article's
window, at most `limit` of them. A SQL store implements the same protocol with a stories table
(the state as JSON, first/last seen as columns), a keys table (key → story id) and a merges table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from veille.stories.state import StoryState

# How many of a key's most recently updated stories a lookup reads. A common key (France, Paris)
# is shared by thousands of stories; reading only the freshest keeps the cost per article flat.
POSTINGS_SCANNED = 200


class StoryBackend(Protocol):
    def candidates(
        self, keys: Sequence[str], start: str | None, end: str | None, limit: int
    ) -> list[StoryState]:
        """Live (unmerged) stories sharing at least one key, whose [first_seen, last_seen] meets
        [start, end] (a None bound is open; a story with no date meets every window), the most
        shared keys first, at most `limit`."""
        ...

    def get(self, story_ids: Sequence[str]) -> list[StoryState]:
        """The states of these ids (merged ones included, with `merged_into` set)."""
        ...

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The live story of each article already clustered (merges followed)."""
        ...

    def save(self, states: Sequence[StoryState], merges: Sequence[tuple[str, str]]) -> None:
        """Upsert the states (re-indexing their keys; merged states leave the index) and record the
        merges as (absorbed id, surviving id)."""
        ...


def _meets(row: dict[str, Any], start: str | None, end: str | None) -> bool:
    first, last = row.get("first_seen"), row.get("last_seen")
    if first is None or last is None:
        return True
    if start is not None and last < start:
        return False
    return not (end is not None and first > end)


class MemoryStories:
    """The protocol over dicts. States are kept as rows (`to_row()`), as a SQL store keeps them, so
    that what the clusterer changes reaches the store only through `save`."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        # key → story ids, least recently saved first (a dict keeps insertion order).
        self.postings: dict[str, dict[str, None]] = {}
        self.article_story: dict[str, str] = {}
        self.merges: list[tuple[str, str]] = []
        self.merged_into: dict[str, str] = {}

    def candidates(
        self, keys: Sequence[str], start: str | None, end: str | None, limit: int
    ) -> list[StoryState]:
        shared: dict[str, int] = {}
        for key in keys:
            postings = self.postings.get(key)
            if not postings:
                continue
            for scanned, sid in enumerate(reversed(postings)):
                if scanned >= POSTINGS_SCANNED:
                    break
                shared[sid] = shared.get(sid, 0) + 1
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))
        found: list[StoryState] = []
        for sid, _ in ranked:
            row = self.rows[sid]
            if _meets(row, start, end):
                found.append(StoryState.from_row(row))
                if len(found) >= limit:
                    break
        return found

    def get(self, story_ids: Sequence[str]) -> list[StoryState]:
        return [StoryState.from_row(self.rows[s]) for s in story_ids if s in self.rows]

    def resolve(self, sid: str) -> str:
        while sid in self.merged_into:
            sid = self.merged_into[sid]
        return sid

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {a: self.resolve(self.article_story[a]) for a in article_ids if a in self.article_story}

    def save(self, states: Sequence[StoryState], merges: Sequence[tuple[str, str]]) -> None:
        for state in states:
            old = self.rows.get(state.id)
            for key in old["keys"] if old else []:
                self.postings.get(key, {}).pop(state.id, None)
            self.rows[state.id] = state.to_row()
            for article_id in state.article_ids:
                self.article_story.setdefault(article_id, state.id)
            if state.merged_into is None:
                for key in state.keys:
                    self.postings.setdefault(key, {})[state.id] = None
        for absorbed, survivor in merges:
            self.merges.append((absorbed, survivor))
            self.merged_into[absorbed] = survivor

    def stories(self) -> list[StoryState]:
        """Every live story (for one-shot runs and tests; a SQL store pages through them)."""
        return [StoryState.from_row(r) for r in self.rows.values() if r.get("merged_into") is None]
