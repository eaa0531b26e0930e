"""Participants: agent, target, attendee and absent, from the parse and the mentions."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import Event

Run = Callable[..., list[Event]]


def roles(event: Event) -> set[tuple[str, str]]:
    return {(p.role, p.name) for p in event.participants}


def test_arguments_roles_meeting_participants_are_attendees(run: Run) -> None:
    (event,) = run("Emmanuel Macron a rencontré Angela Merkel à Berlin.")
    assert event.type == "meeting"
    assert roles(event) == {("attendee", "Emmanuel Macron"), ("attendee", "Angela Merkel")}


def test_arguments_roles_s_entretenir_avec(run: Run) -> None:
    (event,) = run("Le président Emmanuel Macron s'est entretenu avec Joe Biden.")
    assert roles(event) == {("attendee", "Emmanuel Macron"), ("attendee", "Joe Biden")}


def test_arguments_roles_coordinated_subjects_and_object(run: Run) -> None:
    (event,) = run("Paris et Washington ont appelé Moscou à cesser ses frappes.")
    assert event.type == "appeal"
    assert roles(event) == {("agent", "Paris"), ("agent", "Washington"), ("target", "Moscou")}


def test_arguments_roles_passive_agent_and_subject(run: Run) -> None:
    events = run("Moscou est accusé par Washington de cibler la rébellion.")
    (event,) = [e for e in events if e.type == "accusation"]
    assert roles(event) == {("agent", "Washington"), ("target", "Moscou")}


def test_arguments_roles_absent_after_sans_and_en_l_absence_de(run: Run) -> None:
    for text in (
        "Les ministres se sont réunis à Paris sans la Russie.",
        "Les ministres se sont réunis à Paris en l'absence de la Russie.",
    ):
        (event,) = run(text)
        assert roles(event) == {("absent", "Russie")}, text


def test_arguments_roles_absent_predicate_and_not_invited(run: Run) -> None:
    (event,) = run("La Russie était la grande absente du sommet de Genève.")
    assert ("absent", "Russie") in roles(event)
    (event,) = run("La Russie n'a pas été invitée à la conférence de paix à Genève.")
    assert roles(event) == {("absent", "Russie")}


def test_arguments_roles_noun_complements(run: Run) -> None:
    (event,) = run("Le procès de Nicolas Sarkozy s'ouvrira lundi à Paris.")
    assert (event.type, roles(event)) == ("arrest", {("target", "Nicolas Sarkozy")})
    (event,) = run("La réunion entre Vladimir Poutine et Emmanuel Macron a duré trois heures.")
    assert roles(event) == {("attendee", "Vladimir Poutine"), ("attendee", "Emmanuel Macron")}


def test_arguments_roles_death_subject_is_the_one_who_died(run: Run) -> None:
    (event,) = run("Jacques Chirac est mort à Paris.")
    assert (event.type, roles(event)) == ("death", {("target", "Jacques Chirac")})


def test_arguments_roles_a_place_is_not_a_participant(run: Run) -> None:
    (event,) = run("Emmanuel Macron s'est rendu à Berlin.")
    assert roles(event) == {("agent", "Emmanuel Macron")}
    assert event.location is not None and event.location.name == "Berlin"
