"""What the API answers, as pydantic models: the OpenAPI schema at /openapi.json is built from them.

They mirror `veille.model` field for field where a client needs the field; `from_*` helpers turn the
store's dataclasses into them so that routes stay one call each.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from veille.model import Article, Entity, Event, Quote, Role, Timex

Item = TypeVar("Item")


class Page(BaseModel, Generic[Item]):
    """One page of a list: `next_offset` is the offset of the next page, null on the last one."""

    items: list[Item]
    limit: int
    offset: int
    next_offset: int | None = None


class ArticleSummary(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source_name: str | None = None
    url: str | None = None
    language: str | None = None
    status: str
    duplicate_of: str | None = None
    story_id: str | None = None


class DroppedLineOut(BaseModel):
    text: str
    reason: str


class MentionOut(BaseModel):
    start: int
    end: int
    text: str
    label: str
    entity_id: str | None = None
    kind: str = "name"


class QuoteOut(BaseModel):
    id: str
    article_id: str
    start: int
    end: int
    text: str
    kind: str
    speaker_text: str | None = None
    speaker_entity_id: str | None = None
    speaker_name: str | None = None
    speaker_kind: str | None = None
    cue: str | None = None


class TimexOut(BaseModel):
    article_id: str
    start: int
    end: int
    text: str
    type: str
    value: str | None = None
    mod: str | None = None


class ArgumentOut(BaseModel):
    role: str
    name: str
    entity_id: str | None = None


class EvidenceOut(BaseModel):
    article_id: str
    start: int
    end: int
    modality: str


class EventOut(BaseModel):
    id: str
    type: str
    cameo: str
    trigger: str
    date: str | None = None
    participants: list[ArgumentOut] = Field(default_factory=list)
    location: ArgumentOut | None = None
    evidence: list[EvidenceOut] = Field(default_factory=list)


class ArticleOut(ArticleSummary):
    """One article whole: its clean text and everything found in it (offsets index `text`)."""

    source_file: str
    text: str
    author: str | None = None
    reason: str | None = None
    dropped_lines: list[DroppedLineOut]
    mentions: list[MentionOut]
    quotes: list[QuoteOut]
    timexes: list[TimexOut]
    events: list[EventOut]
    rubriques: list[str] = Field(
        default_factory=list,
        description="Rubriques, primary first: a user's override where one is set, else the classifier's "
        "(both sides: /api/articles/{id}/rubriques).",
    )


class RoleOut(BaseModel):
    title: str
    organisation: str | None = None
    country: str | None = None
    article_id: str
    date: str | None = None


class EntitySummary(BaseModel):
    id: str
    name: str
    label: str
    type: str | None = None
    kb_id: str | None = None
    aliases: list[str]
    mention_count: int


class EntityArticle(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    mentions: int


class Neighbour(BaseModel):
    id: str
    name: str
    label: str
    shared_articles: int


class MonthCount(BaseModel):
    month: str  # YYYY-MM
    mentions: int


class EntityOut(EntitySummary):
    """One entity with what surrounds it: roles over time, articles, neighbours, mentions by month."""

    roles: list[RoleOut]
    articles: list[EntityArticle]
    cooccurring: list[Neighbour]
    mentions_by_month: list[MonthCount]


class StoryOut(BaseModel):
    id: str
    title: str | None = None
    article_ids: list[str]
    first_seen: str | None = None
    last_seen: str | None = None
    sources: list[str]
    entity_ids: list[str]
    independent_sources: int
    event_ids: list[str] = []  # the events' timeline, by date (undated last)
    undated_article_ids: list[str] = []  # articles placed by content alone


class ArticleHitOut(BaseModel):
    article_id: str
    title: str | None = None
    published: str | None = None
    source_name: str | None = None
    snippet: str
    rank: float


class SearchOut(BaseModel):
    """A search across articles (full text), entities (names and aliases) and quotes (their words)."""

    query: str
    articles: list[ArticleHitOut]
    entities: list[EntitySummary]
    quotes: list[QuoteOut]


class IngestIn(BaseModel):
    """A page to ingest: its raw text (boilerplate lines included: cleaning drops them)."""

    text: str = Field(min_length=1, max_length=5_000_000)
    name: str | None = Field(None, max_length=200, description="A key for the page: the same name upserts.")
    title: str | None = None
    url: str | None = None
    source_name: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or date-time.")


class IngestOut(BaseModel):
    article: ArticleSummary
    mentions: int
    quotes: int
    events: int


def summary_of(article: Article) -> ArticleSummary:
    return ArticleSummary(
        id=article.id, title=article.title, published=article.published, source_name=article.source_name,
        url=article.url, language=article.language, status=article.status,
        duplicate_of=article.duplicate_of, story_id=article.story_id,
    )  # fmt: skip


def quote_out(quote: Quote) -> QuoteOut:
    return QuoteOut.model_validate(asdict(quote))


def timex_out(timex: Timex) -> TimexOut:
    return TimexOut.model_validate(asdict(timex))


def event_out(event: Event) -> EventOut:
    return EventOut.model_validate(asdict(event))


def role_out(role: Role) -> RoleOut:
    return RoleOut.model_validate(asdict(role))


def article_out(article: Article) -> ArticleOut:
    return ArticleOut(
        **summary_of(article).model_dump(),
        source_file=article.source_file, text=article.text, author=article.author, reason=article.reason,
        dropped_lines=[DroppedLineOut(text=d.text, reason=d.reason) for d in article.dropped_lines],
        mentions=[MentionOut.model_validate(asdict(m)) for m in article.mentions],
        quotes=[quote_out(q) for q in article.quotes],
        timexes=[timex_out(t) for t in article.timexes],
        events=[event_out(e) for e in article.events], rubriques=article.rubriques,
    )  # fmt: skip


def entity_summary(entity: Entity) -> EntitySummary:
    return EntitySummary(
        id=entity.id, name=entity.name, label=entity.label, type=entity.type, kb_id=entity.kb_id,
        aliases=entity.aliases, mention_count=entity.mention_count,
    )  # fmt: skip
