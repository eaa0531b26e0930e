"""Modality: planned, happened, negated, claimed, from tense, auxiliaries, quotes and dates."""

from __future__ import annotations

from collections.abc import Callable

from veille.events.finder import find_in_view
from veille.events.view import EventView
from veille.model import Event, Mention, Quote

Run = Callable[..., list[Event]]


def modality(run: Run, text: str, **kwargs: object) -> list[str]:
    return [e.evidence[0].modality for e in run(text, **kwargs)]


def test_modality_readings_future_and_schedule_are_planned(run: Run) -> None:
    assert modality(run, "Le président Emmanuel Macron se rendra à Berlin.") == ["planned"]
    assert modality(run, "Le sommet de l'OTAN doit se tenir à Bruxelles.") == ["planned"]
    assert modality(run, "Emmanuel Macron va rencontrer Angela Merkel.") == ["planned"]


def test_modality_readings_past_is_happened(run: Run) -> None:
    assert modality(run, "Emmanuel Macron a rencontré Angela Merkel à Berlin.") == ["happened"]


def test_modality_readings_negation(run: Run) -> None:
    text = "La réunion entre Vladimir Poutine et Emmanuel Macron n'a pas eu lieu à Moscou."
    assert modality(run, text) == ["negated"]
    # The conference is not negated by what is said of Russia's invitation.
    text = "La Russie n'a pas été invitée à la conférence de paix à Genève."
    assert modality(run, text) == ["happened"]


def test_modality_readings_selon_and_conditional_are_claimed(run: Run) -> None:
    assert modality(run, "Selon l'OSDH, l'aviation russe a bombardé Idleb.") == ["claimed"]
    assert modality(run, "L'aviation russe aurait bombardé Idleb.") == ["claimed"]


def test_modality_readings_a_date_after_publication_is_planned(run: Run) -> None:
    text = "Emmanuel Macron rencontre Angela Merkel le 20 janvier à Berlin."
    kwargs = {"timexes": (("le 20 janvier", "2016-01-20"),)}
    assert modality(run, text, published="2016-01-18", **kwargs) == ["planned"]
    assert modality(run, text, published="2016-01-21", **kwargs) == ["happened"]


def test_modality_readings_inside_a_quote_is_claimed_but_not_its_cue(nlp: object) -> None:
    text = "«L'armée a bombardé Idleb», a accusé Emmanuel Macron."
    doc = nlp(text)  # type: ignore[operator]
    mentions = [Mention("t", e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
    cue = text.index("a accusé")
    quote = Quote(
        id="q", article_id="t", start=1, end=text.index("»"), text="", kind="direct",
        speaker_start=text.index("Emmanuel"), speaker_end=len(text) - 1,
        cue="a accusé", cue_start=cue, cue_end=cue + len("a accusé"),
    )  # fmt: skip
    events = find_in_view(EventView(text, doc, mentions, quotes=[quote]), "t")
    by_type = {e.type: e.evidence[0].modality for e in events}
    assert by_type == {"attack": "claimed", "accusation": "happened"}
