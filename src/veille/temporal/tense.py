"""Which way from the publication date an expression points, read from the tense of its verb.

"La réunion se tiendra mercredi": future, the next Wednesday. "Ils ont annoncé mercredi": past,
the last one. With a spaCy Doc the verb is the one governing the expression in the dependency
parse, else the nearest verb of the sentence; without a Doc, regex cues over the sentence stand in.
Returns "past", "future", "present" or None (nothing to tell).
"""

from __future__ import annotations

import re
from typing import Any

# Verbs whose present tense followed by an infinitive points ahead: "va signer", "doit venir".
_FUTURE_AUXILIARIES = {"aller", "devoir"}
_PERFECT_AUXILIARIES = {"avoir", "être"}
_AHEAD_MARKERS = {"avant", "pour", "afin"}
# Participles of planning: "la réunion est prévue le 16 juillet" points ahead.
_PLANNING_VERBS = {"prévoir", "programmer", "planifier", "attendre", "convoquer"}


# How many infinitives up the tree a tense is looked for ("a voulu pouvoir venir mercredi"); a
# bound, because a parse cut by sentence boundaries set after it can loop.
_INFINITIVE_CHAIN = 6


def _verb_tense(verb: Any, depth: int = 0) -> str | None:
    """The tense of one verb token, taking its auxiliaries and modal head into account."""
    morph = verb.morph
    auxiliaries = [c for c in verb.children if c.dep_.startswith("aux") and c.i < verb.i]
    if verb.lemma_ in _PLANNING_VERBS and morph.get("VerbForm") == ["Part"]:
        return "future"  # "prévue le 16 juillet": a plan, whatever the auxiliary's tense
    if morph.get("VerbForm") == ["Part"] and morph.get("Tense") in (["Past"], []):
        if any(aux.morph.get("Tense") == ["Fut"] for aux in auxiliaries):
            return "future"  # "aura signé"
        return "past"  # "ont annoncé", "a été reçu", or a bare participle
    if morph.get("VerbForm") == ["Inf"]:
        if any(c.dep_ in ("mark", "case") and c.lemma_ in _AHEAD_MARKERS for c in verb.children):
            return "future"  # "avant de quitter ses fonctions le 30 octobre", "pour signer lundi"
        for aux in auxiliaries:
            if aux.lemma_ in _FUTURE_AUXILIARIES:
                return "future"
        head = verb.head
        if head is not verb and head.pos_ in ("VERB", "AUX"):
            if head.lemma_ in _FUTURE_AUXILIARIES or head.morph.get("Mood") == ["Cnd"]:
                return "future"
            return _verb_tense(head, depth + 1) if depth < _INFINITIVE_CHAIN else None
        return None
    if morph.get("Mood") == ["Cnd"]:
        return "future"  # "devrait", "se tiendrait": reported plans
    tense = morph.get("Tense")
    if tense == ["Fut"]:
        return "future"
    if tense in (["Past"], ["Imp"]):
        return "past"
    if tense == ["Pres"]:
        for aux in auxiliaries:
            if aux.lemma_ in _PERFECT_AUXILIARIES:
                return "past"
        return "present"
    return None


def _governing_verb(doc: Any, start: int, end: int) -> Any:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    seen = 0
    while seen < 12:
        if token.pos_ in ("VERB", "AUX") and not (start <= token.idx < end):
            return token
        if token.head is token:
            break
        token = token.head
        seen += 1
    # The root is no verb ("Réunion mercredi à Paris."): the nearest verb of the sentence.
    sentence = span.sent
    verbs = [t for t in sentence if t.pos_ in ("VERB", "AUX") and not (start <= t.idx < end)]
    if not verbs:
        return None
    return min(verbs, key=lambda t: abs(t.i - span.start))


def tense_from_doc(doc: Any, start: int, end: int) -> str | None:
    verb = _governing_verb(doc, start, end)
    if verb is None:
        return None
    if (
        verb.pos_ == "AUX"
        and verb.head is not verb
        and verb.head.pos_ == "VERB"
        and verb.dep_.startswith("aux")
    ):
        verb = verb.head
    return _verb_tense(verb)


_PAST = re.compile(
    r"\b(?:ai|as|a|avons|avez|ont|avait|avaient|est|sont|était|étaient|fut|furent)\s+"
    r"(?:(?:été|pas|déjà|aussi|bien|ensuite|notamment)\s+)*(?!prévu|programmé|attendu)"
    r"\w+(?:é|ée|és|ées|i|is|it|u|us|ue|ert|erte|aint)\b"
    r"|\b\w+(?:ait|aient)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b\w+(?:er|ir|r)(?:ai|as|a|ons|ez|ont)\b|\b(?:va|vont|allons|allez|doit|doivent|devrait|devraient)\s+\w+"
    r"|\b\w+(?:rait|raient)\b|\bprévue?s?\b|\bprogrammée?s?\b|\bdevra\b|\bsera\b|\bseront\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def tense_from_text(text: str, start: int, end: int) -> str | None:
    """The nearest past or future cue in the expression's sentence; None when there is none."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    best: tuple[int, str] | None = None
    for pattern, tense in ((_PAST, "past"), (_FUTURE, "future")):
        for m in pattern.finditer(text, left, right):
            if start <= m.start() < end:
                continue
            distance = start - m.end() if m.end() <= start else m.start() - end
            if best is None or distance < best[0]:
                best = (distance, tense)
    return best[1] if best else None


def tense_of(text: str, start: int, end: int, doc: Any = None) -> str | None:
    """The direction of the expression `text[start:end]`: past, future, present or None."""
    if doc is not None:
        return tense_from_doc(doc, start, end)
    return tense_from_text(text, start, end)
