"""Trigger words found in a parse, with the traps of each ambiguous verb."""

from __future__ import annotations

from typing import Any

from veille.events.triggers import find_triggers


def kinds(nlp: Any, text: str) -> list[tuple[str, str, bool]]:
    return [(t.type, t.text, t.noun) for t in find_triggers(nlp(text))]


def test_triggers_detection_verbs_and_nouns(nlp: Any) -> None:
    assert kinds(nlp, "Les ministres se sont réunis à Paris.") == [("meeting", "réunis", False)]
    assert kinds(nlp, "Les frappes ont repris.") == [("attack", "frappes", True)]


def test_triggers_detection_mistagged_future_is_read_by_its_form(nlp: Any) -> None:
    assert ("visit", "visitera", False) in kinds(nlp, "Mercredi après-midi, Ashton Carter visitera Balard.")


def test_triggers_detection_appeler_needs_a_preposition(nlp: Any) -> None:
    assert kinds(nlp, "Paris a appelé Moscou à cesser le feu.")[0][:2] == ("appeal", "appelé")
    assert kinds(nlp, "Un homme appelé Jean habite à Lyon.") == []


def test_triggers_detection_stopping_is_not_an_arrest(nlp: Any) -> None:
    assert kinds(nlp, "Il a arrêté de fumer.") == []
    assert kinds(nlp, "La police a arrêté deux suspects.") == [("arrest", "arrêté", False)]


def test_triggers_detection_se_rendre_only_reflexive_with_a_place(nlp: Any) -> None:
    assert kinds(nlp, "Le président se rendra à Berlin.") == [("visit", "rendra", False)]
    assert kinds(nlp, "Il a rendu hommage aux victimes.") == []


def test_triggers_detection_qualified_noun_spans_its_qualifier(nlp: Any) -> None:
    found = find_triggers(nlp("Le conseil de guerre a réuni sept pays."))
    assert found[0].type == "meeting" and found[0].text == "conseil de guerre"
    assert kinds(nlp, "Le conseil municipal a voté le budget.") == [("vote", "voté", False)]


def test_triggers_detection_words_inside_a_name_are_not_events(nlp: Any) -> None:
    text = "La Conférence de presse nationale est une association."
    start = text.index("Conférence")
    named = [(start, start + len("Conférence de presse nationale"))]
    assert find_triggers(nlp(text), named) == []
    assert find_triggers(nlp(text)) != []


def test_triggers_detection_signing_needs_an_agreement(nlp: Any) -> None:
    assert kinds(nlp, "Un disque avec un morceau signé Renaud.") == []
    assert kinds(nlp, "Le président a signé un décret.") == []
    assert ("agreement", "signé", False) in kinds(nlp, "Les deux pays ont signé un accord.")


def test_triggers_name_test_handles_nested_and_overlapping_spans() -> None:
    from veille.events.triggers import _name_test

    inside = _name_test([(50, 60), (0, 40), (10, 20), (35, 45)])
    assert [inside(k) for k in (0, 15, 39, 41, 44, 45, 49, 50, 59, 60)] == [
        True, True, True, True, True, False, False, True, True, False,
    ]  # fmt: skip
    assert not _name_test([])(3)
