"""Sources that speak through something else: a survey through its maker, a city through its
government, a medium credited in parentheses after the words it printed.

Pure look-ups on an `ArticleView`: each returns the mention that stands for the source, or None;
`speakers.describe` and the quotation rules turn it into a `Speaker`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from veille.quotes.cues import table

if TYPE_CHECKING:
    from veille.quotes.view import ArticleView, MentionRef

# "le sondage réalisé par Ipsos", "une étude menée par l'Inserm", "le rapport publié par l'OMS":
# the organisation after the participle made the document, and speaks through it.
_MAKER = re.compile(
    r"\b(?:réalis|men|conduit|command|publi|dévoil|effectu|produit|rédig)(?:ée?s?|e?s?)?"
    r"\*?\s+(?:[a-zéèêàâîôûç]+\s+){0,2}?par\s+(?:l['’]|les?\s+|la\s+)?",
    re.IGNORECASE,
)
# How far after a document's noun phrase its maker may be named (", réalisé par Ipsos").
MAKER_REACH = 40
# Nouns of places that speak through their government ("la ville a annoncé", "la capitale
# chinoise a appelé"): the place named last before them.
PLACE_NOUNS = table("capitale ville pays commune métropole municipalité région département")
_PLACE_LABELS = frozenset({"LOC", "GPE"})


def _mention_at(view: ArticleView, char: int, labels: frozenset[str]) -> MentionRef | None:
    return next((m for m in view.mentions_from(char, char + 1) if m.label in labels), None)


def maker_after(view: ArticleView, end: int) -> MentionRef | None:
    """The organisation named as a document's maker right after its noun phrase: "le baromètre,
    réalisé par Ipsos" → Ipsos."""
    window = view.text[end : end + MAKER_REACH + 30]
    match = _MAKER.search(window)
    if match is None or match.start() > MAKER_REACH or re.search(r"[.!?;:]", window[: match.start()]):
        return None
    return _mention_at(view, end + match.end(), frozenset({"ORG"}))


def maker_before(view: ArticleView, start: int) -> MentionRef | None:
    """The maker of the last document named with its maker before `start`: "Cette enquête
    révèle …" after "un sondage réalisé par Ipsos" is Ipsos's."""
    found: MentionRef | None = None
    for match in _MAKER.finditer(view.text, 0, start):
        mention = _mention_at(view, match.end(), frozenset({"ORG"}))
        if mention is not None and mention.end <= start:
            found = mention
    return found


def place_before(view: ArticleView, start: int) -> MentionRef | None:
    """The place named last before `start`, outside quotations: what "la ville" stands for."""
    places = [m for m in view.mentions if m.label in _PLACE_LABELS and m.end <= start]
    places = [m for m in places if not view.in_quote(m.start)]
    return places[-1] if places else None


def credited_after(view: ArticleView, close: int) -> MentionRef | None:
    """A source credited in parentheses right after a quotation: «…» (Variety). `close` is the
    index of the closing mark; the parentheses must hold one name and nothing else."""
    match = re.match(r"\s*\(([^()\n]{2,60})\)", view.text[close + 1 : close + 70])
    if match is None:
        return None
    first, last = close + 1 + match.start(1), close + 1 + match.end(1)
    labels = {"ORG", "PER", "MISC"}
    names = [m for m in view.mentions_from(first, first + 1) if m.end == last and m.label in labels]
    if names:
        return names[0]
    return None
