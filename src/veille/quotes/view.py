"""What attribution reads about one article, with the indexes that keep each lookup short.

`ArticleView` holds the text, its Doc, its mentions, entities and quoted spans. The finder asks it,
for every quotation, whether a character is quoted, which mentions lie in a span, who was named
before; scanning the whole article for each question made the quotes stage quadratic on long
articles (issue 11), so the answers come from sorted lists and bisection instead.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class MentionRef:
    start: int
    end: int
    label: str
    entity_id: str | None = None


@dataclass(slots=True)
class EntityRef:
    id: str
    name: str
    label: str
    role_titles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Speaker:
    text: str
    start: int
    end: int
    kind: str | None = None  # person | organisation | anonymous | collective | None (unknown)
    entity_id: str | None = None
    name: str | None = None


@dataclass
class ArticleView:
    """What attribution reads: the text, its Doc, its mentions and entities, the quoted spans."""

    text: str
    doc: Any
    mentions: list[MentionRef]
    entities: dict[str, EntityRef]
    quoted: list[tuple[int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    genders: dict[str, str | None] = field(default_factory=dict)  # entity id (or name) → gender
    # The persons already given a quote, by entity id (or name as written): "il" after a quote
    # most often goes on with the same speaker.
    speakers: set[str] = field(default_factory=set)
    # The last group (organisation or collective) given a quote, for a later "poursuivent-ils",
    # and the last person, for a later "poursuit-il" when that person has no name.
    last_group: Speaker | None = None
    last_person: Speaker | None = None

    # Indexes built once, so that each lookup costs O(log n) instead of a scan of the whole
    # article: a scan per quote made the stage quadratic on long articles (issue 11). They assume
    # that `mentions` and `quoted` are not changed after the view is built.
    _mention_starts: list[int] = field(default_factory=list, init=False)
    _quote_starts: list[int] = field(default_factory=list, init=False)
    _quote_reach: list[int] = field(default_factory=list, init=False)  # furthest end so far
    _quote_end_at: dict[int, int] = field(default_factory=dict, init=False)
    people: list[MentionRef] = field(default_factory=list, init=False)  # PER outside quotations
    people_starts: list[int] = field(default_factory=list, init=False)
    memo: dict[Any, Any] = field(default_factory=dict, init=False)  # other indexes (coref.py)

    def __post_init__(self) -> None:
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [t.idx for t in self.doc]
        self._mention_starts = [m.start for m in self.mentions]
        reach = -1
        for s, e in sorted(self.quoted):
            reach = max(reach, e)
            self._quote_starts.append(s)
            self._quote_reach.append(reach)
        for s, e in self.quoted:
            self._quote_end_at.setdefault(s, e)
        self.people = [m for m in self.mentions if m.label == "PER" and not self.in_quote(m.start)]
        self.people_starts = [m.start for m in self.people]

    def token_at(self, char: int) -> Any:
        return self.doc[max(0, bisect_right(self._starts, char) - 1)]

    def in_quote(self, char: int) -> bool:
        i = bisect_right(self._quote_starts, char)
        return i > 0 and self._quote_reach[i - 1] > char

    def overlaps_quote(self, start: int, end: int) -> bool:
        """Whether a quoted span overlaps [start, end)."""
        i = bisect_left(self._quote_starts, end)
        return i > 0 and self._quote_reach[i - 1] > start

    def quote_opens_in(self, start: int, end: int) -> bool:
        """Whether a quoted span opens in [start, end)."""
        i = bisect_left(self._quote_starts, start)
        return i < len(self._quote_starts) and self._quote_starts[i] < end

    def mentions_from(self, start: int, end: int) -> list[MentionRef]:
        """The mentions that start in [start, end), in order."""
        return self.mentions[
            bisect_left(self._mention_starts, start) : bisect_left(self._mention_starts, end)
        ]

    def person_starts(self) -> set[int]:
        """Where the PER mentions start (inside quotations too)."""
        starts: set[int] | None = self.memo.get("person_starts")
        if starts is None:
            starts = self.memo["person_starts"] = {m.start for m in self.mentions if m.label == "PER"}
        return starts

    def quote_end_at(self, start: int) -> int | None:
        """The end of the (first) quoted span opening at `start`, None when none opens there."""
        return self._quote_end_at.get(start)

    def mentions_in(self, start: int, end: int) -> list[MentionRef]:
        found: list[MentionRef] = []
        # Sorted by start, so the mentions inside begin at the first start ≥ `start`; an empty
        # mention may start at `end` itself.
        for k in range(bisect_left(self._mention_starts, start), len(self.mentions)):
            m = self.mentions[k]
            if m.start > end:
                break
            if m.end <= end:
                found.append(m)
        return found
