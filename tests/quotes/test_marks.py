"""Quotation spans from typography: pure string tests."""

from __future__ import annotations

from veille.quotes.marks import find_quotations, straight_role


def inner(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quotations(text)]


def test_marks_guillemets_with_no_break_spaces() -> None:
    assert inner("Il a dit «\u00a0oui\u00a0» puis «\u202fnon\u202f».") == ["oui", "non"]


def test_marks_guillemets_without_spaces() -> None:
    text = "«C'est le moment», a plaidé le ministre."
    spans = find_quotations(text)
    assert [(s.open, s.close, text[s.start : s.end]) for s in spans] == [(0, 16, "C'est le moment")]


def test_marks_curly_quotes() -> None:
    assert inner("Il a dit “tout va bien” hier.") == ["tout va bien"]


def test_marks_straight_quotes_pair_in_order() -> None:
    assert inner('Le "recul" et le "conseil de guerre".') == ["recul", "conseil de guerre"]


def test_marks_quote_across_sentences() -> None:
    assert inner("«Nous irons. Nous gagnerons.», a-t-il dit.") == ["Nous irons. Nous gagnerons."]


def test_marks_nested_marks_give_the_outer_quote() -> None:
    assert inner("«Il a parlé d'un “recul” net», dit-elle.") == ["Il a parlé d'un “recul” net"]
    assert inner('«Il a parlé d\'un "recul" net», dit-elle.') == ['Il a parlé d\'un "recul" net']


def test_marks_unclosed_mark_gives_nothing() -> None:
    assert inner("«Jamais fermé\n\n«Fermé»") == ["Fermé"]


def test_marks_unclosed_quote_opening_a_sentence_runs_to_the_paragraph_end() -> None:
    text = 'Il raconte. "Je suis parti. Tout était fini.\n\nLa suite.'
    assert inner(text) == ["Je suis parti. Tout était fini."]
    assert inner("Il raconte. «Je suis parti sans\n\nLa suite.") == []  # no full stop: a stray mark


def test_marks_straight_quote_opening_a_sentence_ends_the_unclosed_one() -> None:
    text = '"Je n\'ai pas de date, a-t-il déploré. "Pourquoi pas nous ?", a-t-il insisté.'
    assert inner(text) == ["Je n'ai pas de date, a-t-il déploré.", "Pourquoi pas nous ?"]


def test_marks_quotes_do_not_cross_paragraphs() -> None:
    assert inner('Il dit "oui\n\nnon" hier') == []


def test_marks_apostrophes_are_not_quotation_marks() -> None:
    assert inner("L'homme d’État a dit «oui».") == ["oui"]


def test_marks_stray_closing_straight_quote_is_skipped() -> None:
    assert inner('fin" puis "ok" ici') == ["ok"]


def test_marks_straight_role_reads_the_neighbours() -> None:
    assert straight_role(' "mot', 1) == "open"
    assert straight_role('mot" ', 3) == "close"
    assert straight_role('a"b', 1) == "either"


def test_marks_empty_quote_gives_nothing() -> None:
    assert inner("un « » vide") == []
