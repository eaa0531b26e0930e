"""Calibration: BCubed on hand-made partitions, logistic weights that separate labelled pairs."""

from __future__ import annotations

import math
from collections.abc import Callable

from veille.stories.calibrate import bcubed, fit_logistic, training_pairs
from veille.stories.features import ArticleFeatures
from veille.stories.scorer import Scorer
from veille.stories.state import StoryState


def test_calibrate_bcubed_perfect_and_split() -> None:
    gold = {"a": "1", "b": "1", "c": "2"}
    assert bcubed({"a": "x", "b": "x", "c": "y"}, gold).f1 == 1.0
    split = bcubed({"a": "x", "b": "y", "c": "z"}, gold)
    assert split.precision == 1.0
    assert math.isclose(split.recall, (0.5 + 0.5 + 1.0) / 3)


def test_calibrate_fit_separates_same_story_pairs() -> None:
    evidence = [{"tfidf": v} for v in (0.05, 0.1, 0.15, 0.5, 0.6, 0.7)]
    weights = fit_logistic(evidence, [0, 0, 0, 1, 1, 1], names=("tfidf",))
    assert weights["tfidf"] > 0 > weights["bias"]


def test_calibrate_pairs_label_candidates_by_gold(make_features: Callable[..., ArticleFeatures]) -> None:
    stream = [
        make_features("a", {"x": 1.0}, "2020-01-01"),
        make_features("b", {"x": 1.0}, "2020-01-02"),
        make_features("c", {"x": 0.6, "y": 0.8}, "2020-01-02"),
    ]
    gold = {"a": "s1", "b": "s1", "c": "s2"}
    evidence, labels = training_pairs(stream, gold, lambda term: 10.0)
    assert labels == [1, 0]  # b meets s1 (same story); c meets s1 (another story)
    assert evidence[0]["tfidf"] > evidence[1]["tfidf"]


def test_calibrate_scorer_contributions_sum_to_the_score(
    make_features: Callable[..., ArticleFeatures],
) -> None:
    story = StoryState(id="s")
    story.add(make_features("a", {"x": 0.6, "y": 0.8}, "2020-01-01"))
    article = make_features("b", {"x": 1.0}, "2020-01-07")
    scorer = Scorer()
    parts = scorer.contributions(article, story)
    assert set(parts) == {"bias", "tfidf", "embedding", "entities", "events", "time"}
    assert parts["time"] == scorer.text_only_weights["time"] * 0.25  # six days out: two half-lives
    assert math.isclose(1 / (1 + math.exp(-sum(parts.values()))), scorer.score(article, story))
