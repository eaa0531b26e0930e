"""Single-word rules: reference words, seasons, abbreviations, recent periods, duration nouns."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

ANCHOR = date(2016, 1, 20)


def found(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in find_timexes(text, anchor)]


def test_stage_words_reference_words() -> None:
    assert found("Il est actuellement en prison") == [("actuellement", "TIME", "PRESENT_REF")]
    assert found("Auparavant, il dirigeait la police") == [("Auparavant", "TIME", "PAST_REF")]


def test_stage_words_seasons() -> None:
    assert found("cet été") == [("cet été", "DATE", "2016-SU")]
    assert found("l'hiver dernier") == [("hiver dernier", "DATE", "2015-WI")]
    assert found("à l'été 2015") == [("été 2015", "DATE", "2015-SU")]


def test_stage_words_month_abbreviation_after_a_day() -> None:
    assert found("Il a été élu le 17 nov. 2015") == [("le 17 nov. 2015", "DATE", "2015-11-17")]


def test_stage_words_numeric_day_month_after_le() -> None:
    assert found("Rendez-vous le 17/02") == [("17/02", "DATE", "2016-02-17")]


def test_stage_words_recent_period_is_an_x_duration() -> None:
    assert found("Ces derniers jours, la tension monte") == [("Ces derniers jours", "DURATION", "PXD")]


def test_stage_words_duration_nouns() -> None:
    assert found("pendant le quinquennat") == [("quinquennat", "DURATION", "P5Y")]


def test_stage_words_this_year_and_month() -> None:
    assert found("cette année") == [("cette année", "DATE", "2016")]
    assert found("ce mois-ci") == [("ce mois-ci", "DATE", "2016-01")]
