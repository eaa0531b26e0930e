"""Online story clustering: each article joins its best candidate story or opens a new one.

For each article, in the order given (date order for a batch): an article clustered before keeps
its story; a copy (exact or near) joins its original's story; otherwise the candidates are the
stories sharing an index key with it within `window_days` of its date (no window for an undated
article, placed by content alone and flagged), scored by the `Scorer`. The best at or above
`threshold` takes the article; when the article also reaches `merge_threshold` with other
candidates, the evidence joins those stories: they are merged into the oldest, and the merge is
recorded so that the absorbed ids still lead users to the story.

Nothing is written until the batch ends (`flush`): the states the batch touched are saved in one
call with the merges, so a SQL store sees one write per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from veille.stories.backend import StoryBackend
from veille.stories.features import ArticleFeatures
from veille.stories.scorer import Scorer
from veille.stories.state import StoryState, story_id

DEFAULT_THRESHOLD = 0.5
DEFAULT_MERGE_THRESHOLD = 0.9
DEFAULT_WINDOW_DAYS = 7
DEFAULT_MAX_CANDIDATES = 30


@dataclass(slots=True)
class ClusterConfig:
    threshold: float = DEFAULT_THRESHOLD
    merge_threshold: float = DEFAULT_MERGE_THRESHOLD
    window_days: int = DEFAULT_WINDOW_DAYS
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    half_life_days: float = 3.0
    weights: dict[str, float] | None = None  # None: the scorer's calibrated defaults
    text_only_weights: dict[str, float] | None = None  # for an article or story with no embedding


@dataclass(slots=True)
class Assignment:
    article_id: str
    story_id: str
    how: str  # "new" | "joined" | "copy" | "known" (clustered in an earlier run)
    score: float | None = None
    undated: bool = False  # placed by content alone
    candidates: int = 0


def window(day: str | None, days: int) -> tuple[str | None, str | None]:
    if day is None:
        return None, None
    center = date.fromisoformat(day)
    # Clamped to the calendar: a record dated 9999-12-31 (valid ISO 8601) once stopped the run.
    start = center - timedelta(days=min(days, (center - date.min).days))
    end = center + timedelta(days=min(days, (date.max - center).days))
    return start.isoformat(), end.isoformat()


def _meets(state: StoryState, start: str | None, end: str | None) -> bool:
    if state.first_seen is None or state.last_seen is None:
        return True
    return (start is None or state.last_seen >= start) and (end is None or state.first_seen <= end)


def _older(a: StoryState, b: StoryState) -> tuple[StoryState, StoryState]:
    """(survivor, absorbed): the story that began first survives, so users keep the id they saw."""
    key_a = (a.first_seen or "9999", a.id)
    key_b = (b.first_seen or "9999", b.id)
    return (a, b) if key_a <= key_b else (b, a)


@dataclass
class StoryClusterer:
    backend: StoryBackend
    idf: Callable[[str], float]
    config: ClusterConfig = field(default_factory=ClusterConfig)
    pending: dict[str, StoryState] = field(default_factory=dict)
    pending_articles: dict[str, str] = field(default_factory=dict)
    merges: list[tuple[str, str]] = field(default_factory=list)
    all_merges: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        weights = self.config.weights
        self.scorer = Scorer(half_life_days=self.config.half_life_days)
        if weights is not None:
            # Given weights rule both cases; with no "embedding" weight the embedding counts nothing.
            self.scorer.weights = dict(weights)
            self.scorer.text_only_weights = dict(weights)
        if self.config.text_only_weights is not None:
            self.scorer.text_only_weights = dict(self.config.text_only_weights)

    # -- one batch ---------------------------------------------------------------------------
    def add_batch(self, batch: Sequence[ArticleFeatures]) -> list[Assignment]:
        wanted = [f.article_id for f in batch] + [o for f in batch for o in f.copy_of]
        known = self.backend.stories_of(wanted)
        assignments = [self._add(features, known) for features in batch]
        redirect = dict(self.merges)
        self.flush()
        for assignment in assignments:
            # A story absorbed later in the batch: point the article at the one that survived.
            while assignment.story_id in redirect:
                assignment.story_id = redirect[assignment.story_id]
        return assignments

    def _add(self, features: ArticleFeatures, known: dict[str, str]) -> Assignment:
        undated = features.date is None
        earlier = known.get(features.article_id)
        if earlier is not None:
            return Assignment(features.article_id, earlier, "known", undated=undated)
        for original in features.copy_of:
            sid = self.pending_articles.get(original) or known.get(original)
            if sid is not None:
                state = self._state(sid)
                if state is not None:
                    self._join(state, features, copy_of=original)
                    return Assignment(features.article_id, state.id, "copy", undated=undated)
        candidates = self._candidates(features)
        scored = sorted(
            ((self.scorer.score(features, s), s) for s in candidates), key=lambda p: (-p[0], p[1].id)
        )
        if scored and scored[0][0] >= self.config.threshold:
            best_score, best = scored[0]
            for score, other in scored[1:]:
                if score >= self.config.merge_threshold and other.merged_into is None:
                    best = self._merge(best, other)
            self._join(best, features)
            return Assignment(features.article_id, best.id, "joined", best_score, undated, len(candidates))
        state = StoryState(id=story_id(features.article_id))
        self._join(state, features)
        return Assignment(features.article_id, state.id, "new", None, undated, len(candidates))

    def flush(self) -> None:
        """Save what the batch touched, with its merges, in one call."""
        if self.pending:
            self.backend.save(list(self.pending.values()), list(self.merges))
        self.all_merges += self.merges
        self.pending.clear()
        self.pending_articles.clear()
        self.merges = []

    # -- helpers -----------------------------------------------------------------------------
    def _candidates(self, features: ArticleFeatures) -> list[StoryState]:
        start, end = window(features.date, self.config.window_days)
        limit = self.config.max_candidates
        found: dict[str, StoryState] = {}
        for state in self.backend.candidates(features.keys, start, end, limit):
            live = self.pending.get(state.id, state)
            if live.merged_into is None:
                found[live.id] = live
        keys = set(features.keys)
        # Stories opened or grown in this batch are not saved yet: look among them too (a batch
        # is small, so this stays bounded).
        for state in self.pending.values():
            fresh = state.merged_into is None and state.id not in found
            if fresh and keys & set(state.keys) and _meets(state, start, end):
                found[state.id] = state
        return list(found.values())

    def _state(self, sid: str) -> StoryState | None:
        while True:
            state = self.pending.get(sid)
            if state is None:
                loaded = self.backend.get([sid])
                if not loaded:
                    return None
                state = loaded[0]
            if state.merged_into is None:
                return state
            sid = state.merged_into

    def _join(self, state: StoryState, features: ArticleFeatures, copy_of: str | None = None) -> None:
        state.add(features, copy_of)
        state.keys = state.index_keys(self.idf)
        self.pending[state.id] = state
        self.pending_articles[features.article_id] = state.id

    def _merge(self, a: StoryState, b: StoryState) -> StoryState:
        survivor, absorbed = _older(a, b)
        survivor.absorb(absorbed)
        survivor.keys = survivor.index_keys(self.idf)
        self.pending[survivor.id] = survivor
        self.pending[absorbed.id] = absorbed
        for article_id in absorbed.article_ids:
            self.pending_articles[article_id] = survivor.id
        self.merges.append((absorbed.id, survivor.id))
        return survivor
