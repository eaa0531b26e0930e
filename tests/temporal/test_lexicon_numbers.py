"""French number words."""

from __future__ import annotations

from veille.temporal.lexicon import parse_number


def test_lexicon_numbers_words_and_digits() -> None:
    assert parse_number("dix-huit") == 18
    assert parse_number("vingt et un") == 21
    assert parse_number("quatre-vingt-dix") == 90
    assert parse_number("30,4") == 30.4
    assert parse_number("cent") == 100


def test_lexicon_numbers_unknown_word_is_none() -> None:
    assert parse_number("beaucoup") is None
