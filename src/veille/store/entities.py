"""Entities in the store: writing them with their articles, the `EntityIndex` the linker reads.

An entity id is global: the same entity arrives with many articles, in many batches, each time
under the name that article gave it. Which name the store keeps is decided by `merge_entity`, a
pure function: the fuller name wins ("Ashton Carter" over "Carter"), the knowledge base's name
always wins, and a type or knowledge-base id once known is never lost. Aliases only grow (one row
per distinct name key, the first text seen kept); roles belong to their article and are replaced
with it.

The writes run inside `Store.upsert`'s transaction (one per batch, executemany, the stored rows of
the batch's entities read in chunks, never one query per entity). Reading is in `entity_reads.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from veille.entities.names import name_key, name_words, person_parts
from veille.model import Article, Entity
from veille.store import schema
from veille.store.graph import chunks

DialectInsert = Callable[[Table], sqlite.Insert | postgresql.Insert]
# Lookups the linker makes are few distinct keys many times; past this many the cache starts over.
CACHE_MAX = 100_000


@dataclass(slots=True)
class EntityRow:
    """What the `entities` table holds of one entity."""

    id: str
    name: str
    label: str
    type: str | None = None
    kb_id: str | None = None

    def as_row(self) -> dict[str, object]:
        given, surname = person_parts(name_key(self.name, person=True)) if self.label == "PER" else ("", "")
        return {
            "id": self.id, "name": self.name, "label": self.label, "type": self.type,
            "kb_id": self.kb_id, "surname": surname or None,
            "given": given if self.label == "PER" else None,
        }  # fmt: skip


def alias_key(text: str, label: str) -> str:
    """The key an alias is stored and looked up under (people keep a leading article: "Le Pen")."""
    return name_key(text, person=label == "PER")


def merge_entity(stored: EntityRow | None, new: EntityRow | Entity) -> EntityRow:
    """The row to keep when `new` arrives for an entity stored as `stored` (None: not stored yet).

    The id and label stay. The knowledge base's name always wins: a `new` with a kb id brings its
    name, and a stored kb name is kept against any other. Otherwise the name is replaced only by
    one with more words; a tie keeps the stored name, so that the result does not flip with the
    order articles arrive in. A missing type or kb id is filled.
    """
    if stored is None:
        return EntityRow(new.id, new.name, new.label, new.type, new.kb_id)
    fuller = name_words(new.name, stored.label) > name_words(stored.name, stored.label)
    kb_named = new.kb_id is not None
    name = new.name if kb_named or (stored.kb_id is None and fuller) else stored.name
    return EntityRow(stored.id, name, stored.label, stored.type or new.type, stored.kb_id or new.kb_id)


def batch_entities(articles: Iterable[Article]) -> dict[str, EntityRow]:
    """The batch's entities merged among themselves, by id in first-seen order."""
    merged: dict[str, EntityRow] = {}
    for article in articles:
        for entity in article.entities:
            merged[entity.id] = merge_entity(merged.get(entity.id), entity)
    return merged


def alias_rows(articles: Iterable[Article], labels: dict[str, str]) -> list[dict[str, object]]:
    """One row per distinct (entity, key) of the batch: its aliases then its name, first text kept.

    `labels` maps entity id → the label the store keeps for it (the stored one wins).
    """
    rows: dict[tuple[str, str, str], dict[str, object]] = {}
    for article in articles:
        for entity in article.entities:
            label = labels.get(entity.id, entity.label)
            for text in (*entity.aliases, entity.name):
                key = alias_key(text, label)
                if key and (label, key, entity.id) not in rows:
                    rows[(label, key, entity.id)] = {
                        "entity_id": entity.id, "label": label, "key": key, "text": text
                    }  # fmt: skip
    return list(rows.values())


def role_rows(articles: Iterable[Article]) -> list[dict[str, object]]:
    """Each article's roles in order, each with the id of the entity whose `roles` holds it."""
    rows: list[dict[str, object]] = []
    for article in articles:
        position = 0
        for entity in article.entities:
            for role in entity.roles:
                rows.append(
                    {"article_id": article.id, "position": position, "entity_id": entity.id,
                     "title": role.title, "organisation": role.organisation, "country": role.country,
                     "country_entity_id": role.country_entity_id, "date": role.date,
                     "start": role.start, "end": role.end}
                )  # fmt: skip
                position += 1
    return rows


def write_entities(
    conn: Connection, insert_for: DialectInsert, articles: Sequence[Article], ids: Sequence[str]
) -> None:
    """Upsert the batch's entities and aliases and replace its articles' roles (`ids`: every
    article of the batch, so that an article that lost its roles loses their rows)."""
    e, r = schema.entities, schema.roles
    for chunk in chunks(list(ids)):
        conn.execute(delete(r).where(r.c.article_id.in_(chunk)))
    merged = batch_entities(articles)
    if merged:
        stored: dict[str, EntityRow] = {}
        for chunk in chunks(list(merged)):
            query = select(e.c.id, e.c.name, e.c.label, e.c.type, e.c.kb_id).where(e.c.id.in_(chunk))
            stored.update({row.id: EntityRow(*row) for row in conn.execute(query)})
        final = [merge_entity(stored.get(i), row) if i in stored else row for i, row in merged.items()]
        ins = insert_for(e)
        changes = {c.name: ins.excluded[c.name] for c in e.columns if c.name != "id"}
        conn.execute(
            ins.on_conflict_do_update(index_elements=["id"], set_=changes), [f.as_row() for f in final]
        )
        aliases = alias_rows(articles, {f.id: f.label for f in final})
        if aliases:
            conn.execute(insert_for(schema.entity_aliases).on_conflict_do_nothing(), aliases)
    roles = role_rows(articles)
    if roles:
        conn.execute(schema.roles.insert(), roles)


class EntityIndexMixin:
    """`veille.entities.resolve.EntityIndex` on the store, cached until the next write."""

    _engine: Engine

    def _clear_entity_cache(self) -> None:
        self._alias_cache: dict[tuple[str, str], str | None] = {}
        self._surname_cache: dict[str, list[tuple[str, str]]] = {}

    def entity_for_alias(self, label: str, key: str) -> str | None:
        """The entity known under this (label, name key); when several are, the one with the most
        mentions, then the smallest id (deterministic whatever order rows were written in)."""
        cache_key = (label, key)
        if cache_key in self._alias_cache:
            return self._alias_cache[cache_key]
        a, m = schema.entity_aliases, schema.mentions
        with self._engine.connect() as conn:
            ids = list(
                conn.execute(select(a.c.entity_id).where(a.c.label == label, a.c.key == key)).scalars()
            )
            if len(ids) > 1:
                query = (
                    select(m.c.entity_id, func.count()).where(m.c.entity_id.in_(ids)).group_by(m.c.entity_id)
                )
                counts = {row[0]: int(row[1]) for row in conn.execute(query)}
                ids.sort(key=lambda i: (-counts.get(i, 0), i))
        found = ids[0] if ids else None
        if len(self._alias_cache) >= CACHE_MAX:
            self._alias_cache.clear()
        self._alias_cache[cache_key] = found
        return found

    def people_with_surname(self, surname: str) -> list[tuple[str, str]]:
        """(entity id, given-name key) of every person stored under this surname key, by id."""
        if surname in self._surname_cache:
            return list(self._surname_cache[surname])
        e = schema.entities
        query = select(e.c.id, e.c.given).where(e.c.surname == surname, e.c.label == "PER").order_by(e.c.id)
        with self._engine.connect() as conn:
            people = [(row.id, row.given or "") for row in conn.execute(query)]
        if len(self._surname_cache) >= CACHE_MAX:
            self._surname_cache.clear()
        self._surname_cache[surname] = people
        return list(people)

    def entities_for_aliases(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        """`entity_for_alias` for many (label, key) pairs in a few statements: what a batch's linking
        will ask, read before it (one query per alias was most of linking's time with a store)."""
        wanted = list(dict.fromkeys(pairs))
        answers = {pair: self._alias_cache[pair] for pair in wanted if pair in self._alias_cache}
        missing = [pair for pair in wanted if pair not in answers]
        if not missing:
            return answers
        a, m = schema.entity_aliases, schema.mentions
        ids: dict[tuple[str, str], list[str]] = {pair: [] for pair in missing}
        by_label: dict[str, list[str]] = {}
        for label, key in missing:
            by_label.setdefault(label, []).append(key)
        counts: dict[str, int] = {}
        with self._engine.connect() as conn:
            for label, keys in by_label.items():
                for chunk in chunks(keys):
                    query = select(a.c.key, a.c.entity_id).where(a.c.label == label, a.c.key.in_(chunk))
                    for row in conn.execute(query):
                        ids[(label, row.key)].append(row.entity_id)
            shared = sorted({eid for found in ids.values() if len(found) > 1 for eid in found})
            for chunk in chunks(shared):
                query = select(m.c.entity_id, func.count()).where(m.c.entity_id.in_(chunk))
                counts.update({row[0]: int(row[1]) for row in conn.execute(query.group_by(m.c.entity_id))})
        if len(self._alias_cache) + len(missing) >= CACHE_MAX:
            self._alias_cache.clear()
        for pair, found in ids.items():
            found.sort(key=lambda i: (-counts.get(i, 0), i))
            answers[pair] = self._alias_cache[pair] = found[0] if found else None
        return answers

    def people_with_surnames(self, surnames: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
        """`people_with_surname` for many surnames in a few statements (see `entities_for_aliases`)."""
        wanted = list(dict.fromkeys(surnames))
        answers = {s: list(self._surname_cache[s]) for s in wanted if s in self._surname_cache}
        missing = [s for s in wanted if s not in answers]
        if not missing:
            return answers
        e = schema.entities
        people: dict[str, list[tuple[str, str]]] = {s: [] for s in missing}
        with self._engine.connect() as conn:
            for chunk in chunks(missing):
                query = select(e.c.surname, e.c.id, e.c.given).where(e.c.surname.in_(chunk))
                query = query.where(e.c.label == "PER")
                for row in conn.execute(query.order_by(e.c.id)):
                    people[row.surname].append((row.id, row.given or ""))
        if len(self._surname_cache) + len(missing) >= CACHE_MAX:
            self._surname_cache.clear()
        for surname, found in people.items():
            self._surname_cache[surname] = found
            answers[surname] = list(found)
        return answers

    # -- imported knowledge ------------------------------------------------------------------

    def kb_imports(self) -> list[dict[str, Any]]:
        """Every entry `veille kb import` saved, by id, as the JSON objects it saved."""
        k = schema.kb_entries
        with self._engine.connect() as conn:
            return [json.loads(data) for data in conn.execute(select(k.c.data).order_by(k.c.id)).scalars()]


def save_kb_rows(entries: Sequence[dict[str, Any]]) -> list[dict[str, object]]:
    """Rows for `kb_entries`; the last entry with a given id wins. Each entry needs a string "id"."""
    rows: dict[str, dict[str, object]] = {}
    for entry in entries:
        ident = entry.get("id")
        if not isinstance(ident, str) or not ident:
            raise ValueError(f"a knowledge-base entry needs a string 'id'; got {entry!r}")
        rows[ident] = {"id": ident, "data": json.dumps(entry, ensure_ascii=False, sort_keys=True)}
    return list(rows.values())
