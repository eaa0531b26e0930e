"""The stories stage, and `cluster_articles` for one-shot runs and the evaluation.

`StoriesStage` computes each article's features (pure, features.py), embeds the batch's headlines
and leads in one call, hands the batch to the `StoryClusterer` in date order (undated last) and
sets `Article.story_id`. It keeps the stories it touched and the merges, for the engine to store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

from veille.model import DUPLICATE, KEPT, Article, Story
from veille.stories.backend import MemoryStories, StoryBackend
from veille.stories.clusterer import (
    DEFAULT_MAX_CANDIDATES,
    DEFAULT_MERGE_THRESHOLD,
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_DAYS,
    Assignment,
    ClusterConfig,
    StoryClusterer,
)
from veille.stories.features import (
    ArticleFeatures,
    Embedder,
    default_idf,
    embed_batch,
    embedding_text,
    features_of,
    sentence_embedder,
)
from veille.stories.state import StoryState


def _date_order(article: Article) -> tuple[bool, str, str]:
    return (article.published is None, article.published or "", article.id)


class StoriesStage:
    name: ClassVar[str] = "stories"
    requires: ClassVar[frozenset[str]] = frozenset(
        {"title", "text", "entities", "mentions", "events", "published", "source_name", "status"}
    )
    provides: ClassVar[frozenset[str]] = frozenset({"story_id"})

    def __init__(
        self,
        backend: StoryBackend | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        window_days: int = DEFAULT_WINDOW_DAYS,
        merge_threshold: float = DEFAULT_MERGE_THRESHOLD,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        weights: dict[str, float] | None = None,
        text_only_weights: dict[str, float] | None = None,
        embedding: bool = True,
        embedder: Embedder | None = None,
        idf: Callable[[str], float] | None = None,
    ) -> None:
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must lie strictly between 0 and 1 (a probability), got {threshold}")
        if window_days < 0:
            raise ValueError(f"window_days must be 0 or more, got {window_days}")
        self.backend: StoryBackend = backend if backend is not None else MemoryStories()
        self.config = ClusterConfig(
            threshold=threshold,
            merge_threshold=max(threshold, merge_threshold),
            window_days=window_days,
            max_candidates=max_candidates,
            weights=weights,
            text_only_weights=text_only_weights,
        )
        self.use_embedding = embedding
        self._embedder = embedder
        self._idf = idf
        self._clusterer: StoryClusterer | None = None
        self.counters: dict[str, int] = {}
        # Where the time goes: the features (embedding included) are per article and constant; the
        # clustering is what could grow with the store, so the two are kept apart.
        self.seconds: dict[str, float] = {"features": 0.0, "clustering": 0.0}
        # The same in this process's CPU time, which other jobs on the machine hardly move.
        self.cpu_seconds: dict[str, float] = {"features": 0.0, "clustering": 0.0}
        self.assignments: dict[str, Assignment] = {}
        self._touched: set[str] = set()  # story ids; the states are read when asked for

    def warm_up(self) -> None:
        self._get_clusterer()
        if self.use_embedding and self._embedder is None:
            self._embedder = sentence_embedder()
            self._embedder(["échauffement"])

    def _get_clusterer(self) -> StoryClusterer:
        if self._clusterer is None:
            idf = self._idf if self._idf is not None else default_idf()
            self._clusterer = StoryClusterer(self.backend, idf, self.config)
        return self._clusterer

    def _count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def features(self, articles: list[Article]) -> list[ArticleFeatures]:
        clusterer = self._get_clusterer()
        found = [features_of(a, clusterer.idf) for a in articles]
        if self.use_embedding:
            if self._embedder is None:
                self._embedder = sentence_embedder()
            embed_batch(found, [embedding_text(a) for a in articles], self._embedder)
        return found

    def __call__(self, batch: list[Article]) -> list[Article]:
        chosen = sorted((a for a in batch if a.status in (KEPT, DUPLICATE)), key=_date_order)
        if not chosen:
            return batch
        clusterer = self._get_clusterer()
        merges_before = len(clusterer.all_merges)
        started, started_cpu = time.perf_counter(), time.process_time()
        features = self.features(chosen)
        measured, measured_cpu = time.perf_counter(), time.process_time()
        assignments = clusterer.add_batch(features)
        self.seconds["features"] += measured - started
        self.seconds["clustering"] += time.perf_counter() - measured
        self.cpu_seconds["features"] += measured_cpu - started_cpu
        self.cpu_seconds["clustering"] += time.process_time() - measured_cpu
        by_id = {a.id: a for a in chosen}
        self.assignments = {}  # the last batch's only: memory stays bounded over a long run
        for assignment in assignments:
            by_id[assignment.article_id].story_id = assignment.story_id
            self.assignments[assignment.article_id] = assignment
            self._count(assignment.how)
            self._count("candidates", assignment.candidates)
            if assignment.undated:
                self._count("undated")
        # Ids only, and the last batch's only: the engine never asks (the clusterer saved the states
        # already), and holding the states of every story a run touched grew the memory of a long
        # ingest by ≈ 30 kB a story (each read back from the store after every batch, too).
        self._touched = {a.story_id for a in assignments}
        self._touched |= {sid for pair in clusterer.all_merges[merges_before:] for sid in pair}
        return batch

    def touched(self) -> list[Story]:
        """The stories the last batch created, grown or merged, as saved (absorbed ones with
        `merged_into` set)."""
        return [state.to_story() for state in self.touched_states()]

    def touched_states(self) -> list[StoryState]:
        """Like `touched`, as the scoring states (timeline, undated articles, copies); drains."""
        states = sorted(self.backend.get(sorted(self._touched)), key=lambda s: s.id)
        self._touched = set()
        return states

    def merges(self) -> list[tuple[str, str]]:
        """Every merge of this run, as (absorbed story id, surviving story id), in order."""
        return list(self._get_clusterer().all_merges)


def analyse(articles: list[Article]) -> list[Article]:
    """Run the analysis stories read (copies, spaCy, entities, quotes, time expressions, events)
    on cleaned articles, e.g. the evaluation's, which come with text and no annotations."""
    from veille.pipeline import Pipeline, default_pipeline

    stages: list[Any] = [
        s for s in default_pipeline(None, progress=False).stages if s.name not in {"clean", "language"}
    ]
    names = {s.name for s in stages}
    if "temporal" not in names:
        from veille.temporal import TemporalStage

        stages.append(TemporalStage())
    if "events" not in names:
        from veille.events import EventsStage

        stages.append(EventsStage())
    fields = {"id", "title", "text", "language", "published", "source_name", "status", "raw"}
    return Pipeline(stages, initial_fields=fields)(articles)


def cluster_articles(articles: list[Article], *, analysed: bool = True, **config: Any) -> dict[str, str]:
    """Cluster one batch of articles (in date order) into stories: article id → story id.

    `analysed=False` says the articles are only cleaned: `analyse` runs the NLP stages first, so
    that entities and events count. `config` takes the `StoriesStage` options (threshold,
    window_days, embedding …). Rejected articles are left out.
    """
    batch = list(articles) if analysed else analyse(list(articles))
    stage = StoriesStage(**config)
    stage(batch)
    return {a.article_id: a.story_id for a in stage.assignments.values()}
