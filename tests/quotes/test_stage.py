"""The quotes stage on the seed pages end to end, and the spaCy component on a bare pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from veille.engines.local import to_article
from veille.ingest import ReadOptions, ReadReport, iter_records
from veille.model import Article, Quote
from veille.pipeline import Pipeline, default_pipeline
from veille.quotes import QuotesStage, find_quotes, quote_id


@pytest.fixture(scope="module")
def seed_quotes(nlp: Any, seeds_dir: Path) -> list[Quote]:
    articles = [to_article(r) for r in iter_records([seeds_dir], ReadOptions(), ReadReport())]
    batch = QuotesStage()(default_pipeline(None, progress=False)(articles))
    return [q for a in batch for q in a.quotes]


def by_text(quotes: list[Quote], start: str) -> Quote:
    [quote] = [q for q in quotes if q.text.startswith(start)]
    return quote


def test_stage_seed_direct_quotes_with_their_speakers(seed_quotes: list[Quote]) -> None:
    expected = {
        "C'est le moment d'accroître": "Jean-Yves Le Drian",
        "détruire le cancer de l'EI": "Ashton Carter",
        "Les Russes sont sur la mauvaise voie stratégique": "Ashton Carter",
        "Jusqu'à ce que cela change": "Ashton Carter",
    }
    for start, speaker in expected.items():
        quote = by_text(seed_quotes, start)
        assert (quote.kind, quote.speaker_name, quote.speaker_kind) == ("direct", speaker, "person"), quote
        assert quote.speaker_entity_id is not None


def test_stage_seed_le_drian_keeps_the_whole_noun_phrase(seed_quotes: list[Quote]) -> None:
    quote = by_text(seed_quotes, "C'est le moment")
    assert quote.speaker_text == "le ministre français de la Défense Jean-Yves Le Drian"
    assert quote.cue == "a plaidé"


def test_stage_seed_entourage_is_an_anonymous_source(seed_quotes: list[Quote]) -> None:
    quote = by_text(seed_quotes, "c'est l'objectif a atteindre")
    assert (quote.kind, quote.speaker_kind, quote.speaker_name) == (
        "direct",
        "anonymous",
        "dans l'entourage du ministre",
    )


def test_stage_seed_partial_quotes_belong_to_paris_and_washington(seed_quotes: list[Quote]) -> None:
    for start in ("concentrer", "cesser de frapper", "ses centres de pouvoir"):
        quote = by_text(seed_quotes, start)
        assert (quote.kind, quote.speaker_name, quote.speaker_kind) == (
            "partial",
            "Paris et Washington",
            "collective",
        ), quote
        assert quote.speaker_entity_id is None


def test_stage_seed_scare_quotes_are_not_quotes(seed_quotes: list[Quote]) -> None:
    texts = {q.text.lower() for q in seed_quotes}
    assert not texts & {"conseil de guerre", "recul", "mauvaise voie"}
    assert len([q for q in seed_quotes if q.kind != "indirect"]) == 8


def test_stage_quote_offsets_and_ids(seed_quotes: list[Quote]) -> None:
    for quote in seed_quotes:
        assert quote.id == quote_id(quote.article_id, quote.start, quote.end)
        assert quote.id.startswith("q_") and len(quote.id) == 22
        if quote.speaker_start is not None:
            assert quote.speaker_text is not None and quote.speaker_end is not None


def test_stage_skips_articles_without_a_doc() -> None:
    article = Article(id="a", source_file="f", source_id="", text="«Oui», a-t-il dit.")
    assert find_quotes(article) == []
    assert QuotesStage()([article])[0].quotes == []


def test_stage_declares_its_fields_after_entities() -> None:
    stages = [*default_pipeline(None, progress=False).stages, QuotesStage()]
    assert "quotes" in Pipeline(stages).fields


def test_stage_spacy_component_sets_doc_quotes(nlp: Any) -> None:
    import veille.quotes  # noqa: F401  (registers veille_quotes)

    nlp.add_pipe("veille_quotes")
    try:
        doc = nlp("«Nous sommes prêts», a déclaré Emmanuel Macron.")
    finally:
        nlp.remove_pipe("veille_quotes")
    [quote] = doc._.quotes
    assert (quote.text, quote.kind, quote.speaker_name, quote.speaker_entity_id) == (
        "Nous sommes prêts",
        "direct",
        "Emmanuel Macron",
        None,
    )
