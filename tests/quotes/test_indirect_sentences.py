"""Indirect speech read on sentences cut at full stops, not at the parser's sentence bounds, and
the subjects its cues find (`quotes.indirect`, `quotes.subjects`)."""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.marks import find_quotations
from veille.quotes.speakers import ArticleView, EntityRef, MentionRef
from veille.quotes.stage import find_in_doc
from veille.quotes.subjects import subject_before


def view_of(nlp: Any, text: str, names: dict[str, str]) -> ArticleView:
    mentions = [
        MentionRef(m.start(), m.end(), label, "ent_" + name)
        for name, label in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    entities = {"ent_" + name: EntityRef("ent_" + name, name, label) for name, label in names.items()}
    spans = [(s.open, s.close + 1) for s in find_quotations(text)]
    return ArticleView(text, nlp(text), mentions, entities, spans)


def indirect(nlp: Any, text: str, names: dict[str, str]) -> list[tuple[str, str | None, str | None]]:
    view = view_of(nlp, text, names)
    return [
        (text[f.start : f.end], f.speaker.name if f.speaker else None, f.speaker.kind if f.speaker else None)
        for f in find_in_doc(text, view.doc, view.mentions, view.entities)
        if f.kind == "indirect"
    ]


def test_indirect_closing_incise_the_parser_split_off(nlp: Any) -> None:
    text = (
        "Plus d'un millier de personnes sont hospitalisées jeudi matin dans une ville du sud de l'Inde "
        "après une fuite de gaz dans une usine chimique, ont annoncé les autorités locales.\n\n"
        '"Nous travaillons à amener les gens à l\'hôpital", a déclaré Jean Dupont.'
    )
    [(content, name, kind)] = indirect(nlp, text, {"Jean Dupont": "PER"})
    assert content.startswith("Plus d'un millier") and content.endswith("usine chimique")
    assert (name, kind) == ("les autorités locales", "organisation")


def test_indirect_leading_selon_after_a_short_sentence(nlp: Any) -> None:
    text = (
        "C'est un très beau geste. Selon les informations du Parisien, Jean Dupont est parvenu à aider "
        "ses salariés en grande difficulté."
    )
    assert indirect(nlp, text, {"Jean Dupont": "PER", "Parisien": "ORG"}) == [
        ("Jean Dupont est parvenu à aider ses salariés en grande difficulté", "Parisien", "organisation")
    ]


def test_subjects_relative_pronoun_stands_for_its_antecedent(nlp: Any) -> None:
    text = "L'animateur, qui a affirmé que la fondation organise une collecte, a appelé l'État à agir."
    view = view_of(nlp, text, {})
    verb = view.token_at(text.index("affirmé"))
    span = subject_before(view, verb)
    assert span is not None and view.doc[span[0] : span[1]].text == "L'animateur"


def test_indirect_leading_selon_with_a_stray_comma_after_the_cue(nlp: Any) -> None:
    # Seen in the corpus ("Selon, Andrea Ammon, directrice …"): it crashed the whole batch.
    text = "Selon, Andrea Ammon, l'Europe doit se préparer à une deuxième vague de contaminations."
    assert indirect(nlp, text, {"Andrea Ammon": "PER"}) == [
        ("l'Europe doit se préparer à une deuxième vague de contaminations", "Andrea Ammon", "person")
    ]


def test_indirect_leading_selon_followed_by_commas_only_finds_nothing(nlp: Any) -> None:
    assert indirect(nlp, "Selon,, rien ne va plus ce matin dans la ville.", {}) == []
