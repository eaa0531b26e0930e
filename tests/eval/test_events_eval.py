"""The events scorer on hand-built gold and predictions: no pipeline, a two-record corpus at most."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from veille.errors import VeilleError
from veille.eval.events import (
    baseline_events,
    evaluate_events,
    events_table,
    main,
    predicted_mentions,
    score_events,
)
from veille.eval.events_gold import GoldEvent, GoldEventArticle, GoldParticipant, GoldPlace
from veille.eval.quotes_gold import clean_record, sha256
from veille.model import Article, Event, EventArgument, EventEvidence

TEXT = (
    "Emmanuel Macron a rencontré mercredi Angela Merkel à Berlin. "
    "La police a arrêté Jean Dupont. Les syndicats appellent à manifester jeudi."
)


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def gold_event(word: str, type_: str, *participants: GoldParticipant, **extra: Any) -> GoldEvent:
    start, end = span(word)
    return GoldEvent(
        start, end, word, type_, extra.pop("modality", "happened"), participants=participants, **extra
    )


MEETING = gold_event(
    "rencontré", "meeting",
    GoldParticipant("Emmanuel Macron", "Emmanuel Macron", "attendee"),
    GoldParticipant("Angela Merkel", "Angela Merkel", "attendee"),
    date="2020-07-01", place=GoldPlace("Berlin", "Berlin"),
)  # fmt: skip
ARREST = gold_event("arrêté", "arrest", GoldParticipant("Jean Dupont", "Jean Dupont", "target"))
PROTEST = gold_event("manifester", "protest", modality="planned", date="2020-07-02")
GOLD = [GoldEventArticle("doc1", "2020-07-02", sha256(TEXT), [MEETING, ARREST, PROTEST])]


def predicted(gold: GoldEvent, article_id: str = "doc1", **change: Any) -> Event:
    """The prediction a perfect extractor would make for `gold`, with `change` applied."""
    event = Event(
        id=f"e{gold.start}",
        type=gold.type,
        cameo="",
        trigger=gold.trigger,
        participants=[EventArgument(p.role, p.name) for p in gold.participants],
        location=EventArgument("place", gold.place.name) if gold.place else None,
        date=gold.date,
        evidence=[EventEvidence(article_id, gold.start, gold.end, gold.modality)],
    )
    return replace(event, **change)


def test_events_eval_perfect_predictions_score_one() -> None:
    scores = score_events(GOLD, {"doc1": [predicted(e) for e in GOLD[0].events]}, {"doc1": TEXT})
    for counts in (scores.trigger, scores.type, scores.arguments, scores.arguments_no_role):
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0)
    assert (scores.place_accuracy, scores.date_accuracy, scores.modality_accuracy) == (1.0, 1.0, 1.0)
    assert scores.by_type["arrest"].tp == 1 and scores.by_type["vote"].tp + scores.by_type["vote"].fn == 0


def test_events_eval_no_prediction_scores_zero_and_counts_every_miss() -> None:
    scores = score_events(GOLD, {})
    assert (scores.trigger.tp, scores.trigger.fp, scores.trigger.fn) == (0, 0, 3)
    assert (scores.trigger.precision, scores.trigger.recall, scores.trigger.f1) == (0.0, 0.0, 0.0)
    assert scores.arguments.fn == 3 and scores.typed_pairs == 0 and scores.modality_accuracy == 0.0


def test_events_eval_wrong_type_finds_the_trigger_but_not_the_type() -> None:
    scores = score_events(GOLD, {"doc1": [predicted(MEETING, type="visit")]})
    assert (scores.trigger.tp, scores.trigger.fp, scores.trigger.fn) == (1, 0, 2)
    assert (scores.type.tp, scores.type.fp, scores.type.fn) == (0, 1, 3)
    assert scores.by_type["visit"].fp == 1 and scores.by_type["meeting"].fn == 1
    # Arguments are only credited on type-correct pairs: both sides count as errors here.
    assert (scores.arguments_no_role.tp, scores.arguments_no_role.fp) == (0, 2)


def test_events_eval_wrong_role_counts_only_in_the_role_free_figure() -> None:
    wrong = [EventArgument("agent", "Emmanuel Macron"), EventArgument("target", "Angela Merkel")]
    scores = score_events(GOLD, {"doc1": [predicted(MEETING, participants=wrong)]})
    assert (scores.arguments.tp, scores.arguments.fp) == (0, 2)
    assert (scores.arguments_no_role.tp, scores.arguments_no_role.fp) == (2, 0)


def test_events_eval_names_match_without_case_accents_or_article() -> None:
    gold = gold_event("police", "arrest", GoldParticipant("La police", "Police nationale", "agent"))
    article = GoldEventArticle("doc1", "2020-07-02", sha256(TEXT), [gold])
    as_written = predicted(gold, participants=[EventArgument("agent", "POLICE")])
    assert score_events([article], {"doc1": [as_written]}).arguments.tp == 1
    merkel = [EventArgument("attendee", "angela merkél"), EventArgument("attendee", "Olaf Scholz")]
    scores = score_events(GOLD, {"doc1": [predicted(MEETING, participants=merkel)]})
    assert (scores.arguments.tp, scores.arguments.fp) == (1, 1)


def test_events_eval_place_date_and_modality_accuracy() -> None:
    events = [
        predicted(MEETING, location=EventArgument("place", "Paris"), date="2020-07-01"),
        predicted(ARREST, date="2020-06-30"),
        predicted(PROTEST, evidence=[EventEvidence("doc1", *span("manifester"), "happened")]),
    ]
    scores = score_events(GOLD, {"doc1": events})
    assert (scores.place_right, scores.date_right, scores.typed_pairs) == (2, 2, 3)
    assert (scores.place_given_right, scores.place_given) == (0, 1)
    assert (scores.date_given_right, scores.date_given) == (2, 2)
    assert scores.modality_right == 2 and scores.modality_accuracy == pytest.approx(2 / 3)


def test_events_eval_overlapping_trigger_is_a_match() -> None:
    start, end = span("a rencontré")
    event = predicted(MEETING, evidence=[EventEvidence("doc1", start, end, "happened")])
    assert score_events(GOLD, {"doc1": [event]}).type.tp == 1


def test_events_eval_uses_only_the_evidence_of_the_scored_article() -> None:
    elsewhere = predicted(MEETING, article_id="another-article")
    assert score_events(GOLD, {"doc1": [elsewhere]}).trigger.fp == 0
    mapped = predicted(MEETING, article_id="a1b2")
    assert score_events(GOLD, {"doc1": [mapped]}, article_ids={"doc1": "a1b2"}).trigger.tp == 1
    assert predicted_mentions([elsewhere, mapped], "a1b2")[0].event is mapped


def test_events_eval_refuses_a_text_that_is_not_the_gold_text() -> None:
    with pytest.raises(VeilleError, match="doc doc1: the cleaned text no longer matches"):
        score_events(GOLD, {}, {"doc1": TEXT + " Fin."})


def test_events_eval_table_shows_every_figure() -> None:
    console = Console(record=True, width=120)
    console.print(events_table(score_events(GOLD, {"doc1": [predicted(MEETING)]})))
    shown = console.export_text()
    for label in (
        "trigger (overlap)",
        "arguments, role-free",
        "type meeting",
        "gives a place",
        "modality accuracy",
    ):
        assert label in shown
    assert "1 articles, 3 gold mentions" in shown


def write(
    tmp_path: Path, records: list[dict[str, Any]], gold_rows: list[dict[str, Any]]
) -> tuple[Path, Path]:
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_rows), encoding="utf-8")
    return gold, corpus


def test_events_eval_evaluate_runs_the_extractor_on_cleaned_dated_articles(tmp_path: Path) -> None:
    rec = {
        "id": 5,
        "title": "T",
        "heading": "Chapeau.",
        "article": "Paul a manifesté jeudi.Il pleut.",
        "date": "2020-07-02",
    }
    text = clean_record(rec)
    start = text.index("manifesté")
    row = {"doc": "5", "date": "2020-07-02", "text_sha256": sha256(text), "events": [
        {"start": start, "end": start + 9, "trigger": "manifesté", "type": "protest", "modality": "happened",
         "date": "2020-07-02", "participants": [{"text": "Paul", "name": "Paul", "role": "agent"}]},
    ]}  # fmt: skip
    seen: list[tuple[str, str | None]] = []

    def extract(batch: list[Article]) -> list[Article]:
        for article in batch:
            seen.append((article.text, article.published))
            at = article.text.index("manifesté")
            article.events = [
                Event("e", "protest", "14", "manifesté", [EventArgument("agent", "Paul")], None, "2020-07-02",
                      [EventEvidence(article.id, at, at + 9, "happened")]),
            ]  # fmt: skip
        return batch

    scores = evaluate_events(*write(tmp_path, [rec], [row]), extract, progress=False)
    assert seen == [(text, "2020-07-02")]
    assert (scores.type.f1, scores.arguments.f1, scores.date_accuracy) == (1.0, 1.0, 1.0)


def test_events_eval_evaluate_names_a_gold_doc_the_extractor_dropped(tmp_path: Path) -> None:
    rec = {"id": 5, "title": "T", "heading": None, "article": "Paul a manifesté.", "date": "2020-07-02"}
    row = {"doc": "5", "date": "2020-07-02", "text_sha256": sha256(clean_record(rec)), "events": []}
    with pytest.raises(VeilleError, match="gold doc 5 was not analysed"):
        evaluate_events(*write(tmp_path, [rec], [row]), lambda batch: [], progress=False)


def test_events_eval_evaluate_names_a_missing_corpus(tmp_path: Path) -> None:
    gold, _ = write(tmp_path, [], [{"doc": "5", "date": "2020-07-02", "text_sha256": "0" * 64, "events": []}])
    with pytest.raises(VeilleError, match=r"corpus not found at .*orangesum_parsed_all"):
        evaluate_events(gold, tmp_path / "nowhere.jsonl.gz", lambda batch: batch, progress=False)


def test_events_eval_baseline_finds_the_guidelines_trigger_words() -> None:
    text = "L'attentat a fait trois morts. Il a été placé en garde\nà vue. Le ciel est bleu."
    found = [(e.type, e.trigger, e.evidence[0].modality) for e in baseline_events(text, "a1")]
    assert found == [
        ("attack", "attentat", "happened"),
        ("death", "morts", "happened"),
        ("arrest", "garde\nà vue", "happened"),
    ]
    assert all(e.evidence[0].article_id == "a1" and not e.participants for e in baseline_events(text, "a1"))


def test_events_eval_main_prints_the_baseline_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = {
        "id": 5,
        "title": "T",
        "heading": None,
        "article": "Les syndicats ont manifesté.",
        "date": "2020-07-02",
    }
    text = clean_record(rec)
    start = text.index("manifesté")
    row = {"doc": "5", "date": "2020-07-02", "text_sha256": sha256(text), "events": [
        {"start": start, "end": start + 9, "trigger": "manifesté", "type": "protest", "modality": "happened"},
    ]}  # fmt: skip
    gold, corpus = write(tmp_path, [rec], [row])
    assert main([str(gold), "--corpus", str(corpus), "--no-progress"]) == 0
    shown = capsys.readouterr().out
    assert "trigger-word baseline" in shown and "type protest" in shown


def test_events_eval_main_says_which_corpus_to_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold, _ = write(tmp_path, [], [{"doc": "5", "date": "2020-07-02", "text_sha256": "0" * 64, "events": []}])
    assert main([str(gold), "--corpus", str(tmp_path / "none.gz"), "--no-progress"]) == 1
    assert "error: corpus not found at" in capsys.readouterr().err
