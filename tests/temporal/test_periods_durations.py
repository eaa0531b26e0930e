"""Durations and sets."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

ANCHOR = date(2016, 1, 20)


def found(text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(t.text, t.type, t.value, t.mod) for t in find_timexes(text, ANCHOR)]


def test_periods_durations_hours_are_after_t() -> None:
    assert found("Le siège a duré 3 heures") == [("3 heures", "DURATION", "PT3H", None)]


def test_periods_durations_years_weeks_months() -> None:
    assert found("deux ans") == [("deux ans", "DURATION", "P2Y", None)]
    assert found("trois semaines") == [("trois semaines", "DURATION", "P3W", None)]
    assert found("dix-huit mois") == [("dix-huit mois", "DURATION", "P18M", None)]


def test_periods_durations_decimal_seconds_and_quarter_century() -> None:
    assert found("30,4 secondes") == [("30,4 secondes", "DURATION", "PT30.4S", None)]
    assert found("un quart de siècle") == [("un quart de siècle", "DURATION", "P25Y", None)]


def test_periods_durations_vague_amount_is_x() -> None:
    assert found("plusieurs années") == [("plusieurs années", "DURATION", "PXY", None)]


def test_periods_durations_environ_is_approx_inside_the_span() -> None:
    assert found("environ deux mois") == [("environ deux mois", "DURATION", "P2M", "APPROX")]


def test_periods_durations_ages_are_not_durations() -> None:
    assert found("Florian Dupont, 26 ans, a été blessé") == []
    assert found("Un chauffeur de bus de 38 ans a été agressé") == []
    assert found("Agé de 54 ans, il part") == []


def test_periods_durations_sentence_still_counts() -> None:
    assert found("une peine de 10 ans de prison") == [("10 ans", "DURATION", "P10Y", None)]


def test_periods_sets_weekday() -> None:
    assert found("chaque lundi") == [("chaque lundi", "SET", "XXXX-WXX-1", None)]
    assert found("tous les jeudis") == [("tous les jeudis", "SET", "XXXX-WXX-4", None)]
    assert found("La bibliothèque ouvre le mercredi") == [("le mercredi", "SET", "XXXX-WXX-3", None)]


def test_periods_sets_units() -> None:
    assert found("tous les ans") == [("tous les ans", "SET", "P1Y", None)]
    assert found("chaque jour") == [("chaque jour", "SET", "P1D", None)]
    assert found("tous les deux ans") == [("tous les deux ans", "SET", "P2Y", None)]


def test_periods_sets_frequency_adjective_after_a_noun() -> None:
    assert found("le dîner annuel du CRIF") == [("annuel", "SET", "P1Y", None)]
    assert found("Il lit les quotidiens étrangers") == []


def test_periods_durations_une_seconde_vague_is_an_ordinal() -> None:
    assert found("Une seconde vague est redoutée") == []
    assert found("Il a hésité une seconde.") == [("une seconde", "DURATION", "PT1S", None)]
