"""The two small models learned from pseudo-labels, shipped with the package (no download, no
training at run time).

`bench/rubriques_pseudo_labels.py` builds them from the OrangeSum corpus (never from an evaluation
set): the keyword rules label every article, only the confident ones are kept, and two multinomial
logistic regressions learn those labels:

- lexical: TF-IDF (words, sublinear tf) of the accent-folded headline and start of the text with
  every rule keyword blanked out first, so that the model learns the words *around* the keywords
  (team names, diseases, companies …) and gives evidence the rules do not already give;
- embedding: the sentence encoder's vector of the headline and lead (the one the stories stage
  loads): what the rubriques' articles look like in that space, instead of the hand-written
  prototype phrases.

This module only reads the shipped file and applies the models with numpy, reproducing
scikit-learn's `TfidfVectorizer` (default token pattern, sublinear tf, smooth idf, l2 norm) and
`LogisticRegression.predict_proba` up to the rounding of the stored weights; the build script
checks the two agree, a test checks the arithmetic against scikit-learn.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from veille.errors import ConfigError

MODEL_PATH = Path(__file__).resolve().parent / "data" / "pseudo_labels.json.gz"
FORMAT = 1
TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
LEXICAL_CHARS = 4000  # as much text as the rules read: leads carry the topic, long bodies drift
REBUILD = "rebuild it: .venv/bin/python bench/rubriques_pseudo_labels.py"


def masked_text(folded_title: str, folded_body: str, patterns: Sequence[re.Pattern[str]]) -> str:
    """The lexical model's input: headline and start of the text (already folded), every match of
    the rules' keyword patterns replaced by a space."""
    text = f"{folded_title}\n{folded_body[:LEXICAL_CHARS]}"
    for pattern in patterns:
        text = pattern.sub(" ", text)
    return text


def _softmax_rows(logits: Any) -> Any:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    weights = np.exp(shifted)
    return weights / weights.sum(axis=-1, keepdims=True)


@dataclass(slots=True)
class LexicalModel:
    vocabulary: dict[str, int]
    idf: Any  # (features,)
    coef: Any  # (classes, features)
    intercept: Any  # (classes,)

    def vector(self, text: str) -> tuple[Any, Any]:
        """Sparse TF-IDF of a masked text: (feature indices, l2-normalised values)."""
        counts: dict[int, int] = {}
        for token in TOKEN.findall(text):
            index = self.vocabulary.get(token)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        values = tf * self.idf[indices]
        norm = float(np.sqrt((values * values).sum()))
        return indices, (values / norm if norm else values)

    def probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        rows = []
        for text in texts:
            indices, values = self.vector(text)
            rows.append(self.coef[:, indices] @ values + self.intercept)
        if not rows:
            return []
        return [[float(p) for p in row] for row in _softmax_rows(np.array(rows))]


@dataclass(slots=True)
class EmbeddingModel:
    coef: Any  # (classes, dimensions)
    intercept: Any  # (classes,)

    def probabilities(self, vectors: Sequence[Sequence[float]]) -> list[list[float]]:
        if not vectors:
            return []
        logits = np.array(vectors, dtype=np.float64) @ self.coef.T + self.intercept
        return [[float(p) for p in row] for row in _softmax_rows(logits)]


@dataclass(slots=True)
class PseudoLabelModels:
    names: list[str]  # the rubriques, in the order of the models' classes
    lexical: LexicalModel
    embedding: EmbeddingModel
    about: dict[str, Any]  # how the file was built: source, thresholds, counts, held-out agreement

    def reorder(self, names: Sequence[str]) -> list[int]:
        """Positions of `names` among the models' classes; an error naming the fix when the
        rubrique set changed since the file was built."""
        if sorted(names) != sorted(self.names):
            raise ConfigError(
                f"the shipped rubrique models know {sorted(self.names)} but the set is {sorted(names)}; "
                + REBUILD
            )
        return [self.names.index(name) for name in names]


def _matrix(rows: Any, scale: float) -> Any:
    return np.array(rows, dtype=np.float64) / scale


def models_from_json(data: dict[str, Any]) -> PseudoLabelModels:
    if data.get("format") != FORMAT:
        raise ConfigError(f"rubrique model file format {data.get('format')!r}, expected {FORMAT}; {REBUILD}")
    lexical, embedding = data["lexical"], data["embedding"]
    vocabulary = {token: i for i, token in enumerate(lexical["vocabulary"])}
    # Weights are stored as integers (value × scale) to keep the file small; see the build script.
    return PseudoLabelModels(
        names=list(data["names"]),
        lexical=LexicalModel(
            vocabulary=vocabulary,
            idf=_matrix(lexical["idf"], lexical["idf_scale"]),
            coef=_matrix(lexical["coef"], lexical["scale"]),
            intercept=np.array(lexical["intercept"], dtype=np.float64),
        ),
        embedding=EmbeddingModel(
            coef=_matrix(embedding["coef"], embedding["scale"]),
            intercept=np.array(embedding["intercept"], dtype=np.float64),
        ),
        about=dict(data.get("about", {})),
    )


@lru_cache(maxsize=2)
def load_models(path: Path = MODEL_PATH) -> PseudoLabelModels:
    """The shipped models (read once per process)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError as error:
        raise ConfigError(f"no rubrique model file at {path}; {REBUILD}") from error
    return models_from_json(data)
