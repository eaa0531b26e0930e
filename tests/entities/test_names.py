from __future__ import annotations

import pytest

from veille.entities.names import (
    entity_id,
    given_names_compatible,
    initials,
    is_acronym,
    name_key,
    person_parts,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jean-yves Le Drian", "Jean-Yves Le Drian"),
        ("l’État islamique", "Etat islamique"),
        ("Hennis\u2010Plasschaert", "Hennis-Plasschaert"),
        ("Etats-Unis", "États-Unis"),
    ],
)
def test_names_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_names_different_names_differ() -> None:
    assert name_key("Le Drian", person=True) != name_key("Le Pen", person=True)
    assert name_key("Le Drian", person=True) == "le drian"


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Jean-Yves Le Drian", ("jean-yves", "le drian")),
        ("Ashton Carter", ("ashton", "carter")),
        ("Ursula Von der Leyen", ("ursula", "von der leyen")),
        ("Carter", ("", "carter")),
        ("Le Drian", ("", "le drian")),
        ("M. Macron", ("", "macron")),
    ],
)
def test_names_person_parts(name: str, parts: tuple[str, str]) -> None:
    assert person_parts(name_key(name, person=True)) == parts


def test_names_given_names_compatible_with_initials() -> None:
    assert given_names_compatible("j", "jean-yves")
    assert given_names_compatible("", "ashton")
    assert not given_names_compatible("jimmy", "ashton")


def test_names_initials_skip_function_words() -> None:
    assert initials("centre de planification et de conduite des opérations") == "cpco"
    assert initials("Organisation du traité de l'Atlantique nord") == "otan"


def test_names_acronyms() -> None:
    assert is_acronym("CPCO") and is_acronym("U.E.") and is_acronym("OCLCIFF")
    assert not is_acronym("Carter") and not is_acronym("A") and not is_acronym("Balard")


def test_names_entity_ids_are_stable_and_distinct() -> None:
    assert entity_id("PER", "ashton carter") == entity_id("PER", "ashton carter")
    assert entity_id("PER", "ashton carter") != entity_id("ORG", "ashton carter")


def test_names_name_words_ignore_honorifics_for_people() -> None:
    from veille.entities.names import name_words

    assert name_words("M. Hmaïd", "PER") == 1
    assert name_words("Aniss Hmaïd", "PER") == 2
    assert name_words("Banque de France", "ORG") == 3
