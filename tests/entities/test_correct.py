from __future__ import annotations

from typing import Any


def ents(nlp: Any, text: str) -> dict[str, tuple[str, str]]:
    return {e.text: (e.label_, e.kb_id_) for e in nlp(text).ents}


def test_correct_gazetteer_fixes_armed_group_and_facility(nlp: Any) -> None:
    got = ents(nlp, "Daech recule. Ashton Carter visitera Balard et le CPCO, puis l'EI perdra Raqqah.")
    assert got["Daech"][0] == "ORG" and got["EI"] == got["Daech"]
    assert got["Balard"][0] != "PER"
    assert got["CPCO"][0] == "ORG"
    assert got["Raqqah"] == ("LOC", "city:raqqa")


def test_correct_portfolio_in_a_title_is_not_a_place(nlp: Any) -> None:
    got = ents(nlp, "Le ministre français de la Défense Jean-Yves Le Drian a parlé.")
    assert "Défense" not in got
    assert got["Jean-Yves Le Drian"][0] == "PER"


def test_correct_traps_are_not_matched(nlp: Any) -> None:
    got = ents(nlp, "La RN 7 est coupée près de Valence.")
    assert all(kb != "party:rn" for _, kb in got.values())


def test_correct_place_inside_a_person_name_is_left_alone(nlp: Any) -> None:
    got = ents(nlp, "Marine Le Pen et Jordan Bardella ont parlé.")
    assert got.get("Jordan Bardella", ("PER", ""))[0] == "PER"
    assert "Jordan" not in got


def test_correct_acronyms_read_letter_by_letter_are_not_people(nlp: Any) -> None:
    from spacy.tokens import Span

    from veille.entities.correct import _after_honorific, _unpronounceable_acronym

    doc = nlp.make_doc("Selon l' OCLCIFF et M. DUPONT , Louis II a vu le CAFE .")
    span = {t.text: Span(doc, t.i, t.i + 1, label="PER") for t in doc}
    assert _unpronounceable_acronym(span["OCLCIFF"])
    assert not _unpronounceable_acronym(span["II"])  # a regnal number
    assert not _unpronounceable_acronym(span["CAFE"])  # a word in capitals
    assert _after_honorific(span["DUPONT"])


def test_correct_organisation_heads_make_organisations(nlp: Any) -> None:
    from spacy.tokens import Span

    corrector = nlp.get_pipe("veille_entities")
    doc = nlp.make_doc("La Chambre des députés a voté hier .")
    doc.ents = [Span(doc, 1, 4, label="LOC")]
    fixed = corrector.apply_corrections(doc, corrector.find_corrections(doc))
    assert [(e.text, e.label_) for e in fixed.ents] == [("Chambre des députés", "ORG")]


def test_correct_local_station_of_a_network_is_one_organisation(nlp: Any) -> None:
    got = ents(nlp, "Un jeune homme a été flashé, selon France Bleu Lorraine.")
    assert got["France Bleu Lorraine"][0] == "ORG"
    assert "France" not in got
