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
    author: str | None = None
    # The record holds only part of the article (a feed entry's summary, not its content).
    partial: bool = False
    reason: str | None = None  # rejection code when the reader could not produce `text`
    reason_detail: str | None = None


@dataclass(slots=True)
class DroppedLine:
    text: str
    reason: str  # e.g. "boilerplate:comment_prompt"


@dataclass(slots=True)
class StageFailure:
    """A stage that raised on this article alone: the article goes on without that stage's output,
    is stored with the failure, and is processed again by the next run."""

    stage: str
    error: str  # "IndexError: list index out of range"


@dataclass(slots=True)
class Mention:
    article_id: str
    start: int
    end: int
    text: str
    label: str  # PER | ORG | LOC | MISC
    entity_id: str | None = None
    # "name" (a proper name), "adjective" ("américain" → États-Unis), "demonym" ("les Russes"),
    # "metonym" (a capital standing for its government: "Moscou a démenti").
    kind: str = "name"


@dataclass(slots=True)
class Role:
    """A title a person holds, as one article states it at its date."""

    title: str
    organisation: str | None = None
    country: str | None = None  # canonical name of the country entity
    country_entity_id: str | None = None
    article_id: str = ""
    date: str | None = None  # the article's publication date (date part), None when unknown
    start: int = -1  # the span the role was read from
    end: int = -1


@dataclass(slots=True)
class Entity:
    """One real-world thing, under all the names articles give it."""

    id: str
    name: str  # canonical: the knowledge base's French name, else the most used full form
    label: str  # PER | ORG | LOC | MISC
    type: str | None = None  # finer: country, city, facility, armed_group, party, institution …
    aliases: list[str] = field(default_factory=list)
    kb_id: str | None = None
    mention_count: int = 0
    roles: list[Role] = field(default_factory=list)


@dataclass(slots=True)
class Quote:
    """Something a source said, grounded in the article text.

    `start`/`end` span the words inside the quotation marks (direct, partial) or the reported
    content (indirect); the speaker and the cue keep their own spans.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    kind: str  # "direct" | "partial" | "indirect"
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity_id: str | None = None
    speaker_name: str | None = None  # the entity's name, or the anonymous/collective source as written
    speaker_kind: str | None = None  # "person" | "organisation" | "anonymous" | "collective"
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(slots=True)
class Timex:
    """A time expression, normalised TIMEX3-style against the publication date.

    `value` is None when it cannot be known (no publication date, nothing in the page to anchor
    to); partial knowledge uses X placeholders (`XXXX-11-17`). `mod` is START | END | MID |
    APPROX | BEFORE | AFTER … ("début janvier", "fin 2015"), else None.
    """

    article_id: str
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None = None
    mod: str | None = None


@dataclass(slots=True)
class EventArgument:
    """An entity taking part in an event, with its role (agent, target, attendee, absent …)."""

    role: str
    name: str  # the entity's canonical name, else the text as written
    entity_id: str | None = None
    start: int = -1  # the mention the argument was read from, in the evidence article
    end: int = -1


@dataclass(slots=True)
class EventEvidence:
    """One article's report of an event: where it is told, and as what."""

    article_id: str
    start: int  # the trigger span
    end: int
    modality: str  # planned | happened | negated | claimed


@dataclass(slots=True)
class Event:
    """Something that happened or is planned: typed, with participants, place and date.

    One event can be evidenced by many articles (cross-article coreference merges them); `id` is
    derived from what identifies the event (type, date, place, main participants) so that reruns
    and other articles land on the same row.
    """

    id: str
    # meeting | statement | accusation | appeal | visit | attack | agreement | vote | arrest |
    # protest | death
    type: str
    cameo: str  # nearest CAMEO root code, e.g. "04" consult
    trigger: str  # the trigger word(s) as written in the first evidence
    participants: list[EventArgument] = field(default_factory=list)
    location: EventArgument | None = None
    date: str | None = None  # TIMEX3 value, None when unknown
    evidence: list[EventEvidence] = field(default_factory=list)


@dataclass(slots=True)
class Story:
    """Articles from many sources and days that tell one happening and its follow-ups.

    `id` is stable for users: when evidence later joins two stories, the merge is recorded and the
    older id lives on. `sources` are the distinct sources; copies (exact and near) of one article
    count once in `independent_sources`.
    """

    id: str
    title: str | None = None  # the most representative headline
    article_ids: list[str] = field(default_factory=list)
    first_seen: str | None = None  # earliest publication date of its dated articles (ISO)
    last_seen: str | None = None
    sources: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)  # top entities, most mentioned first
    independent_sources: int = 0
    merged_into: str | None = None  # set on a story absorbed by another
    event_ids: list[str] = field(default_factory=list)  # its events' timeline, by date (undated last)
    undated_article_ids: list[str] = field(default_factory=list)  # placed by content alone


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
    author: str | None = None
    partial: bool = False
    content_hash: str | None = None
    status: str = KEPT
    reason: str | None = None  # closed list, see veille.errors.REASONS
    reason_detail: str | None = None
    duplicate_of: str | None = None
    dropped_lines: list[DroppedLine] = field(default_factory=list)
    story_id: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    # MinHash signature of the text (stored, not exported) and the near-copies found for it:
    # (other article id, estimated Jaccard similarity).
    minhash: bytes | None = None
    near_copies: list[tuple[str, float]] = field(default_factory=list)
    # The entities this article mentions (resolved, with the roles it states), for the store.
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    failures: list[StageFailure] = field(default_factory=list)
    # Rubriques (topics), primary first, with their scores (see veille.rubriques); [] when the
    # language is not supported.
    rubriques: list[str] = field(default_factory=list)
    rubrique_scores: list[tuple[str, float]] = field(default_factory=list)
    # Transient, never stored: what the reader produced and the spaCy Doc of the NLP pass.
    raw: RawDoc | None = None
    doc: Any = None
