"""Modality of one trigger: planned, happened, negated or claimed.

Read in this order, the first that applies wins:

1. claimed — the trigger lies inside a quotation or an indirect-speech content of
   `article.quotes` (the trigger that is itself the quote's cue is the speech act, not claimed),
   or its sentence opens on "selon X" / "d'après X", or its verb is in the conditional past
   ("aurait frappé": the press's hedge);
2. negated — "ne … pas/jamais" on the verb or its auxiliaries ("n'a pas eu lieu");
3. planned — a future verb ("se tiendra", "visitera"), an auxiliary of intention or schedule
   ("va", "doit", "devrait" + infinitive), a schedule word on the trigger or its verb ("prévu",
   "attendu", "prochain"), or a date after the publication date;
4. happened — everything else (past tenses, and the present of news reporting).

A noun trigger reads the verb that carries it ("une réunion se tiendra", "la visite n'a pas eu
lieu"). spaCy's morphology (Tense, Mood, VerbForm) is read first; the written form backs it up for
verbs the tagger missed ("visitera" tagged X).
"""

from __future__ import annotations

from typing import Any

from veille.events.lexicon import NEGATIONS, PLANNED_AUXILIARIES, PLANNED_WORDS, REPORTED_PREPOSITIONS
from veille.events.triggers import Trigger
from veille.events.view import EventView

PLANNED, HAPPENED, NEGATED, CLAIMED = "planned", "happened", "negated", "claimed"
_FUTURE_ENDINGS = ("era", "eront", "ira", "iront", "dra", "dront", "ra", "ront")
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "parataxis"})


def _verb_of(view: EventView, trigger: Trigger) -> Any:
    """The verb whose tense tells the trigger's: itself, or the verb that carries a noun."""
    token = view.doc[trigger.i]
    if not trigger.noun:
        return token
    current = token
    for _ in range(4):
        if current.pos_ in {"VERB", "AUX"} or current.head.i == current.i:
            return current
        current = current.head
    return current


def _chain(verb: Any) -> list[Any]:
    """The verb, its auxiliaries and what modifies it directly (negation, schedule words)."""
    found = [verb]
    found += [c for c in verb.children if c.dep_.startswith(("aux", "advmod", "cop", "expl", "xcomp"))]
    if verb.dep_ in {"xcomp", "conj"} and verb.head.i != verb.i:
        head = verb.head
        found += [head, *[c for c in head.children if c.dep_.startswith(("aux", "advmod", "cop"))]]
    return found


def _is_future(token: Any) -> bool:
    if "Fut" in token.morph.get("Tense"):
        return True
    if token.pos_ in {"VERB", "AUX"} and token.morph.get("Tense"):
        return False
    return token.text.lower().endswith(_FUTURE_ENDINGS) and token.pos_ in {"X", "NOUN", "ADJ", "VERB"}


def _quoted(view: EventView, trigger: Trigger) -> bool:
    quote = view.in_quote(trigger.start)
    if quote is None:
        return False
    return not (
        quote.cue_start is not None
        and quote.cue_end is not None
        and quote.cue_start <= trigger.start < quote.cue_end
    )


def _reported(view: EventView, trigger: Trigger) -> bool:
    first, _ = view.sentence_bounds(trigger.i)
    words = [t.text.lower() for t in view.doc[first : first + 3]]
    return any(list(pattern) == words[: len(pattern)] for pattern in REPORTED_PREPOSITIONS)


def _conditional_past(chain: list[Any]) -> bool:
    return any("Cnd" in t.morph.get("Mood") and t.lemma_ in {"avoir", "être"} for t in chain)


_AWAITING = (("en", "vue", "du"), ("en", "vue", "de"), ("en", "vue", "des"), ("avant", "le"), ("avant", "la"))


def _awaited(view: EventView, trigger: Trigger) -> bool:
    """ "en vue du scrutin", "avant la réunion": a noun the sentence looks forward to."""
    before = tuple(t.text.lower() for t in view.doc[max(0, trigger.i - 3) : trigger.i])
    return any(before[-len(words) :] == words for words in _AWAITING)


def find_modality(view: EventView, trigger: Trigger, date: str | None = None) -> str:
    """The modality of one trigger (see the module docstring)."""
    verb = _verb_of(view, trigger)
    chain = _chain(verb)
    if _quoted(view, trigger) or _reported(view, trigger) or _conditional_past(chain):
        return CLAIMED
    words = {t.text.lower() for t in chain}
    # Negation is read on the verb's own auxiliaries and adverbs ("n'hésitait pas à se confier"
    # does not negate the confiding), and a noun shares it only as the subject ("la réunion n'a
    # pas eu lieu"), not as an oblique or an object ("ne pas suivre les appels").
    own = {t.text.lower() for t in chain if verb.i in {t.i, t.head.i}}
    carried = not trigger.noun or view.doc[trigger.i].dep_ in {"nsubj", "nsubj:pass"}
    if carried and own & NEGATIONS and own & {"pas", "jamais", "plus"}:
        return NEGATED
    if any(_is_future(t) for t in chain) or words & PLANNED_AUXILIARIES:
        return PLANNED
    near = {t.text.lower() for t in view.doc[trigger.i : min(len(view.doc), trigger.i + 4)]}
    if (words | near) & PLANNED_WORDS or (trigger.noun and _awaited(view, trigger)):
        return PLANNED
    if date and view.published and date[:4].isdigit() and len(date) >= 10 and date[:10] > view.published[:10]:
        return PLANNED
    return HAPPENED
