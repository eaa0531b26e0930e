"""Fitting the scorer on labelled stories, and BCubed to judge a clustering.

`training_pairs` replays a labelled stream the way the clusterer sees it: articles in date order,
each compared with the candidate stories the index returns, except that the stories are the gold
ones built so far (teacher forcing). Each (article, candidate) pair gives the five similarities and
a label: same gold story or not. `fit_logistic` fits the weights (plain gradient descent with a
small L2 penalty; no extra dependency), and `sweep_thresholds` runs the real clusterer at several
thresholds and reports BCubed F1 for each. `cross_validate` keeps the fitting honest on a small
gold: the gold stories are split into folds; weights and threshold are fitted on the other folds
and judged on the held-out one, beside the configured scorer on the very same fold.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from veille.stories.backend import MemoryStories
from veille.stories.clusterer import ClusterConfig, StoryClusterer, window
from veille.stories.features import ArticleFeatures
from veille.stories.scorer import FEATURES, similarities
from veille.stories.state import StoryState


@dataclass(slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float


def bcubed(predicted: dict[str, str], gold: dict[str, str]) -> BCubed:
    """BCubed precision, recall and F1 over the articles both mappings hold."""
    items = [a for a in gold if a in predicted]
    if not items:
        return BCubed(0.0, 0.0, 0.0)
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item in items:
        by_pred.setdefault(predicted[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    precision = recall = 0.0
    for item in items:
        cluster, truth = by_pred[predicted[item]], by_gold[gold[item]]
        shared = len(cluster & truth)
        precision += shared / len(cluster)
        recall += shared / len(truth)
    p, r = precision / len(items), recall / len(items)
    return BCubed(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def training_pairs(
    stream: Sequence[ArticleFeatures],
    gold: dict[str, str],
    idf: Callable[[str], float],
    config: ClusterConfig | None = None,
) -> tuple[list[dict[str, float]], list[int]]:
    """(similarities, same story?) for every candidate the index offers each labelled article."""
    config = config or ClusterConfig()
    backend = MemoryStories()
    states: dict[str, StoryState] = {}
    evidence: list[dict[str, float]] = []
    labels: list[int] = []
    for features in stream:
        label = gold.get(features.article_id)
        if label is None:
            continue
        start, end = window(features.date, config.window_days)
        if not features.copy_of:  # copies join by the copy rule, never by score
            for state in backend.candidates(features.keys, start, end, config.max_candidates):
                evidence.append(similarities(features, state, config.half_life_days))
                labels.append(int(state.id == label))
        state = states.setdefault(label, StoryState(id=label))
        state.add(features)
        state.keys = state.index_keys(idf)
        backend.save([state], [])
    return evidence, labels


def fit_logistic(
    evidence: Sequence[dict[str, float]],
    labels: Sequence[int],
    names: Sequence[str] = FEATURES,
    *,
    l2: float = 0.001,
    steps: int = 20000,
    rate: float = 1.0,
) -> dict[str, float]:
    """Logistic-regression weights (with "bias") by gradient descent on the mean log-loss."""
    if not evidence or len(set(labels)) < 2:
        raise ValueError("calibration needs pairs of both kinds (same story and not): label more stories")
    x = np.array([[e[n] for n in names] for e in evidence], dtype=float)
    y = np.array(labels, dtype=float)
    x = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (p - y) / len(y)
        gradient[1:] += l2 * w[1:]
        w -= rate * gradient
    fitted = {n: round(float(v), 2) for n, v in zip(names, w[1:], strict=True)}
    return {"bias": round(float(w[0]), 2)} | fitted


def cluster_features(
    stream: Sequence[ArticleFeatures], idf: Callable[[str], float], config: ClusterConfig
) -> dict[str, str]:
    clusterer = StoryClusterer(MemoryStories(), idf, config)
    return {a.article_id: a.story_id for a in clusterer.add_batch(list(stream))}


def sweep_thresholds(
    stream: Sequence[ArticleFeatures],
    gold: dict[str, str],
    idf: Callable[[str], float],
    config: ClusterConfig,
    thresholds: Sequence[float] = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
) -> list[tuple[float, BCubed]]:
    results: list[tuple[float, BCubed]] = []
    for threshold in thresholds:
        results.append((threshold, bcubed(cluster_features(stream, idf, rescored(config, threshold)), gold)))
    return results


def log_loss(evidence: Sequence[dict[str, float]], labels: Sequence[int], weights: dict[str, float]) -> float:
    total = 0.0
    for e, y in zip(evidence, labels, strict=True):
        z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in e.items())
        p = min(1 - 1e-9, max(1e-9, 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))))
        total -= y * math.log(p) + (1 - y) * math.log(1 - p)
    return total / max(1, len(labels))


@dataclass(slots=True)
class FoldResult:
    fold: int
    articles: int
    weights: dict[str, float]
    threshold: float
    fitted: BCubed  # weights and threshold fitted on the other folds
    configured: BCubed  # the scorer as configured (no fitting), same articles


def fold_of(story: str, folds: int) -> int:
    """A gold story's fold: from a hash of its label, so that folds do not follow reading order."""
    return int(hashlib.sha1(story.encode("utf-8")).hexdigest(), 16) % folds


def rescored(
    config: ClusterConfig, threshold: float, weights: dict[str, float] | None = None, text_only: bool = False
) -> ClusterConfig:
    """`config` with another threshold and, when given, other weights (the text-only ones with
    `text_only`); the merge threshold stays at least the threshold."""
    return ClusterConfig(
        threshold=threshold,
        merge_threshold=max(threshold, config.merge_threshold),
        window_days=config.window_days,
        max_candidates=config.max_candidates,
        half_life_days=config.half_life_days,
        weights=config.weights if weights is None or text_only else weights,
        text_only_weights=weights if weights is not None and text_only else config.text_only_weights,
    )


def cross_validate(
    stream: Sequence[ArticleFeatures],
    gold: dict[str, str],
    idf: Callable[[str], float],
    config: ClusterConfig,
    *,
    names: Sequence[str] = FEATURES,
    folds: int = 2,
    thresholds: Sequence[float] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
) -> list[FoldResult]:
    """Fit on all folds but one, judge on that one; `names` without "embedding" fits the text-only
    weights. Each fold is clustered on its own articles (the others absent), by both scorers."""
    text_only = "embedding" not in names
    results: list[FoldResult] = []
    for fold in range(folds):
        train = [f for f in stream if f.article_id in gold and fold_of(gold[f.article_id], folds) != fold]
        test = [f for f in stream if f.article_id in gold and fold_of(gold[f.article_id], folds) == fold]
        evidence, labels = training_pairs(train, gold, idf, config)
        weights = fit_logistic(evidence, labels, names)
        trials = [
            (bcubed(cluster_features(train, idf, rescored(config, t, weights, text_only)), gold).f1, -t)
            for t in thresholds
        ]
        threshold = -max(trials)[1]
        fitted = bcubed(cluster_features(test, idf, rescored(config, threshold, weights, text_only)), gold)
        configured = bcubed(cluster_features(test, idf, config), gold)
        results.append(FoldResult(fold, len(test), weights, threshold, fitted, configured))
    return results
