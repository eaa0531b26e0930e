"""Within one article: same-sentence and anaphoric triggers join, weak triggers are dropped."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import Event

Run = Callable[..., list[Event]]


def test_finder_merging_noun_and_verb_of_one_sentence_are_one_event(run: Run) -> None:
    (event,) = run("Une réunion se tiendra à Paris réunissant Angela Merkel et Joe Biden.")
    assert event.trigger == "réunion"
    assert len(event.evidence) == 2


def test_finder_merging_definite_repetition_refers_back(run: Run) -> None:
    text = (
        "Emmanuel Macron a rencontré Angela Merkel à Berlin. Il pleuvait. La rencontre a duré trois heures."
    )
    (event,) = run(text)
    assert len(event.evidence) == 2


def test_finder_merging_indefinite_noun_is_a_new_event(run: Run) -> None:
    text = (
        "Emmanuel Macron a rencontré Angela Merkel à Berlin. "
        "Joe Biden tiendra des réunions avec Justin Trudeau à Ottawa."
    )
    assert len(run(text)) == 2


def test_finder_merging_possessive_takes_the_latest_event_and_its_owners(run: Run) -> None:
    text = (
        "Le conseil de guerre a réuni sept pays à Paris. "
        "A l'issue de leur réunion, les ministres de la France et de l'Italie ont parlé."
    )
    (event,) = run(text)
    assert {p.name for p in event.participants} >= {"France", "Italie"}
    assert len(event.evidence) == 3


def test_finder_merging_weak_triggers_are_dropped(run: Run) -> None:
    assert run("Trois heures de réunion sont prévues.") == []
    text = "La grève de jeudi a été suivie."
    assert run(text) == []
    assert [e.date for e in run(text, timexes=(("jeudi", "2016-01-21"),))] == [
        "2016-01-21"
    ]  # a date anchors it
    text = "Le groupe a aujourd'hui du mal à reprendre l'offensive."  # the date is another clause's
    assert run(text, timexes=(("aujourd'hui", "2016-01-18"),)) == []
    assert run("Il a déclaré que tout allait bien.") == []  # a statement without an agent


def test_finder_merging_keep_bare_keeps_unanchored_triggers(nlp: object) -> None:
    from veille.events.finder import find_in_view
    from veille.events.view import EventView

    text = "Trois heures de réunion sont prévues."
    view = EventView(text, nlp(text), [])  # type: ignore[operator]
    assert find_in_view(view, "t") == []
    assert [e.type for e in find_in_view(view, "t", keep_bare=True)] == ["meeting"]


def test_finder_merging_same_word_for_other_people_is_another_event(run: Run) -> None:
    text = "La mort de George Floyd a choqué. Elle rappelle la mort de Breonna Taylor."
    deaths = run(text)
    assert [sorted(p.name for p in e.participants) for e in deaths] == [["George Floyd"], ["Breonna Taylor"]]


def test_finder_merging_source_attributions_are_no_statements(run: Run) -> None:
    assert [e.type for e in run("Le pilote est mort à Lahore, rapporte Reuters.")] == ["death"]
    assert [e.type for e in run("Emmanuel Macron a annoncé mardi que la réforme attendra.")] == ["statement"]
