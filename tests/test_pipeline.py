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
        "clean", "language", "content_hash", "exact_copies", "near_copies", "nlp", "entities", "quotes",
        "temporal", "events", "stories",
    ]  # fmt: skip
