"""The naive baseline `veille eval quotes` scores beside veille, so that its figures are a ratio.

Every span between quotation marks is a direct quote, and its speaker is the nearest PER mention of
its sentence. Pure functions of an analysed Article: no parse beyond the sentences given.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from veille.model import Article, Quote

Span = tuple[int, int]

_MARKS = re.compile(r"«([^»]*?)»|“([^”]*?)”|\"([^\"\n]*?)\"")
_TRIM = " \t\r\u00a0\u202f\u2009"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-Ý«“\"])|\n\n")


def baseline_spans(text: str) -> list[Span]:
    """Every span between quotation marks (« », “ ”, paired "), spaces inside the marks trimmed,
    never across a paragraph."""
    spans: list[Span] = []
    for match in _MARKS.finditer(text):
        group = next(i for i in (1, 2, 3) if match.group(i) is not None)
        start, end = match.start(group), match.end(group)
        if "\n\n" in text[start:end]:
            continue
        while start < end and text[start] in _TRIM:
            start += 1
        while end > start and text[end - 1] in _TRIM:
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def sentence_bounds(text: str) -> list[Span]:
    """Sentences by punctuation, for articles without a spaCy Doc."""
    bounds, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def baseline_quotes(article: Article, sentences: Sequence[Span]) -> list[Quote]:
    """Every quoted span a direct quote, spoken by the nearest PER mention of its sentence."""
    people = [m for m in article.mentions if m.label == "PER"]
    found: list[Quote] = []
    for start, end in baseline_spans(article.text):
        sentence = next(((s, e) for s, e in sentences if s <= start < e), (start, end))
        near = [m for m in people if sentence[0] <= m.start and m.end <= sentence[1]]
        # Distance from the quote: 0 inside it, else the gap to its nearer end.
        near.sort(key=lambda m: (max(start - m.end, m.start - end, 0), m.start))
        speaker = near[0] if near else None
        found.append(
            Quote(
                id=f"baseline:{start}:{end}", article_id=article.id, start=start, end=end,
                text=article.text[start:end], kind="direct",
                speaker_text=speaker.text if speaker else None,
                speaker_start=speaker.start if speaker else None,
                speaker_end=speaker.end if speaker else None,
                speaker_entity_id=speaker.entity_id if speaker else None,
                speaker_name=speaker.text if speaker else None,
                speaker_kind="person" if speaker else None,
            )
        )  # fmt: skip
    return found
