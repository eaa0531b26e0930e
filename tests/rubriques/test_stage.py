"""The rubriques stage on tiny inputs, and its place in the default pipeline."""

from __future__ import annotations

from veille.model import REJECTED, Article, Entity
from veille.pipeline import Pipeline, default_pipeline
from veille.rubriques import RubriquesStage


def article(article_id: str, title: str, text: str, language: str | None = "fr", **fields: object) -> Article:
    return Article(
        id=article_id,
        source_file="t.txt",
        source_id=article_id,
        title=title,
        text=text,
        language=language,
        **fields,
    )  # type: ignore[arg-type]


def test_stage_gives_rubriques_primary_first_and_counts() -> None:
    stage = RubriquesStage()
    batch = [
        article(
            "s",
            "Football : victoire de l'équipe nationale",
            "L'attaquant a marqué deux buts en match amical.",
        ),
        article("e", "Football: Senegal win", "The striker scored twice.", language="en"),
        article("r", "", "", status=REJECTED, reason="empty"),
    ]
    out = stage(batch)
    assert out is batch
    sport, english, rejected = out
    assert sport.rubriques[0] == "sport" and sport.rubrique_scores[0][0] == "sport"
    assert [name for name, _ in sport.rubrique_scores] == sport.rubriques
    assert english.rubriques == [] and english.rubrique_scores == []
    assert rejected.rubriques == []
    assert stage.counters == {"classified": 1, "unsupported_language:en": 1}


def test_stage_reads_entity_types() -> None:
    stage = RubriquesStage()
    plain = article("p", "Communiqué", "Un communiqué a été publié mardi.")
    armed = article(
        "a",
        "Communiqué",
        "Un communiqué a été publié mardi.",
        entities=[Entity("e1", "Boko Haram", "ORG", "armed_group")],
    )
    stage([plain, armed])
    assert armed.rubriques[0] == "défense et conflits"
    assert plain.rubrique_scores != armed.rubrique_scores


def test_stage_reads_the_url_section() -> None:
    stage = RubriquesStage()
    plain = article("p", "Communiqué", "Un communiqué a été publié mardi.")
    filed = article("f", "Communiqué", "Un communiqué a été publié mardi.", url="https://ex.fr/sante/communique")
    stage([plain, filed])
    assert filed.rubriques[0] == "santé" and plain.rubriques[:1] != ["santé"]


def test_stage_runs_in_default_pipeline_after_entities() -> None:
    names = default_pipeline(None, progress=False).names
    assert names.index("entities") < names.index("rubriques") < names.index("stories")
    assert (
        "rubriques"
        in Pipeline([RubriquesStage()], initial_fields={"title", "text", "language", "entities"}).fields
    )
