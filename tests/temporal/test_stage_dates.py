"""Calendar dates: with and without year, numeric, months, years, holidays."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

ANCHOR = date(2016, 1, 18)


def values(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_timexes(text, anchor)]


def test_stage_dates_day_month_in_past_sentence_takes_last_year() -> None:
    assert values("Il a été arrêté le 17 novembre à Bruxelles.") == [("le 17 novembre", "2015-11-17")]


def test_stage_dates_day_month_in_future_sentence_stays_ahead() -> None:
    assert values("Le procès s'ouvrira le 17 novembre.") == [("le 17 novembre", "2016-11-17")]


def test_stage_dates_day_month_without_tense_is_the_closest() -> None:
    assert values("Réunion le 2 février.") == [("le 2 février", "2016-02-02")]


def test_stage_dates_full_date_needs_no_anchor() -> None:
    assert values("le 21 janvier 2016", None) == [("le 21 janvier 2016", "2016-01-21")]
    assert values("Dimanche 5 janvier 2003") == [("Dimanche 5 janvier 2003", "2003-01-05")]


def test_stage_dates_numeric() -> None:
    assert values("Publié le 21/01/2016.") == [("21/01/2016", "2016-01-21")]
    assert values("Mise à jour 2016-01-21") == [("2016-01-21", "2016-01-21")]


def test_stage_dates_first_of_month_and_two_digit_year() -> None:
    assert values("le 1er mai 1962") == [("le 1er mai 1962", "1962-05-01")]
    assert values("le 10 novembre 93") == [("le 10 novembre 93", "1993-11-10")]


def test_stage_dates_month_and_year() -> None:
    assert values("en janvier 2016") == [("janvier 2016", "2016-01")]
    assert values("l'année 2001") == [("l'année 2001", "2001")]


def test_stage_dates_year_leaves_the_preposition_out() -> None:
    assert values("Il est arrivé en 2015.") == [("2015", "2015")]


def test_stage_dates_numbers_are_not_years() -> None:
    assert values("Il y avait 2 000 manifestants et 1999 euros.") == []


def test_stage_dates_month_alone_follows_the_tense() -> None:
    assert values("Les travaux ont commencé en novembre.") == [("novembre", "2015-11")]
    assert values("Les travaux commenceront en mars.") == [("mars", "2016-03")]


def test_stage_dates_month_with_dernier() -> None:
    assert values("septembre dernier") == [("septembre dernier", "2015-09")]


def test_stage_dates_holiday() -> None:
    assert values("Il a été libéré à Noël.") == [("Noël", "2015-12-25")]


def test_stage_dates_weekday_fixes_the_year() -> None:
    # 12 September 2020 is a Saturday; 2019's was a Thursday: the weekday wins over the tense.
    assert values("Ils ont manifesté samedi 12 septembre", date(2020, 9, 10)) == [
        ("samedi 12 septembre", "2020-09-12")
    ]
