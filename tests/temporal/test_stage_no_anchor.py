"""Without a publication date nothing is made up."""

from __future__ import annotations

from veille.temporal import find_timexes


def values(text: str) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_timexes(text, None)]


def test_stage_no_anchor_relative_day_is_none() -> None:
    assert values("hier") == [("hier", None)]
    assert values("La réunion se tiendra mercredi") == [("mercredi", None)]
    assert values("la semaine dernière") == [("la semaine dernière", None)]


def test_stage_no_anchor_keeps_what_the_text_fixes() -> None:
    assert values("le 17 novembre") == [("le 17 novembre", "XXXX-11-17")]
    assert values("en janvier") == [("janvier", "XXXX-01")]
    assert values("à 15 h 30") == [("15 h 30", "XXXX-XX-XXT15:30")]


def test_stage_no_anchor_full_dates_and_durations_still_resolve() -> None:
    assert values("le 21 janvier 2016, pendant trois ans") == [
        ("le 21 janvier 2016", "2016-01-21"),
        ("trois ans", "P3Y"),
    ]


def test_stage_no_anchor_offsets_are_exact_string_slices() -> None:
    text = "Samedi, hier soir et le 3 mars 2015, vers 9 h."
    for timex in find_timexes(text, None):
        assert text[timex.start : timex.end] == timex.text
