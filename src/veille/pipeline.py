"""The stage contract and the pipeline that checks it once, when it is built.

A stage is a small object with one job. It names the Article fields it reads (`requires`) and the
fields it writes (`provides`); `__call__` takes a batch and returns it. A stage leaves rejected
articles alone (their `status` is "rejected") unless it says otherwise with `handles_rejected`.

A stage whose output for an article depends on that article alone says so with
`per_article = True`. When such a stage raises on a batch, the pipeline runs it again article by
article, so that one odd article costs its own analysis by that stage, recorded in
`Article.failures`, and not the batch or the run. Stages that share state across a batch
(copies, events, stories) let the error through: a half-done retry would corrupt that state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable

from veille.errors import PipelineError
from veille.model import Article, StageFailure

log = logging.getLogger(__name__)

# What a reader fills in before the first stage runs.
READER_FIELDS: frozenset[str] = frozenset(
    {"id", "source_file", "source_id", "url", "source_name", "published", "raw", "status", "reason"}
)


@runtime_checkable
class Stage(Protocol):
    name: ClassVar[str]
    requires: ClassVar[frozenset[str]]
    provides: ClassVar[frozenset[str]]

    def __call__(self, batch: list[Article]) -> list[Article]: ...


@dataclass
class StageCounters:
    """Per-stage counters the engine shows in its summary (e.g. rejections by reason)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


class Pipeline:
    """A plain list of stages, checked once at build time."""

    def __init__(self, stages: Sequence[Stage], initial_fields: Iterable[str] = READER_FIELDS) -> None:
        self.stages = list(stages)
        available = set(initial_fields)
        for position, stage in enumerate(self.stages):
            missing = set(stage.requires) - available
            if missing:
                providers = ", ".join(
                    s.name for s in self.stages[position + 1 :] if set(s.provides) & missing
                )
                hint = f" ({providers} provides it: move it earlier)" if providers else ""
                raise PipelineError(
                    f"stage {stage.name!r} requires {sorted(missing)}, which no earlier stage provides"
                    f"{hint}. Add a stage that provides it before {stage.name!r}."
                )
            available |= set(stage.provides)
        self.fields = frozenset(available)

    def __call__(self, batch: list[Article]) -> list[Article]:
        for stage in self.stages:
            batch = run_stage(stage, batch)
        return batch

    def start(self, batch: list[Article]) -> Callable[[], list[Article]]:
        """Run the stages up to the first one that can work in the background (a `submit` method:
        spaCy in worker processes), start that one, and return the function that finishes the
        batch: it waits for that stage and runs the rest. `pipeline(batch)` is `start(batch)()`;
        the engine starts the next batch before finishing this one, so that both cores work."""
        position = next(
            (i for i, stage in enumerate(self.stages) if callable(getattr(stage, "submit", None))),
            len(self.stages),
        )
        for stage in self.stages[:position]:
            batch = run_stage(stage, batch)
        if position == len(self.stages):
            return lambda: batch
        background, rest = self.stages[position], self.stages[position + 1 :]
        started: Callable[[], list[Article]] | None
        try:
            started = background.submit(batch)  # type: ignore[attr-defined]
        except Exception:
            started = None  # finished below as a plain stage is: retried article by article

        def finish() -> list[Article]:
            done: list[Article] | None = None
            if started is not None:
                try:
                    done = started()
                except Exception:
                    done = None
            if done is None:
                done = run_stage(background, batch)
            for stage in rest:
                done = run_stage(stage, done)
            return done

        return finish

    def warm_up(self) -> None:
        """Load what stages load lazily (models), so that timings and progress start with the work."""
        for stage in self.stages:
            warm = getattr(stage, "warm_up", None)
            if callable(warm):
                warm()

    def close(self) -> None:
        """Release what stages hold beyond the run (the spaCy worker processes). A later call of
        the pipeline starts them again."""
        for stage in self.stages:
            close = getattr(stage, "close", None)
            if callable(close):
                close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]


# The longest clean text analysed (`CleanStage`, `veille ingest --max-article-chars`); here, not in
# veille.clean, so that the command line reads it without importing the cleaners. The longest of
# the 36,152 OrangeSum articles is 19,838 characters; a long-form piece of 15,000 words is about
# 90,000. The analysis stages are linear in the text, but with a large constant (spaCy: about
# 2.5 GB and a minute for 117,000 tokens), so a page past this is rejected `too_long`, never cut:
# a cut article would be analysed as if whole.
MAX_ARTICLE_CHARS = 100_000


def default_pipeline(
    store: Any | None = None,
    *,
    near_threshold: float = 0.8,
    progress: bool = True,
    spacy_processes: int = 1,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> Pipeline:
    """The stage list `veille ingest` runs: clean → language → copies → near-copies → spaCy →
    entities → rubriques → quotes → time expressions → events → stories.

    `store` gives the stages their read-only views of what earlier runs saw (first copies by
    content hash, MinHash signatures, entity aliases, events); None runs them on this run's
    articles alone.
    `spacy_processes` > 1 runs spaCy in that many worker processes kept for the run (close the
    pipeline, or use it as a context manager, to stop them).
    `max_article_chars`: the clean stage rejects longer texts `too_long`.
    Stages are imported here, not at module level, so that importing the contract stays cheap.
    """
    from veille.clean import CleanStage
    from veille.clean.language import LanguageStage
    from veille.dedup.exact import ContentHashStage, ExactCopiesStage
    from veille.dedup.near import NearCopiesStage
    from veille.entities.stage import EntitiesStage
    from veille.events import EventsStage
    from veille.nlp import NlpStage
    from veille.quotes import QuotesStage
    from veille.rubriques import RubriquesStage
    from veille.stories import StoriesStage
    from veille.temporal import TemporalStage

    return Pipeline(
        [
            CleanStage(max_article_chars),
            LanguageStage(),
            ContentHashStage(),
            ExactCopiesStage(store),
            NearCopiesStage(store, threshold=near_threshold, progress=progress),
            # The entities stage reads the spaCy Doc; the engine drops it once the batch is stored.
            NlpStage(keep_docs=True, processes=spacy_processes),
            EntitiesStage(store),
            RubriquesStage(),
            QuotesStage(),
            TemporalStage(),
            EventsStage(store),
            StoriesStage(store),
        ]
    )


def run_stage(stage: Stage, batch: list[Article]) -> list[Article]:
    """`stage(batch)`, isolating the articles a `per_article` stage fails on (see the module doc)."""
    try:
        return stage(batch)
    except Exception as error:
        if not getattr(stage, "per_article", False):
            raise
        log.warning("stage %s failed on a batch of %d (%r); retrying article by article", stage.name,
                    len(batch), error)  # fmt: skip
    done: list[Article] = []
    for article in batch:
        try:
            done.extend(stage([article]))
        except Exception as error:
            log.warning("stage %s failed on article %s (%s #%s): %r", stage.name, article.id,
                        article.source_file, article.source_id, error)  # fmt: skip
            article.failures.append(StageFailure(stage.name, f"{type(error).__name__}: {error}"[:500]))
            done.append(article)
    return done
