"""Matching watchlists against articles, incrementally: each stored batch is matched once.

`evaluate_batch(store, articles)` runs right after the engine stores a batch. It reads the
watchlists (one query: a store without any pays nothing more), matches the batch's kept articles
and records the new matches with why they matched. Nothing already stored is read again, except
the stories of the batch (for the minimum of independent sources) and which of them a watchlist
already matched (for story growth).

An entity may be named before the store knows it (`name:Daech`, from the web form): each batch
resolves such names to the entity one of whose names it is, so the watchlist starts matching, under
every alias, as soon as an ingest brings the entity.

Story growth: an article that does not satisfy a watchlist's content conditions (entities,
keywords) still matches when its story was already matched by that watchlist — by an earlier
batch, or by an earlier article of the same batch — and it satisfies the watchlist's filters
(sources, languages, rubriques, event types, minimum independent sources). Its "why" then says
`story_growth` with the story id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from veille.model import KEPT, Article, Story
from veille.store import Store
from veille.store.watch import MatchRow, list_watchlists, matched_stories, now_iso, record_matches
from veille.watch.query import Node, Text, Watchlist, evaluate, fold, parse_query

Match = MatchRow


@dataclass(slots=True)
class _Compiled:
    watchlist: Watchlist
    wid: str
    keywords: Node | None
    entities: frozenset[str]
    sources: frozenset[str]
    languages: frozenset[str]
    rubriques: frozenset[str]
    event_types: frozenset[str]


NAME_PREFIX = "name:"


def resolve_entity_name(store: Store, name: str) -> str | None:
    """The entity one of whose names is `name` (case, accents, a leading article aside), or None."""
    from veille.entities.names import name_key

    keys = {name_key(name), name_key(name, person=True)} - {""}
    for entity in store.find_entities(name, limit=5):
        names = [entity.name, *entity.aliases]
        if any(name_key(n) in keys or name_key(n, person=True) in keys for n in names):
            return entity.id
    return None


def compile_watchlist(watchlist: Watchlist, resolve: Callable[[str], str | None] | None = None) -> _Compiled:
    """`resolve` turns the `name:` entries (entities named before the store knew them) into ids."""
    ids = {e for e in watchlist.entities if not e.startswith(NAME_PREFIX)}
    for entry in watchlist.entities:
        if entry.startswith(NAME_PREFIX) and resolve is not None:
            found = resolve(entry.removeprefix(NAME_PREFIX))
            if found is not None:
                ids.add(found)
    if watchlist.entities and not ids:
        ids = {"\x00no entity yet"}  # the condition stands, and nothing satisfies it yet
    return _Compiled(
        watchlist, watchlist.id,
        parse_query(watchlist.keywords) if watchlist.keywords.strip() else None,
        frozenset(ids), frozenset(fold(s) for s in watchlist.sources),
        frozenset(lang.lower() for lang in watchlist.languages),
        frozenset(fold(r) for r in watchlist.rubriques),
        frozenset(e.lower() for e in watchlist.event_types),
    )  # fmt: skip


def article_entity_ids(article: Article) -> set[str]:
    """Every entity the article names, through any of its aliases (mentions resolved by the linker)."""
    ids = {m.entity_id for m in article.mentions if m.entity_id}
    ids.update(e.id for e in article.entities)
    return ids


def entity_names(article: Article, ids: Sequence[str]) -> list[str]:
    """A readable name for each id, as this article knows it: the entity's canonical name where the
    article carries the entity, else the first way the article names it ("EI" for Daech). Feeds and
    digests show these; the ids stay in the match for programs."""
    names = {e.id: e.name for e in article.entities}
    for mention in sorted(article.mentions, key=lambda m: m.start):
        if mention.entity_id:
            names.setdefault(mention.entity_id, mention.text)
    return [names.get(i, i) for i in ids]


def filters_pass(
    compiled: _Compiled, article: Article, story: Callable[[], Story | None]
) -> dict[str, Any] | None:
    """The filter conditions (not the content ones): the why so far, or None when one fails."""
    why: dict[str, Any] = {}
    if compiled.sources:
        if fold(article.source_name or "") not in compiled.sources:
            return None
        why["source"] = article.source_name
    if compiled.languages:
        if (article.language or "").lower() not in compiled.languages:
            return None
        why["language"] = article.language
    if compiled.rubriques:
        mine = [r for r in getattr(article, "rubriques", []) or [] if fold(r) in compiled.rubriques]
        if not mine:
            return None
        why["rubriques"] = mine
    if compiled.event_types:
        types = sorted({e.type for e in article.events if e.type.lower() in compiled.event_types})
        if not types:
            return None
        why["event_types"] = types
    if compiled.watchlist.min_sources > 0:
        found = story()
        count = found.independent_sources if found is not None else 1
        if count < compiled.watchlist.min_sources:
            return None
        why["independent_sources"] = count
    return why


def content_pass(compiled: _Compiled, article: Article, text: Text) -> dict[str, Any] | None:
    """The content conditions (entities, keywords): what satisfied them, or None."""
    why: dict[str, Any] = {}
    if compiled.entities:
        hit = sorted(article_entity_ids(article) & compiled.entities)
        if not hit:
            return None
        why["entities"] = hit
        why["entity_names"] = entity_names(article, hit)
    if compiled.keywords is not None:
        hits: list[str] = []
        if not evaluate(compiled.keywords, text, hits):
            return None
        why["keywords"] = list(dict.fromkeys(hits))
    return why


def match_article(
    compiled: _Compiled,
    article: Article,
    *,
    story: Callable[[], Story | None] = lambda: None,
    story_matched: bool = False,
    text: Text | None = None,
) -> dict[str, Any] | None:
    """Why `article` matches the watchlist, or None. `story_matched`: its story was matched before."""
    if article.status != KEPT:
        return None  # a copy counts once: its first copy carries the match
    filters = filters_pass(compiled, article, story)
    if filters is None:
        return None
    text = text or Text(f"{article.title or ''}\n{article.text}")
    content = content_pass(compiled, article, text)
    if content is not None:
        return {**content, **filters}
    if story_matched and article.story_id:
        return {"story_growth": article.story_id, **filters}
    return None


def evaluate_batch(store: Store, articles: Sequence[Article], *, when: str | None = None) -> list[Match]:
    """Match a stored batch against every watchlist; record and return the new matches."""
    kept = [a for a in articles if a.status == KEPT]
    if not kept:
        return []
    watchlists = list_watchlists(store)
    if not watchlists:
        return []
    names: dict[str, str | None] = {}

    def resolve(name: str) -> str | None:
        if name not in names:
            names[name] = resolve_entity_name(store, name)
        return names[name]

    compiled = [compile_watchlist(w, resolve) for w in watchlists]
    when = when or now_iso()
    stories: dict[str, Story | None] = {}

    def story_of(article: Article) -> Callable[[], Story | None]:
        def load() -> Story | None:
            sid = article.story_id
            if sid is None:
                return None
            if sid not in stories:
                stories[sid] = store.get_story(sid)
            return stories[sid]

        return load

    before = matched_stories(store, [a.story_id for a in kept if a.story_id])
    # Articles without a date come after the dated ones: a story's first report should match first.
    ordered = sorted(kept, key=lambda a: (a.published is None, a.published or "", a.id))
    found: list[Match] = []
    needs_text = any(c.keywords is not None for c in compiled)
    for article in ordered:
        text = Text(f"{article.title or ''}\n{article.text}") if needs_text else Text("")
        for c in compiled:
            already = article.story_id is not None and c.wid in before.get(article.story_id, set())
            why = match_article(c, article, story=story_of(article), story_matched=already, text=text)
            if why is None:
                continue
            found.append(MatchRow(c.wid, article.id, article.story_id, when, why))
            if article.story_id:
                before.setdefault(article.story_id, set()).add(c.wid)
    return record_matches(store, found)


__all__ = [
    "NAME_PREFIX", "Match", "article_entity_ids", "compile_watchlist", "evaluate_batch", "match_article",
    "resolve_entity_name",
]  # fmt: skip
