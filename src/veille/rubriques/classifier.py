"""Zero-shot rubrique assignment: keyword and entity rules plus sentence-embedding similarity.

Two kinds of evidence, each turned into a distribution over the rubriques and then averaged:

- rules: the rubriques' keywords (taxonomy.py) found in the headline (counted `TITLE_WEIGHT` times)
  and the start of the text, each keyword counted at most `KEYWORD_CAP` times so that one repeated
  word cannot decide alone; the article's resolved entities add evidence where their type is
  unambiguous (a political party, an armed group);
- embedding: the multilingual sentence encoder the stories stage already loads (one shared copy,
  `veille.stories.features.sentence_embedder`) embeds the headline, lead and start of the text;
  its cosine to each rubrique's prototype phrases (the mean of the best `TOP_PROTOTYPES`) goes
  through a softmax, so that what counts is how much closer one rubrique is than the others.

An article with no keyword at all is decided by the embedding alone. The result is multi-label:
every rubrique whose combined score reaches `MIN_SCORE` and `RELATIVE_MIN` of the best, at most
`MAX_RUBRIQUES`, best first (the first is the primary rubrique). Only French is supported: the
keywords are French, and an embedding-only guess for other languages was never measured.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from veille.rubriques.taxonomy import RUBRIQUES, Rubrique
from veille.stories.features import Embedder

SUPPORTED_LANGUAGES = frozenset({"fr"})
BODY_CHARS = 4000  # the start of the text: leads carry the topic, long bodies drift
EMBED_CHARS = 1000
TITLE_WEIGHT = 3
KEYWORD_CAP = 3
TOP_PROTOTYPES = 2
# Cosines of this encoder between a text and phrases of different topics sit within ~0.2 of each
# other: a temperature of 0.1 spreads that range over a factor of ~7 in the softmax.
TEMPERATURE = 0.1
# Keywords are the stronger evidence where they occur (docs/rubriques.md has the ablation); the
# embedding decides articles without keywords and breaks near-ties.
RULE_WEIGHT = 0.85
MIN_SCORE = 0.15
RELATIVE_MIN = 0.25
MAX_RUBRIQUES = 3
# Entity types (gazetteer/kb "type") that say the rubrique by themselves, and what each counts.
ENTITY_RULES: dict[str, tuple[str, float]] = {
    "party": ("politique", 2.0),
    "armed_group": ("défense et conflits", 2.0),
}


def fold(text: str) -> str:
    """Lower case without accents, typographic apostrophes made plain: what keywords are written in."""
    folded = unicodedata.normalize("NFKD", text.lower().replace("’", "'"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str]:
    """One regex for a rubrique's keywords: `*` is any word ending, the rest matches whole words."""
    parts = []
    for keyword in sorted(keywords, key=len, reverse=True):
        parts.append(r"\w*".join(re.escape(piece) for piece in fold(keyword).split("*")))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@dataclass(slots=True)
class RubriqueInput:
    """What the classifier reads of an article."""

    title: str
    text: str
    language: str | None = "fr"
    entity_types: list[str] = field(default_factory=list)  # one per distinct resolved entity


def embedding_input(item: RubriqueInput) -> str:
    body = item.text[:EMBED_CHARS]
    return f"{item.title}. {body}" if item.title else body


def softmax(values: Sequence[float], temperature: float) -> list[float]:
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    total = sum(weights)
    return [w / total for w in weights]


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


class RubriqueClassifier:
    """Scores articles against the rubrique set; `embedder` None uses the shared sentence encoder,
    `use_embedding=False` the rules alone, `rule_weight=0` the embedding alone."""

    def __init__(
        self,
        rubriques: Sequence[Rubrique] = RUBRIQUES,
        embedder: Embedder | None = None,
        use_embedding: bool = True,
        rule_weight: float = RULE_WEIGHT,
    ) -> None:
        self.rubriques = list(rubriques)
        self.names = [r.name for r in self.rubriques]
        self.patterns = [keyword_pattern(r.keywords) for r in self.rubriques]
        self.use_embedding = use_embedding
        self.rule_weight = rule_weight
        self._embedder = embedder
        self._prototypes: list[Any] | None = None  # per rubrique, a matrix of unit prototype vectors

    def warm_up(self) -> None:
        if self.use_embedding and self._prototypes is None:
            if self._embedder is None:
                from veille.stories.features import sentence_embedder

                self._embedder = sentence_embedder()
            texts = [[r.description, *r.prototypes] for r in self.rubriques]
            flat = self._embedder([t for group in texts for t in group])
            vectors = iter(_unit(v) for v in flat)
            self._prototypes = [np.array([next(vectors) for _ in group]) for group in texts]

    # -- evidence --------------------------------------------------------------------------------

    def rule_evidence(self, item: RubriqueInput) -> list[float]:
        """Weighted keyword and entity counts per rubrique (in the set's order)."""
        title, body = fold(item.title), fold(item.text[:BODY_CHARS])
        evidence = []
        for pattern in self.patterns:
            counts: dict[str, float] = {}
            for where, weight in ((title, TITLE_WEIGHT), (body, 1)):
                for match in pattern.finditer(where):
                    counts[match.group()] = counts.get(match.group(), 0.0) + weight
            evidence.append(sum(min(n, KEYWORD_CAP * TITLE_WEIGHT) for n in counts.values()))
        for entity_type in item.entity_types:
            rule = ENTITY_RULES.get(entity_type)
            if rule is not None and rule[0] in self.names:
                evidence[self.names.index(rule[0])] += rule[1]
        return evidence

    def similarities(self, vector: Sequence[float]) -> list[float]:
        assert self._prototypes is not None
        unit = np.array(_unit(vector))
        found = []
        for prototypes in self._prototypes:
            cosines = np.sort(prototypes @ unit)[::-1][:TOP_PROTOTYPES]
            found.append(float(cosines.mean()))
        return found

    # -- scoring ---------------------------------------------------------------------------------

    def scores(self, items: Sequence[RubriqueInput]) -> list[list[float]]:
        """Combined score per rubrique (a distribution summing to 1) of each supported item; an
        unsupported language gets an empty list."""
        supported = [i for i, item in enumerate(items) if item.language in SUPPORTED_LANGUAGES]
        vectors: dict[int, list[float]] = {}
        if self.use_embedding and supported:
            self.warm_up()
            assert self._embedder is not None
            embedded = self._embedder([embedding_input(items[i]) for i in supported])
            vectors = dict(zip(supported, embedded, strict=True))
        results: list[list[float]] = []
        for i, item in enumerate(items):
            if item.language not in SUPPORTED_LANGUAGES:
                results.append([])
                continue
            evidence = self.rule_evidence(item)
            total = sum(evidence)
            rules = [e / total for e in evidence] if total and self.rule_weight > 0 else None
            embedded_part = softmax(self.similarities(vectors[i]), TEMPERATURE) if i in vectors else None
            if rules is not None and embedded_part is not None:
                w = self.rule_weight
                combined = [w * r + (1 - w) * e for r, e in zip(rules, embedded_part, strict=True)]
            else:
                combined = rules or embedded_part or [0.0] * len(self.names)
            results.append(combined)
        return results

    def classify(self, items: Sequence[RubriqueInput]) -> list[list[tuple[str, float]]]:
        """(rubrique, score) pairs per item, best first: the chosen rubriques, see the module doc."""
        return [self.choose(scores) for scores in self.scores(items)]

    def choose(self, scores: Sequence[float]) -> list[tuple[str, float]]:
        if not scores or max(scores) <= 0:
            return []
        ranked = sorted(zip(self.names, scores, strict=True), key=lambda pair: -pair[1])
        best = ranked[0][1]
        kept = [ranked[0]]
        for name, score in ranked[1:MAX_RUBRIQUES]:
            if score >= MIN_SCORE and score >= RELATIVE_MIN * best:
                kept.append((name, score))
        return [(name, round(score, 4)) for name, score in kept]
