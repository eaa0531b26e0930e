from __future__ import annotations

from typing import Any

import pytest

from veille.entities.gazetteer import TRAPS, Gazetteer, GazetteerEntry
from veille.entities.kb import surface_key


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.builtin()


@pytest.fixture(scope="module")
def ruler_nlp(gazetteer: Gazetteer) -> Any:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(gazetteer.patterns(nlp.tokenizer))
    return nlp


def ents(nlp: Any, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.ent_id_) for e in nlp(text).ents]


def ident(gazetteer: Gazetteer, surface: str) -> str | None:
    entry = gazetteer.lookup(surface)
    return entry.id if entry else None


@pytest.mark.parametrize(
    "surface",
    [
        "Daech", "Daesh", "EI", "l'EI", "l’EI", "État islamique", "Etat islamique", "l’État islamique",
        "l'Etat islamique", "groupe État islamique", "organisation État islamique", "ISIS",
    ],
)  # fmt: skip
def test_gazetteer_islamic_state_names_are_one_group(gazetteer: Gazetteer, surface: str) -> None:
    assert ident(gazetteer, surface) == "group:etat-islamique"


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Al-Qaïda", "group:al-qaida"), ("al Qaida", "group:al-qaida"), ("AQMI", "group:aqmi"),
        ("Otan", "org:otan"), ("OTAN", "org:otan"), ("Nations unies", "org:onu"),
        ("Elysée", "institution:presidence-fr"), ("l'Élysée", "institution:presidence-fr"),
        ("Quai d’Orsay", "institution:mae-fr"), ("Balard", "institution:ministere-armees"),
        ("CPCO", "institution:cpco"), ("Front national", "party:rn"), ("FN", "party:rn"),
        ("l'Hexagone Balard", "facility:hexagone-balard"),
        ("franceinfo", "media:franceinfo"), ("France Info", "media:franceinfo"),
        ("Total", "company:totalenergies"),
    ],
)  # fmt: skip
def test_gazetteer_lookup_aliases(gazetteer: Gazetteer, surface: str, expected: str) -> None:
    assert ident(gazetteer, surface) == expected


@pytest.mark.parametrize("surface", ["ei", "ps", "rn", "total", "le monde", "libération", "modem"])
def test_gazetteer_lookup_does_not_take_a_common_word_for_a_name(gazetteer: Gazetteer, surface: str) -> None:
    assert gazetteer.lookup(surface) is None


def test_gazetteer_data_lists_name_existing_aliases(gazetteer: Gazetteer) -> None:
    for entry in gazetteer.entries():
        assert set(entry.case_sensitive + entry.lookup_only) <= set(entry.names()), entry.id


def test_gazetteer_types_correct_spacy(gazetteer: Gazetteer) -> None:
    balard, cpco, daech = (gazetteer.lookup(s) for s in ("Balard", "CPCO", "Daech"))
    assert balard is not None and (balard.label, balard.country) == ("ORG", "iso3166:FR")
    assert cpco is not None and cpco.label == "ORG"
    assert daech is not None and (daech.label, daech.type) == ("ORG", "armed_group")


def test_gazetteer_no_name_belongs_to_two_groups(gazetteer: Gazetteer) -> None:
    for entry in gazetteer.entries():
        for alias in entry.names():
            assert [e.id for e in gazetteer.lookup_all(alias)] == [entry.id], alias


def test_gazetteer_ids_are_typed_and_labels_valid(gazetteer: Gazetteer) -> None:
    for entry in gazetteer.entries():
        assert entry.id.split(":")[0] in {
            "group",
            "org",
            "institution",
            "facility",
            "party",
            "media",
            "company",
        }
        assert entry.label in {"PER", "ORG", "LOC", "MISC"}
        assert surface_key(entry.name)


def test_gazetteer_get_by_id(gazetteer: Gazetteer) -> None:
    entry = gazetteer.get("party:rn")
    assert entry is not None and entry.name == "Rassemblement national"
    assert gazetteer.get("party:nope") is None


def test_gazetteer_rejects_a_duplicate_id() -> None:
    entry = GazetteerEntry("org:x", "X", "ORG", "other", [])
    with pytest.raises(ValueError, match="defined twice"):
        Gazetteer([entry, entry])


def test_gazetteer_patterns_carry_id_and_label(gazetteer: Gazetteer, ruler_nlp: Any) -> None:
    patterns = gazetteer.patterns(ruler_nlp.tokenizer)
    assert {"label", "pattern", "id"} <= set(patterns[0])
    assert {"ORTH": "EI"} in [p["pattern"][0] for p in patterns if p["id"] == "group:etat-islamique"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Les frappes contre l'EI se poursuivent.", ("EI", "ORG", "group:etat-islamique")),
        ("Les frappes contre l’EI se poursuivent.", ("EI", "ORG", "group:etat-islamique")),
        ("Daech a revendiqué l'attaque.", ("Daech", "ORG", "group:etat-islamique")),
        ("Selon le CPCO, la frappe a eu lieu.", ("CPCO", "ORG", "institution:cpco")),
        ("Le groupe État islamique recule.", ("groupe État islamique", "ORG", "group:etat-islamique")),
        # The seat of an institution is literally a place (LOC) linked to the institution.
        ("On l'a appris à Balard jeudi.", ("Balard", "LOC", "institution:ministere-armees")),
        ("Un chef d'Al-Qaïda a été tué.", ("Al-Qaïda", "ORG", "group:al-qaida")),
        ("Le Quai d'Orsay dément.", ("Quai d'Orsay", "LOC", "institution:mae-fr")),
        ("Selon Le Monde, rien.", ("Le Monde", "ORG", "media:le-monde")),
        ("Selon Le Parisien, rien.", ("Le Parisien", "ORG", "media:le-parisien")),
        ("Chez les Républicains, on hésite.", ("les Républicains", "ORG", "party:lr")),
        ("La Maison Blanche dément.", ("Maison Blanche", "LOC", "institution:maison-blanche")),
    ],
)
def test_gazetteer_patterns_match_in_an_entity_ruler(
    ruler_nlp: Any, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in ents(ruler_nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "ei ei ei, chantait-il.",
        "Prenez la RN7 vers le sud.",
        "Total : douze morts.",
        "Il a fait le tour du monde.",
        "La Libération de Paris.",
        "Un modem neuf.",
        "UN HOMME A ÉTÉ ARRÊTÉ.",
        "Pour le Parisien moyen, le métro coûte cher.",
        "Le train est en marche.",
        "Une maison blanche au bord de la mer.",
        "Une coalition internationale de chercheurs.",
    ],
)
def test_gazetteer_patterns_do_not_match_traps(ruler_nlp: Any, text: str) -> None:
    assert ents(ruler_nlp, text) == []


@pytest.mark.parametrize(
    ("text", "start", "ident", "reason"),
    [
        ("la RN 7 est coupée", 1, "party:rn", "road_number"),
        ("PS : à demain", 0, "party:ps", "postscript"),
        ("un fusil FN Herstal", 2, "party:rn", "weapon"),
        ("l' AP - HP", 1, "media:ap", "hyphenated_compound"),
        ("le Sénat américain a voté", 1, "institution:senat-fr", "foreign_counterpart"),
    ],
)
def test_gazetteer_trap_reason_names_the_trap(
    gazetteer: Gazetteer, text: str, start: int, ident: str, reason: str
) -> None:
    assert gazetteer.trap_reason(text.split(), start, start + 1, ident) == reason
    assert reason in TRAPS


@pytest.mark.parametrize(
    ("words", "start", "end", "ident"),
    [
        (["le", "RN", "a", "gagné"], 1, 2, "party:rn"),
        (["le", "PS", "vote", "contre"], 1, 2, "party:ps"),
        (["le", "FN", "de", "Marine", "Le", "Pen"], 1, 2, "party:rn"),
        (["le", "Sénat", "français", "a", "voté"], 1, 2, "institution:senat-fr"),
        (["l'", "EI", "recule"], 1, 2, "group:etat-islamique"),
    ],
)
def test_gazetteer_trap_reason_leaves_true_matches(
    gazetteer: Gazetteer, words: list[str], start: int, end: int, ident: str
) -> None:
    assert gazetteer.trap_reason(words, start, end, ident) is None
