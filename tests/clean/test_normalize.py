from __future__ import annotations

import pytest

from veille.clean.normalize import match_key, normalize_text, repair_glued_paragraphs


def test_normalize_fixes_double_encoded_utf8_and_keeps_typography() -> None:
    text = "Ã©tÃ© « oui » l’EI\u00a0: fin"
    assert normalize_text(text) == "été « oui » l’EI\u00a0: fin"


def test_normalize_leaves_clean_french_alone() -> None:
    text = "Il est arrivé» hier à Paris\u202f; c’est l’été « chaud »…"
    assert normalize_text(text) == text


def test_normalize_turns_crlf_and_cr_into_newlines() -> None:
    assert normalize_text("a\r\nb\rc") == "a\nb\nc"


def test_normalize_applies_nfc() -> None:
    assert normalize_text("e\u0301te\u0301") == "été"


def test_normalize_removes_controls_but_keeps_tab_and_newline() -> None:
    assert normalize_text("a\x00b\x07c\td\ne\x1b") == "abc\td\ne"


def test_normalize_removes_zero_width_characters() -> None:
    assert normalize_text("Da\u200bech\ufeff \u00adDa\u200dech") == "Daech Daech"


def test_normalize_handles_empty_string() -> None:
    assert normalize_text("") == ""


def test_match_key_folds_apostrophes_case_and_spaces() -> None:
    assert match_key("l’EI") == match_key("l'EI") == "l'ei"


def test_match_key_folds_every_space_kind() -> None:
    assert match_key("  Le\u00a0\u202f Drian\u2009:\n ok ") == "le drian : ok"


@pytest.mark.parametrize(
    ("glued", "expected"),
    [
        ("jeudi.Le gouvernement", "jeudi.\n\nLe gouvernement"),
        ('substantielles\'"."Malgré tout', 'substantielles\'".\n\n"Malgré tout'),
        ('revendications"."Le ministre', 'revendications".\n\n"Le ministre'),
        ('a-t-il souligné."Bien sûr', 'a-t-il souligné.\n\n"Bien sûr'),
        ("fin.»Le lendemain", "fin.»\n\nLe lendemain"),
        ("fin.« Le lendemain", "fin.\n\n« Le lendemain"),
        ("Vraiment ?Le lendemain", "Vraiment ?\n\nLe lendemain"),
    ],
)
def test_normalize_repairs_glued_paragraphs(glued: str, expected: str) -> None:
    assert repair_glued_paragraphs(glued) == (expected, 1)


@pytest.mark.parametrize(
    "text",
    [
        "M.Dupont est arrivé",
        "J.-Y. Le Drian",
        "les U.S.A. et la S.A.R.L. Dupont",
        "3.5 millions",
        "sur orange.fr et LeParisien.fr",
        "voir www.Example.com",
        "écrire à contact@Orange.fr",
        "il hésite… puis repart",
        "« je ne sais pas… » a-t-il dit.",
        "Mme.Durand",
        "ont annoncé mercredi. Le lendemain",
    ],
)
def test_normalize_repair_leaves_non_glue_alone(text: str) -> None:
    assert repair_glued_paragraphs(text) == (text, 0)


def test_normalize_repair_counts_every_break() -> None:
    text, count = repair_glued_paragraphs("Un.Deux.Trois")
    assert count == 2
    assert text.split("\n\n") == ["Un.", "Deux.", "Trois"]


def test_normalize_repair_does_not_take_a_spaced_quote_as_opening() -> None:
    assert repair_glued_paragraphs('là." Mais selon') == ('là." Mais selon', 0)
