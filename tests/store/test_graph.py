from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

from sqlalchemy import select

from veille.model import Article
from veille.store import Store, schema
from veille.store.graph import Change, CopyGraph, Node, plan, resolve

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)
Wipe = Callable[[Store], None]  # the wipe fixture (conftest.py)

# A chain of near-copies: A~B and B~C, A and C not similar. C is the earliest published.
CHAIN_DATES = {"A": "2016-01-03", "B": "2016-01-02", "C": "2016-01-01"}
CHAIN_EDGES = {("A", "B"): 0.8, ("B", "C"): 0.7}
BATCHINGS = [(1, 1, 1), (1, 2), (2, 1), (3,)]


def _outcome(store: Store) -> dict[str, tuple[str, str | None]]:
    return {a.id: (a.status, a.duplicate_of) for a in store.iter_articles()}


def _edges(store: Store) -> list[tuple[str, str, float]]:
    e = schema.copy_edges
    with store._engine.connect() as conn:
        query = select(e.c.a, e.c.b, e.c.similarity).order_by(e.c.a, e.c.b)
        return [(row.a, row.b, row.similarity) for row in conn.execute(query)]


def _node(node_id: str, published: str | None = None, content_hash: str | None = None) -> Node:
    return Node(node_id, published, "kept", None, content_hash or f"h-{node_id}")


def test_graph_plan_single_linkage_points_at_component_first() -> None:
    graph = CopyGraph(nodes={n: _node(n, CHAIN_DATES[n]) for n in "ABC"}, edges={("A", "B"), ("B", "C")})
    changes, capped = plan(graph)
    assert changes == [Change("A", "duplicate", "C"), Change("B", "duplicate", "C")]
    assert capped == 0


def test_graph_plan_joins_hash_groups_and_edges() -> None:
    nodes = {"A": _node("A", content_hash="h"), "X": _node("X", content_hash="h"), "B": _node("B")}
    changes, _ = plan(CopyGraph(nodes=nodes, edges={("A", "B")}))
    assert changes == [Change("B", "duplicate", "A"), Change("X", "duplicate", "A")]


def test_graph_plan_already_resolved_changes_nothing() -> None:
    nodes = {"A": _node("A"), "B": Node("B", None, "duplicate", "A", "h-B")}
    assert plan(CopyGraph(nodes=nodes, edges={("A", "B")})) == ([], 0)


def test_graph_plan_leaves_incomplete_components_alone() -> None:
    nodes = {n: _node(n) for n in "ABXY"}
    graph = CopyGraph(nodes=nodes, edges={("A", "B"), ("X", "Y")}, incomplete={"Y"})
    assert plan(graph) == ([Change("B", "duplicate", "A")], 1)


def test_graph_plan_edge_to_node_outside_links_nothing() -> None:
    # The other end is rejected (not a node): the edge must not pull anything in.
    assert plan(CopyGraph(nodes={"A": _node("A")}, edges={("A", "R")})) == ([], 0)


def _chain_batches(
    order: tuple[str, ...], batching: tuple[int, ...], make_article: MakeArticle
) -> list[list[Article]]:
    """The chain split into batches; each article lists its near-copies among those before it,
    as the near-copy stage would (it queries the index of what is stored or earlier in the batch)."""
    batches, position = [], 0
    for size in batching:
        batch = []
        for name in order[position : position + size]:
            before = order[: order.index(name)]
            near = [(other, sim) for pair, sim in CHAIN_EDGES.items() if name in pair
                    for other in pair if other != name and other in before]  # fmt: skip
            batch.append(make_article(name, published=CHAIN_DATES[name], near_copies=near))
        batches.append(batch)
        position += size
    return batches


def test_graph_chain_outcome_independent_of_order_and_batching(
    store: Store, make_article: MakeArticle, wipe: Wipe
) -> None:
    expected = {"A": ("duplicate", "C"), "B": ("duplicate", "C"), "C": ("kept", None)}
    for order in permutations("ABC"):
        for batching in BATCHINGS:
            wipe(store)
            for batch in _chain_batches(order, batching, make_article):
                store.upsert(batch)
            assert _outcome(store) == expected, (order, batching)
            assert _edges(store) == [("A", "B", 0.8), ("B", "C", 0.7)], (order, batching)


def test_graph_edge_reported_by_both_ends_stored_once(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("b", near_copies=[("a", 0.6)]), make_article("a", near_copies=[("b", 0.6)])])
    assert _edges(store) == [("a", "b", 0.6)]


def test_graph_edge_to_unknown_id_skipped_and_counted(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a")])
    store.upsert([make_article("b", near_copies=[("a", 0.9), ("ghost", 0.9), ("b", 1.0)])])
    assert _edges(store) == [("a", "b", 0.9)]  # the edge to itself is no edge either
    assert store.counters == {"copy_edges_unknown_id": 1}
    assert _outcome(store) == {"a": ("kept", None), "b": ("duplicate", "a")}


def test_graph_reingest_replaces_edges_and_resolves_what_it_left(
    store: Store, make_article: MakeArticle
) -> None:
    store.upsert([make_article("a"), make_article("c")])
    store.upsert([make_article("b", near_copies=[("a", 0.9), ("c", 0.8)])])
    assert _outcome(store)["c"] == ("duplicate", "a")
    store.upsert([make_article("b", near_copies=[("c", 0.85)])])  # b's text changed: no longer like a
    assert _edges(store) == [("b", "c", 0.85)]
    assert _outcome(store) == {"a": ("kept", None), "b": ("kept", None), "c": ("duplicate", "b")}


def test_graph_rejected_article_takes_no_part(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [
            make_article("A", published=CHAIN_DATES["A"]),
            make_article("B", "", status="rejected", reason="empty", near_copies=[("A", 0.9), ("C", 0.9)]),
            make_article("C", published=CHAIN_DATES["C"]),
        ]
    )
    assert _outcome(store) == {"A": ("kept", None), "B": ("rejected", None), "C": ("kept", None)}


def test_graph_resolve_copies_by_id(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a"), make_article("b", near_copies=[("a", 0.9)])])
    with store._write() as conn:  # break the outcome behind the store's back
        conn.execute(schema.articles.update().values(status="kept", duplicate_of=None))
    store.resolve_copies(ids=["a"])
    assert _outcome(store) == {"a": ("kept", None), "b": ("duplicate", "a")}


def test_graph_bfs_cap_leaves_giant_component_as_is(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article(f"n{i}", near_copies=[(f"n{i - 1}", 0.9)] if i else []) for i in range(6)])
    store.upsert([make_article("alone")])
    with store._write() as conn:
        conn.execute(schema.articles.update().values(status="kept", duplicate_of=None))
        capped = resolve(conn, ["n5", "alone"], [], limit=2)
    assert capped == 1
    assert all(status == ("kept", None) for status in _outcome(store).values())  # nothing half-resolved
