"""The quotes scorer on hand-made gold and predictions: no pipeline, no corpus."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import ClassVar

import pytest

from veille.errors import VeilleError
from veille.eval.quotes import (
    Scored,
    baseline_quotes,
    baseline_spans,
    evaluate_quotes,
    gold_raw_docs,
    main,
    match_spans,
    overlap,
    score,
    sentence_bounds,
    speaker_correct,
    speaker_texts_overlap,
)
from veille.eval.quotes_gold import GoldArticle, GoldQuote, NotQuote
from veille.model import Article, Mention, Quote

TEXT = (
    "«C'est le moment d'accroître nos efforts», a plaidé le ministre Jean-Yves Le Drian. "
    "La Russie est sur la «mauvaise voie», selon Ashton Carter. "
    "« c'est l'objectif a atteindre » confie t-on dans l'entourage du ministre."
)


def _span(said: str) -> tuple[int, int]:
    start = TEXT.index(said)
    return start, start + len(said)


def _gold(said: str, kind: str = "direct", name: str | None = None, speaker_kind: str | None = "person",
          speaker_text: str | None = None) -> GoldQuote:  # fmt: skip
    start, end = _span(said)
    return GoldQuote(start, end, said, kind, speaker_text or name, name, speaker_kind)


def _pred(said: str | tuple[int, int], kind: str = "direct", **speaker: str | None) -> Quote:
    start, end = _span(said) if isinstance(said, str) else said
    return Quote(f"q{start}-{end}", "a", start, end, TEXT[start:end], kind, **speaker)  # type: ignore[arg-type]


LE_DRIAN = "C'est le moment d'accroître nos efforts"
ENTOURAGE = "c'est l'objectif a atteindre"
GOLD = GoldArticle(
    "doc1",
    hashlib.sha256(TEXT.encode()).hexdigest(),
    [
        _gold(LE_DRIAN, name="Jean-Yves Le Drian", speaker_text="le ministre Jean-Yves Le Drian"),
        _gold(ENTOURAGE, name="dans l'entourage du ministre", speaker_kind="anonymous"),
    ],
    [NotQuote(*_span("mauvaise voie"), "mauvaise voie", "scare quote")],
)


def test_quotes_eval_overlap_is_intersection_over_union() -> None:
    assert overlap((0, 10), (0, 10)) == 1.0
    assert overlap((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert overlap((0, 10), (10, 20)) == 0.0


def test_quotes_eval_matching_is_one_to_one_by_largest_overlap() -> None:
    # Two predictions overlap the one gold span: the larger overlap wins, the other stays unmatched.
    assert match_spans([(0, 10)], [(0, 6), (0, 9)], 0.5) == [(0, 1)]
    # One prediction over two gold spans pairs with one only.
    assert match_spans([(0, 10), (10, 20)], [(0, 11)], 0.5) == [(0, 0)]
    assert match_spans([(0, 10)], [(0, 9)], 1.0) == []


def test_quotes_eval_exact_and_overlap_differ_on_a_trimmed_span() -> None:
    start, end = _span(LE_DRIAN)
    item = Scored(GOLD, [_pred((start, end - 1), speaker_entity_id="e1")], {"e1": "Jean-Yves Le Drian"})
    scores = score([item])
    assert (scores.exact["all"].tp, scores.exact["all"].fp, scores.exact["all"].fn) == (0, 1, 2)
    assert (scores.overlap["all"].tp, scores.overlap["all"].fp, scores.overlap["all"].fn) == (1, 0, 1)
    assert scores.overlap["all"].prf == pytest.approx((1.0, 0.5, 2 / 3))


def test_quotes_eval_per_kind_pairs_within_a_kind() -> None:
    scores = score([Scored(GOLD, [_pred(LE_DRIAN, "partial")])])
    assert scores.overlap["all"].tp == 1  # "all" ignores the kind
    assert (scores.overlap["direct"].tp, scores.overlap["direct"].fn) == (0, 2)
    assert scores.overlap["partial"].fp == 1


def test_quotes_eval_speaker_person_by_entity_name_key() -> None:
    gold = GOLD.quotes[0]
    names = {"e1": "Jean-Yves LE DRIAN", "e2": "Ashton Carter"}
    assert speaker_correct(gold, _pred(LE_DRIAN, speaker_text="il", speaker_entity_id="e1"), names)
    assert not speaker_correct(gold, _pred(LE_DRIAN, speaker_entity_id="e2"), names)
    assert not speaker_correct(gold, _pred(LE_DRIAN), names)


def test_quotes_eval_speaker_organisation_by_an_alias_of_its_entity() -> None:
    gold = _gold(LE_DRIAN, name="AFP", speaker_kind="organisation")
    said = _pred(LE_DRIAN, speaker_entity_id="e1", speaker_kind="organisation")
    names = {"e1": "Agence France-Presse"}
    assert speaker_correct(gold, said, names, {"e1": ["Agence France-Presse", "AFP"]})
    assert not speaker_correct(gold, said, names, {"e1": ["Agence France-Presse"]})


def test_quotes_eval_speaker_described_not_named_by_content_words() -> None:
    gold = _gold(LE_DRIAN, name="le père de la jeune femme")
    assert speaker_correct(gold, _pred(LE_DRIAN, speaker_text="son père", speaker_kind="person"), {})
    other = _pred(LE_DRIAN, speaker_text="le photographe", speaker_kind="person")
    assert not speaker_correct(gold, other, {})
    resolved = _pred(LE_DRIAN, speaker_text="son père", speaker_kind="person", speaker_entity_id="e1")
    assert not speaker_correct(gold, resolved, {"e1": "Sacha Arabadzic"})


def test_quotes_eval_speaker_anonymous_by_kind_and_text_overlap() -> None:
    gold = GOLD.quotes[1]
    right = _pred(ENTOURAGE, speaker_text="l'entourage du ministre", speaker_kind="anonymous")
    wrong_kind = _pred(ENTOURAGE, speaker_text="l'entourage du ministre", speaker_kind="collective")
    assert speaker_correct(gold, right, {})
    assert not speaker_correct(gold, wrong_kind, {})
    assert speaker_texts_overlap("Paris et Washington", "paris, washington")
    assert not speaker_texts_overlap("une source proche", "le ministre")


def test_quotes_eval_speaker_accuracy_counts_found_quotes_only() -> None:
    preds = [
        _pred(LE_DRIAN, speaker_entity_id="e1"),
        _pred(ENTOURAGE, speaker_text="Jean-Yves Le Drian", speaker_kind="person"),
    ]
    scores = score([Scored(GOLD, preds, {"e1": "Jean-Yves Le Drian"})])
    assert (scores.speaker_right, scores.speaker_total) == (1, 2)
    assert scores.speaker_accuracy == 0.5


def test_quotes_eval_scare_quote_predicted_counts_as_false_positive() -> None:
    scores = score([Scored(GOLD, [_pred("mauvaise voie")])])
    assert (scores.not_quotes_hit, scores.not_quotes_total) == (1, 1)
    assert scores.overlap["all"].fp == 1


def test_quotes_eval_empty_predictions_give_zeros() -> None:
    scores = score([Scored(GOLD, [])])
    assert scores.overlap["all"].prf == (0.0, 0.0, 0.0)
    assert scores.overlap["all"].fn == 2 and scores.speaker_accuracy == 0.0
    assert score([]).exact["all"].prf == (0.0, 0.0, 0.0)


def test_quotes_eval_baseline_spans_trim_spaces_inside_marks() -> None:
    text = 'Il a dit «\u00a0oui\u00a0» puis “non” et "peut-être".\n\n«ouvert\n\nfermé»'
    assert [text[s:e] for s, e in baseline_spans(text)] == ["oui", "non", "peut-être"]


def test_quotes_eval_baseline_speaker_is_nearest_per_in_sentence() -> None:
    text = "Marie Curie parle. «Bonjour», dit Paul Durand à Jean Roux. Fin."
    mentions = [
        Mention("a", text.index(name), text.index(name) + len(name), name, "PER", f"e{i}")
        for i, name in enumerate(("Marie Curie", "Paul Durand", "Jean Roux"))
    ]
    article = Article(id="a", source_file="f", source_id="", text=text, mentions=mentions)
    [quote] = baseline_quotes(article, sentence_bounds(text))
    assert (quote.text, quote.kind, quote.speaker_text, quote.speaker_entity_id) == (
        "Bonjour", "direct", "Paul Durand", "e1",
    )  # fmt: skip


def test_quotes_eval_seed_docs_read_from_seeds_folder(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("«Oui», dit-il.", encoding="utf-8")
    gold = [GoldArticle("page.txt", "0" * 64), GoldArticle("404", "0" * 64)]
    with pytest.raises(VeilleError, match="no corpus at"):
        gold_raw_docs(gold, tmp_path / "missing.jsonl.gz", tmp_path)
    raws, missing = gold_raw_docs(gold[:1], tmp_path / "missing.jsonl.gz", tmp_path)
    assert [(r.source_id, r.text) for r in raws] == [("page.txt", "«Oui», dit-il.")] and missing == {}


def test_quotes_eval_corpus_records_built_like_the_jsonl_reader(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    record = {"id": 7, "article": "Texte.", "title": "Titre", "heading": "Chapeau", "date": "2020-01-02"}
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    raws, missing = gold_raw_docs([GoldArticle("7", "0" * 64), GoldArticle("8", "0" * 64)], corpus, tmp_path)
    [raw] = raws
    assert (raw.source_file, raw.source_id, raw.text, raw.title, raw.lead, raw.published) == (
        "quotes_dev", "7", "Texte.", "Titre", "Chapeau", "2020-01-02",
    )  # fmt: skip
    assert list(missing) == ["8"]


def test_quotes_eval_missing_gold_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(VeilleError, match="no gold file"):
        evaluate_quotes(tmp_path / "none.jsonl", tmp_path, progress=False)
    assert main([str(tmp_path / "none.jsonl"), "--no-progress"]) == 1


class _EveryMarkStage:
    """Stands in for the quotes stage: every quoted span a direct quote with no speaker."""

    name: ClassVar[str] = "quotes"
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset({"quotes"})

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            article.quotes = [
                Quote(f"q{s}", article.id, s, e, article.text[s:e], "direct")
                for s, e in baseline_spans(article.text)
            ]
        return batch


def test_quotes_eval_end_to_end_on_a_seed_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import veille.eval.quotes as module
    from veille.clean import clean_page
    from veille.pipeline import Pipeline, default_pipeline

    page = (
        "Le ministre de l'Intérieur Jean Dupont a visité la préfecture de Lyon mardi matin. "
        "«Nous irons jusqu'au bout», a déclaré Jean Dupont devant les agents. "
        "La «grande maison» attend des moyens.\n"
    )
    (tmp_path / "p.txt").write_text(page, encoding="utf-8")
    text = clean_page(page).text
    said = "Nous irons jusqu'au bout"
    start, end = text.index(said), text.index(said) + len(said)
    scare = text.index("grande maison")
    gold = {
        "doc": "p.txt", "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "quotes": [{"start": start, "end": end, "text": said, "kind": "direct",
                    "speaker_text": "Jean Dupont", "speaker_name": "Jean Dupont", "speaker_kind": "person"}],
        "not_quotes": [{"start": scare, "end": scare + 13, "text": "grande maison", "why": "scare quote"}],
    }  # fmt: skip
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setattr(
        module,
        "_pipeline",
        lambda: Pipeline([*default_pipeline(None, progress=False).stages, _EveryMarkStage()]),
    )
    report = evaluate_quotes(
        tmp_path / "gold.jsonl", tmp_path / "no-corpus", seeds_dir=tmp_path, progress=False
    )
    veille, baseline = report.scores("veille"), report.scores("baseline")
    assert (veille.exact["all"].tp, veille.exact["all"].fp, veille.not_quotes_hit) == (1, 1, 1)
    assert veille.speaker_accuracy == 0.0  # the stand-in names no speaker
    assert (baseline.exact["all"].tp, baseline.speaker_right) == (1, 1)
