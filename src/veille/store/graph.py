"""The copy graph, and resolving its components into kept articles and duplicates.

Two articles are linked when they have the same `content_hash` (exact copies) or when a
`copy_edges` row joins them (near-copies found by MinHash). Rejected articles never take part. Each
connected component is one text told several times: its first copy by `copy_order_key` is kept
(`duplicate_of` NULL) and every other member is a duplicate pointing at that first copy.

This is single linkage: if A is a near-copy of B and B of C, then A, B and C are one component even
when A and C are not similar, and A points at the component's first copy, not at its own nearest
neighbour. We accept that drift for two reasons: the outcome is the same whatever order and batches
articles arrive in (a component does not depend on which edge was found first), and a duplicate
always points at a kept article, never at another duplicate (no chains to follow).

Finding is apart from writing back: `explore` reads the part of the graph reachable from some seeds,
`plan` (pure, tested without a store) decides what changes, `resolve` does both and writes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from veille.model import DUPLICATE, KEPT, REJECTED
from veille.store import schema
from veille.store.copies import copy_order_key

log = logging.getLogger(__name__)

# Upper bound on ids per IN (...): well under SQLite's bound-parameter limit on old builds (999).
CHUNK = 500
# Components are a handful of copies; a BFS that reaches this many nodes beyond its seeds has met a
# pathological component (a boilerplate text copied everywhere, a bad similarity threshold).
MAX_BFS_NODES = 10_000


def chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    published: str | None
    status: str
    duplicate_of: str | None
    content_hash: str | None


@dataclass(slots=True)
class CopyGraph:
    """The part of the copy graph read from the store: non-rejected nodes and the links among them."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[tuple[str, str]] = field(default_factory=set)
    # Nodes whose neighbourhood was not fully read because the BFS hit its cap: their components
    # are left as they are rather than resolved from a partial view.
    incomplete: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Change:
    id: str
    status: str
    duplicate_of: str | None


def _components(graph: CopyGraph) -> list[list[str]]:
    parent = {node_id: node_id for node_id in graph.nodes}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(x: str, y: str) -> None:
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    by_hash: dict[str, str] = {}
    for node in graph.nodes.values():
        if node.content_hash:
            join(node.id, by_hash.setdefault(node.content_hash, node.id))
    for x, y in graph.edges:
        if x in parent and y in parent:  # an edge to a rejected article links nothing
            join(x, y)
    groups: dict[str, list[str]] = {}
    for node_id in sorted(parent):
        groups.setdefault(root(node_id), []).append(node_id)
    return list(groups.values())


def plan(graph: CopyGraph) -> tuple[list[Change], int]:
    """The status changes that resolve every complete component, and how many were left (capped)."""
    changes: list[Change] = []
    capped = 0
    for members in _components(graph):
        if graph.incomplete.intersection(members):
            capped += 1
            continue
        nodes = [graph.nodes[m] for m in members]
        first = min(nodes, key=lambda n: copy_order_key(n.published, n.id))
        for node in nodes:
            status, target = (KEPT, None) if node is first else (DUPLICATE, first.id)
            if (node.status, node.duplicate_of) != (status, target):  # reruns write nothing
                changes.append(Change(node.id, status, target))
    changes.sort(key=lambda c: c.id)  # one update order for every writer: no lock-order deadlocks
    return changes, capped


def _node(row: Any) -> Node:
    return Node(row.id, row.published, row.status, row.duplicate_of, row.content_hash)


def explore(
    conn: Connection, seed_ids: Iterable[str], seed_hashes: Iterable[str], limit: int = MAX_BFS_NODES
) -> CopyGraph:
    """Breadth-first read of every component holding a seed article or a seed content hash.

    One level at a time, for all seeds together, so a batch costs a few queries per level rather
    than a few per article. Stops expanding once it holds `limit` nodes beyond its seed ids.
    """
    a, e = schema.articles, schema.copy_edges
    columns = (a.c.id, a.c.published, a.c.status, a.c.duplicate_of, a.c.content_hash)
    graph = CopyGraph()
    pending_ids = set(seed_ids)
    pending_hashes = {h for h in seed_hashes if h}
    tried: set[str] = set()  # ids looked up, found or not, rejected or not
    hashes_done: set[str] = set()
    edges_done: set[str] = set()
    cap = len(pending_ids) + limit
    while True:
        pending_ids -= tried
        pending_hashes -= hashes_done
        fresh = [n for n in graph.nodes if n not in edges_done]
        if not (pending_ids or pending_hashes or fresh):
            return graph
        if len(graph.nodes) >= cap:
            break
        for chunk in chunks(sorted(pending_ids)):
            query = select(*columns).where(a.c.id.in_(chunk), a.c.status != REJECTED)
            graph.nodes.update((row.id, _node(row)) for row in conn.execute(query))
        tried |= pending_ids
        pending_ids = set()
        pending_hashes |= {n.content_hash for n in graph.nodes.values() if n.content_hash} - hashes_done
        for chunk in chunks(sorted(pending_hashes)):
            query = select(*columns).where(a.c.content_hash.in_(chunk), a.c.status != REJECTED)
            for row in conn.execute(query):
                graph.nodes.setdefault(row.id, _node(row))
                tried.add(row.id)
        hashes_done |= pending_hashes
        fresh = sorted(n for n in graph.nodes if n not in edges_done)
        for chunk in chunks(fresh):
            # Two queries, each served by an index (the primary key for `a`, ix_copy_edges_b for `b`).
            for column in (e.c.a, e.c.b):
                for edge in conn.execute(select(e.c.a, e.c.b).where(column.in_(chunk))):
                    graph.edges.add((edge.a, edge.b))
                    pending_ids.update((edge.a, edge.b))
        edges_done.update(fresh)
    # Capped: mark every node whose neighbourhood is not fully known.
    for node in graph.nodes.values():
        if node.id not in edges_done or (node.content_hash and node.content_hash not in hashes_done):
            graph.incomplete.add(node.id)
    unread = pending_ids - tried
    for x, y in graph.edges:
        if x in unread or y in unread:
            graph.incomplete.update(n for n in (x, y) if n in graph.nodes)
    return graph


def resolve(
    conn: Connection, seed_ids: Iterable[str], seed_hashes: Iterable[str], limit: int = MAX_BFS_NODES
) -> int:
    """Re-resolve the components of the seeds inside `conn`'s transaction; return how many were capped."""
    graph = explore(conn, seed_ids, seed_hashes, limit)
    changes, capped = plan(graph)
    if capped:
        log.warning(
            "copy graph: %d component(s) grew past %d articles and were left unresolved; "
            "check the near-copy threshold or the texts copied most often",
            capped,
            limit,
        )
    if changes:
        a = schema.articles
        stmt = (
            update(a)
            .where(a.c.id == bindparam("b_id"))
            .values(status=bindparam("b_status"), duplicate_of=bindparam("b_target"))
        )
        conn.execute(
            stmt, [{"b_id": c.id, "b_status": c.status, "b_target": c.duplicate_of} for c in changes]
        )
    return capped
