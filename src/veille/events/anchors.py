"""Where and when: the place and the date of one trigger.

Place: a LOC mention after "à/au/aux/en/dans" in the trigger's sentence, attached to the trigger
(or to the verb that carries a trigger noun) or within a few words of it; a city or a facility
beats a country when both are found ("à Paris, en France"). "dans la capitale française" /
"la capitale de la Russie" is the country's capital, read from the knowledge base. A capital
that stood for its government ("Paris a annoncé") is resolved back to the city when it is a place.

Date: the value of a time expression of the trigger's sentence; one attached to the trigger in
the parse beats a nearer one, and among those the most precise wins ("cette semaine … mercredi"
→ the day). Durations and sets are not dates, nor is a value with fewer than four known digits
("XXXX-WXX-1", a Monday of no known week): it could not tie two reports together.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from veille.events.lexicon import PLACE_PREPOSITIONS
from veille.events.triggers import Trigger
from veille.events.view import EventView
from veille.model import EventArgument, Mention

_NEAR = 5  # tokens: a place or a date this close to the trigger belongs to it
_PLACE_RANK = {"facility": 0, "city": 1, "region": 2, "country": 3}
_CAPITAL_NOUNS = frozenset({"capitale"})


@cache
def _kb() -> Any:
    from veille.entities.kb import KnowledgeBase

    return KnowledgeBase.builtin()


def _city(name: str) -> EventArgument | None:
    """The city of the knowledge base named `name`, as an argument with its entity id."""
    from veille.entities.names import entity_id

    for entry in _kb().lookup(name, "LOC"):
        if entry.type == "city":
            return EventArgument("place", entry.name, entity_id("kb", entry.id))
    return None


def _capital_of(country: str) -> EventArgument | None:
    for entry in _kb().lookup(country, "LOC"):
        if entry.type == "country" and entry.capital:
            return _city(entry.capital)
    return None


_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "acl:relcl", "parataxis", "csubj"})


def _governs(view: EventView, token: Any, anchors: set[int], steps: int = 3) -> bool:
    """Whether one of `anchors` is among the token's next heads, within its own clause."""
    current = token
    for _ in range(steps):
        if current.head.i == current.i or (current.i != token.i and current.dep_ in _CLAUSE_DEPS):
            return False
        current = current.head
        if current.i in anchors:
            return True
    return False


def _anchors(view: EventView, trigger: Trigger) -> set[int]:
    """The trigger and, for a noun, the verb that carries it ("une réunion se tiendra à Paris")."""
    token = view.doc[trigger.i]
    found = {trigger.i}
    if (trigger.noun or token.dep_ == "xcomp") and token.head.i != token.i:
        found.add(token.head.i)  # "était parti rencontrer … début janvier"
    return found


def _near(view: EventView, token: Any, trigger: Trigger) -> bool:
    """A few words from the trigger with no other verb between them."""
    first, last = sorted((token.i, trigger.i))
    if last - first > _NEAR:
        return False
    between = view.doc[first + 1 : last]
    return not any(t.pos_ in {"VERB", "AUX"} for t in between)


def _place_type(view: EventView, mention: Mention) -> str | None:
    entity = view.entity(mention)
    if entity is not None and entity.type:
        return entity.type
    return "city" if _city(mention.text) is not None else None


def find_place(view: EventView, trigger: Trigger) -> EventArgument | None:
    """The place of one trigger, or None."""
    doc = view.doc
    first, last = view.sentence_bounds(trigger.i)
    anchors = _anchors(view, trigger)
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    candidates: list[tuple[int, int, EventArgument]] = []
    for mention in view.mentions_between(start, end):
        token = view.token_at(mention.start)
        distance = abs(token.i - trigger.i)
        if not (_governs(view, token, anchors) or _near(view, token, trigger)):
            continue
        if view.in_quote(mention.start) is not view.in_quote(trigger.start):
            continue
        argument = _place_argument(view, mention)
        if argument is None:
            continue
        rank = _PLACE_RANK.get(_place_type(view, mention) or "", 4)
        candidates.append((rank, distance, argument))
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


def _capital_noun(view: EventView, mention: Mention) -> Any | None:
    """The "capitale" of "la capitale française" / "la capitale de la France", else None."""
    first, _ = view.mention_tokens(mention)
    token = view.doc[first]
    if mention.kind == "adjective":
        noun = token.head if token.head.i < first else view.word_before(first)
    else:
        of = view.word_before(first)
        noun = (
            view.word_before(of.i) if of is not None and of.text.lower() in {"de", "d'", "d’", "du"} else None
        )
    return noun if noun is not None and noun.text.lower() in _CAPITAL_NOUNS else None


def _place_argument(view: EventView, mention: Mention) -> EventArgument | None:
    """A place argument for a mention that is a place here: "à Paris", "dans la capitale française"."""
    if mention.label != "LOC":
        return None
    capital = _capital_noun(view, mention)
    if capital is not None:
        introducer = view.word_before(capital.i)
        if introducer is None or introducer.text.lower() not in PLACE_PREPOSITIONS:
            return None
        entity = view.entity(mention)
        return _capital_of(entity.name if entity is not None else mention.text)
    if mention.kind == "adjective" or view.preposition_before(mention) not in PLACE_PREPOSITIONS:
        return None
    if mention.kind == "metonym":
        return _city(mention.text)
    return view.argument(mention, "place")


# --- date -------------------------------------------------------------------------------------


def precision(value: str) -> int:
    """How much of a TIMEX3 value is known: the count of its digits (X placeholders do not count)."""
    return sum(c.isdigit() for c in value)


def find_date(view: EventView, trigger: Trigger) -> str | None:
    """The TIMEX3 value of the date of one trigger, or None."""
    if not view.timexes:
        return None
    start, end = view.sentence_chars(trigger.i)
    anchors = _anchors(view, trigger)
    candidates: list[tuple[int, int, int, str]] = []
    for timex in view.timexes:
        if timex.value is None or timex.type not in {"DATE", "TIME"} or precision(timex.value) < 4:
            continue
        if not (start <= timex.start and timex.end <= end):
            continue
        first = view.token_at(timex.start).i
        tokens = [view.doc[k] for k in range(first, view.token_at(max(timex.start, timex.end - 1)).i + 1)]
        attached = any(t.i in anchors or _governs(view, t, anchors) for t in tokens)
        if not attached and not _same_clause(view, tokens[0], trigger):
            continue  # "X reproche à Y d'avoir pris la défense de Z le 25 mars": Z's date
        distance = min(abs(t.i - trigger.i) for t in tokens)
        rank = (0, -precision(timex.value), distance) if attached else (1, distance, -precision(timex.value))
        candidates.append((*rank, timex.value))
    if not candidates:
        return None
    return day_of(min(candidates)[3])


def day_of(value: str) -> str:
    """A TIMEX3 value without its time of day ("2016-01-20TAF" → "2016-01-20"): events are dated
    to the day, the precision at which two reports of one event agree."""
    return value.split("T", 1)[0] if len(value) > 10 and value[10] == "T" else value


def _same_clause(view: EventView, token: Any, trigger: Trigger) -> bool:
    """No other verb stands between the two tokens."""
    first, last = sorted((token.i, trigger.i))
    return not any(t.pos_ in {"VERB", "AUX"} for t in view.doc[first + 1 : last])
