"""Pure helpers for the pages: an article's text cut into highlighted pieces, a small bar chart,
French dates. Strings and dataclasses in, plain values out; the templates only lay them out.

Highlights may overlap (a quote holds names and dates), so the text is cut at every span boundary
into pieces, each carrying the kinds of every span over it; a span's anchor (`m-3`, a quote id, `t-1`)
sits on the piece where it starts, so that any fact listed elsewhere links to `#its-anchor`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise

from veille.model import Article

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")  # fmt: skip
_SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                 "nov.", "déc.")  # fmt: skip


@dataclass(slots=True)
class Piece:
    """A run of text under the same highlights."""

    text: str
    kinds: list[str] = field(default_factory=list)  # css classes: mention-per, quote, timex …
    anchors: list[str] = field(default_factory=list)  # ids of the spans starting here
    entity_id: str | None = None  # innermost entity mention over the piece, for a link
    title: str | None = None  # what a hover says: the label, the TIMEX3 value, the speaker


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    kind: str
    anchor: str
    entity_id: str | None = None
    title: str | None = None


def _spans(article: Article) -> list[_Span]:
    spans: list[_Span] = []
    size = len(article.text)
    for i, m in enumerate(article.mentions):
        kind = f"mention mention-{m.label.lower()}"
        spans.append(_Span(m.start, m.end, kind, f"m-{i}", m.entity_id, m.label))
    for q in article.quotes:
        spans.append(_Span(q.start, q.end, f"quote quote-{q.kind}", q.id, None, q.speaker_name))
    for i, t in enumerate(article.timexes):
        spans.append(_Span(t.start, t.end, "timex", f"t-{i}", None, t.value or t.type))
    for i, event in enumerate(article.events):
        # An event may be told by many articles: the anchor goes on this article's first telling.
        told = [e for e in event.evidence if e.article_id == article.id]
        if told:
            spans.append(_Span(told[0].start, told[0].end, "event", f"e-{i}", None, event.type))
    return [s for s in spans if 0 <= s.start < s.end <= size]


def highlight(article: Article) -> list[Piece]:
    """The article's text as pieces covering it exactly, in order, with their highlights."""
    text = article.text
    spans = _spans(article)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    pieces: list[Piece] = []
    for start, end in pairwise(cuts):
        over = [s for s in spans if s.start <= start and end <= s.end]
        # Innermost (shortest) span first, so that the link and hover are the most specific.
        over.sort(key=lambda s: (s.end - s.start, s.anchor))
        piece = Piece(text[start:end])
        for span in over:
            piece.kinds.extend(k for k in span.kind.split() if k not in piece.kinds)
            if span.start == start:
                piece.anchors.append(span.anchor)
            if piece.entity_id is None and span.entity_id is not None:
                piece.entity_id = span.entity_id
            if piece.title is None and span.title:
                piece.title = span.title
        pieces.append(piece)
    return pieces


@dataclass(slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the month, in French
    count: int


def timeline_bars(day_counts: list[tuple[str, int]], width: float = 600, height: float = 120) -> list[Bar]:
    """Bars for (YYYY-MM-DD, count) pairs in date order: one a day when they span two months or
    less (news often runs over a few days), else one a month; empty days or months in between
    drawn as empty. The tallest bar is the full `height`; bars are at most 40 wide."""
    if not day_counts:
        return []
    first, last = date.fromisoformat(day_counts[0][0]), date.fromisoformat(day_counts[-1][0])
    by_day = (last - first).days <= 62
    counts: dict[str, int] = {}
    for day, n in day_counts:
        key = day if by_day else day[:7]
        counts[key] = counts.get(key, 0) + n
    keys = _day_range(first, last) if by_day else _month_range(day_counts[0][0], day_counts[-1][0])
    top = max(counts.values()) or 1
    step = min(width / len(keys), 50.0)
    bars = []
    for i, key in enumerate(keys):
        n = counts.get(key, 0)
        h = height * n / top
        label = french_date(key) if by_day else month_label(key)
        bars.append(
            Bar(x=i * step + step * 0.1, y=height - h, width=step * 0.8, height=h, label=label, count=n)
        )
    return bars


def _day_range(first: date, last: date) -> list[str]:
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months: list[str] = []
    while (year, month) <= end and len(months) < 600:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_label(month: str) -> str:
    """ "2016-01" → "janv. 2016"."""
    try:
        return f"{_SHORT_MONTHS[int(month[5:7]) - 1]} {month[:4]}"
    except (ValueError, IndexError):
        return month


def french_date(value: str | None) -> str:
    """An ISO date or date-time as a French reader writes it ("20 janvier 2016"); the value as
    given when it is not one; "date inconnue" when there is none."""
    if not value:
        return "date inconnue"
    try:
        year, month = int(value[:4]), int(value[5:7]) if len(value) >= 7 else 0
        day = int(value[8:10]) if len(value) >= 10 else 0
    except ValueError:
        return value
    if not 1 <= month <= 12:
        return str(year)
    if not day:
        return f"{MONTHS[month - 1]} {year}"
    return f"{'1er' if day == 1 else day} {MONTHS[month - 1]} {year}"
