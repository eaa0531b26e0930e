from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

from veille.model import Article
from veille.store import Store, copy_order_key

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)
Wipe = Callable[[Store], None]  # the wipe fixture (conftest.py)


def _copies(make_article: MakeArticle) -> list[Article]:
    """Four copies of one text: one undated, two dated the same instant, one dated later."""
    return [
        make_article("z-undated", content_hash="same"),
        make_article("b-same-instant", content_hash="same", published="2016-01-18T10:00:00+00:00"),
        make_article("c-same-instant", content_hash="same", published="2016-01-18T11:00:00+01:00"),
        make_article("a-later", content_hash="same", published="2016-01-19"),
    ]


def _outcome(store: Store) -> dict[str, tuple[str, str | None]]:
    return {a.id: (a.status, a.duplicate_of) for a in store.iter_articles()}


def test_copies_order_key_earliest_then_undated_then_id() -> None:
    keys = {
        "date": copy_order_key("2016-01-18", "z"),
        "datetime_after_midnight": copy_order_key("2016-01-18T10:00:00+00:00", "a"),
        "same_instant_other_zone": copy_order_key("2016-01-18T11:00:00+01:00", "b"),
        "undated": copy_order_key(None, "a"),
        "unreadable": copy_order_key("18 janvier 2016", "0"),
    }
    order = sorted(keys, key=keys.__getitem__)
    assert order == ["date", "datetime_after_midnight", "same_instant_other_zone", "unreadable", "undated"]


def test_copies_first_copy_is_earliest_then_smallest_id(store: Store, make_article: MakeArticle) -> None:
    store.upsert(_copies(make_article))
    assert store.first_copies(["same", "absent"]) == {"same": ("2016-01-18T10:00:00+00:00", "b-same-instant")}
    store.resolve_copies(["same"])
    assert _outcome(store) == {
        "a-later": ("duplicate", "b-same-instant"),
        "b-same-instant": ("kept", None),
        "c-same-instant": ("duplicate", "b-same-instant"),
        "z-undated": ("duplicate", "b-same-instant"),
    }


def test_copies_resolution_independent_of_upsert_order(
    store: Store, make_article: MakeArticle, wipe: Wipe
) -> None:
    outcomes = []
    for order in permutations(range(4)):
        wipe(store)
        copies = _copies(make_article)
        for i in order:  # one batch per article, resolving after each, as the engine does
            store.upsert([copies[i]])
            store.resolve_copies(["same"])
        outcomes.append(_outcome(store))
    assert all(outcome == outcomes[0] for outcome in outcomes)
    assert outcomes[0]["b-same-instant"] == ("kept", None)


def test_copies_undated_only_goes_by_smallest_id(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("y", content_hash="h"), make_article("x", content_hash="h")])
    store.resolve_copies(["h"])
    assert _outcome(store) == {"x": ("kept", None), "y": ("duplicate", "x")}


def test_copies_rejected_never_chosen_as_first(store: Store, make_article: MakeArticle) -> None:
    rejected = make_article("a-rejected", content_hash="h", published="2000-01-01", status="rejected",
                            reason="no_content")  # fmt: skip
    store.upsert([rejected, make_article("b", content_hash="h", published="2020-01-01")])
    assert store.first_copies(["h"]) == {"h": ("2020-01-01", "b")}
    store.resolve_copies(["h"])
    assert _outcome(store) == {"a-rejected": ("rejected", None), "b": ("kept", None)}
