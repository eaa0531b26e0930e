"""One article's events: triggers read into events, merged within the article, weak ones dropped.

Within one article, a trigger joins an earlier event of the same type when
- it is in the same sentence ("une réunion se tiendra … réunissant les ministres"), or
- it is a noun with a definite, demonstrative or possessive determiner ("la réunion", "leur
  réunion", "cette visite"): it refers back to the latest event of that type, if the dates and
  places agree; an indefinite one ("des réunions bilatérales") is a new event, or
- the cross-article rule (`coref.same_event`) says they are one.

A statement told in an incise ("«…», a déclaré X", "«…», explique-t-elle") only attributes the
quoted words, which the quotes stage keeps; it is no event of its own (docs/events_guidelines.md).

A trigger with no participant, no place and no date says nothing checkable ("3 heures de
réunion sont prévues") and is dropped unless `keep_bare` asks for recall (docs/events.md gives
the figures of both choices); a statement without an agent is always dropped (who said it is the
event).
"""

from __future__ import annotations

from veille.events.anchors import find_date, find_place
from veille.events.arguments import ArgumentReader, subject_tokens
from veille.events.coref import dates_compatible, event_id, merge, places_compatible, same_event
from veille.events.lexicon import cameo_for
from veille.events.modality import find_modality
from veille.events.triggers import Trigger, find_triggers
from veille.events.view import EventView
from veille.model import Event, EventEvidence
from veille.quotes.cues import table

ANAPHORIC_DETERMINERS = table("le la l' l’ les du au aux ce cet cette ces son sa ses leur leurs")
POSSESSIVES = table("son sa ses leur leurs")
_STEM = 5  # "réunion" / "réuni", "visite" / "visitera", "attaque" / "attaquer" share five letters
# Types whose agent is what makes the report worth keeping.
_NEEDS_AGENT = frozenset({"statement"})


def _draft(view: EventView, reader: ArgumentReader, trigger: Trigger, article_id: str) -> Event:
    date = find_date(view, trigger)
    modality = find_modality(view, trigger, date)
    return Event(
        id="",
        type=trigger.type,
        cameo=cameo_for(trigger.type, trigger.text),
        trigger=trigger.text,
        participants=reader.participants(trigger),
        location=find_place(view, trigger),
        date=date,
        evidence=[EventEvidence(article_id, trigger.start, trigger.end, modality)],
    )


_INVERTED_PRONOUNS = table("-il -elle -on -ils -elles -t-il -t-elle -t-on t-il t-elle t-on")
_CLOSING_MARKS = frozenset({"»", "”", '"'})
_INCISE_SKIP = table("a ont avait avaient -t t")


def is_incise(view: EventView, trigger: Trigger) -> bool:
    """A speech verb that attributes a quotation placed before it, or an inverted incise."""
    if trigger.noun:
        return False
    for quote in view.quotes:
        if quote.kind == "indirect" or quote.cue_start is None or quote.cue_end is None:
            continue
        if quote.cue_start <= trigger.start < quote.cue_end and quote.cue_start >= quote.start:
            return True
    doc = view.doc
    following = doc[trigger.i + 1] if trigger.i + 1 < len(doc) else None
    if following is not None and following.text.lower() in _INVERTED_PRONOUNS:
        return True
    k = trigger.i - 1
    while k >= 0 and (doc[k].is_space or doc[k].text.lower() in _INCISE_SKIP or doc[k].pos_ == "ADV"):
        k -= 1
    after_comma = k >= 0 and doc[k].text == ","
    if after_comma:
        k -= 1
    if k >= 0 and doc[k].text in _CLOSING_MARKS:
        return True
    if k >= 1 and doc[k - 1].text.lower() == "comme" and doc[k].text.lower() in {"l'", "l’", "le"}:
        return True  # "comme l'indique LCI"
    subject = subject_tokens(doc[trigger.i])
    subject_first = subject is not None and any(h.i < trigger.i for h in subject[0])
    if after_comma and not subject_first and view.in_quote(doc[trigger.i].idx) is None:
        # ", rapporte RTL." / ", a indiqué Le Parisien.": a source named after the verb, closing
        # the sentence, attributes what came before it.
        _, last = view.sentence_bounds(trigger.i)
        rest = {t.text.lower() for t in doc[trigger.i + 1 : last]}
        return not rest & {"que", "qu'", "qu’", ":", "«", '"'}
    return False


def _anaphoric(view: EventView, trigger: Trigger) -> bool:
    if not trigger.noun:
        return False
    return view.determiner_before(trigger.i) in ANAPHORIC_DETERMINERS


def _repeats(view: EventView, previous: Event, trigger: Trigger, *, exact: bool = False) -> bool:
    """The trigger repeats a word of the earlier event ("la réunion" after "se réunir")."""
    said = [view.text[e.start : e.end].casefold() for e in previous.evidence]
    if exact:
        return trigger.text.casefold() in said
    return any(s.startswith(trigger.text.casefold()[:_STEM]) for s in said)


def _actors(event: Event) -> set[str]:
    """Who takes part, by entity id, else by name (the spaCy component has no ids)."""
    return {p.entity_id or p.name.casefold() for p in event.participants if p.role != "absent"}


def _joins(view: EventView, earlier: tuple[Trigger, Event], trigger: Trigger, event: Event) -> bool:
    previous_trigger, previous = earlier
    if previous.type != event.type:
        return False
    if view.sentence_bounds(previous_trigger.i) == view.sentence_bounds(trigger.i):
        return True
    possessive = view.determiner_before(trigger.i) in POSSESSIVES
    if _anaphoric(view, trigger) and (possessive or _repeats(view, previous, trigger)):
        keys, previous_keys = _actors(event), _actors(previous)
        if not possessive and keys and previous_keys and not keys & previous_keys:
            return False  # "la mort de X … la mort de Y": the same word, another event
        compatible_place = places_compatible(previous.location, event.location)
        return dates_compatible(previous.date, event.date) and compatible_place
    return same_event(previous, event)


def merge_within(view: EventView, drafts: list[tuple[Trigger, Event]]) -> list[Event]:
    """Drafts of one article, merged by the rules of the module docstring, in text order. Of two
    earlier events a trigger may join, the one that used the very same word wins, else the latest."""
    groups: list[tuple[Trigger, Event]] = []
    for trigger, event in drafts:
        joinable = [
            k
            for k in reversed(range(len(groups)))
            if groups[k][1].type == event.type and _joins(view, groups[k], trigger, event)
        ]
        exact = [k for k in joinable if _repeats(view, groups[k][1], trigger, exact=True)]
        chosen = exact or joinable
        if not chosen:
            groups.append((trigger, event))
        else:
            target = chosen[0]
            groups[target] = (trigger, merge(groups[target][1], event))
    return [event for _, event in groups]


def is_weak(event: Event, *, keep_bare: bool = False) -> bool:
    """A statement nobody made; or, unless `keep_bare`, nothing checkable: no participant, no
    place and no date."""
    if event.type in _NEEDS_AGENT and not any(p.role == "agent" for p in event.participants):
        return True
    return not keep_bare and not event.participants and event.location is None and event.date is None


def find_in_view(view: EventView, article_id: str, *, keep_bare: bool = False) -> list[Event]:
    """The events of one analysed text, with content-derived ids, in text order. `keep_bare`
    keeps events with no participant, place or date too (recall over precision)."""
    named = [(m.start, m.end) for m in view.mentions if m.label in {"ORG", "MISC"}]
    reader = ArgumentReader(view)
    triggers = [
        t for t in find_triggers(view.doc, named) if not (t.type == "statement" and is_incise(view, t))
    ]
    drafts = [(t, _draft(view, reader, t, article_id)) for t in triggers]
    events = [e for e in merge_within(view, drafts) if not is_weak(e, keep_bare=keep_bare)]
    for event in events:
        event.id = event_id(event)
    return events
