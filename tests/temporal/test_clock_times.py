"""Clock times and parts of the day."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

ANCHOR = date(2016, 1, 20)


def found(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in find_timexes(text, anchor)]


def test_clock_times_take_the_anchor_day() -> None:
    assert found("Rendez-vous à 15h30 place Stanislas") == [("15h30", "TIME", "2016-01-20T15:30")]


def test_clock_times_spelt_hour_after_a() -> None:
    assert found("à 15 heures") == [("15 heures", "TIME", "2016-01-20T15:00")]
    assert found("à quinze heures trente") == [("quinze heures trente", "TIME", "2016-01-20T15:30")]


def test_clock_times_spaced_french_style() -> None:
    assert found("vers 14 h 30") == [("14 h 30", "TIME", "2016-01-20T14:30")]


def test_clock_times_vers_is_a_mod_outside_the_span() -> None:
    (timex,) = find_timexes("vers 18 h", ANCHOR)
    assert (timex.text, timex.mod) == ("18 h", "APPROX")


def test_clock_times_take_the_last_date_spoken_of() -> None:
    assert found("Le lundi 17 février, à 14 h 30") == [
        ("Le lundi 17 février", "DATE", "2016-02-17"),
        ("14 h 30", "TIME", "2016-02-17T14:30"),
    ]


def test_clock_times_take_the_day_right_after() -> None:
    assert found("vers 15 h 30, hier") == [
        ("15 h 30", "TIME", "2016-01-19T15:30"),
        ("hier", "DATE", "2016-01-19"),
    ]


def test_clock_times_du_soir_adds_twelve_hours() -> None:
    assert found("à 8 h du soir") == [("8 h du soir", "TIME", "2016-01-20T20:00")]


def test_clock_times_midi_and_midi_et_demi() -> None:
    assert found("à midi") == [("midi", "TIME", "2016-01-20T12:00")]
    assert found("à midi et demi") == [("midi et demi", "TIME", "2016-01-20T12:30")]


def test_clock_times_not_apres_midi() -> None:
    assert found("cet après-midi") == [("cet après-midi", "TIME", "2016-01-20TAF")]


def test_clock_times_la_nuit_is_the_last_day() -> None:
    assert found("Mardi 19 janvier, la police a patrouillé pendant la nuit") == [
        ("Mardi 19 janvier", "DATE", "2016-01-19"),
        ("la nuit", "TIME", "2016-01-19TNI"),
    ]


def test_clock_times_a_environ_is_still_a_time() -> None:
    (timex,) = find_timexes("Il est arrivé à environ 15 heures", ANCHOR)
    assert (timex.text, timex.type, timex.value, timex.mod) == (
        "15 heures",
        "TIME",
        "2016-01-20T15:00",
        "APPROX",
    )
