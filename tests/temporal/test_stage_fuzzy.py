"""Fuzzy periods: début/fin/mi- (mod), this/last/next week, month, year, weekend, decades."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

ANCHOR = date(2016, 1, 20)  # a Wednesday, ISO week 3


def found(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str | None, str | None]]:
    return [(t.text, t.value, t.mod) for t in find_timexes(text, anchor)]


def test_stage_fuzzy_debut_month_is_start() -> None:
    assert found("début janvier") == [("début janvier", "2016-01", "START")]


def test_stage_fuzzy_fin_year_is_end() -> None:
    assert found("fin 2015") == [("fin 2015", "2015", "END")]


def test_stage_fuzzy_mi_month_is_mid() -> None:
    assert found("mi-mars") == [("mi-mars", "2016-03", "MID")]


def test_stage_fuzzy_la_fin_de_lannee_derniere() -> None:
    assert found("la fin de l'année dernière") == [("la fin de l'année dernière", "2015", "END")]


def test_stage_fuzzy_cette_semaine_is_the_iso_week() -> None:
    assert found("cette semaine") == [("cette semaine", "2016-W03", None)]


def test_stage_fuzzy_ce_week_end() -> None:
    assert found("Le festival aura lieu ce week-end") == [("ce week-end", "2016-W03-WE", None)]


def test_stage_fuzzy_ce_week_end_in_the_past_on_a_weekday_is_the_last_one() -> None:
    assert found("Ils se sont rendus ce week-end à Lyon") == [("ce week-end", "2016-W02-WE", None)]


def test_stage_fuzzy_last_and_next_units() -> None:
    assert found("le mois dernier") == [("le mois dernier", "2015-12", None)]
    assert found("l'an prochain") == [("l'an prochain", "2017", None)]
    assert found("la semaine dernière") == [("la semaine dernière", "2016-W02", None)]


def test_stage_fuzzy_depuis_values_the_month_alone() -> None:
    assert found("Il est détenu depuis novembre.") == [("novembre", "2015-11", None)]


def test_stage_fuzzy_decade_and_century() -> None:
    assert found("les années 60") == [("les années 60", "196X", None)]
    assert found("au XIXe siècle") == [("XIXe siècle", "18XX", None)]
