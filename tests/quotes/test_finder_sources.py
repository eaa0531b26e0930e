"""Quotation rules added for sources the clause names oddly: a participle's colon, "selon" inside
the clause, a quotation closing its sentence before a capitalised word (`quotes.finder`,
`quotes.fragments`, `quotes.clauses`)."""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.clauses import clause_ceiling, clause_floor
from veille.quotes.marks import find_quotations
from veille.quotes.speakers import ArticleView, EntityRef, MentionRef
from veille.quotes.stage import find_in_doc


def view_of(nlp: Any, text: str, names: dict[str, str]) -> ArticleView:
    mentions = [
        MentionRef(m.start(), m.end(), label, "ent_" + name)
        for name, label in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    entities = {"ent_" + name: EntityRef("ent_" + name, name, label) for name, label in names.items()}
    spans = [(s.open, s.close + 1) for s in find_quotations(text)]
    return ArticleView(text, nlp(text), mentions, entities, spans)


def found(nlp: Any, text: str, names: dict[str, str]) -> list[tuple[str, str, str | None, str | None]]:
    view = view_of(nlp, text, names)
    return [
        (
            text[f.start : f.end],
            f.kind,
            f.speaker.name if f.speaker else None,
            f.speaker.kind if f.speaker else None,
        )
        for f in find_in_doc(text, view.doc, view.mentions, view.entities)
    ]


def test_finder_participle_colon_takes_the_named_subject(nlp: Any) -> None:
    text = (
        "«Il faut agir», a lancé Paul Martin. Interrogé par Le Monde, Jean Dupont n'a pas souhaité "
        "polémiquer, répondant : «Je n'ai rien à ajouter.»"
    )
    names = {"Paul Martin": "PER", "Jean Dupont": "PER", "Le Monde": "ORG"}
    assert found(nlp, text, names)[-1] == ("Je n'ai rien à ajouter.", "direct", "Jean Dupont", "person")


def test_finder_selon_inside_the_clause_sources_a_fragment(nlp: Any) -> None:
    text = "Les syndicats dénoncent la réforme, qui constitue selon eux une «attaque» contre le statut."
    assert found(nlp, text, {}) == [("attaque", "partial", "eux", "collective")]


def test_clauses_quotation_ending_a_sentence_ends_the_clause(nlp: Any) -> None:
    text = "«Nous avons tout essayé.» Interrogé par Le Monde, Jean Dupont a refusé de commenter."
    view = view_of(nlp, text, {"Le Monde": "ORG", "Jean Dupont": "PER"})
    close = view.token_at(text.index("»"))
    after = view.token_at(text.index("Interrogé"))
    assert clause_ceiling(view, close.i) == close.i + 1
    assert clause_floor(view, view.token_at(text.index("Jean")).i) == after.i


def test_finder_capitalised_word_after_a_quotation_is_no_incise(nlp: Any) -> None:
    text = "«Nous avons tout essayé pour sauver l'usine.» Interrogé par Le Monde, Jean Dupont s'est tu."
    speakers = [name for _, _, name, _ in found(nlp, text, {"Le Monde": "ORG", "Jean Dupont": "PER"})]
    assert "Le Monde" not in speakers
