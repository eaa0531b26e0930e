"""Builders for hand-made articles and features, shared by the stories tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veille.model import KEPT, Article, Entity, Mention
from veille.stories.features import ArticleFeatures

ArticleMaker = Callable[..., Article]
FeaturesMaker = Callable[..., ArticleFeatures]


@pytest.fixture
def make_article() -> ArticleMaker:
    def make(
        article_id: str,
        title: str,
        text: str,
        *,
        published: str | None = "2020-08-18",
        names: tuple[str, ...] = (),
        source: str | None = "agence",
        status: str = KEPT,
        duplicate_of: str | None = None,
    ) -> Article:
        article = Article(
            id=article_id,
            source_file="test",
            source_id=article_id,
            title=title,
            text=text,
            published=published,
            source_name=source,
            status=status,
            duplicate_of=duplicate_of,
        )
        for name in names:
            start = text.find(name)
            entity_id = "ent_" + name.lower().replace(" ", "_")
            article.mentions.append(Mention(article_id, start, start + len(name), name, "PER", entity_id))
            if all(e.id != entity_id for e in article.entities):
                article.entities.append(Entity(entity_id, name, "PER"))
        return article

    return make


@pytest.fixture
def make_features() -> FeaturesMaker:
    def make(
        article_id: str, terms: dict[str, float], date: str | None = "2020-01-01", **extra: object
    ) -> ArticleFeatures:
        return ArticleFeatures(
            article_id=article_id,
            date=date,
            source=str(extra.get("source", "agence")),
            title=article_id,
            terms=terms,
            title_terms={},
            entities={},
            events=[],
            keys=[f"t:{t}" for t in terms],
            copy_of=list(extra.get("copy_of", [])),  # type: ignore[call-overload]
        )

    return make
