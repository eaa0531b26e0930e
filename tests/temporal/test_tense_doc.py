"""Tense read from the spaCy parse: the verb governing the expression."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from veille.temporal import find_timexes
from veille.temporal.tense import tense_from_doc

MONDAY = date(2016, 1, 18)
THURSDAY = date(2016, 1, 21)


def tense(nlp: Any, text: str, words: str) -> str | None:
    found = re.search(words, text)
    assert found is not None
    return tense_from_doc(nlp(text), found.start(), found.end())


def test_tense_doc_future_simple(nlp: Any) -> None:
    assert tense(nlp, "La réunion se tiendra mercredi à Paris.", "mercredi") == "future"


def test_tense_doc_passe_compose(nlp: Any) -> None:
    assert tense(nlp, "Paris et Washington ont annoncé mercredi un accord.", "mercredi") == "past"


def test_tense_doc_aller_plus_infinitive(nlp: Any) -> None:
    assert tense(nlp, "Le ministre va signer le texte mercredi.", "mercredi") == "future"


def test_tense_doc_devrait_plus_infinitive(nlp: Any) -> None:
    assert tense(nlp, "Le général devrait quitter ses fonctions le 30 octobre.", "le 30 octobre") == "future"


def test_tense_doc_planned_participle(nlp: Any) -> None:
    assert tense(nlp, "Une réunion est prévue le 16 juillet en Belgique.", "le 16 juillet") == "future"


def test_tense_doc_imperfect(nlp: Any) -> None:
    assert tense(nlp, "Il pleuvait mercredi sur Lyon.", "mercredi") == "past"


def test_tense_doc_present(nlp: Any) -> None:
    assert tense(nlp, "Le conseil examine le projet mercredi.", "mercredi") == "present"


def test_tense_doc_find_timexes_uses_the_parse(nlp: Any) -> None:
    text = "Le président, qui avait promis des réformes, se rendra mercredi à Berlin."
    (timex,) = find_timexes(text, MONDAY, nlp(text))
    assert timex.value == "2016-01-20"
    text = "Les deux pays ont signé mercredi l'accord que tout le monde attendra longtemps."
    (timex,) = find_timexes(text, THURSDAY, nlp(text))
    assert timex.value == "2016-01-20"
