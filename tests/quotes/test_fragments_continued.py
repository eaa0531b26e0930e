"""A quoted fragment continuing a statement whose source was named before (`quotes.fragments`)."""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.marks import find_quotations
from veille.quotes.speakers import ArticleView, EntityRef, MentionRef
from veille.quotes.stage import find_in_doc


def partials(nlp: Any, text: str, names: dict[str, str]) -> list[tuple[str, str | None]]:
    mentions = [
        MentionRef(m.start(), m.end(), label, "ent_" + name)
        for name, label in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    entities = {"ent_" + name: EntityRef("ent_" + name, name, label) for name, label in names.items()}
    spans = [(s.open, s.close + 1) for s in find_quotations(text)]
    view = ArticleView(text, nlp(text), mentions, entities, spans)
    found = find_in_doc(text, view.doc, view.mentions, view.entities, indirect=False)
    return [
        (text[f.start : f.end], f.speaker.name if f.speaker else None) for f in found if f.kind == "partial"
    ]


def test_fragments_statement_goes_on_into_the_next_paragraph(nlp: Any) -> None:
    text = (
        "Le trafic sera «très perturbé» lundi, a détaillé la RATP.\n\n"
        "Sur les lignes 4 et 7, le trafic sera «fortement perturbé» avec un métro sur trois."
    )
    assert partials(nlp, text, {"RATP": "ORG"}) == [("très perturbé", "RATP"), ("fortement perturbé", "RATP")]


def test_fragments_statement_stops_two_paragraphs_on(nlp: Any) -> None:
    text = (
        "Le trafic sera «très perturbé» lundi, a détaillé la RATP.\n\n"
        "La grève dure depuis une semaine.\n\n"
        "Sur les lignes 4 et 7, le trafic sera «fortement perturbé» avec un métro sur trois."
    )
    assert partials(nlp, text, {"RATP": "ORG"}) == [("très perturbé", "RATP")]


def test_fragments_statement_stops_at_a_new_person_subject(nlp: Any) -> None:
    text = (
        "Le trafic sera «très perturbé» lundi, a détaillé la RATP.\n\n"
        "Sur les lignes 4 et 7, Jean Dupont prévoit un trafic «fortement perturbé» ce matin."
    )
    found = partials(nlp, text, {"RATP": "ORG", "Jean Dupont": "PER"})
    assert ("fortement perturbé", "RATP") not in found


def test_fragments_quoted_name_a_paragraph_on_is_no_statement(nlp: Any) -> None:
    text = (
        "Le trafic sera «très perturbé» lundi, a détaillé la RATP.\n\n"
        "Les «gilets jaunes» ont prévu de manifester devant les gares."
    )
    assert partials(nlp, text, {"RATP": "ORG"}) == [("très perturbé", "RATP")]
