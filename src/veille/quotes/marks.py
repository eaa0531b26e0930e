"""Quotation spans from typography alone: « … », “ … ” and paired straight quotes.

Pure string work, no parse: `find_quotations(text)` returns where each outermost quotation opens and
closes. Decisions, documented in docs/quotes.md:

- Marks pair within one paragraph (a blank line ends it). An unclosed mark gives nothing, so that a
  missing » never swallows the rest of an article — except where French typography leaves a quote
  open on purpose: a mark opening a sentence whose paragraph ends on a full stop (a quotation that
  runs on to the next paragraph is only closed there) is a quotation to the paragraph's end; and a
  straight mark opening a sentence while another is open ends that one at its last full stop
  ('"Je n'ai pas de date, a-t-il déploré. "Pourquoi …?", a-t-il insisté').
- Nested marks (« … “ … ” … », « … "…" … ») belong to the outer quotation, which alone is returned.
- A straight quote glued to a word on its left and followed by a space or punctuation closes; one
  after a space and glued to a word on its right opens. A closing-looking mark with nothing open is
  a stray and is skipped.
- Apostrophes (' ’) are never quotation marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = {"«": "»", "“": "”"}
CLOSERS = frozenset(OPENERS.values())
STRAIGHT = '"'
# Inside the marks: spaces, including the no-break and narrow no-break spaces of French typography.
SPACES = " \t\n\r\u00a0\u202f\u2009"
_PARAGRAPH = re.compile(r"\n[ \t\u00a0]*\n")


@dataclass(frozen=True, slots=True)
class QuotationSpan:
    """`open`/`close`: offsets of the marks; `start`/`end`: the words between them, spaces trimmed."""

    open: int
    close: int
    start: int
    end: int


def _paragraphs(text: str) -> list[tuple[int, int]]:
    bounds, position = [], 0
    for match in _PARAGRAPH.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    return bounds


def straight_role(text: str, i: int) -> str:
    """ "open", "close" or "either" for the straight quote at `i`, from the characters around it."""
    left = text[i - 1] if i > 0 else " "
    right = text[i + 1] if i + 1 < len(text) else " "
    left_open = left in SPACES or left in "([{—–-/\n"
    right_open = right in SPACES or right in ",.;:!?)]}…\n"
    if left_open and not right_open:
        return "open"
    if right_open and not left_open:
        return "close"
    return "either"


def _span(text: str, open_at: int, close_at: int) -> QuotationSpan | None:
    start, end = open_at + 1, close_at
    # Any whitespace, not only SPACES: a text that did not go through the cleaner may hold others
    # (U+0085, U+2028 …), and a quotation is never made of them.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuotationSpan(open_at, close_at, start, end) if start < end else None


_SENTENCE_END = (".", "!", "?", "…")


def _opens_sentence(text: str, begin: int, i: int) -> bool:
    before = text[begin:i].rstrip(SPACES)
    return not before or before.endswith((*_SENTENCE_END, ":"))


def _ends_sentence(text: str, start: int, end: int) -> bool:
    return text[start:end].rstrip(SPACES).endswith(_SENTENCE_END)


def _left_open(text: str, begin: int, open_at: int, close_at: int) -> QuotationSpan | None:
    """A quotation its writer did not close: kept when it opens a sentence and what it holds ends
    one, so that a stray mark before a word never starts a quote."""
    if _opens_sentence(text, begin, open_at) and _ends_sentence(text, open_at, close_at):
        return _span(text, open_at, close_at)
    return None


def _in_paragraph(text: str, begin: int, finish: int) -> list[QuotationSpan]:
    found: list[QuotationSpan] = []
    stack: list[tuple[int, str]] = []  # typographic marks: (offset, expected closer)
    straight_open: int | None = None
    for i in range(begin, finish):
        char = text[i]
        if char in OPENERS:
            stack.append((i, OPENERS[char]))
        elif char in CLOSERS:
            # Close the innermost matching opener; marks opened inside it and left open are dropped.
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][1] == char:
                    open_at = stack[depth][0]
                    del stack[depth:]
                    if not stack and (straight_open is None or straight_open > open_at):
                        straight_open = None
                        span = _span(text, open_at, i)
                        if span is not None:
                            found.append(span)
                    break
        elif char == STRAIGHT:
            if straight_open is None:
                if straight_role(text, i) != "close":
                    straight_open = i
            elif not stack and straight_role(text, i) == "open" and _opens_sentence(text, begin, i):
                # A new quotation opens a sentence while one is open: that one was left unclosed.
                left = _left_open(text, begin, straight_open, i)
                if left is not None:
                    found.append(left)
                straight_open = i
            else:
                open_at, straight_open = straight_open, None
                if not stack:
                    span = _span(text, open_at, i)
                    if span is not None:
                        found.append(span)
    unclosed = stack[0][0] if stack else straight_open
    if unclosed is not None:
        left = _left_open(text, begin, unclosed, finish)
        if left is not None:
            found.append(left)
    # Outer quotations only: a straight pair that sits inside a typographic one is nested.
    found.sort(key=lambda s: (s.open, -s.close))
    outer: list[QuotationSpan] = []
    for span in found:
        if outer and span.open < outer[-1].close:
            continue
        outer.append(span)
    return outer


def find_quotations(text: str) -> list[QuotationSpan]:
    """Every outermost quotation of `text`, in order; unbalanced marks give nothing, never an error."""
    spans: list[QuotationSpan] = []
    for begin, finish in _paragraphs(text):
        spans.extend(_in_paragraph(text, begin, finish))
    return spans
