"""What the event rules read about one article: text, Doc, mentions, entities, quotes, timexes.

`EventView` answers the geometric questions the rules ask (which token is at a character, which
mention covers a token, what precedes a mention, where a sentence starts and ends) and builds
`EventArgument`s with the entity's canonical name. Sentences are read from the text between full
stops and paragraph breaks, as in the quotes package, because the parser cuts them oddly.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from veille.events.lexicon import DETERMINERS, PARTICIPANT_NOUNS
from veille.model import Entity, EventArgument, Mention, Quote, Timex

_SENTENCE_END = frozenset({".", "!", "?", "…"})
_QUOTE_MARKS = frozenset({"«", "»", "“", "”", '"'})
ACTOR_LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})


@dataclass(slots=True)
class EventView:
    text: str
    doc: Any
    mentions: list[Mention]
    entities: dict[str, Entity] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    published: str | None = None
    _starts: list[int] = field(default_factory=list)
    _bounds: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Straight from the Doc's array: building a Token per word was most of this view's set-up.
        self._starts = self.doc.to_array("IDX").tolist() if len(self.doc) else []
        self.mentions = sorted(self.mentions, key=lambda m: (m.start, m.end))

    # --- tokens and sentences -------------------------------------------------------------

    def token_at(self, char: int) -> Any:
        return self.doc[max(0, bisect_right(self._starts, char) - 1)]

    def sentence_bounds(self, i: int) -> tuple[int, int]:
        """Token range [first, last) of the sentence holding token `i`, read from the text: it
        starts after a sentence end or a token holding a line break, and stops after a sentence end
        or before a line break. Worked out for every token at the first call (asked per token, the
        walk was a fifth of the events stage)."""
        if not self._bounds:
            texts = [t.text for t in self.doc]
            n = len(texts)
            firsts = [0] * n
            for k in range(1, n):
                stop = texts[k - 1] in _SENTENCE_END or "\n" in texts[k - 1]
                firsts[k] = k if stop else firsts[k - 1]
            # ends[j]: the first j' >= j where the sentence must stop (j' = n at the latest).
            ends = [n] * (n + 1)
            for j in range(n - 1, 0, -1):
                goes_on = texts[j - 1] not in _SENTENCE_END and "\n" not in texts[j]
                ends[j] = ends[j + 1] if goes_on else j
            self._bounds = [(firsts[k], ends[k + 1]) for k in range(n)]
        return self._bounds[i]

    def sentence_chars(self, i: int) -> tuple[int, int]:
        first, last = self.sentence_bounds(i)
        end_token = self.doc[last - 1]
        return self.doc[first].idx, end_token.idx + len(end_token.text)

    def word_before(self, i: int) -> Any | None:
        """The word before token `i`, skipping determiners, quotation marks and spaces."""
        k = i - 1
        while k >= 0 and (
            self.doc[k].is_space
            or self.doc[k].text in _QUOTE_MARKS
            or self.doc[k].text.lower() in DETERMINERS
        ):
            if self.doc[k].text.lower() in {"de", "d'", "d’", "du", "des"} and self.doc[k].pos_ == "ADP":
                return self.doc[k]
            k -= 1
        return self.doc[k] if k >= 0 else None

    def determiner_before(self, i: int) -> str | None:
        """The word right before token `i` (quotation marks skipped), lower-cased."""
        k = i - 1
        while k >= 0 and (self.doc[k].is_space or self.doc[k].text in _QUOTE_MARKS):
            k -= 1
        return self.doc[k].text.lower() if k >= 0 else None

    def in_quote(self, char: int) -> Quote | None:
        for quote in self.quotes:
            if quote.start <= char < quote.end:
                return quote
        return None

    # --- mentions -------------------------------------------------------------------------

    def mention_tokens(self, mention: Mention) -> tuple[int, int]:
        first = self.token_at(mention.start).i
        last = self.token_at(max(mention.start, mention.end - 1)).i
        return first, last + 1

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def mentions_of_tokens(self, indices: set[int]) -> list[Mention]:
        return [m for m in self.mentions if self.token_at(m.start).i in indices]

    def preposition_before(self, mention: Mention) -> str | None:
        before = self.word_before(self.token_at(mention.start).i)
        if before is None:
            return None
        if before.pos_ not in {"ADP", "ADV"} and before.text.lower() not in {"au", "aux", "sans"}:
            return None
        word: str = before.text.lower()
        if word == "après" and before.i > 0 and self.doc[before.i - 1].text.lower() in {"d'", "d’"}:
            return "d'après"
        return word

    def is_participant_adjective(self, mention: Mention) -> bool:
        """ "ses homologues russes", "le ministre de la défense australien": a country adjective
        that qualifies a person or a delegation names a participant; "les forces irakiennes" no."""
        i = self.token_at(mention.start).i
        head = self.doc[i].head
        if head.text.lower() in PARTICIPANT_NOUNS:
            return True
        window = self.doc[max(0, i - 4) : i]
        return any(t.text.lower() in PARTICIPANT_NOUNS for t in window)

    def entity(self, mention: Mention) -> Entity | None:
        return self.entities.get(mention.entity_id) if mention.entity_id else None

    def argument(self, mention: Mention, role: str) -> EventArgument:
        entity = self.entity(mention)
        return EventArgument(
            role=role,
            name=entity.name if entity is not None else mention.text,
            entity_id=mention.entity_id,
            start=mention.start,
            end=mention.end,
        )

    def person_countries(self, mention: Mention) -> list[EventArgument]:
        """The countries a person mention's roles name, as attendees (a minister stands for a state)."""
        entity = self.entity(mention)
        if entity is None or entity.label != "PER":
            return []
        found: dict[str, EventArgument] = {}
        for role in entity.roles:
            if role.country and role.country_entity_id:
                found.setdefault(
                    role.country_entity_id,
                    EventArgument(
                        "attendee", role.country, role.country_entity_id, mention.start, mention.end
                    ),
                )
        return list(found.values())
