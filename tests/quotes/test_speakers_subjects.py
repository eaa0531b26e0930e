"""Where the speaker is written and who a pronoun or a role stands for (`quotes.speakers`)."""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.marks import find_quotations
from veille.quotes.speakers import ArticleView, EntityRef, MentionRef
from veille.quotes.stage import find_in_doc


def found(nlp: Any, text: str, names: dict[str, str]) -> list[tuple[str, str, str | None]]:
    mentions = [
        MentionRef(m.start(), m.end(), label, "ent_" + name)
        for name, label in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    entities = {"ent_" + name: EntityRef("ent_" + name, name, label) for name, label in names.items()}
    spans = [(s.open, s.close + 1) for s in find_quotations(text)]
    view = ArticleView(text, nlp(text), mentions, entities, spans)
    return [
        (text[f.start : f.end], f.kind, f.speaker.name if f.speaker else None)
        for f in find_in_doc(text, view.doc, view.mentions, view.entities)
    ]


def test_speakers_inverted_subject_after_a_place_of_speech(nlp: Any) -> None:
    text = "«Les luttes peuvent être victorieuses», s'est réjoui sur Twitter Raphaël Glucksmann."
    assert found(nlp, text, {"Twitter": "MISC", "Raphaël Glucksmann": "PER"}) == [
        ("Les luttes peuvent être victorieuses", "direct", "Raphaël Glucksmann")
    ]


def test_speakers_inverted_subject_after_a_demonstrative_date(nlp: Any) -> None:
    text = (
        "Le chômage a reculé de deux points en un an, a annoncé ce jeudi 7 novembre le ministère du Travail."
    )
    assert found(nlp, text, {"ministère du Travail": "ORG"}) == [
        ("Le chômage a reculé de deux points en un an", "indirect", "ministère du Travail")
    ]


def test_speakers_pronoun_goes_to_the_described_subject_not_the_agent(nlp: Any) -> None:
    text = (
        "Marie Durand dirige le syndicat depuis 2010. La responsable syndicale s'est plainte de ne pas "
        "avoir été reçue par Emmanuel Macron. «Je n'ai pas de rendez-vous», a-t-elle déploré."
    )
    names = {"Marie Durand": "PER", "Emmanuel Macron": "PER"}
    assert found(nlp, text, names) == [("Je n'ai pas de rendez-vous", "direct", "Marie Durand")]


def test_speakers_role_with_a_complement_is_not_a_homonym_role(nlp: Any) -> None:
    text = (
        "Le chef du gouvernement Paul Martin est arrivé. Le chef de file Marc Durand aussi. "
        "Le chef du gouvernement a plaidé pour «garder la cohérence»."
    )
    names = {"Paul Martin": "PER", "Marc Durand": "PER"}
    assert found(nlp, text, names) == [("garder la cohérence", "partial", "Paul Martin")]


def test_speakers_subject_inside_the_content_is_no_closing_incise(nlp: Any) -> None:
    text = "Jean Dupont, maire, qui a succédé à Paul Martin en 2010, a enfin plaidé pour la cohérence."
    assert found(nlp, text, {"Jean Dupont": "PER", "Paul Martin": "PER"}) == []


def test_speakers_on_with_sources_after_the_verb(nlp: Any) -> None:
    text = (
        "Un homme a été tué par son père lors d'un repas de famille, a-t-on appris de sources concordantes."
    )
    [(_, kind, name)] = found(nlp, text, {})
    assert (kind, name) == ("indirect", "de sources concordantes")


def test_speakers_document_of_an_organisation_noun(nlp: Any) -> None:
    text = (
        "Le stockage doit suivre des règles strictes pour isoler le produit, "
        "selon une fiche technique du ministère de l'Agriculture."
    )
    [(_, kind, name)] = found(nlp, text, {})
    assert (kind, name) == ("indirect", "ministère de l'Agriculture")


def test_speakers_subject_of_a_subordinate_clause_is_not_the_speaker(nlp: Any) -> None:
    text = (
        "Alors que le gouvernement prépare la réforme avec les partenaires sociaux, le secrétaire général "
        "du syndicat Jean Dupont a déploré ne pas «avoir de date de rendez-vous»."
    )
    assert ("avoir de date de rendez-vous", "partial", "Jean Dupont") in found(
        nlp, text, {"Jean Dupont": "PER"}
    )


def test_speakers_unnamed_person_goes_on_across_a_paragraph(nlp: Any) -> None:
    text = (
        "«Au moins mille personnes ont été amenées à l'hôpital», a déclaré le Dr B K Naik.\n\n"
        "«Nous travaillons à amener les gens à l'hôpital», a-t-il ajouté."
    )
    assert [name for _, _, name in found(nlp, text, {})] == ["B K Naik", "B K Naik"]
