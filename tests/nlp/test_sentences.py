from __future__ import annotations

from typing import Any

import pytest

from veille.nlp.sentences import preset_sentence_starts, quotation_spans


def sentences(nlp: Any, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents]


def test_sentences_paragraph_break_starts_a_sentence(nlp: Any) -> None:
    got = sentences(nlp, "La réunion a eu lieu jeudi\n\nLe gouvernement a annoncé un plan.")
    assert got == ["La réunion a eu lieu jeudi", "Le gouvernement a annoncé un plan."]


def test_sentences_quotation_with_two_sentences_stays_with_its_cue(nlp: Any) -> None:
    text = "Il a détaillé : «Détruire le cancer de l'EI. Lutter contre les métastases», a-t-il dit. Il part."
    got = sentences(nlp, text)
    assert got[0] == "Il a détaillé : «Détruire le cancer de l'EI. Lutter contre les métastases», a-t-il dit."
    assert got[1] == "Il part."


def test_sentences_closing_guillemet_never_starts_a_sentence(nlp: Any) -> None:
    doc = nlp(
        "«C'est le moment d'accroître nos efforts collectifs», a plaidé le ministre Jean-Yves Le Drian."
    )
    assert len(list(doc.sents)) == 1


def test_sentences_unclosed_quote_does_not_swallow_the_next_paragraph(nlp: Any) -> None:
    got = sentences(nlp, "Il a dit «bonjour.\n\nLe lendemain, la réunion a commencé.")
    assert got[-1] == "Le lendemain, la réunion a commencé."


def test_sentences_straight_quotes_pair_within_a_paragraph(nlp: Any) -> None:
    from veille.nlp import quotation_spans

    doc = nlp('Il a dit "non. Jamais" hier.\n\nPuis "oui" aujourd\'hui.')
    spans = [doc[a : b + 1].text for a, b in quotation_spans(doc)]
    assert spans == ['"non. Jamais"', '"oui"']


def test_sentences_single_line_break_is_a_wrap_not_a_paragraph(nlp: Any) -> None:
    doc = nlp("Le directeur du zoo, M.\nHagenbeck, a reçu la visite du ministre.")
    assert len(list(doc.sents)) == 1


def per_token_sentence_starts(doc: Any) -> list[Any]:
    """The sentence starts as veille_sentences set them token by token before it used from_array."""
    starts: list[Any] = [t.is_sent_start for t in doc]
    starts[0] = True
    for token in doc[1:]:
        previous = doc[token.i - 1]
        gap = previous.whitespace_ + (previous.text if previous.is_space else "")
        if not token.is_space and gap.count("\n") >= 2:
            starts[token.i] = True
    for open_i, close_i in quotation_spans(doc):
        for i in range(open_i + 1, close_i + 1):
            starts[i] = False
        after = close_i + 1
        if after < len(doc) and doc[after].is_punct and doc[after].text in {",", ";", ":", ")", "."}:
            starts[after] = False
    return starts


def test_sentences_presets_are_set_in_one_pass_as_token_by_token(nlp: Any) -> None:
    for text in (
        "« Nous ne céderons rien », a déclaré M. Castex. Puis : « Non. »\n\nL'AP-HP a publié.",
        "a\n\n" * 50 + "« Un. Deux », dit-il.\n\n« Pas fermé.\n\nFin.",
    ):
        doc = nlp.make_doc(text)
        expected = per_token_sentence_starts(doc)
        preset_sentence_starts(doc)
        assert [t.is_sent_start for t in doc] == expected


def test_sentences_presets_refuse_a_parsed_doc(nlp: Any) -> None:
    # The token-by-token setter refused this (spaCy E043); the one-pass version must too.
    with pytest.raises(ValueError, match="before the parser"):
        preset_sentence_starts(nlp("Il pleut. Le vent souffle."))
