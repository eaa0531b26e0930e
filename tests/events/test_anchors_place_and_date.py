"""Place and date of a trigger: attached to it, cities before countries, the most precise date."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import Event

Run = Callable[..., list[Event]]


def test_anchors_place_and_date_place_after_a_preposition(run: Run) -> None:
    (event,) = run("Emmanuel Macron a rencontré Angela Merkel à Berlin.")
    assert event.location is not None and (event.location.role, event.location.name) == ("place", "Berlin")


def test_anchors_place_and_date_city_beats_country(run: Run) -> None:
    (event,) = run("Des milliers de personnes ont manifesté en France, à Lyon.")
    assert event.location is not None and event.location.name == "Lyon"


def test_anchors_place_and_date_capital_of_a_country(run: Run) -> None:
    (event,) = run("Le sommet a réuni dans la capitale de la France les ministres de l'Italie.")
    assert event.location is not None and event.location.name == "Paris"
    assert event.location.entity_id is not None  # the knowledge base's city


def test_anchors_place_and_date_place_of_another_clause_is_not_taken(run: Run) -> None:
    text = "Emmanuel Macron a annoncé mercredi que la coalition veut frapper Raqqa."
    (statement,) = [e for e in run(text) if e.type == "statement"]
    assert statement.location is None


def test_anchors_place_and_date_attached_date_and_most_precise(run: Run) -> None:
    text = "Cette semaine une réunion se tiendra à Paris mercredi réunissant Angela Merkel."
    (event,) = run(text, timexes=(("Cette semaine", "2016-W03"), ("mercredi", "2016-01-20")))
    assert event.date == "2016-01-20"


def test_anchors_place_and_date_no_date_from_another_sentence(run: Run) -> None:
    text = "Hier, il pleuvait. Emmanuel Macron a rencontré Angela Merkel à Berlin."
    (event,) = run(text, timexes=(("Hier", "2020-05-09"),))
    assert event.date is None


def test_anchors_place_and_date_unknown_value_is_no_date(run: Run) -> None:
    (event,) = run("Emmanuel Macron a rencontré Angela Merkel lundi.", timexes=(("lundi", "XXXX-WXX-1"),))
    assert event.date is None
