"""Zero-shot rubrique assignment: keyword and entity rules plus the sentence encoder, and, as an
option, two models learned from the rules' own labels.

Up to three kinds of evidence, each a distribution over the rubriques, averaged with weights:

- rules: the rubriques' keywords (taxonomy.py) found in the headline (counted `TITLE_WEIGHT` times)
  and the start of the text, each keyword counted at most `KEYWORD_CAP` times so that one repeated
  word cannot decide alone; the article's resolved entities add evidence where their type is
  unambiguous (a political party, an armed group); the section the publisher filed it under, when
  its URL names one (`taxonomy.SECTIONS`), counts as much as the strongest keyword can;
- embedding: the multilingual sentence encoder the stories stage already loads (one shared copy,
  `veille.stories.features.sentence_embedder`) embeds the headline, lead and start of the text;
  by default its cosines to each rubrique's prototype phrases (the mean of the best
  `TOP_PROTOTYPES`) go through a softmax; with `embedding="learned"`, a logistic regression learned
  on pseudo-labels turns the vector into a distribution (learned.py);
- lexical (optional): a TF-IDF + logistic-regression model learned from the rules' confident labels
  on an unlabeled news corpus, reading the text with the keywords blanked out, so that it weighs
  the words the rules do not know (learned.py, built by bench/rubriques_pseudo_labels.py).

`PARTS` (rules 0.85, phrases 0.15) is what the stage runs; `LEARNED_PARTS` with the learned
embedding is the pseudo-label method, measured beside it (docs/rubriques.md has why the default
stayed). The rules count only when some keyword or entity fired. The result is multi-label: every
rubrique whose combined score reaches `MIN_SCORE` and `RELATIVE_MIN` of the best, at most
`MAX_RUBRIQUES`, best first (the first is the primary rubrique). Only French is supported: the
keywords and the training corpus are French, and a guess for other languages was never measured.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from veille.rubriques.learned import PseudoLabelModels, load_models, masked_text
from veille.rubriques.taxonomy import RUBRIQUES, SECTIONS, Rubrique
from veille.stories.features import LEAD_CHARS, Embedder, headline_and_lead

SUPPORTED_LANGUAGES = frozenset({"fr"})
BODY_CHARS = 4000  # the start of the text: leads carry the topic, long bodies drift
# The encoder reads the headline and the text's first 300 characters: the text the stories stage
# embeds (`veille.stories.features.headline_and_lead`), so that the shared encoder, which remembers
# its recent texts, encodes each article once for both stages (1,000 characters cost 11 ms an
# article more; docs/rubriques.md). The pseudo-label embedding model was trained on the first
# 1,000 characters and keeps reading them.
EMBED_CHARS = LEAD_CHARS
LEARNED_EMBED_CHARS = 1000
TITLE_WEIGHT = 3
KEYWORD_CAP = 3
TOP_PROTOTYPES = 2
# Cosines of this encoder between a text and phrases of different topics sit within ~0.2 of each
# other: a temperature of 0.1 spreads that range over a factor of ~7 in the softmax.
TEMPERATURE = 0.1
# The default (what the stage runs): the rules, and the encoder scored against the prototype
# phrases, weighed 0.85/0.15 (set on the dev set's scores). Kept over the pseudo-label method below
# on the one dev measurement of both (docs/rubriques.md: macro-F1 0.841 against 0.814).
PARTS: dict[str, float] = {"rules": 0.85, "embedding": 0.15}
EMBEDDING = "phrases"
# The pseudo-label method: rules, lexical model and embedding model weighed equally, fixed before
# any measurement, as nothing but the evaluation set could tell them apart (the learned models'
# labels come from the rules).
LEARNED_PARTS: dict[str, float] = {"rules": 1.0, "lexical": 1.0, "embedding": 1.0}
# The publisher's section is its own rubrique for the article: as much as a headline keyword
# repeated to the cap, the most any one keyword can weigh.
SECTION_WEIGHT = KEYWORD_CAP * TITLE_WEIGHT
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


_ID_SUFFIX = re.compile(r"(?:[-_.]\d+)?(?:\.[a-z]{2,5})?$")


def url_sections(url: str | None) -> list[str]:
    """The rubriques a URL's sections name (`taxonomy.SECTIONS`), in the set's order: any path
    segment, a segment's leading word before a number ("sports-60123456"), the host's first label
    when it is a subdomain ("sport.example.fr"); the query, the fragment and article slugs
    ("la-sante-des-ministres") say nothing."""
    if not url:
        return []
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:  # a malformed URL (bad port, brackets) names no section
        return []
    candidates = [fold(segment) for segment in parts.path.split("/") if segment]
    candidates += [_ID_SUFFIX.sub("", c) for c in candidates]
    labels = host.split(".")
    if len(labels) >= 3:
        candidates.append(fold(labels[0]))
    found = {SECTIONS[c] for c in candidates if c in SECTIONS}
    return [r.name for r in RUBRIQUES if r.name in found]


@dataclass(slots=True)
class RubriqueInput:
    """What the classifier reads of an article."""

    title: str
    text: str
    language: str | None = "fr"
    entity_types: list[str] = field(default_factory=list)  # one per distinct resolved entity
    url: str | None = None


def embedding_input(item: RubriqueInput, chars: int = EMBED_CHARS) -> str:
    return headline_and_lead(item.title, item.text, chars)


def softmax(values: Sequence[float], temperature: float) -> list[float]:
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    total = sum(weights)
    return [w / total for w in weights]


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


class RubriqueClassifier:
    """Scores articles against the rubrique set.

    `parts` weighs the evidence: "rules", "lexical" (the pseudo-label TF-IDF model), "embedding"
    (the sentence encoder); a part missing from it is not computed. `embedding` says how the
    encoder's vector is scored: "phrases" (the hand-written prototype phrases, the default) or
    "learned" (the pseudo-label model). `parts=LEARNED_PARTS, embedding="learned"` is the
    pseudo-label method (docs/rubriques.md).
    `embedder` None uses the shared sentence encoder."""

    def __init__(
        self,
        rubriques: Sequence[Rubrique] = RUBRIQUES,
        embedder: Embedder | None = None,
        parts: Mapping[str, float] | None = None,
        embedding: str = EMBEDDING,
        models: PseudoLabelModels | None = None,
    ) -> None:
        self.rubriques = list(rubriques)
        self.names = [r.name for r in self.rubriques]
        self.patterns = [keyword_pattern(r.keywords) for r in self.rubriques]
        self.parts = dict(PARTS if parts is None else parts)
        unknown = set(self.parts) - set(LEARNED_PARTS)
        if unknown or not self.parts or min(self.parts.values()) <= 0:
            raise ValueError(
                f"parts must give a positive weight to some of {sorted(LEARNED_PARTS)}, got {self.parts}"
            )
        if embedding not in ("learned", "phrases"):
            raise ValueError(f"embedding must be 'learned' or 'phrases', got {embedding!r}")
        self.embedding = embedding
        self._embedder = embedder
        self._models = models
        self._order: list[int] | None = None  # the models' class positions of self.names
        self._prototypes: list[Any] | None = None  # per rubrique, a matrix of unit prototype vectors

    @property
    def use_embedding(self) -> bool:
        return "embedding" in self.parts

    @property
    def learned(self) -> bool:
        return "lexical" in self.parts or (self.use_embedding and self.embedding == "learned")

    def warm_up(self) -> None:
        if self.learned and self._order is None:
            if self._models is None:
                self._models = load_models()
            self._order = self._models.reorder(self.names)
        if self.use_embedding and self._embedder is None:
            from veille.stories.features import sentence_embedder

            self._embedder = sentence_embedder()
        if self.use_embedding and self.embedding == "phrases" and self._prototypes is None:
            assert self._embedder is not None
            texts = [[r.description, *r.prototypes] for r in self.rubriques]
            flat = self._embedder([t for group in texts for t in group])
            vectors = iter(_unit(v) for v in flat)
            self._prototypes = [np.array([next(vectors) for _ in group]) for group in texts]

    # -- evidence --------------------------------------------------------------------------------

    def rule_evidence(self, item: RubriqueInput) -> list[float]:
        """Weighted keyword, entity and URL-section counts per rubrique (in the set's order)."""
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
        for name in url_sections(item.url):
            if name in self.names:
                evidence[self.names.index(name)] += SECTION_WEIGHT
        return evidence

    def embedding_text(self, item: RubriqueInput) -> str:
        """What the encoder reads of an item (see EMBED_CHARS)."""
        return embedding_input(item, EMBED_CHARS if self.embedding == "phrases" else LEARNED_EMBED_CHARS)

    def similarities(self, vector: Sequence[float]) -> list[float]:
        assert self._prototypes is not None
        unit = np.array(_unit(vector))
        found = []
        for prototypes in self._prototypes:
            cosines = np.sort(prototypes @ unit)[::-1][:TOP_PROTOTYPES]
            found.append(float(cosines.mean()))
        return found

    def _reordered(self, rows: list[list[float]]) -> list[list[float]]:
        assert self._order is not None
        return [[row[j] for j in self._order] for row in rows]

    def lexical_probabilities(self, items: Sequence[RubriqueInput]) -> list[list[float]]:
        """The pseudo-label TF-IDF model's distribution of each item (keywords blanked out)."""
        self.warm_up()
        assert self._models is not None
        texts = [masked_text(fold(i.title), fold(i.text[:BODY_CHARS]), self.patterns) for i in items]
        return self._reordered(self._models.lexical.probabilities(texts))

    def embedding_probabilities(self, items: Sequence[RubriqueInput]) -> list[list[float]]:
        """The encoder's distribution of each item: the pseudo-label model's, or a softmax over
        the cosines to the prototype phrases."""
        self.warm_up()
        assert self._embedder is not None
        if not items:
            return []
        vectors = self._embedder([self.embedding_text(item) for item in items])
        if self.embedding == "phrases":
            return [softmax(self.similarities(v), TEMPERATURE) for v in vectors]
        assert self._models is not None
        return self._reordered(self._models.embedding.probabilities(vectors))

    # -- scoring ---------------------------------------------------------------------------------

    def scores(self, items: Sequence[RubriqueInput]) -> list[list[float]]:
        """Combined score per rubrique (a distribution summing to 1) of each supported item: the
        weighted mean of the parts' distributions, the rules counting only when some keyword or
        entity fired; an unsupported language gets an empty list."""
        supported = [item for item in items if item.language in SUPPORTED_LANGUAGES]
        found: dict[str, list[list[float]]] = {}
        if "lexical" in self.parts:
            found["lexical"] = self.lexical_probabilities(supported)
        if self.use_embedding:
            found["embedding"] = self.embedding_probabilities(supported)
        results: list[list[float]] = []
        position = 0
        for item in items:
            if item.language not in SUPPORTED_LANGUAGES:
                results.append([])
                continue
            parts = {name: rows[position] for name, rows in found.items()}
            position += 1
            if "rules" in self.parts:
                evidence = self.rule_evidence(item)
                total = sum(evidence)
                if total:
                    parts["rules"] = [e / total for e in evidence]
            weight = sum(self.parts[name] for name in parts)
            combined = [0.0] * len(self.names)
            for name, distribution in parts.items():
                for j, p in enumerate(distribution):
                    combined[j] += self.parts[name] / weight * p
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
