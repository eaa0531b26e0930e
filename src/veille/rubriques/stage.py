"""The rubriques stage: every analysed French article gets its rubriques, best first.

Per article (see veille.pipeline): an article's rubriques depend on its own title, text, language
and resolved entities. Rejected articles are left alone; an article in a language the classifier
does not support gets none (`rubriques == []`) and is counted as such, never guessed.
"""

from __future__ import annotations

from typing import ClassVar

from veille.model import REJECTED, Article
from veille.rubriques.classifier import SUPPORTED_LANGUAGES, RubriqueClassifier, RubriqueInput
from veille.stories.features import Embedder


def rubrique_input(article: Article) -> RubriqueInput:
    types = {entity.id: entity.type for entity in article.entities if entity.type}
    return RubriqueInput(
        title=article.title or "",
        text=article.text,
        language=article.language,
        entity_types=list(types.values()),
        url=article.url,
    )


class RubriquesStage:
    name: ClassVar[str] = "rubriques"
    requires: ClassVar[frozenset[str]] = frozenset({"title", "text", "language", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"rubriques"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __init__(
        self, classifier: RubriqueClassifier | None = None, embedder: Embedder | None = None
    ) -> None:
        self.classifier = classifier or RubriqueClassifier(embedder=embedder)
        self.counters: dict[str, int] = {}

    def _count(self, key: str, n: int = 1) -> None:
        if n:
            self.counters[key] = self.counters.get(key, 0) + n

    def warm_up(self) -> None:
        self.classifier.warm_up()

    def __call__(self, batch: list[Article]) -> list[Article]:
        todo = [a for a in batch if a.status != REJECTED and a.text]
        chosen = self.classifier.classify([rubrique_input(a) for a in todo])
        for article, pairs in zip(todo, chosen, strict=True):
            article.rubrique_scores = pairs
            article.rubriques = [name for name, _ in pairs]
            if article.language not in SUPPORTED_LANGUAGES:
                self._count("unsupported_language:" + str(article.language))
            else:
                self._count("classified")
        return batch
