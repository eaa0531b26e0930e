"""Co-occurring entities (the entity page's neighbours), on SQLite and PostgreSQL: counted in shared
articles (not mentions), ties by id, unknown and unresolved mentions left out, read from the
mentions indexes of migration 11 rather than from the table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event

from veille.model import Article, Entity, Mention
from veille.store import Store

MakeArticle = Callable[..., Article]


def mentioning(
    make_article: MakeArticle, article_id: str, *named: tuple[Entity | str | None, int]
) -> Article:
    """An article mentioning each entity (an Entity, a bare id with no entity row, or None for an
    unresolved mention) the given number of times."""
    text, mentions, entities = "", [], []
    for who, times in named:
        ident = who.id if isinstance(who, Entity) else who
        if isinstance(who, Entity):
            entities.append(who)
        for _ in range(times):
            word = ident or "Inconnu"
            mentions.append(Mention(article_id, len(text), len(text) + len(word), word, "PER", ident))
            text += word + ". "
    return make_article(article_id, text, mentions=mentions, entities=entities)


def _entity(ident: str, name: str) -> Entity:
    return Entity(ident, name, "PER", aliases=[name])


def test_cooccurring_counts_articles_not_mentions(store: Store, make_article: MakeArticle) -> None:
    trump, biden, pence, harris = (
        _entity("ent_trump", "Trump"),
        _entity("ent_biden", "Biden"),
        _entity("ent_pence", "Pence"),
        _entity("ent_harris", "Harris"),
    )
    store.upsert([
        mentioning(make_article, "a", (trump, 3), (biden, 5), ("ent_ghost", 2), (None, 1)),
        mentioning(make_article, "b", (trump, 1), (biden, 1), (pence, 1)),
        mentioning(make_article, "c", (trump, 1), (harris, 4)),
        mentioning(make_article, "d", (biden, 1), (harris, 1), (pence, 1)),  # no Trump: not counted
    ])  # fmt: skip
    # Biden: 2 articles (6 mentions); Harris and Pence 1 each, by id; the entity itself, an id with
    # no entity row and an unresolved mention are left out.
    assert store.cooccurring("ent_trump") == [
        ("ent_biden", "Biden", "PER", 2),
        ("ent_harris", "Harris", "PER", 1),
        ("ent_pence", "Pence", "PER", 1),
    ]
    assert store.cooccurring("ent_trump", limit=2) == [
        ("ent_biden", "Biden", "PER", 2),
        ("ent_harris", "Harris", "PER", 1),
    ]
    assert store.cooccurring("ent_nobody") == []
    # Re-storing an article replaces its mentions: Harris leaves Trump's neighbours.
    store.upsert([mentioning(make_article, "c", (trump, 1))])
    assert [n[0] for n in store.cooccurring("ent_trump")] == ["ent_biden", "ent_pence"]


def test_cooccurring_read_from_indexes_alone(tmp_path: Path) -> None:
    """SQLite's plan for the statement `cooccurring` runs reads both steps from covering indexes:
    no mention row is read, however many mentions the entity's articles hold."""
    with Store.open(str(tmp_path / "plan.db")) as store:
        seen: list[tuple[str, Any]] = []

        def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            seen.append((statement, parameters))

        event.listen(store.engine, "before_cursor_execute", keep)
        store.cooccurring("ent_trump")
        event.remove(store.engine, "before_cursor_execute", keep)
        [(statement, parameters)] = [(sql, args) for sql, args in seen if "mentions" in sql]
        with store.engine.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "COVERING INDEX ix_mentions_entity_text" in details
    assert "COVERING INDEX ix_mentions_article_entity" in details
