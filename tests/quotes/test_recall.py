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


def test_recall_indirect_first_person_content_is_not_a_report(nlp: Any) -> None:
    text = "Le directeur Pierre Martin a expliqué que nous devrons quitter les locaux avant lundi."
    assert [kind for _, kind in run(nlp, text, indirect=True)] == []


def test_recall_indirect_impersonal_on_is_no_source(nlp: Any) -> None:
    text = "On estime que la boîte automatique sera plus rapide que la précédente."
    assert run(nlp, text, indirect=True) == []


def test_recall_indirect_selon_in_a_sentence_with_quoted_words(nlp: Any) -> None:
    text = "Selon la RATP, le trafic sera «très perturbé» lundi sur la ligne A du RER."
    found = run(nlp, text, indirect=True)
    assert ("le trafic sera «très perturbé» lundi sur la ligne A du RER", "indirect") in found


def test_recall_indirect_trailing_selon_with_quoted_words(nlp: Any) -> None:
    text = "Le trafic sera «fortement perturbé» lundi sur la ligne A du RER, selon la RATP."
    found = run(nlp, text, indirect=True)
    assert ("Le trafic sera «fortement perturbé» lundi sur la ligne A du RER", "indirect") in found


def test_recall_indirect_not_taken_from_a_direct_quote_sentence(nlp: Any) -> None:
    text = "«Le trafic sera perturbé toute la semaine sur la ligne A», selon la RATP."
    assert [kind for _, kind in run(nlp, text, indirect=True)] == ["direct"]


def test_recall_direct_quote_after_a_colon_announcing_a_message(nlp: Any) -> None:
    text = (
        "Le ministre de l'Intérieur Jan Jambon a publié un message sur Twitter : "
        "«Mes pensées vont aux victimes et à leurs proches.»"
    )
    assert run(nlp, text) == [("Mes pensées vont aux victimes et à leurs proches.", "direct")]


def test_recall_short_term_after_a_colon_stays_a_term(nlp: Any) -> None:
    text = "Le film est sorti en salle mardi avec un titre : «Nuit blanche»."
    assert run(nlp, text) == []


def test_recall_sub_heading_between_dashes_is_not_a_quote(nlp: Any) -> None:
    text = "Il a joué toute la nuit pour ses fans.- «Musicalement frustré» -Loin de son univers, il a changé."
    assert run(nlp, text) == []


def test_recall_participle_after_a_term_is_no_incise(nlp: Any) -> None:
    text = "Le conseil a voté mardi. Le «projet alternatif» souhaité par le maire sera présenté en juin."
    assert [kind for _, kind in run(nlp, text)] != ["direct"]
