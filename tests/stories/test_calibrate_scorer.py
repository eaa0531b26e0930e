"""Calibration: BCubed on hand-made partitions, logistic weights that separate labelled pairs."""

from __future__ import annotations

import math
from collections.abc import Callable

from veille.stories.calibrate import bcubed, cross_validate, fit_logistic, fold_of, training_pairs
from veille.stories.clusterer import ClusterConfig
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


def test_calibrate_cross_validation_fits_on_other_folds_and_judges_held_out(
    make_features: Callable[..., ArticleFeatures],
) -> None:
    # Eight stories of three articles each, every story its own vocabulary: separable by TF-IDF.
    stream, gold = [], {}
    for story in range(8):
        for n in range(3):
            article_id = f"s{story}a{n}"
            terms = {f"w{story}": 0.8, f"v{story}_{n}": 0.5, "commun": 0.3}  # "commun" brings others
            stream.append(make_features(article_id, terms))
            gold[article_id] = f"story{story}"
    text_only = ("tfidf", "entities", "events", "time")
    results = cross_validate(stream, gold, lambda term: 10.0, ClusterConfig(), names=text_only, folds=2)
    assert [r.fold for r in results] == [0, 1]
    assert sum(r.articles for r in results) == 24  # every article judged once, in its own fold
    assert {fold_of(story, 2) for story in gold.values()} == {0, 1}  # both folds hold stories
    for result in results:
        assert result.weights["tfidf"] > 0 > result.weights["bias"]
        assert result.fitted.f1 == 1.0
        assert "embedding" not in result.weights
