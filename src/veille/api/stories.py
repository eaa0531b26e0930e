"""Stories as the API and the pages read them.

A store whose articles went through the stories stage has a stories table: `list_stories` and
`get_story` read it (one indexed query; a merged story's id answers with its survivor). A store
filled without clustering has none: then the articles sharing a `story_id` are a story, and an
article with none is a story of its own with its copies, keyed by its first copy's id
(`duplicate_of`, else its own id), so that two copies of one dispatch never show as two stories.
That fallback reads the headers of every non-rejected article: fine for a laptop-sized store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select

from veille.model import DUPLICATE, REJECTED, Story
from veille.store import Store, schema
from veille.store.graph import chunks
from veille.stories.state import independent_sources

# How many top entities a story lists.
TOP_ENTITIES = 5


def story_key(story_id: str | None, duplicate_of: str | None, article_id: str) -> str:
    """The story an article belongs to: its `story_id`, else its first copy's id, else its own."""
    return story_id or duplicate_of or article_id


def _group(rows: Sequence[Any]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for row in rows:
        groups.setdefault(story_key(row.story_id, row.duplicate_of, row.id), []).append(row)
    return groups


def _story(key: str, rows: list[Any]) -> Story:
    dated = sorted(r.published for r in rows if r.published)
    # The headline of the earliest original (not a copy) stands for the story.
    originals = [r for r in rows if r.status != DUPLICATE] or rows
    first = min(originals, key=lambda r: (r.published is None, r.published or "", r.id))
    sources = sorted({r.source_name for r in rows if r.source_name})
    independent = independent_sources(r.source_name for r in originals)
    ordered = sorted(rows, key=lambda r: (r.published is None, r.published or "", r.id))
    return Story(
        id=key, title=first.title, article_ids=[r.id for r in ordered],
        first_seen=dated[0] if dated else None, last_seen=dated[-1] if dated else None,
        sources=sources, independent_sources=independent,
    )  # fmt: skip


def _headers(engine: Engine) -> list[Any]:
    a = schema.articles
    query = select(a.c.id, a.c.title, a.c.published, a.c.source_name, a.c.story_id, a.c.duplicate_of,
                   a.c.status).where(a.c.status != REJECTED)  # fmt: skip
    with engine.connect() as conn:
        return list(conn.execute(query))


def _add_top_entities(engine: Engine, stories: list[Story]) -> None:
    m = schema.mentions
    owner = {article_id: story for story in stories for article_id in story.article_ids}
    counts: dict[str, Counter[str]] = {story.id: Counter() for story in stories}
    with engine.connect() as conn:
        for chunk in chunks(list(owner)):
            query = (
                select(m.c.article_id, m.c.entity_id, func.count())
                .where(m.c.article_id.in_(chunk), m.c.entity_id.is_not(None))
                .group_by(m.c.article_id, m.c.entity_id)
            )
            for article_id, entity_id, n in conn.execute(query):
                counts[owner[article_id].id][entity_id] += int(n)
    for story in stories:
        ranked = sorted(counts[story.id].items(), key=lambda kv: (-kv[1], kv[0]))
        story.entity_ids = [entity_id for entity_id, _ in ranked[:TOP_ENTITIES]]


def _clustered(store: Store) -> bool:
    with store.engine.connect() as conn:
        return conn.execute(select(schema.stories.c.id).limit(1)).first() is not None


def list_stories(
    store: Store, limit: int = 20, offset: int = 0, date_from: str | None = None, date_to: str | None = None
) -> list[Story]:
    """Stories, latest first (by their last dated article; undated last), then largest, then by id;
    with dates, those whose span meets [date_from, date_to] (undated stories then left out)."""
    if _clustered(store):
        return store.find_stories(date_from, date_to, limit=limit, offset=offset)
    engine = store.engine
    stories = [_story(key, rows) for key, rows in _group(_headers(engine)).items()]
    stories = [s for s in stories if _meets(s, date_from, date_to)]
    stories.sort(key=lambda s: (s.last_seen is None, _negate(s.last_seen), -len(s.article_ids), s.id))
    page = stories[offset : offset + limit]
    _add_top_entities(engine, page)
    return page


def _meets(story: Story, date_from: str | None, date_to: str | None) -> bool:
    # As the stories table is filtered (`Store.find_stories`): the bound padded past any suffix.
    if date_from is not None and (story.last_seen is None or story.last_seen < date_from):
        return False
    return not (date_to is not None and (story.first_seen is None or story.first_seen > date_to + "\uffff"))


def get_story(store: Store, story_id: str) -> Story | None:
    """One story by id; None when no article belongs to it."""
    if _clustered(store):
        return store.get_story(story_id)
    rows = _group(_headers(store.engine)).get(story_id)
    if not rows:
        return None
    story = _story(story_id, rows)
    _add_top_entities(store.engine, [story])
    return story


def _negate(value: str | None) -> tuple[int, ...]:
    # Newest first while ids break ties ascending: sort on the code points negated.
    return tuple(-ord(c) for c in value or "")
