"""Weekdays resolved by the tense rule (regex cues, no Doc)."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

MONDAY = date(2016, 1, 18)
THURSDAY = date(2016, 1, 21)


def values(text: str, anchor: date | None) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_timexes(text, anchor)]


def test_stage_weekdays_future_tense_looks_ahead() -> None:
    assert values("La réunion se tiendra mercredi à Paris", MONDAY) == [("mercredi", "2016-01-20")]


def test_stage_weekdays_past_tense_looks_back() -> None:
    assert values("Paris et Washington ont annoncé mercredi un accord", THURSDAY) == [
        ("mercredi", "2016-01-20")
    ]


def test_stage_weekdays_past_tense_after_anchor_weekday_goes_to_last_week() -> None:
    # Monday anchor, past tense: the Wednesday before, not the one coming.
    assert values("Ils ont signé vendredi", MONDAY) == [("vendredi", "2016-01-15")]


def test_stage_weekdays_ce_with_present_is_this_week() -> None:
    assert values("Ce mercredi, le conseil se réunit", MONDAY) == [("Ce mercredi", "2016-01-20")]


def test_stage_weekdays_dernier_and_prochain_exclude_the_anchor_day() -> None:
    assert values("lundi dernier", MONDAY) == [("lundi dernier", "2016-01-11")]
    assert values("lundi prochain", MONDAY) == [("lundi prochain", "2016-01-25")]


def test_stage_weekdays_part_of_day_gives_a_time() -> None:
    found = find_timexes("Le vote aura lieu mercredi soir", MONDAY)
    assert [(t.text, t.type, t.value) for t in found] == [("mercredi soir", "TIME", "2016-01-20TEV")]


def test_stage_weekdays_of_next_week() -> None:
    assert values("Il viendra mardi de la semaine prochaine", MONDAY) == [
        ("mardi de la semaine prochaine", "2016-01-26")
    ]


def test_stage_weekdays_with_day_number_finds_the_month() -> None:
    # Thursday the 14th nearest 2016-01-18 is 2016-01-14.
    assert values("La séance a eu lieu jeudi 14", MONDAY) == [("jeudi 14", "2016-01-14")]


def test_stage_weekdays_nth_weekday_of_a_month() -> None:
    assert values("Le sommet aura lieu le premier vendredi de juillet.", MONDAY) == [
        ("le premier vendredi de juillet", "2016-07-01")
    ]
    assert values("le dernier dimanche de janvier 2016", None) == [
        ("le dernier dimanche de janvier 2016", "2016-01-31")
    ]
    assert values("le deuxième lundi du mois prochain", MONDAY) == [
        ("le deuxième lundi du mois prochain", "2016-02-08")
    ]


def test_stage_weekdays_en_huit_and_en_quinze() -> None:
    assert values("Il reviendra lundi en huit", MONDAY) == [("lundi en huit", "2016-01-25")]
    assert values("mercredi en quinze", MONDAY) == [("mercredi en quinze", "2016-02-03")]


def test_stage_weekdays_night_from_one_day_to_the_next() -> None:
    found = find_timexes("Dans la nuit de mercredi à jeudi, un incendie a ravagé l'usine.", THURSDAY)
    assert [(t.text, t.type, t.value) for t in found] == [
        ("la nuit de mercredi à jeudi", "TIME", "2016-01-20TNI")
    ]
