"""Event triggers: the verbs and nouns of the lexicon, found in a parsed Doc.

A trigger is one token (a qualified noun also spans its qualifier: "conseil de guerre"). Verbs are
told by their lemma or their written form, because the tagger mistags some ("visitera" as `X`);
a word that is both a noun and a verb form ("attaque", "frappe", "appel") is a noun after a
determiner or when tagged NOUN. Words inside an organisation's or a work's name ("Conseil de
sécurité", "Marche des fiertés" tagged MISC) are part of a name, not an event, and are left out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from veille.events.lexicon import (
    DETERMINERS,
    MULTIWORD,
    QUALIFIED_NOUNS,
    REFLEXIVES,
    SIGNED_THINGS,
    VERBS_WITH_PREPOSITION,
    noun_types,
    verb_forms,
    verb_types,
)

_CLAUSE_BREAKS = frozenset({".", "!", "?", ";", ":", "\n"})
# Tokens that may sit between a verb and the preposition that makes it a trigger: the object
# ("appelé Moscou à"), quotation marks, adverbs.
_PREPOSITION_WINDOW = 6


@dataclass(slots=True, frozen=True)
class Trigger:
    type: str
    i: int  # the token that carries the trigger (the verb or the head noun)
    start: int  # character span of the trigger as written
    end: int
    text: str
    noun: bool


def _previous_word(doc: Any, i: int) -> Any | None:
    k = i - 1
    while k >= 0 and (doc[k].is_space or doc[k].text in {"«", "“", '"'}):
        k -= 1
    return doc[k] if k >= 0 else None


def _has_preposition_after(doc: Any, i: int, prepositions: frozenset[str]) -> bool:
    for token in doc[i + 1 : min(len(doc), i + 1 + _PREPOSITION_WINDOW)]:
        if token.text in _CLAUSE_BREAKS or token.is_sent_start:
            return False
        if token.pos_ in {"VERB", "AUX"} and "Inf" not in token.morph.get("VerbForm"):
            return False  # "un homme appelé Jean habite à Lyon": the "à" is another verb's
        if token.text.lower() in prepositions:
            return True
    return False


def _is_reflexive(doc: Any, i: int) -> bool:
    window = doc[max(0, i - 3) : i]
    return any(t.text.lower() in REFLEXIVES for t in window)


def _qualifier_end(doc: Any, i: int, qualifiers: frozenset[str]) -> int | None:
    """The index one past the qualifier of "conseil de guerre", "conférence de presse", else None."""
    for k in range(i + 1, min(len(doc), i + 4)):
        word = doc[k].text.lower()
        if word in qualifiers:
            return k + 1
        if doc[k].pos_ not in {"ADP", "DET", "PUNCT"}:
            return None
    return None


def _verb_trigger(token: Any) -> str | None:
    """The event type of a verb token, or None."""
    word, lemma = token.text.lower().replace("’", "'"), token.lemma_.lower()
    doc = token.doc
    for candidate in (lemma, verb_forms().get(word, "")):
        if candidate in VERBS_WITH_PREPOSITION:
            kind, prepositions, reflexive = VERBS_WITH_PREPOSITION[candidate]
            if reflexive and not _is_reflexive(doc, token.i):
                return None
            return kind if _has_preposition_after(doc, token.i, prepositions) else None
        found = verb_types().get(candidate)
        if found is None:
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if candidate == "arrêter" and following is not None and following.text.lower() in {"de", "d'", "d’"}:
            return None  # "arrêter de frapper": stopping, not an arrest
        if candidate in {"signer", "ratifier"} and not _signs_an_agreement(token):
            return None
        if candidate == "tuer" and _passive_without_agent(token):
            return "death"  # "trois soldats ont été tués": no attacker told, a death
        return found
    return None


def _passive_without_agent(token: Any) -> bool:
    doc = token.doc
    before = {t.text.lower() for t in doc[max(0, token.i - 2) : token.i]}
    passive = any(c.dep_ == "aux:pass" for c in token.children) or bool(before & {"été", "est", "sont"})
    after = {t.text.lower() for t in doc[token.i + 1 : token.i + 5]}
    return passive and "par" not in after


def _signs_an_agreement(token: Any) -> bool:
    """An agreement noun right after the verb or as its (passive) subject."""
    doc = token.doc
    after = [t.text.lower() for t in doc[token.i + 1 : token.i + 5]]
    subjects = [c.text.lower() for c in token.children if c.dep_ in {"nsubj:pass", "obj"}]
    return bool(SIGNED_THINGS & {*after, *subjects})


# Fixed expressions by their first word: most tokens start none, and are ruled out by one lookup
# (trying every expression at every token was a tenth of the whole pipeline's time).
_MULTIWORD_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _kind in MULTIWORD.items():
    _MULTIWORD_BY_FIRST.setdefault(_words[0], []).append((_words, _kind))


def _multiword_at(doc: Any, i: int) -> tuple[str, int] | None:
    """(type, end) of a fixed expression starting at token `i` ("garde à vue"), else None."""
    for words, kind in _MULTIWORD_BY_FIRST.get(doc[i].text.lower(), ()):
        end = i + len(words)
        if end <= len(doc) and tuple(t.text.lower() for t in doc[i:end]) == words:
            return kind, end
    return None


def _name_test(named: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a character offset falls inside one of the `named` spans, by bisection: a token
    checked against every span of a long article was a tenth of the trigger search."""
    spans = sorted(named)
    starts = [start for start, _ in spans]
    reach: list[int] = []  # the furthest end among the spans starting at or before each one
    for _, end in spans:
        reach.append(max(end, reach[-1]) if reach else end)

    def inside(offset: int) -> bool:
        k = bisect_right(starts, offset) - 1
        return k >= 0 and offset < reach[k]

    return inside


def find_triggers(doc: Any, named_spans: list[tuple[int, int]] | None = None) -> list[Trigger]:
    """Every trigger of a parsed Doc, in text order. `named_spans` are character spans of
    organisation and work names, inside which a word is part of a name, not an event."""
    in_name = _name_test(named_spans or [])
    text_of = doc.text  # Doc.text joins every token: once, not per trigger
    found: list[Trigger] = []
    nouns = noun_types()
    covered = -1  # the last token of a fixed expression already taken
    for token in doc:
        if token.i <= covered or token.is_space or token.is_punct or in_name(token.idx):
            continue
        fixed = _multiword_at(doc, token.i)
        if fixed is not None:
            kind, end = fixed
            covered = end - 1
            text = text_of[token.idx : doc[end - 1].idx + len(doc[end - 1].text)]
            noun = token.pos_ not in {"VERB", "AUX"}
            found.append(Trigger(kind, token.i, token.idx, token.idx + len(text), text, noun))
            continue
        word = token.text.lower()
        previous = _previous_word(doc, token.i)
        after_determiner = previous is not None and previous.text.lower() in DETERMINERS
        noun_kind = (nouns.get(word) or nouns.get(token.lemma_.lower())) if token.pos_ != "VERB" else None
        if noun_kind is not None and (token.pos_ in {"NOUN", "PROPN"} or after_determiner):
            end = token.i + 1
            lemma = token.lemma_.lower() if token.lemma_.lower() in QUALIFIED_NOUNS else word.rstrip("s")
            if lemma in QUALIFIED_NOUNS:
                qualified = _qualifier_end(doc, token.i, QUALIFIED_NOUNS[lemma])
                if qualified is None:
                    continue
                end = qualified
            if word in {"mort", "morte"} and not after_determiner:
                noun_kind = None  # "il est mort": the participle, read as a verb below
            else:
                last = doc[end - 1]
                text = text_of[token.idx : last.idx + len(last.text)]
                found.append(Trigger(noun_kind, token.i, token.idx, token.idx + len(text), text, True))
                continue
        if after_determiner and token.pos_ in {"NOUN", "ADJ"}:
            continue  # "un arrêté", "le défilé": a noun that shares a verb's form
        verb_kind = _verb_trigger(token)
        if verb_kind is not None:
            found.append(
                Trigger(verb_kind, token.i, token.idx, token.idx + len(token.text), token.text, False)
            )
    return found
