from __future__ import annotations

from veille.clean.title import find_title, looks_like_title

PROSE = (
    "La coalition militaire internationale luttant contre Daech en Syrie et en Irak veut profiter du recul "
    "des jihadistes, ont annoncé mercredi Paris et Washington."
)


def test_title_is_first_headline_line_not_dropped() -> None:
    lines = ["0", "Défense", "", "| GBelan", "Lutte contre Daech : La France à l’initiative", PROSE]
    assert find_title(lines, dropped={0, 1, 3}) == 4


def test_title_skips_blank_and_nbsp_lines() -> None:
    assert find_title(["", "\u00a0", "Un titre de trois mots", PROSE], dropped=set()) == 2


def test_title_is_none_when_the_page_starts_with_prose() -> None:
    assert find_title([PROSE, "Un intertitre plus bas"], dropped=set()) is None


def test_title_is_none_on_an_empty_page() -> None:
    assert find_title([], dropped=set()) is None


def test_title_rejects_a_sentence_ending_with_a_period() -> None:
    assert not looks_like_title("Le gouvernement a annoncé une aide.")


def test_title_accepts_a_question_headline() -> None:
    assert looks_like_title("Faut-il avoir peur du virus ?")


def test_title_rejects_a_single_word() -> None:
    assert not looks_like_title("International")
