"""Stories in the store: the SQL side of the clusterer's `StoryBackend` protocol, and story reads.

The clusterer (veille.stories) asks for candidate stories by index key and date window, reads
states by id, and saves the states it changed with the merges it made. A state is stored whole as
JSON; the columns beside it (dates, size, `merged_into`) are what lookups and users filter on.
Keys are re-indexed on every save, and a merged story leaves the index but keeps its row, so that
an id a user saw still answers (through `resolve`). Saving happens while the stories stage runs,
between batches: the story index is the clusterer's own state, kept in the store so that the next
run goes on from it (clustering is incremental across runs).
"""

from __future__ import annotations

import json
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, TextClause, delete, func, select, text

from veille.errors import StoreError
from veille.model import Story
from veille.store import schema
from veille.store.graph import chunks

if TYPE_CHECKING:
    from veille.stories.state import StoryState

# How many of a key's most recently saved stories a lookup reads (as the in-memory backend does).
POSTINGS_SCANNED = 200


@lru_cache(maxsize=256)
def _postings_query(n: int) -> TextClause:
    """Each of `n` keys' POSTINGS_SCANNED most recent story ids (`:k0` … bound), as one statement.

    Written as text, not built with SQLAlchemy's expression language: building and hashing a
    union of up to 200 subqueries for every article was a third of the stories stage's time in the
    store (py-spy, Ray driver); the text is made once per number of keys. The aliases are required
    by PostgreSQL before 16; SQLite accepts them."""
    sk = schema.story_keys
    scan = (
        f"SELECT {sk.c.story_id.name} FROM (SELECT {sk.c.story_id.name} FROM {sk.name} "
        f"WHERE {sk.c.key.name} = :k{{i}} ORDER BY {sk.c.seq.name} DESC LIMIT {POSTINGS_SCANNED}) AS p{{i}}"
    )
    return text(" UNION ALL ".join(scan.format(i=i) for i in range(n)))


# Parsed story states kept between lookups, bounded by the length of their JSON, not by their
# number: a state grows with its story (articles, headlines, terms), so a count bound let the cache
# grow along a run. A parsed state takes ≈ 3.4 bytes per JSON character (≈ 2 once its embedding is
# an array); the median state of the shared corpus is ≈ 8,000 characters, so 32 million
# characters hold ≈ 4,000 typical states in ≈ 70 MiB.
PARSED_STATE_CHARS = 32_000_000
_STATE_LOCK = threading.Lock()


def _state(row: Any) -> StoryState:
    from veille.stories.state import StoryState

    return StoryState.from_row(json.loads(row.state))


# The lists of `Story` that the `summary` column holds (the rest are columns of their own).
SUMMARY_FIELDS = ("article_ids", "sources", "entity_ids", "event_ids", "undated_article_ids")


def story_summary(story: Story) -> str:
    """The `summary` column of a story: its lists as one small JSON object."""
    return json.dumps({name: getattr(story, name) for name in SUMMARY_FIELDS}, ensure_ascii=False)


def story_from_row(row: Any) -> Story:
    """A whole `Story` from a stories row's columns and summary, its state left unparsed."""
    if row.summary is None:  # `save` always writes it and migration 9 wrote it for older rows
        raise StoreError(
            f"story {row.id!r} has no summary, so the store was changed outside veille: ingest its "
            "articles again (veille ingest) to rewrite their stories"
        )
    lists = json.loads(row.summary)
    return Story(
        id=row.id, title=row.title, first_seen=row.first_seen, last_seen=row.last_seen,
        independent_sources=row.independent_sources, merged_into=row.merged_into,
        **{name: list(lists.get(name, [])) for name in SUMMARY_FIELDS},
    )  # fmt: skip


# Everything `story_from_row` reads: a story read never loads the (large) state it does not need.
def _summary_columns() -> list[Any]:
    st = schema.stories
    return [st.c.id, st.c.title, st.c.first_seen, st.c.last_seen, st.c.independent_sources,
            st.c.merged_into, st.c.summary]  # fmt: skip


def _meets(row: Any, start: str | None, end: str | None) -> bool:
    if row.first_seen is None or row.last_seen is None:
        return True
    if start is not None and row.last_seen < start:
        return False
    return not (end is not None and row.first_seen > end)


def _resolve(conn: Connection, story_ids: Iterable[str]) -> dict[str, str]:
    """Each id → the live story it was merged into (itself when live)."""
    st = schema.stories
    found: dict[str, str] = {}
    pending = {sid: sid for sid in story_ids}
    for _ in range(32):  # merge chains are short; the bound guards a corrupted cycle
        if not pending:
            break
        rows = conn.execute(select(st.c.id, st.c.merged_into).where(st.c.id.in_(list(set(pending.values())))))
        into = {r.id: r.merged_into for r in rows}
        nxt = {}
        for asked, current in pending.items():
            if current not in into:
                continue  # no such story
            target = into[current]
            if target is None:
                found[asked] = current
            else:
                nxt[asked] = target
        pending = nxt
    return found


class StoriesMixin:
    """`StoryBackend` (candidates, get, stories_of, save) and the story reads of `Store`."""

    _engine: Engine
    _parsed_states: OrderedDict[str, tuple[int, dict[str, Any], int]]
    _parsed_chars: int

    if TYPE_CHECKING:

        def _write(self) -> Any: ...

        _dialect_insert: Any

    # -- the clusterer's backend ----------------------------------------------------------------
    def candidates(
        self, keys: Sequence[str], start: str | None, end: str | None, limit: int
    ) -> list[StoryState]:
        st = schema.stories
        shared: dict[str, int] = {}
        with self._engine.connect() as conn:
            # Each key's POSTINGS_SCANNED most recently saved stories, all keys in one statement
            # (a query per key was most of the stage's time in the store). One limited scan per key
            # on the (key, seq) index, so the cost stays bounded however long a key's postings
            # grow; a window function over all of them did not (it grew with the store).
            for chunk in chunks(list(dict.fromkeys(keys)), 200):
                params = {f"k{i}": key for i, key in enumerate(chunk)}
                for posting in conn.execute(_postings_query(len(chunk)), params):
                    shared[posting.story_id] = shared.get(posting.story_id, 0) + 1
            ranked = [sid for sid, _ in sorted(shared.items(), key=lambda item: (-item[1], item[0]))]
            # Dates first, in rank order, until `limit` stories meet the window: most postings
            # point outside it. Then the states (large JSON) of those alone, parsed once per save.
            chosen: dict[str, int] = {}  # id → seq
            for chunk in chunks(ranked, 200):
                dates = select(st.c.id, st.c.seq, st.c.first_seen, st.c.last_seen)
                live = dates.where(st.c.id.in_(chunk), st.c.merged_into.is_(None))
                rows = {r.id: r for r in conn.execute(live)}
                for sid in chunk:
                    if sid in rows and _meets(rows[sid], start, end):
                        chosen[sid] = rows[sid].seq
                if len(chosen) >= limit:
                    break
            from veille.stories.state import StoryState

            kept = {sid: chosen[sid] for sid in list(chosen)[:limit]}
            return [StoryState.from_row(row) for row in self._state_rows(conn, kept)]

    def _state_rows(self, conn: Connection, wanted: dict[str, int]) -> list[dict[str, Any]]:
        """The parsed state of each id (in `wanted`'s order) as saved at that seq. Parsed states are
        kept (a bounded LRU): one story is a candidate for many articles in a row, and parsing its
        JSON each time was most of the clustering's time with a store."""
        cache = self._state_cache()
        found: dict[str, dict[str, Any]] = {}
        with _STATE_LOCK:
            for sid, seq in wanted.items():
                hit = cache.get(sid)
                if hit is not None and hit[0] == seq:
                    cache.move_to_end(sid)
                    found[sid] = hit[1]
        st = schema.stories
        missing = [sid for sid in wanted if sid not in found]
        for chunk in chunks(missing, 200):
            for row in conn.execute(select(st.c.id, st.c.seq, st.c.state).where(st.c.id.in_(chunk))):
                # Kept here, not read back from the cache: caching one state may evict another
                # that this lookup wants.
                found[row.id] = self._parsed(row)
        return [found[sid] for sid in wanted if sid in found]

    def _state_cache(self) -> OrderedDict[str, tuple[int, dict[str, Any], int]]:
        """id → (seq, parsed state, length of its JSON), least recently used first."""
        cache = getattr(self, "_parsed_states", None)
        if cache is None:
            with _STATE_LOCK:
                cache = getattr(self, "_parsed_states", None)
                if cache is None:
                    cache = self._parsed_states = OrderedDict()
                    self._parsed_chars = 0
        return cache

    def _parsed(self, row: Any) -> dict[str, Any]:
        """A stories row's state (with `id`, `seq`, `state`), parsed once per save. Callers build a
        StoryState from it (`from_row` copies): the cached dict is never changed."""
        cache = self._state_cache()
        with _STATE_LOCK:
            hit = cache.get(row.id)
            if hit is not None and hit[0] == row.seq:
                cache.move_to_end(row.id)
                return hit[1]
        parsed: dict[str, Any] = json.loads(row.state)
        if parsed.get("embedding") is not None:
            # 8 bytes a value instead of a float object and a pointer (32): a 512-value embedding
            # was 16 kB of a state's ≈ 31 kB. StoryState.from_row copies it back into a list.
            parsed["embedding"] = array("d", parsed["embedding"])
        with _STATE_LOCK:  # the API serves reads from several threads
            old = cache.pop(row.id, None)
            if old is not None:
                self._parsed_chars -= old[2]
            cache[row.id] = (row.seq, parsed, len(row.state))
            self._parsed_chars += len(row.state)
            while self._parsed_chars > PARSED_STATE_CHARS and len(cache) > 1:
                self._parsed_chars -= cache.popitem(last=False)[1][2]
        return parsed

    def get(self, story_ids: Sequence[str]) -> list[StoryState]:
        st = schema.stories
        with self._engine.connect() as conn:
            rows = {}
            for chunk in chunks(list(story_ids)):
                rows.update({r.id: r for r in conn.execute(select(st).where(st.c.id.in_(chunk)))})
        return [_state(rows[sid]) for sid in story_ids if sid in rows]

    def stories_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        sa = schema.story_articles
        with self._engine.connect() as conn:
            first: dict[str, str] = {}
            for chunk in chunks(list(article_ids)):
                query = select(sa.c.article_id, sa.c.story_id).where(sa.c.article_id.in_(chunk))
                first.update({r.article_id: r.story_id for r in conn.execute(query)})
            live = _resolve(conn, first.values())
        return {article: live.get(story, story) for article, story in first.items()}

    def save(self, states: Sequence[StoryState], merges: Sequence[tuple[str, str]]) -> None:
        if not states and not merges:
            return
        st, sa, sm = schema.stories, schema.story_articles, schema.story_merges
        with self._write() as conn:
            seq = int(conn.execute(select(func.coalesce(func.max(st.c.seq), 0))).scalar_one()) + 1
            rows = []
            for state in states:
                story = state.to_story()
                rows.append({
                    "id": state.id, "title": story.title, "first_seen": state.first_seen,
                    "last_seen": state.last_seen, "size": len(state.article_ids),
                    "independent_sources": story.independent_sources, "merged_into": state.merged_into,
                    "seq": seq, "state": json.dumps(state.to_row(), ensure_ascii=False),
                    "summary": story_summary(story),
                })  # fmt: skip
            if rows:
                ins = self._dialect_insert(st)
                columns = ("title", "first_seen", "last_seen", "size", "independent_sources", "merged_into",
                           "seq", "state", "summary")  # fmt: skip
                updated = {c: ins.excluded[c] for c in columns}
                conn.execute(ins.on_conflict_do_update(index_elements=["id"], set_=updated), rows)
            self._index(conn, states, seq)
            joined = {
                article: {"article_id": article, "story_id": state.id}
                for state in states
                for article in state.article_ids
            }
            if joined:
                conn.execute(self._dialect_insert(sa).on_conflict_do_nothing(), list(joined.values()))
            if merges:
                pairs = [{"absorbed": a, "survivor": b} for a, b in dict(merges).items()]
                ins = self._dialect_insert(sm)
                again = {"survivor": ins.excluded.survivor}
                conn.execute(ins.on_conflict_do_update(index_elements=["absorbed"], set_=again), pairs)

    def _index(self, conn: Connection, states: Sequence[StoryState], seq: int) -> None:
        """Re-index the saved states' keys; a merged story leaves the index."""
        sk = schema.story_keys
        for chunk in chunks([state.id for state in states]):
            conn.execute(delete(sk).where(sk.c.story_id.in_(chunk)))
        keys = {
            (key, state.id): {"key": key, "story_id": state.id, "seq": seq}
            for state in states
            if state.merged_into is None
            for key in state.keys
        }
        if keys:
            conn.execute(self._dialect_insert(sk).on_conflict_do_nothing(), list(keys.values()))

    # -- reads ------------------------------------------------------------------------------------
    def resolve_story(self, story_id: str) -> str | None:
        """The live story an id stands for (itself, or the story it was merged into); None if unknown."""
        with self._engine.connect() as conn:
            return _resolve(conn, [story_id]).get(story_id)

    def get_story(self, story_id: str) -> Story | None:
        """One story by id, a merged id answering with its survivor."""
        live = self.resolve_story(story_id)
        if live is None:
            return None
        st = schema.stories
        with self._engine.connect() as conn:
            row = conn.execute(select(*_summary_columns()).where(st.c.id == live)).first()
        return story_from_row(row) if row is not None else None

    def find_stories(
        self,
        date_from: str | None = None,
        date_to: str | None = None,
        entity_ids: Iterable[str] | None = None,
        limit: int = 50,
        min_size: int = 1,
        *,
        offset: int = 0,
    ) -> list[Story]:
        """Live stories, most recently seen first (undated last): those whose span meets
        [date_from, date_to], of at least `min_size` articles, naming one of `entity_ids`; `offset`
        of them skipped."""
        st = schema.stories
        stmt = select(*_summary_columns()).where(st.c.merged_into.is_(None), st.c.size >= min_size)
        if date_from is not None:
            stmt = stmt.where(st.c.last_seen >= date_from)
        if date_to is not None:
            stmt = stmt.where(st.c.first_seen <= date_to + "\uffff")
        # NULLS LAST rather than ordering on "last_seen IS NULL": the index on last_seen then gives
        # the order, and a page reads `limit` rows instead of sorting every story.
        stmt = stmt.order_by(st.c.last_seen.desc().nulls_last(), st.c.size.desc(), st.c.id)
        wanted = set(entity_ids) if entity_ids is not None else None
        if wanted is None:
            stmt = stmt.limit(limit).offset(max(offset, 0))
        found: list[Story] = []
        skipped = 0
        with self._engine.connect() as conn:
            for row in conn.execute(stmt):
                story = story_from_row(row)
                if wanted is not None:
                    if not wanted & set(story.entity_ids):
                        continue
                    if skipped < offset:
                        skipped += 1
                        continue
                found.append(story)
                if len(found) >= limit:
                    break
        return found

    def iter_stories(self) -> Iterable[Story]:
        """Every live story, by id (for export)."""
        st = schema.stories
        query = select(*_summary_columns()).where(st.c.merged_into.is_(None)).order_by(st.c.id)
        with self._engine.connect() as conn:
            for row in conn.execute(query):
                yield story_from_row(row)


def backfill_summaries(conn: Connection) -> None:
    """Store migration 9: the `summary` column, added where missing and written for every story
    saved before it existed (from its state, as `save` writes it)."""
    from sqlalchemy import inspect, text, update

    from veille.stories.state import StoryState

    if "summary" not in {column["name"] for column in inspect(conn).get_columns("stories")}:
        conn.execute(text("ALTER TABLE stories ADD COLUMN summary TEXT"))
    st = schema.stories
    last = ""
    while True:  # by id, a page at a time: memory stays at one page of states
        page = select(st.c.id, st.c.state).where(st.c.summary.is_(None), st.c.id > last)
        rows = conn.execute(page.order_by(st.c.id).limit(500)).all()
        if not rows:
            return
        for row in rows:
            story = StoryState.from_row(json.loads(row.state)).to_story()
            conn.execute(update(st).where(st.c.id == row.id).values(summary=story_summary(story)))
        last = rows[-1].id


def story_counts(conn: Connection) -> dict[str, Any]:
    st = schema.stories
    live = st.c.merged_into.is_(None)
    stories = int(conn.execute(select(func.count()).select_from(st).where(live)).scalar_one())
    multi = int(conn.execute(select(func.count()).select_from(st).where(live, st.c.size > 1)).scalar_one())
    merged = int(conn.execute(select(func.count()).select_from(schema.story_merges)).scalar_one())
    return {"stories": stories, "stories_with_several_articles": multi, "story_merges": merged}
