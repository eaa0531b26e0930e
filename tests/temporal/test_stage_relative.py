"""Days relative to the anchor (hier, demain, il y a, dans) and to the text's last date (lendemain)."""

from __future__ import annotations

from datetime import date

from veille.temporal import find_timexes

ANCHOR = date(2016, 1, 20)


def values(text: str, anchor: date | None = ANCHOR) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_timexes(text, anchor)]


def test_stage_relative_days() -> None:
    assert values("hier") == [("hier", "2016-01-19")]
    assert values("aujourd'hui") == [("aujourd'hui", "2016-01-20")]
    assert values("demain") == [("demain", "2016-01-21")]
    assert values("avant-hier") == [("avant-hier", "2016-01-18")]
    assert values("après demain") == [("après demain", "2016-01-22")]


def test_stage_relative_il_y_a_deux_jours() -> None:
    assert values("Il est parti il y a deux jours.") == [("il y a deux jours", "2016-01-18")]


def test_stage_relative_dans_trois_semaines_is_a_week() -> None:
    assert values("Le vote aura lieu dans trois semaines.") == [("dans trois semaines", "2016-W06")]


def test_stage_relative_il_y_a_un_an_is_a_year() -> None:
    assert values("il y a un an") == [("il y a un an", "2015")]


def test_stage_relative_lendemain_follows_the_last_date() -> None:
    assert values("Il est arrivé le 3 janvier et reparti le lendemain.") == [
        ("le 3 janvier", "2016-01-03"),
        ("le lendemain", "2016-01-04"),
    ]


def test_stage_relative_lendemain_without_earlier_date_uses_the_anchor() -> None:
    assert values("Il repartira le lendemain.") == [("le lendemain", "2016-01-21")]


def test_stage_relative_veille() -> None:
    assert values("le 10 janvier, et la veille au soir") == [
        ("le 10 janvier", "2016-01-10"),
        ("la veille au soir", "2016-01-09TEV"),
    ]


def test_stage_relative_hier_with_part_of_day() -> None:
    found = find_timexes("Hier soir, la police est intervenue.", ANCHOR)
    assert [(t.text, t.type, t.value) for t in found] == [("Hier soir", "TIME", "2016-01-19TEV")]


def test_stage_relative_aujourdhui_with_weekday_is_one_expression() -> None:
    assert values("aujourd'hui mercredi") == [("aujourd'hui mercredi", "2016-01-20")]
