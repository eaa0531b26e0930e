"""NER scoring on hand-made gold and predictions, chunking, and both systems on a few real documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.errors import VeilleError
from veille.eval.ner import (
    OVERALL,
    SCORED_LABELS,
    Counts,
    NerSystem,
    Span,
    chunk_text,
    classify_errors,
    dataset_name,
    evaluate_ner,
    format_report,
    main,
    score_document,
    sentences_only_system,
    spacy_baseline,
    veille_system,
)
from veille.eval.spans import ScoringError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "hipe_sample.tsv"
GOLD: list[Span] = [(0, 14, "PER"), (18, 23, "LOC")]


class Fixed:
    """A NerSystem that returns the spans it was given, text after text."""

    def __init__(self, spans: list[list[Span]]) -> None:
        self.spans = list(spans)

    def __call__(self, texts: list[str]) -> list[list[Span]]:
        out, self.spans = self.spans[: len(texts)], self.spans[len(texts) :]
        return out


def test_ner_eval_exact_match_is_a_true_positive() -> None:
    counts = score_document(GOLD, [(0, 14, "PER"), (18, 23, "LOC")], "strict")
    assert (counts[OVERALL].tp, counts[OVERALL].fp, counts[OVERALL].fn) == (2, 0, 0)
    assert counts[OVERALL].f1 == 1.0


def test_ner_eval_overlap_counts_only_in_fuzzy() -> None:
    pred: list[Span] = [(3, 14, "PER")]  # "Jean Dupont" without the title
    assert score_document(GOLD, pred, "strict")["PER"].tp == 0
    fuzzy = score_document(GOLD, pred, "fuzzy")["PER"]
    assert (fuzzy.tp, fuzzy.fp, fuzzy.fn) == (1, 0, 0)


def test_ner_eval_wrong_label_is_a_false_positive_and_a_false_negative() -> None:
    counts = score_document(GOLD, [(18, 23, "ORG")], "fuzzy")
    assert counts["ORG"].fp == 1
    assert counts["LOC"].fn == 1
    assert counts["LOC"].tp == 0


def test_ner_eval_empty_predictions_give_zero_not_a_crash() -> None:
    counts = score_document(GOLD, [], "strict")
    assert counts[OVERALL].precision == 0.0
    assert counts[OVERALL].recall == 0.0
    assert counts[OVERALL].f1 == 0.0
    assert Counts().f1 == 0.0


def test_ner_eval_fuzzy_matches_one_to_one() -> None:
    counts = score_document([(0, 14, "PER")], [(0, 2, "PER"), (3, 14, "PER")], "fuzzy")["PER"]
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)


def test_ner_eval_misc_predictions_are_not_scored() -> None:
    counts = score_document(GOLD, [(30, 35, "MISC")], "strict")
    assert counts[OVERALL].fp == 0


def test_ner_eval_unknown_regime_is_an_error() -> None:
    with pytest.raises(ScoringError, match="unknown scoring regime 'loose'"):
        score_document(GOLD, [], "loose")


def test_ner_eval_classify_errors_names_the_kind() -> None:
    pred: list[Span] = [(3, 14, "PER"), (18, 23, "ORG"), (40, 45, "LOC")]
    kinds = {e.kind for e in classify_errors([*GOLD, (50, 55, "ORG")], pred)}
    assert kinds == {"boundary", "wrong_label", "spurious", "missed"}


def test_ner_eval_chunks_rejoin_to_the_text_and_respect_the_limit() -> None:
    text = "\n".join(f"Ligne {i} : M. Dupont à Paris." for i in range(200))
    chunks = chunk_text(text, max_chars=500)
    assert "".join(piece for _, piece in chunks) == text
    assert all(len(piece) <= 500 for _, piece in chunks)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in chunks)
    assert all(piece.endswith("\n") for _, piece in chunks[:-1])


def test_ner_eval_chunks_without_line_breaks_cut_after_a_sentence() -> None:
    text = "Le ministre parle. " * 100
    chunks = chunk_text(text, max_chars=100)
    assert "".join(piece for _, piece in chunks) == text
    assert all(piece.endswith(". ") for _, piece in chunks[:-1])


def test_ner_eval_chunk_offsets_map_back_to_the_text(nlp: object) -> None:
    from veille.eval.ner import SpacySystem

    text = "\n".join(["M. Jean Dupont est arrivé à Paris hier soir."] * 400)  # > 10,000 characters
    system = SpacySystem(nlp, lambda doc: [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    (spans,) = system([text])
    assert len(text) > 10_000
    assert spans
    assert {text[s:e] for s, e, _ in spans} <= {"Jean Dupont", "M. Jean Dupont", "Paris"}


def test_ner_eval_report_scores_every_system_on_the_same_documents() -> None:
    perfect = Fixed([[(0, 14, "PER"), (18, 23, "LOC")], [(0, 6, "LOC"), (24, 39, "ORG")]])
    silent = Fixed([[], []])
    systems: dict[str, NerSystem] = {"perfect": perfect, "silent": silent}
    report = evaluate_ner([SAMPLE], systems, progress=False)
    assert report.counts("perfect", "strict").f1 == 1.0
    assert report.counts("silent", "strict").fn == 4
    assert report.counts("silent", "fuzzy", "LOC", "hipe_sample").f1 == 0.0
    assert "| perfect |" in format_report(report)


def test_ner_eval_max_docs_limits_each_file() -> None:
    report = evaluate_ner([SAMPLE], {"silent": Fixed([[]])}, max_docs=1, progress=False)
    assert [d.id for d in report.documents] == ["sample-1"]


def test_ner_eval_span_outside_the_text_is_an_error() -> None:
    with pytest.raises(VeilleError, match=r"returned the span \(0, 999, 'PER'\) outside a text"):
        evaluate_ner([SAMPLE], {"bad": Fixed([[(0, 999, "PER")], []])}, progress=False)


def test_ner_eval_dataset_name_from_hipe_file_name() -> None:
    assert dataset_name(Path("HIPE-2022-v2.1-newseye-dev2-fr.tsv")) == "newseye-dev2"
    assert dataset_name(Path("mine.tsv")) == "mine"


def test_ner_eval_main_reports_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.tsv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_ner_eval_both_systems_on_real_documents(shared_data: Path) -> None:
    path = shared_data / "ner" / "HIPE-2022-v2.1-newseye-dev-fr.tsv"
    systems = {"spaCy": spacy_baseline(), "sentences": sentences_only_system(), "veille": veille_system()}
    report = evaluate_ner([path], systems, max_docs=3, progress=False)
    assert len(report.documents) == 3
    for system in systems:
        for regime in ("strict", "fuzzy"):
            for label in (*SCORED_LABELS, OVERALL):
                counts = report.counts(system, regime, label)
                assert 0.0 <= counts.precision <= 1.0
                assert 0.0 <= counts.recall <= 1.0
                assert 0.0 <= counts.f1 <= 1.0
        assert report.counts(system, "strict").tp + report.counts(system, "strict").fn > 0
