"""Finding the title of a scraped text page.

A text page has no markup, so the title is the first line that survives the boilerplate pass and
reads like a headline: a handful of words, no sentence-final period, not a paragraph of prose.
The search stops at the first prose paragraph: past it, a short line is a subheading, not a title.
"""

from __future__ import annotations

import re

from veille.clean.boilerplate import is_prose, line_key

MAX_TITLE_CHARS = 250
MAX_TITLE_WORDS = 35
_LETTER = re.compile(r"[^\W\d_]")
# Headlines end on a word, a quote, "?" or "!", seldom on a period; ":" or ";" means a lead-in.
_NOT_A_TITLE_END = re.compile(r"(?<!\.)[.,;:]\s*$")


def looks_like_title(line: str) -> bool:
    """A headline shape: short, with letters, more than one word, no period or colon at the end."""
    key = line_key(line)
    if not key or len(key) > MAX_TITLE_CHARS or not _LETTER.search(key):
        return False
    n_words = len(key.split())
    if n_words < 2 or n_words > MAX_TITLE_WORDS:
        return False
    return not _NOT_A_TITLE_END.search(key)


def find_title(lines: list[str], dropped: set[int]) -> int | None:
    """Index of the title line, or None when no headline-like line comes before the article prose."""
    for index, line in enumerate(lines):
        if index in dropped or not line.strip():
            continue
        if looks_like_title(line):
            return index
        if is_prose(line):
            return None
    return None
