from __future__ import annotations

from typing import Any

import pytest

from veille.entities.context import country_words, is_metonymic
from veille.entities.kb import KnowledgeBase


def places(nlp: Any, text: str) -> dict[str, bool]:
    doc = nlp(text)
    return {e.text: is_metonymic(e) for e in doc.ents if e.label_ == "LOC"}


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("Dans cette perspective, Paris et Washington ont de nouveau appelé Moscou à agir.", "Moscou"),
        ("Dans cette perspective, Paris et Washington ont de nouveau appelé Moscou à agir.", "Washington"),
        ("Le plan vise Raqqa et Mossoul, ont annoncé mercredi Paris et Washington.", "Paris"),
        ("Moscou a démenti jeudi ces informations.", "Moscou"),
        ("Très impliquée en Syrie, Moscou est accusé par les Occidentaux de cibler la rébellion.", "Moscou"),
    ],
)
def test_context_capital_acting_is_a_government(nlp: Any, text: str, capital: str) -> None:
    assert places(nlp, text)[capital] is True


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("Une réunion inédite se tiendra à Paris mercredi.", "Paris"),
        ("Le ministre a annoncé à Paris un plan de relance.", "Paris"),
        ("Il vit à Moscou depuis 2010.", "Moscou"),
        ("Les bombardements sur Damas ont repris.", "Damas"),
    ],
)
def test_context_capital_as_a_place_stays_a_place(nlp: Any, text: str, capital: str) -> None:
    assert places(nlp, text)[capital] is False


def test_context_adjectives_and_demonyms_name_countries(nlp: Any) -> None:
    doc = nlp("Le ministre français a reçu le secrétaire américain près de la frontière turque.")
    found = {(w.text, w.kind, w.country_name) for w in country_words(doc, KnowledgeBase.builtin())}
    assert found == {
        ("français", "adjective", "France"),
        ("américain", "adjective", "États-Unis"),
        ("turque", "adjective", "Turquie"),
    }
