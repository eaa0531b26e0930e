"""Recall rules: fragments continuing a reported statement, and more indirect-speech patterns."""

from __future__ import annotations

from typing import Any

from veille.quotes.finder import Found
from veille.quotes.speakers import MentionRef
from veille.quotes.stage import find_in_doc


def run(nlp: Any, text: str, *, indirect: bool = False) -> list[tuple[str, str]]:
    doc = nlp(text)
    mentions = [MentionRef(e.start_char, e.end_char, e.label_) for e in doc.ents]
    found: list[Found] = find_in_doc(text, doc, mentions, indirect=indirect)
    return [(text[f.start : f.end], f.kind) for f in found]


def test_recall_fragment_continues_the_previous_statement(nlp: Any) -> None:
    text = (
        "Emmanuel Macron a détaillé mardi son plan pour les hôpitaux. "
        "Le budget sera «nettement relevé» dès l'an prochain."
    )
    assert ("nettement relevé", "partial") in run(nlp, text)


def test_recall_fragment_without_a_statement_before_stays_a_term(nlp: Any) -> None:
    text = "Le temps était doux mardi à Lyon. Le budget sera «nettement relevé» dès l'an prochain."
    assert run(nlp, text) == []


def test_recall_indirect_infinitive_report(nlp: Any) -> None:
    text = "Le syndicat Force ouvrière a déploré ne pas avoir été consulté sur la réforme des retraites."
    assert run(nlp, text, indirect=True) == [
        ("ne pas avoir été consulté sur la réforme des retraites", "indirect")
    ]


def test_recall_indirect_as_said_by(nlp: Any) -> None:
    text = "Comme l'a expliqué Olivier Véran, les hôpitaux recevront des renforts dès lundi."
    assert run(nlp, text, indirect=True) == [("les hôpitaux recevront des renforts dès lundi", "indirect")]


def test_recall_direct_quote_announced_by_the_sentence_before(nlp: Any) -> None:
    text = (
        "Le maire Jean Dupont a réagi mardi sur son compte Twitter. "
        "«Nous ne laisserons pas fermer cette école, jamais.»"
    )
    assert run(nlp, text) == [("Nous ne laisserons pas fermer cette école, jamais.", "direct")]
