"""How the Ray engine splits one pipeline definition between the Ray actors and the driver.

The actors run what an article needs alone: reading is done before them, then clean, language,
content hash, the spaCy pass, time expressions, quotes, and the *finding* halves of the entities
and events stages (clusters of mentions and roles; an article's own events). They also embed the
two texts the rubriques and stories stages embed (headline + lead, title + start of the text),
since neither depends on anything but the article.

The driver runs, in record order and in the local engine's batches, what needs a global view:
exact copies (the first copy of a content hash across the run and the store), near copies (the
MinHash index), entity linking (the run's and the store's alias index), event coreference
against the run's and the store's events, rubriques (they read the resolved entities, and copies
found by the driver get none) and stories (incremental clustering over the store). With the
embeddings already computed those are cheap.

Workers cannot know which articles are exact copies, so they analyse every article that is not
rejected; the driver then clears the analysis of those it finds to be copies, exactly as if the
spaCy pass had skipped them. Entities found in a worker carry provisional ids (`~0`, `~1` … per
article); the driver links the same clusters and rewrites every id that refers to them (mentions,
entities, quote speakers, event participants and places, then event ids, which derive from
participants). The result is the local engine's, except when two distinct clusters of one article
link to one entity across articles (counted as `entity_collisions`): quotes and events then saw
two entities where the local engine saw one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from veille.entities.resolve import Cluster, link_clusters
from veille.entities.stage import EntitiesStage, _entity
from veille.errors import PipelineError
from veille.events.coref import event_id
from veille.events.stage import EventsStage, find_events
from veille.model import KEPT, REJECTED, Article
from veille.pipeline import Pipeline, Stage, run_stage

PipelineFactory = Callable[[Any], Pipeline]
PROVISIONAL = "~"
# Stages that need what other articles or the store hold, run by the driver as they are.
DRIVER_STAGES = frozenset({"exact_copies", "near_copies", "rubriques", "stories"})
# What a worker computed that an exact copy (found by the driver) must not keep: the spaCy pass
# and everything after it skip copies in the local engine.
_AFTER_NLP = frozenset({"nlp", "entities", "quotes", "temporal", "events"})
_EVENT_LANGUAGES = frozenset({"fr", None})


class _KbImports:
    """The entity index a worker gets: the store's imported knowledge-base entries (read once by
    the driver), and no alias lookups, since linking happens in the driver."""

    def __init__(self, entries: Sequence[dict[str, Any]]) -> None:
        self.entries = list(entries)

    def kb_imports(self) -> list[dict[str, Any]]:
        return self.entries

    def entity_for_alias(self, label: str, key: str) -> str | None:
        return None

    def people_with_surname(self, surname: str) -> list[tuple[str, str]]:
        return []


class EntityFinder(EntitiesStage):
    """The entities stage without linking: clusters get provisional ids, kept for the driver."""

    def __init__(self, kb_imports: Sequence[dict[str, Any]]) -> None:
        super().__init__(_KbImports(kb_imports))
        self.clusters: dict[str, list[Cluster]] = {}

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status != KEPT or article.doc is None:
                continue
            clusters, roles = self.find(article)
            for position, cluster in enumerate(clusters):
                cluster.entity_id = f"{PROVISIONAL}{position}"
                for mention in cluster.mentions:
                    mention.entity_id = cluster.entity_id
            article.mentions = sorted(
                (m for c in clusters for m in c.mentions), key=lambda m: (m.start, m.end)
            )
            article.entities = [_entity(c, roles, self._kb_ref(c.kb_id)) for c in clusters]
            self.clusters[article.id] = clusters
            self._count("articles")
        return batch


class EventFinder:
    """The events stage's finding half: an article's own events, before coreference."""

    name: ClassVar[str] = "events"
    requires: ClassVar[frozenset[str]] = EventsStage.requires
    provides: ClassVar[frozenset[str]] = EventsStage.provides

    def __init__(self, keep_bare: bool) -> None:
        self.keep_bare = keep_bare
        self.analysed: set[str] = set()

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status != KEPT or article.doc is None or article.language not in _EVENT_LANGUAGES:
                continue
            article.events = find_events(article, keep_bare=self.keep_bare)
            self.analysed.add(article.id)
        return batch


@dataclass
class Analysed:
    """What a worker sends back for one record (pickled whole, so mentions stay shared)."""

    article: Article
    fingerprint: str
    clusters: list[Cluster] = field(default_factory=list)
    events_found: bool = False
    embeddings: dict[str, list[float]] = field(default_factory=dict)


def worker_stages(pipeline: Pipeline, kb_imports: Sequence[dict[str, Any]]) -> list[Stage]:
    """The part of `pipeline` a Ray actor runs (see the module doc); raises for a stage it cannot place."""
    stages: list[Stage] = []
    for stage in pipeline.stages:
        if stage.name in DRIVER_STAGES:
            continue
        if isinstance(stage, EntitiesStage):
            stages.append(EntityFinder(kb_imports))
        elif isinstance(stage, EventsStage):
            stages.append(EventFinder(stage.keep_bare))
        elif getattr(stage, "per_article", False):
            stages.append(stage)
        else:
            raise PipelineError(
                f"the Ray engine cannot place stage {stage.name!r}: it is not per_article and needs a "
                "global view; mark it per_article if it reads one article only, or add it to "
                "veille.engines.ray_plan (DRIVER_STAGES) so that the driver runs it."
            )
    return stages


def driver_stage(pipeline: Pipeline, name: str) -> Any:
    return next((s for s in pipeline.stages if s.name == name), None)


class EmbeddingCache:
    """An embedder that answers from the vectors the workers computed, and embeds the rest itself
    (the rubrique prototypes, once): the stories and rubriques stages run unchanged in the driver."""

    def __init__(self) -> None:
        self.vectors: dict[str, list[float]] = {}
        self.computed = 0

    def __call__(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            from veille.stories.features import sentence_embedder

            self.vectors.update(zip(missing, sentence_embedder()(missing), strict=True))
            self.computed += len(missing)
        return [self.vectors[t] for t in texts]


def install_cache(pipeline: Pipeline, cache: EmbeddingCache) -> None:
    """Point the driver's stories and rubriques stages at `cache` instead of their own encoder."""
    stories = driver_stage(pipeline, "stories")
    if stories is not None and getattr(stories, "use_embedding", False):
        stories._embedder = cache  # the stage takes an embedder only in its constructor
    rubriques = driver_stage(pipeline, "rubriques")
    classifier = getattr(rubriques, "classifier", None)
    if classifier is not None and classifier.use_embedding:
        classifier._embedder = cache


def texts_to_embed(pipeline: Pipeline, article: Article) -> list[str]:
    """The texts the driver's stories and rubriques stages will embed for this article."""
    if article.status == REJECTED or not article.text:
        return []
    texts: list[str] = []
    stories = driver_stage(pipeline, "stories")
    if stories is not None and getattr(stories, "use_embedding", False):
        from veille.stories.features import embedding_text

        texts.append(embedding_text(article))
    rubriques = driver_stage(pipeline, "rubriques")
    classifier = getattr(rubriques, "classifier", None)
    if classifier is not None and classifier.use_embedding:
        from veille.rubriques.classifier import SUPPORTED_LANGUAGES
        from veille.rubriques.stage import rubrique_input

        if article.language in SUPPORTED_LANGUAGES:
            texts.append(classifier.embedding_text(rubrique_input(article)))
    return texts


def forget_analysis(item: Analysed) -> None:
    """An exact copy found by the driver: as if the spaCy pass and what follows had skipped it."""
    article = item.article
    article.mentions, article.entities, article.quotes = [], [], []
    article.timexes, article.events = [], []
    article.failures = [f for f in article.failures if f.stage not in _AFTER_NLP]
    item.clusters, item.events_found = [], False


def link_entities(stage: Any, items: Sequence[Analysed]) -> int:
    """Link each article's clusters with the driver's entities stage, in batch order, and rewrite
    the provisional ids; returns the articles where two clusters met one entity."""
    collisions = 0
    stage.index.prefetch(c for item in items if item.article.status == KEPT for c in item.clusters)
    for item in items:
        if item.article.status != KEPT or not item.clusters:
            continue
        provisional = [str(c.entity_id) for c in item.clusters]
        link_clusters(item.clusters, stage.index)
        final = {p: str(c.entity_id) for p, c in zip(provisional, item.clusters, strict=True)}
        if len(set(final.values())) < len(final):
            collisions += 1
        _rewrite(item.article, final)
        stage._count("articles")
    return collisions


def _rewrite(article: Article, final: dict[str, str]) -> None:
    for entity in article.entities:
        entity.id = final.get(entity.id, entity.id)
    for quote in article.quotes:
        if quote.speaker_entity_id is not None:
            quote.speaker_entity_id = final.get(quote.speaker_entity_id, quote.speaker_entity_id)
    for event in article.events:
        arguments = [*event.participants, *([event.location] if event.location is not None else [])]
        for argument in arguments:
            if argument.entity_id is not None:
                argument.entity_id = final.get(argument.entity_id, argument.entity_id)
        event.id = event_id(event)


def match_events(stage: Any, items: Sequence[Analysed]) -> None:
    """`EventsStage.merge` over the events the workers found."""
    stage.merge(
        (item.article, item.article.events)
        for item in items
        if item.article.status == KEPT and item.events_found
    )


def finish_batch(pipeline: Pipeline, items: list[Analysed], counters: dict[str, int]) -> list[Article]:
    """The driver's half of the pipeline over one batch of analysed records, in the local order."""
    batch = [item.article for item in items]
    for stage in pipeline.stages:
        if stage.name == "entities":
            collisions = link_entities(stage, items)
            if collisions:
                counters["entity_collisions"] = counters.get("entity_collisions", 0) + collisions
        elif stage.name == "events":
            match_events(stage, items)
        elif stage.name in DRIVER_STAGES:
            batch = run_stage(stage, batch)
        if stage.name == "exact_copies":
            for item in items:
                if item.article.status != KEPT:
                    forget_analysis(item)
    return batch
