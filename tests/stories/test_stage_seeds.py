"""The two seed pages (the Paris 'conseil de guerre' against Daech, told three days apart by two
sources) form one story, with their dates and without."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from veille.engines.local import to_article
from veille.errors import PipelineError
from veille.ingest import ReadOptions, ReadReport, iter_records
from veille.model import Article
from veille.pipeline import Pipeline, default_pipeline
from veille.stories import StoriesStage, cluster_articles


@pytest.fixture(scope="module")
def seeds(nlp: Any, seeds_dir: Path) -> list[Article]:
    articles = [to_article(r) for r in iter_records([seeds_dir], ReadOptions(), ReadReport())]
    return default_pipeline(None, progress=False)(articles)


def test_stage_seeds_form_one_story_with_dates(seeds: list[Article]) -> None:
    assert all(a.published for a in seeds)
    stage = StoriesStage()
    stage(seeds)
    assert len({a.story_id for a in seeds}) == 1
    [story] = stage.touched()
    assert story.first_seen == "2016-01-18" and story.last_seen == "2016-01-21"
    assert story.independent_sources == 2
    assert story.title in {a.title for a in seeds}
    assert not any(stage.assignments[a.id].undated for a in seeds)


def test_stage_seeds_form_one_story_without_dates(seeds: list[Article]) -> None:
    undated = [
        Article(**{**{f: getattr(a, f) for f in Article.__slots__}, "published": None, "story_id": None})
        for a in seeds
    ]
    stage = StoriesStage()
    stage(undated)
    assert len({a.story_id for a in undated}) == 1
    assert all(stage.assignments[a.id].undated for a in undated)


def test_stage_cluster_articles_maps_every_article(seeds: list[Article]) -> None:
    assignment = cluster_articles(seeds)
    assert set(assignment) == {a.id for a in seeds}
    assert len(set(assignment.values())) == 1


def test_stage_needs_the_analysis_before_it() -> None:
    with pytest.raises(PipelineError, match="stage 'stories' requires"):
        Pipeline([StoriesStage(embedding=False)])


def test_stage_cluster_articles_analyses_cleaned_articles(seeds: list[Article]) -> None:
    cleaned = [
        Article(a.id, a.source_file, a.source_id, title=a.title, text=a.text, language="fr")
        for a in seeds
    ]
    for article, seed in zip(cleaned, seeds, strict=True):
        article.published = seed.published
    assignment = cluster_articles(cleaned, analysed=False)
    assert all(a.entities for a in cleaned)  # the analysis ran
    assert len(set(assignment.values())) == 1 and set(assignment) == {a.id for a in seeds}
