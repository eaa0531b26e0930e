"""The plain data types every stage fills. No behaviour lives here.

Offsets (`start`, `end`) are Python string indices into `Article.text`, end-exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Article.status values.
KEPT = "kept"
DUPLICATE = "duplicate"
REJECTED = "rejected"


@dataclass(slots=True)
class RawDoc:
    """One record as a reader found it, before any cleaning.

    `text` is the record's decoded text (a whole page for a text file, the body field of a
    JSON-lines record). A reader that could not read the record leaves `text` None and sets `reason`.
    """

    source_file: str  # path relative to the ingested root, '/'-separated
    source_id: str  # the record's own key in its file: JSON-lines id, else line number; '' for a whole file
    text: str | None = None
    title: str | None = None  # a title the record carries as a field (JSON lines); None for raw pages
    lead: str | None = None  # a lead/heading field, becomes the first paragraph
    url: str | None = None
    source_name: str | None = None
    published: str | None = None  # ISO 8601 as given (date or date-time); None when unknown
    reason: str | None = None  # rejection code when the reader could not produce `data`
    reason_detail: str | None = None


@dataclass(slots=True)
class DroppedLine:
    text: str
    reason: str  # e.g. "boilerplate:comment_prompt"


@dataclass(slots=True)
class Mention:
    article_id: str
    start: int
    end: int
    text: str
    label: str  # PER | ORG | LOC | MISC
    entity_id: str | None = None


@dataclass(slots=True)
class Article:
    id: str
    source_file: str
    source_id: str
    url: str | None = None
    source_name: str | None = None
    title: str | None = None
    text: str = ""
    language: str | None = None  # ISO 639-1, or None when it could not be told
    published: str | None = None
    content_hash: str | None = None
    status: str = KEPT
    reason: str | None = None  # closed list, see veille.errors.REASONS
    reason_detail: str | None = None
    duplicate_of: str | None = None
    dropped_lines: list[DroppedLine] = field(default_factory=list)
    story_id: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    # Transient, never stored: what the reader produced and the spaCy Doc of the NLP pass.
    raw: RawDoc | None = None
    doc: Any = None
