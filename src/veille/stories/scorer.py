"""How likely an article continues a story: five similarities combined by a logistic scorer.

`similarities(features, state)` is pure and returns the evidence as named numbers: TF-IDF cosine
to the story's centroid, sentence-embedding cosine to its mean embedding, entity overlap, shared
events, and time decay (1 inside the story's dates, halving every `half_life_days` beyond them).
`Scorer` turns them into a probability with logistic weights. The defaults below are hand-set;
weights fitted on labelled pairs (calibrate.py) did not beat them on held-out gold stories
(docs/stories_evaluation.md, "Calibration"), so they stay the defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from veille.stories.features import ArticleFeatures
from veille.stories.state import StoryState, cosine

FEATURES = ("tfidf", "embedding", "entities", "events", "time")

# Logistic weights (bias first): the two text similarities carry most of the evidence, entities
# and shared events confirm, time only tempers. Cross-validated against fitted weights on the dev
# gold: 0.979 held-out BCubed F1 vs 0.975 for the fitted ones.
DEFAULT_WEIGHTS: dict[str, float] = {
    "bias": -6.0,
    "tfidf": 6.0,
    "embedding": 5.0,
    "entities": 3.0,
    "events": 2.0,
    "time": 1.0,
}

# The same evidence without the sentence embedding (run with embedding=False, or an article or a
# story that has none): the text similarity must carry it alone.
TEXT_ONLY_WEIGHTS: dict[str, float] = {
    "bias": -4.5,
    "tfidf": 9.0,
    "entities": 3.5,
    "events": 2.0,
    "time": 1.0,
}


def days_between(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def time_decay(day: str | None, first: str | None, last: str | None, half_life_days: float) -> float:
    """1 when the article falls within the story's dates (or either is undated), else decaying."""
    if day is None or first is None or last is None:
        return 1.0
    if first <= day <= last:
        return 1.0
    gap = days_between(day, first) if day < first else days_between(day, last)
    return float(0.5 ** (gap / half_life_days))


def embedding_cosine(vector: list[float] | None, total: list[float] | None) -> float:
    if vector is None or total is None:
        return 0.0
    # numpy: the 512 products in Python were most of the scoring time.
    a, b = np.asarray(vector, dtype=np.float64), np.asarray(total, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"embeddings of different sizes ({a.shape[0]} and {b.shape[0]}): mixed models?")
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b) / norm if norm else 0.0


def similarities(
    features: ArticleFeatures, state: StoryState, half_life_days: float = 3.0
) -> dict[str, float]:
    shared_events = set(features.events) & {e.event_id for e in state.events}
    return {
        "tfidf": cosine(features.terms, state.terms),
        "embedding": embedding_cosine(features.embedding, state.embedding),
        "entities": cosine(features.entities, state.entities),
        "events": 1.0 if shared_events else 0.0,
        "time": time_decay(features.date, state.first_seen, state.last_seen, half_life_days),
    }


@dataclass(slots=True)
class Scorer:
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    text_only_weights: dict[str, float] = field(default_factory=lambda: dict(TEXT_ONLY_WEIGHTS))
    half_life_days: float = 3.0

    def probability(self, evidence: dict[str, float], embedded: bool = True) -> float:
        weights = self.weights if embedded else self.text_only_weights
        z = weights.get("bias", 0.0) + sum(weights.get(k, 0.0) * v for k, v in evidence.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def score(self, features: ArticleFeatures, state: StoryState) -> float:
        embedded = features.embedding is not None and state.embedding is not None
        return self.probability(similarities(features, state, self.half_life_days), embedded)

    def contributions(self, features: ArticleFeatures, state: StoryState) -> dict[str, float]:
        """Why an article scored what it did against a story: each similarity times its weight
        (and the bias), the terms whose sum the probability is the logistic of."""
        embedded = features.embedding is not None and state.embedding is not None
        weights = self.weights if embedded else self.text_only_weights
        evidence = similarities(features, state, self.half_life_days)
        parts = {name: weights.get(name, 0.0) * value for name, value in evidence.items()}
        return {"bias": weights.get("bias", 0.0)} | parts
