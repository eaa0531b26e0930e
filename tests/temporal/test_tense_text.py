"""Tense from regex cues when there is no parse."""

from __future__ import annotations

import re

from veille.temporal.tense import tense_from_text


def tense(text: str, words: str) -> str | None:
    found = re.search(words, text)
    assert found is not None
    return tense_from_text(text, found.start(), found.end())


def test_tense_text_auxiliary_and_participle_is_past() -> None:
    assert tense("Ils ont annoncé mercredi la fusion.", "mercredi") == "past"


def test_tense_text_future_ending() -> None:
    assert tense("La réunion se tiendra mercredi.", "mercredi") == "future"


def test_tense_text_va_plus_infinitive() -> None:
    assert tense("Il va démissionner mercredi.", "mercredi") == "future"


def test_tense_text_prevu_is_a_plan() -> None:
    assert tense("Le vote est prévu mercredi.", "mercredi") == "future"


def test_tense_text_nearest_cue_wins_and_stays_in_the_sentence() -> None:
    text = "Il a démissionné. Son successeur sera nommé mercredi."
    assert tense(text, "mercredi") == "future"


def test_tense_text_no_cue_is_none() -> None:
    assert tense("Réunion mercredi.", "mercredi") is None
