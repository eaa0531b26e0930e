"""Quoted terms inside the reporter's sentence: numerals, quantities, label nouns, naming words,
short subjects of no speech verb, glued sub-headings — and the speech complement that keeps a
fragment a quote."""

from __future__ import annotations

from typing import Any

from veille.quotes.speakers import MentionRef
from veille.quotes.stage import find_in_doc


def quoted(nlp: Any, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    mentions = [MentionRef(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return [(text[f.start : f.end], f.kind) for f in find_in_doc(text, doc, mentions)]


def test_terms_fragment_after_a_numeral_is_a_term(nlp: Any) -> None:
    text = (
        "Le ministère de l'Intérieur a précisé le bilan. Depuis novembre, dix «gilets jaunes» sont décédés."
    )
    assert quoted(nlp, text) == []


def test_terms_quantity_phrase_is_a_term(nlp: Any) -> None:
    text = "«C'était intense», résume le DJ aux «plus de 100 dates par an»."
    assert quoted(nlp, text) == [("C'était intense", "direct")]


def test_terms_affair_named_by_a_label_noun_is_a_term(nlp: Any) -> None:
    text = "Les députés ont indiqué leur participation à la commission au sujet de «l'affaire Durand»."
    assert quoted(nlp, text) == []


def test_terms_label_noun_before_the_mark_is_a_term(nlp: Any) -> None:
    text = "Un Français sur dix se dit infecté, révèle le baromètre «Santé et confinement»."
    # The survey's finding is its indirect report; the survey's name in the marks is no quote.
    assert quoted(nlp, text) == [("Un Français sur dix se dit infecté", "indirect")]


def test_terms_fragment_after_a_naming_word_is_a_term(nlp: Any) -> None:
    text = "Loin de sa house dite «commerciale», le DJ Paul Martin a raconté ses débuts."
    assert quoted(nlp, text) == []


def test_terms_short_subject_with_no_speech_verb_is_a_term(nlp: Any) -> None:
    text = "Marie Curie a présenté le plan. Le «projet alternatif» sera plus vaste que le précédent."
    assert quoted(nlp, text) == []


def test_terms_verbless_heading_glued_to_its_paragraph_is_not_a_quote(nlp: Any) -> None:
    text = "Il a parlé longtemps. «Une décision juste»La décision a été saluée par Marie Curie."
    assert quoted(nlp, text) == []


def test_terms_fragment_in_a_speech_verb_complement_stays_a_quote(nlp: Any) -> None:
    text = "Le ministre Jean Dupont a dénoncé trois «reculs inacceptables»."
    assert quoted(nlp, text) == [("reculs inacceptables", "partial")]


def test_terms_article_un_is_not_a_numeral(nlp: Any) -> None:
    text = "Le ministre Jean Dupont a salué «un homme sincère, courageux»."
    assert quoted(nlp, text) == [("un homme sincère, courageux", "partial")]
