from __future__ import annotations

from typing import ClassVar

import pytest

from veille.errors import PipelineError
from veille.model import Article
from veille.pipeline import Pipeline


class Provides:
    name: ClassVar[str] = "provides_x"
    requires: ClassVar[frozenset[str]] = frozenset({"id"})
    provides: ClassVar[frozenset[str]] = frozenset({"x"})

    def __call__(self, batch: list[Article]) -> list[Article]:
        for a in batch:
            a.title = "x"
        return batch


class Needs:
    name: ClassVar[str] = "needs_x"
    requires: ClassVar[frozenset[str]] = frozenset({"x"})
    provides: ClassVar[frozenset[str]] = frozenset({"y"})

    def __call__(self, batch: list[Article]) -> list[Article]:
        return batch


def test_pipeline_requires_are_checked_when_built() -> None:
    with pytest.raises(PipelineError) as error:
        Pipeline([Needs(), Provides()])
    assert str(error.value) == (
        "stage 'needs_x' requires ['x'], which no earlier stage provides (provides_x provides it: move it "
        "earlier). Add a stage that provides it before 'needs_x'."
    )


def test_pipeline_runs_stages_in_order() -> None:
    pipeline = Pipeline([Provides(), Needs()])
    batch = pipeline([Article(id="1", source_file="f", source_id="")])
    assert batch[0].title == "x"
    assert pipeline.names == ["provides_x", "needs_x"]
    assert {"x", "y"} <= pipeline.fields


def test_pipeline_default_stage_list_is_consistent() -> None:
    from veille.pipeline import default_pipeline

    pipeline = default_pipeline()
    assert pipeline.names == [
        "clean", "language", "content_hash", "exact_copies", "near_copies", "nlp", "entities", "rubriques",
        "quotes", "temporal", "events", "stories",
    ]  # fmt: skip


class FailsOnBadTitle:
    """A per-article stage that raises on one article, like the quotes stage on "Selon, X, …"."""

    name: ClassVar[str] = "titles"
    requires: ClassVar[frozenset[str]] = frozenset({"id"})
    provides: ClassVar[frozenset[str]] = frozenset({"title"})
    per_article: ClassVar[bool] = True

    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, batch: list[Article]) -> list[Article]:
        self.calls.append(len(batch))
        titled = [(a, a.text.upper()) for a in batch]
        if any(a.text == "bad" for a in batch):
            raise IndexError("list index out of range")
        for article, title in titled:
            article.title = title
        return batch


class SharedStateStage(FailsOnBadTitle):
    per_article: ClassVar[bool] = False


def articles(*texts: str) -> list[Article]:
    return [Article(id=f"a{i}", source_file="f", source_id=str(i), text=t) for i, t in enumerate(texts)]


def test_pipeline_per_article_stage_failure_costs_one_article() -> None:
    stage = FailsOnBadTitle()
    batch = Pipeline([stage])(articles("un", "bad", "trois"))
    assert stage.calls == [3, 1, 1, 1]  # the batch, then each article alone
    assert [a.title for a in batch] == ["UN", None, "TROIS"]
    assert [len(a.failures) for a in batch] == [0, 1, 0]
    assert (batch[1].failures[0].stage, batch[1].failures[0].error) == (
        "titles",
        "IndexError: list index out of range",
    )


def test_pipeline_shared_state_stage_failure_is_raised() -> None:
    with pytest.raises(IndexError):
        Pipeline([SharedStateStage()])(articles("un", "bad"))


def test_pipeline_default_stages_that_retry_alone_are_the_stateless_ones() -> None:
    from veille.pipeline import default_pipeline

    stages = default_pipeline(None, progress=False).stages
    retried = [stage.name for stage in stages if getattr(stage, "per_article", False)]
    assert retried == ["clean", "language", "content_hash", "nlp", "rubriques", "quotes", "temporal"]
