"""The alias-resolution gold set and its scorer: the file's shape, pure scoring, one real run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from veille.errors import VeilleError
from veille.eval.aliases import (
    GoldPair,
    Surface,
    baseline_same,
    entity_for_surface,
    evaluate_aliases,
    main,
    missing_surfaces,
    predict,
    read_gold,
    score,
)
from veille.model import Mention

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "tests" / "data" / "aliases_dev.jsonl"
GUIDELINES = REPO / "docs" / "aliases_guidelines.md"
CORPUS = Path("corpus") / "orangesum_parsed_all.jsonl.gz"


def pair(a: str, b: str, same: bool, doc_a: str = "1", doc_b: str = "1") -> GoldPair:
    return GoldPair(Surface(doc_a, a), Surface(doc_b, b), same, "test")


def mention(text: str, entity: str | None, start: int = 0) -> Mention:
    return Mention("art", start, start + len(text), text, "PER", entity)


def test_aliases_gold_file_is_well_formed() -> None:
    pairs = read_gold(GOLD)
    assert len(pairs) >= 120
    positives = sum(p.same for p in pairs)
    assert 0.4 <= positives / len(pairs) <= 0.6  # about half must merge, half must not
    within = sum(p.within for p in pairs)
    assert 0.35 <= within / len(pairs) <= 0.65  # within- and cross-article pairs, roughly half each
    assert len({p.key for p in pairs}) == len(pairs), "duplicate pairs"
    assert all(p.a != p.b for p in pairs)


def test_aliases_gold_kinds_are_named_in_the_guidelines() -> None:
    guidelines = GUIDELINES.read_text(encoding="utf-8")
    kinds = {p.kind for p in read_gold(GOLD)}
    assert {"person_short_form", "same_surname_different_person", "acronym", "metonymy"} <= kinds
    assert [k for k in sorted(kinds) if f"`{k}`" not in guidelines] == []


def test_aliases_read_gold_names_the_bad_line(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        '{"a": {"doc": 1, "text": "A"}, "b": {"doc": 1, "text": "B"}, "same": true, "kind": "k"}\n{"a": 1}\n'
    )
    with pytest.raises(VeilleError, match=r"gold.jsonl:2: a pair needs 'a', 'b', 'same'"):
        read_gold(gold)


def test_aliases_scoring_of_four_hand_made_pairs() -> None:
    pairs = [
        pair("Jean Castex", "Castex", True),  # merged: true positive
        pair("Marine Le Pen", "Jean-Marie Le Pen", False),  # merged: false positive
        pair("OMS", "Organisation mondiale de la santé", True),  # split: false negative
        pair("Le Drian", "Le Pen", False),  # split: true negative
    ]
    mentions = {
        "1": [
            mention("Jean Castex", "e1"),
            mention("Castex", "e1", 20),
            mention("Marine Le Pen", "e2", 40),
            mention("Jean-Marie Le Pen", "e2", 60),
            mention("OMS", "e3", 80),
            mention("Organisation mondiale de la santé", "e4", 90),
            mention("Le Drian", "e5", 130),
            mention("Le Pen", "e6", 140),
        ]
    }
    results = predict(pairs, mentions)
    assert [r.predicted for r in results] == [True, True, False, False]
    scores = score([p.same for p in pairs], [r.predicted for r in results])
    assert (scores.tp, scores.fp, scores.fn, scores.tn) == (1, 1, 1, 1)
    assert scores.precision == scores.recall == scores.f1 == scores.negative_accuracy == 0.5
    assert [r.baseline for r in results] == [False, False, False, False]


def test_aliases_unresolved_surface_counts_as_not_same() -> None:
    results = predict([pair("Merkel", "Angela Merkel", True)], {"1": [mention("Angela Merkel", "e1")]})
    assert results[0].entity_a is None and not results[0].resolved
    assert results[0].predicted is False and not results[0].correct


def test_aliases_surface_found_behind_a_title() -> None:
    mentions = [mention("M. Castex", "e1"), mention("Monsieur Fillon", "e2", 20)]
    assert entity_for_surface(mentions, "Castex") == "e1"
    assert entity_for_surface(mentions, "Fillon") == "e2"
    assert entity_for_surface(mentions, "Castaner") is None


def test_aliases_exact_mention_wins_then_the_most_frequent_entity() -> None:
    mentions = [mention("M. Erdogan", "per"), mention("Erdogan", "loc", 20), mention("Erdogan", "loc", 40)]
    assert entity_for_surface(mentions, "Erdogan") == "loc"
    assert entity_for_surface([mention("X", "b"), mention("X", "a", 5)], "X") == "b"


def test_aliases_baseline_is_casefolded_identity() -> None:
    assert baseline_same(pair("AMF", "amf", False))
    assert not baseline_same(pair("Raqqa", "Raqqah", True))


def test_aliases_missing_surfaces_are_reported() -> None:
    pairs = [pair("Castex", "Jean Castex", True), pair("Castexx", "Jean Castex", True)]
    assert missing_surfaces(pairs, {"1": "Jean Castex, M. Castex"}) == [Surface("1", "Castexx")]


def test_aliases_main_says_where_the_corpus_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(GOLD), "--corpus", str(tmp_path / "none.jsonl.gz"), "--no-progress"]) == 1
    assert "no corpus at" in capsys.readouterr().err


def test_aliases_real_run_on_ten_gold_pairs(shared_data: Path, tmp_path: Path) -> None:
    corpus = shared_data / CORPUS
    if not corpus.is_file():
        pytest.skip(f"corpus not found at {corpus}")
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    # Ten pairs of both classes and both shapes: every 17th line of the file.
    sample = lines[::17][:10]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(sample) + "\n", encoding="utf-8")
    report = evaluate_aliases(gold, corpus, progress=False)
    assert len(report.results) == 10
    for system in ("veille", "baseline"):
        s = report.scores(system)
        for value in (s.precision, s.recall, s.f1, s.negative_accuracy, s.accuracy):
            assert 0.0 <= value <= 1.0
    assert {r.pair.same for r in report.results} == {True, False}
    assert json.loads(sample[0])["a"]["text"] in {r.pair.a.text for r in report.results}
