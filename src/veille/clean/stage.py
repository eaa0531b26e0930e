"""The clean stage: normalise, find the title, drop boilerplate lines, repair glued paragraphs.

`clean_page` is the pure function (strings in, `CleanResult` out); `CleanStage` only moves data
between `Article` and it, counts, and rejects with a reason. Nothing is thrown away silently:
every dropped line travels with the article with its reason code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from veille.clean.boilerplate import find_boilerplate
from veille.clean.normalize import normalize_text, repair_glued_paragraphs
from veille.clean.title import find_title
from veille.errors import ConfigError
from veille.model import REJECTED, Article, DroppedLine
from veille.pipeline import MAX_ARTICLE_CHARS

_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(slots=True)
class CleanResult:
    title: str | None
    text: str
    dropped_lines: list[DroppedLine] = field(default_factory=list)
    repairs: int = 0


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", normalize_text(text)).strip()


def _paragraphs(line: str) -> tuple[list[str], int]:
    repaired, repairs = repair_glued_paragraphs(line.strip())
    if not repairs:
        return ([repaired] if repaired else []), 0
    return [p.strip() for p in _PARAGRAPH_BREAK.split(repaired) if p.strip()], repairs


def clean_page(text: str, *, title: str | None = None, lead: str | None = None) -> CleanResult:
    """Clean one page or record body.

    A given `title` (a JSON-lines field) is kept as is, normalised; otherwise the title is the
    first headline-like line of the page, which then leaves the body. A given `lead` becomes the
    first paragraph. Paragraphs (one per kept line, more where glued ones were split) are joined
    by a blank line.
    """
    lines = normalize_text(text).split("\n")
    found = find_boilerplate(lines)
    reasons = dict(found)
    dropped = [DroppedLine(text=lines[index], reason=reason) for index, reason in found]

    clean_title = _one_line(title) if title is not None else ""
    title_index: int | None = None
    if not clean_title:
        title_index = find_title(lines, set(reasons))
        clean_title = lines[title_index].strip() if title_index is not None else ""

    paragraphs: list[str] = []
    repairs = 0
    if lead is not None:
        lead_paragraphs, n = _paragraphs(_one_line(lead))
        paragraphs.extend(lead_paragraphs)
        repairs += n
    for index, line in enumerate(lines):
        if index in reasons or index == title_index or not line.strip():
            continue
        line_paragraphs, n = _paragraphs(line)
        paragraphs.extend(line_paragraphs)
        repairs += n
    return CleanResult(
        title=clean_title or None, text="\n\n".join(paragraphs), dropped_lines=dropped, repairs=repairs
    )


class CleanStage:
    """Fills `title`, `text` and `dropped_lines` from `raw`; rejects empty and all-boilerplate pages,
    and pages whose clean text is over `max_article_chars`."""

    name: ClassVar[str] = "clean"
    requires: ClassVar[frozenset[str]] = frozenset({"raw"})
    provides: ClassVar[frozenset[str]] = frozenset({"title", "text", "dropped_lines"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __init__(self, max_article_chars: int = MAX_ARTICLE_CHARS) -> None:
        if max_article_chars < 1:
            raise ConfigError(f"--max-article-chars must be at least 1, got {max_article_chars}.")
        self.max_article_chars = max_article_chars
        self.counters: dict[str, int] = {}

    def _count(self, key: str, n: int = 1) -> None:
        if n:
            self.counters[key] = self.counters.get(key, 0) + n

    def _reject(self, article: Article, reason: str) -> None:
        article.status = REJECTED
        article.reason = reason
        self._count(f"rejected:{reason}")

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status == REJECTED:
                continue
            raw = article.raw
            text = raw.text if raw is not None and raw.text is not None else ""
            lead = raw.lead if raw is not None else None
            given_title = raw.title if raw is not None else None
            # Zero-width characters are not whitespace for str.strip(): look at the normalised form.
            if not normalize_text(text).strip() and not normalize_text(lead or "").strip():
                if given_title is not None:
                    article.title = _one_line(given_title) or None
                self._reject(article, "empty")
                continue
            result = clean_page(text, title=given_title, lead=lead)
            article.title = result.title
            article.text = result.text
            article.dropped_lines = result.dropped_lines
            for line in result.dropped_lines:
                self._count(line.reason)
            self._count("repairs", result.repairs)
            if not result.text:
                self._reject(article, "no_content")
            elif len(result.text) > self.max_article_chars:
                self._reject(article, "too_long")
                article.reason_detail = (
                    f"the clean text is {len(result.text):,} characters, over the bound of "
                    f"{self.max_article_chars:,}; to analyse it, raise the bound with "
                    f"`veille ingest --max-article-chars N`"
                )
        return batch
