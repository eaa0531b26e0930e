"""Keyset pagination: read a large ordered table a page at a time.

Each page is its own short read (a fresh connection, `WHERE key > last ORDER BY key LIMIT n`), so
memory stays at one page and no read transaction stays open while the caller works — a long
export never blocks writers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, tuple_


def pages(engine: Engine, query: Select[Any], key: Sequence[ColumnElement[Any]], size: int) -> Iterator[Any]:
    """Every row of `query` in `key` order (the key must be unique), fetched `size` rows at a time."""
    ordered = query.order_by(*key).limit(size)
    names = [str(column.key) for column in key]
    last: tuple[Any, ...] | None = None
    while True:
        page = ordered if last is None else ordered.where(tuple_(*key) > tuple_(*last))
        with engine.connect() as conn:
            rows = conn.execute(page).all()
        if not rows:
            return
        yield from rows
        tail = rows[-1]
        last = tuple(getattr(tail, name) for name in names)
