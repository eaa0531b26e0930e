"""Sources speaking through something else: a survey's maker, a city's government, a medium
credited in parentheses (`veille.quotes.sources`, and `describe` / `decide` using it)."""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.marks import find_quotations
from veille.quotes.sources import credited_after, maker_after, maker_before, place_before
from veille.quotes.speakers import ArticleView, EntityRef, MentionRef
from veille.quotes.stage import find_in_doc


def view_of(nlp: Any, text: str, names: dict[str, str]) -> ArticleView:
    """Every occurrence of each name (→ label) becomes a mention of an entity named so."""
    mentions = [
        MentionRef(m.start(), m.end(), label, "ent_" + name)
        for name, label in names.items()
        for m in re.finditer(re.escape(name), text)
    ]
    entities = {"ent_" + name: EntityRef("ent_" + name, name, label) for name, label in names.items()}
    spans = [(s.open, s.close + 1) for s in find_quotations(text)]
    return ArticleView(text, nlp(text), mentions, entities, spans)


def speakers(view: ArticleView) -> list[tuple[str, str, str | None, str | None]]:
    found = find_in_doc(view.text, view.doc, view.mentions, view.entities)
    return [
        (
            view.text[f.start : f.end],
            f.kind,
            f.speaker.name if f.speaker else None,
            f.speaker.kind if f.speaker else None,
        )
        for f in found
    ]


def test_sources_maker_after_a_document(nlp: Any) -> None:
    text = "Le chômage recule, révèle le baromètre annuel, réalisé par Ipsos pour le journal."
    view = view_of(nlp, text, {"Ipsos": "ORG"})
    maker = maker_after(view, text.index(", réalisé"))
    assert maker is not None and text[maker.start : maker.end] == "Ipsos"
    other = "Le chômage recule. Un sondage réalisé par Ipsos le confirme."
    assert maker_after(view_of(nlp, other, {"Ipsos": "ORG"}), other.index(".")) is None  # a new sentence


def test_sources_maker_before_for_a_demonstrative_document(nlp: Any) -> None:
    text = "Un sondage mené par l'Ifop est paru. Cette enquête révèle que les Français sont inquiets."
    view = view_of(nlp, text, {"Ifop": "ORG"})
    maker = maker_before(view, text.index("Cette"))
    assert maker is not None and text[maker.start : maker.end] == "Ifop"
    assert maker_before(view, text.index("Ifop")) is None


def test_sources_survey_report_is_its_makers(nlp: Any) -> None:
    text = "Cette enquête a été menée par l'Ifop en mai. L'enquête révèle que les Français restent inquiets."
    view = view_of(nlp, text, {"Ifop": "ORG"})
    assert speakers(view) == [("les Français restent inquiets", "indirect", "Ifop", "organisation")]


def test_sources_place_noun_speaks_for_the_place_named_before(nlp: Any) -> None:
    text = (
        "Trente cas ont été recensés à Pékin. "
        "La ville a appelé ses habitants à éviter les voyages «non essentiels»."
    )
    view = view_of(nlp, text, {"Pékin": "LOC"})
    place = place_before(view, text.index("La ville"))
    assert place is not None and text[place.start : place.end] == "Pékin"
    assert speakers(view) == [("non essentiels", "partial", "Pékin", "organisation")]


def test_sources_credited_in_parentheses(nlp: Any) -> None:
    text = (
        "Les médias spécialisés ont qualifié la soirée de «triomphe de la production» (Variety) "
        "ou de «cérémonie mémorable» (Deadline)."
    )
    view = view_of(nlp, text, {"Variety": "MISC", "Deadline": "ORG"})
    assert speakers(view) == [
        ("triomphe de la production", "partial", "Variety", "organisation"),
        ("cérémonie mémorable", "partial", "Deadline", "organisation"),
    ]
    other = "Les critiques ont salué une «soirée ratée» (à Paris)."
    assert credited_after(view_of(nlp, other, {}), other.index("» (")) is None  # no name fills them
