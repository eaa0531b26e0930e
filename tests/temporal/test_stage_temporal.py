"""TemporalStage on Articles and the veille_timex spaCy component."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from veille.errors import ConfigError
from veille.model import DUPLICATE, Article
from veille.temporal import TemporalStage, anchor_of


def article(text: str, published: str | None, **fields: Any) -> Article:
    return Article(id="a1", source_file="f", source_id="", text=text, published=published, **fields)


def test_stage_temporal_sets_timexes_with_article_id_and_anchor_from_datetime() -> None:
    batch = [article("Les ministres ont signé hier.", "2016-01-20T08:00:00+01:00", language="fr")]
    TemporalStage()(batch)
    (timex,) = batch[0].timexes
    assert (timex.article_id, timex.text, timex.value) == ("a1", "hier", "2016-01-19")


def test_stage_temporal_without_published_date_gives_no_value() -> None:
    batch = [article("Les ministres ont signé hier.", None, language=None)]
    TemporalStage()(batch)
    assert [(t.text, t.value) for t in batch[0].timexes] == [("hier", None)]


def test_stage_temporal_skips_other_languages_and_duplicates() -> None:
    english = article("Yesterday, hier.", "2016-01-20", language="en")
    copy = article("hier", "2016-01-20", language="fr", status=DUPLICATE)
    stage = TemporalStage()
    stage([english, copy])
    assert english.timexes == [] and copy.timexes == []
    assert stage.counters == {}


def test_stage_temporal_declares_its_fields() -> None:
    assert TemporalStage.name == "temporal"
    assert TemporalStage.requires == {"text", "doc", "published"}
    assert TemporalStage.provides == {"timexes"}


def test_stage_temporal_anchor_of_bad_string_is_none() -> None:
    assert anchor_of("hier") is None
    assert str(anchor_of("2016-01-20T10:00:00Z")) == "2016-01-20"


def test_stage_temporal_spacy_component_reads_the_doc_anchor(nlp: Any) -> None:
    import spacy

    pipeline = spacy.blank("fr") if "parser" not in nlp.pipe_names else nlp
    if "veille_timex" not in pipeline.pipe_names:
        pipeline.add_pipe("veille_timex", config={"anchor": "2016-01-18"})
    try:
        doc = pipeline("La réunion se tiendra mercredi à Paris.")
        assert [(t.text, t.value) for t in doc._.timexes] == [("mercredi", "2016-01-20")]
        doc = pipeline.make_doc("Ils sont arrivés hier.")
        doc._.veille_anchor = "2016-01-21"
        for _, component in pipeline.pipeline:
            doc = component(doc)
        assert [(t.text, t.value) for t in doc._.timexes] == [("hier", "2016-01-20")]
    finally:
        pipeline.remove_pipe("veille_timex")


def test_stage_temporal_spacy_component_rejects_a_bad_anchor() -> None:
    import spacy

    import veille.temporal  # noqa: F401  (registers the factory)

    with pytest.raises(ConfigError, match="not an ISO date"):
        spacy.blank("fr").add_pipe("veille_timex", config={"anchor": "hier"})


def test_stage_temporal_fits_after_the_nlp_stage_in_a_pipeline() -> None:
    from veille.pipeline import Pipeline

    class CleanAndNlp:
        name: ClassVar[str] = "clean+nlp"
        requires: ClassVar[frozenset[str]] = frozenset()
        provides: ClassVar[frozenset[str]] = frozenset({"text", "doc"})

        def __call__(self, batch: list[Article]) -> list[Article]:
            return batch

    assert "timexes" in Pipeline([CleanAndNlp(), TemporalStage()]).fields
