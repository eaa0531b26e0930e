"""What a story keeps for scoring and for users, as one plain record a store can hold as JSON.

A `StoryState` grows by `add` (one article's features) and `absorb` (a merged story); the centroid
keeps only its heaviest terms and entities, so a state's size stays bounded however long the story
runs (its article ids aside). `to_row()` / `from_row()` round-trip through JSON-safe dicts.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from veille.model import Story
from veille.stories.features import KEY_MIN_IDF, ArticleFeatures, TimelineEntry

CENTROID_TERMS = 100
CENTROID_ENTITIES = 40
HEADLINES = 8
STORY_KEYS_TERMS = 10
STORY_KEYS_ENTITIES = 12
STORY_KEYS_EVENTS = 20


def story_id(first_article_id: str) -> str:
    """Derived from the article that opened the story, so that reruns give the same ids."""
    return "s_" + hashlib.sha256(first_article_id.encode()).hexdigest()[:16]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if dot == 0.0:
        return 0.0
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def _top(weights: dict[str, float], n: int) -> dict[str, float]:
    if len(weights) <= n:
        return weights
    return dict(sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:n])


def _add_into(total: dict[str, float], part: dict[str, float]) -> None:
    for key, weight in part.items():
        total[key] = total.get(key, 0.0) + weight


@dataclass(slots=True)
class Headline:
    article_id: str
    title: str
    terms: dict[str, float]


def independent_sources(sources: Iterable[str | None]) -> int:
    """How many distinct sources the originals of a story (copies left out) show at least.

    Articles whose source is unknown (None: no source name, no URL; the shared corpus has neither)
    count as one source between them, and as none beside named sources, which they may be:
    the figure is a lower bound, never a guess."""
    given = list(sources)
    named = {s for s in given if s}
    return len(named) or int(bool(given))


@dataclass(slots=True)
class StoryState:
    id: str
    article_ids: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    terms: dict[str, float] = field(default_factory=dict)  # summed TF-IDF, heaviest terms only
    embedding: list[float] | None = None  # summed sentence embeddings
    embedded: int = 0
    entities: dict[str, float] = field(default_factory=dict)
    events: list[TimelineEntry] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    # article id → source, for independent sources; copies map a copy to the article it copies.
    article_sources: dict[str, str | None] = field(default_factory=dict)
    copies: dict[str, str] = field(default_factory=dict)
    headlines: list[Headline] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)  # placed by content alone
    keys: list[str] = field(default_factory=list)
    merged_into: str | None = None

    # -- growth ------------------------------------------------------------------------------
    def add(self, features: ArticleFeatures, copy_of: str | None = None) -> None:
        self.article_ids.append(features.article_id)
        self.article_sources[features.article_id] = features.source
        if copy_of is not None:
            self.copies[features.article_id] = copy_of
        if features.date is None:
            self.undated.append(features.article_id)
        else:
            self._widen(features.date, features.date)
        if features.source:
            self.sources[features.source] = self.sources.get(features.source, 0) + 1
        _add_into(self.terms, features.terms)
        self.terms = _top(self.terms, CENTROID_TERMS)
        _add_into(self.entities, features.entities)
        self.entities = _top(self.entities, CENTROID_ENTITIES)
        if features.embedding is not None:
            self._add_embedding(features.embedding, 1)
        known = {e.event_id for e in self.events}
        for event in features.timeline:
            if event.event_id not in known:
                self.events.append(event)
                known.add(event.event_id)
        self._offer_headline(Headline(features.article_id, features.title, features.title_terms))

    def absorb(self, other: StoryState) -> None:
        """Take in a story that evidence showed to be this one; `other` is marked merged."""
        self.article_ids += [a for a in other.article_ids if a not in self.article_sources]
        self.article_sources.update(other.article_sources)
        self.copies.update(other.copies)
        self.undated += other.undated
        for day in (other.first_seen, other.last_seen):
            if day is not None:
                self._widen(day, day)
        for source, n in other.sources.items():
            self.sources[source] = self.sources.get(source, 0) + n
        _add_into(self.terms, other.terms)
        self.terms = _top(self.terms, CENTROID_TERMS)
        _add_into(self.entities, other.entities)
        self.entities = _top(self.entities, CENTROID_ENTITIES)
        if other.embedding is not None:
            self._add_embedding(other.embedding, other.embedded)
        known = {e.event_id for e in self.events}
        self.events += [e for e in other.events if e.event_id not in known]
        for headline in other.headlines:
            self._offer_headline(headline)
        other.merged_into = self.id

    def _widen(self, start: str, end: str) -> None:
        if self.first_seen is None or start < self.first_seen:
            self.first_seen = start
        if self.last_seen is None or end > self.last_seen:
            self.last_seen = end

    def _add_embedding(self, vector: list[float], count: int) -> None:
        if self.embedding is None:
            self.embedding = list(vector)
        else:
            self.embedding = [a + b for a, b in zip(self.embedding, vector, strict=True)]
        self.embedded += count

    def _offer_headline(self, headline: Headline) -> None:
        if not headline.title:
            return
        self.headlines.append(headline)
        if len(self.headlines) > HEADLINES:
            worst = min(self.headlines, key=lambda h: cosine(h.terms, self.terms))
            self.headlines.remove(worst)

    # -- reading -----------------------------------------------------------------------------
    def title(self) -> str | None:
        """The headline closest to what the story's articles say, as a whole."""
        if not self.headlines:
            return None
        return max(self.headlines, key=lambda h: (cosine(h.terms, self.terms), -len(h.title))).title

    def independent_sources(self) -> int:
        """Distinct sources of the articles that copy no other article of the story; see
        `independent_sources`."""
        return independent_sources([s for a, s in self.article_sources.items() if a not in self.copies])

    def index_keys(self, idf: Any) -> list[str]:
        keys = [f"v:{e.event_id}" for e in self.events[-STORY_KEYS_EVENTS:]]
        keys += [f"e:{entity}" for entity in list(_top(self.entities, STORY_KEYS_ENTITIES))]
        rare = [t for t in _top(self.terms, 3 * STORY_KEYS_TERMS) if idf(t) >= KEY_MIN_IDF]
        keys += [f"t:{term}" for term in rare[:STORY_KEYS_TERMS]]
        return keys

    def to_story(self) -> Story:
        return Story(
            id=self.id,
            title=self.title(),
            article_ids=list(self.article_ids),
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            sources=sorted(self.sources),
            entity_ids=list(_top(self.entities, 10)),
            independent_sources=self.independent_sources(),
            merged_into=self.merged_into,
            event_ids=[entry.event_id for entry in self.timeline()],
            undated_article_ids=list(self.undated),
        )

    def timeline(self) -> list[TimelineEntry]:
        """The story's events in date order (undated last)."""
        return sorted(self.events, key=lambda e: (e.date is None, e.date or "", e.event_id))

    # -- storage -----------------------------------------------------------------------------
    def to_row(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoryState:
        """A state that shares nothing with `row`, so that growing it leaves the row as stored."""
        embedding = row.get("embedding")
        return cls(
            id=row["id"],
            article_ids=list(row.get("article_ids", [])),
            first_seen=row.get("first_seen"),
            last_seen=row.get("last_seen"),
            terms=dict(row.get("terms", {})),
            embedding=list(embedding) if embedding is not None else None,
            embedded=int(row.get("embedded", 0)),
            entities=dict(row.get("entities", {})),
            events=[TimelineEntry(**e) for e in row.get("events", [])],
            sources=dict(row.get("sources", {})),
            article_sources=dict(row.get("article_sources", {})),
            copies=dict(row.get("copies", {})),
            headlines=[
                Headline(h["article_id"], h["title"], dict(h["terms"])) for h in row.get("headlines", [])
            ],
            undated=list(row.get("undated", [])),
            keys=list(row.get("keys", [])),
            merged_into=row.get("merged_into"),
        )
