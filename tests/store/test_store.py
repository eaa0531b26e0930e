from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from veille.errors import StoreError
from veille.model import Article, DroppedLine, Mention, StageFailure
from veille.store import Store, schema
from veille.store.store import CHUNK

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)


def _rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but schema_migrations, in primary-key order."""
    with store._engine.connect() as conn:
        return {
            table.name: [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]
            for table in schema.metadata.sorted_tables
            if table is not schema.schema_migrations
        }


def test_store_round_trip_keeps_lines_and_mentions(store: Store, rich_article: Article) -> None:
    store.upsert([rich_article])
    got = store.get_article("a1")
    assert got is not None
    assert got.dropped_lines == rich_article.dropped_lines  # page order kept
    assert [m.start for m in got.mentions] == [0, 42]  # ordered by start
    assert sorted(got.mentions, key=lambda m: m.start) == got.mentions
    assert {(m.text, m.entity_id) for m in got.mentions} == {
        ("Paris", None),
        ("Jean-Yves Le Drian", "Q12345"),
    }
    for name in ("url", "source_name", "title", "text", "published", "content_hash", "status", "story_id"):
        assert getattr(got, name) == getattr(rich_article, name)


def test_store_get_missing_article_is_none(store: Store) -> None:
    assert store.get_article("nope") is None


def test_store_upsert_twice_is_idempotent(
    store: Store, rich_article: Article, make_article: MakeArticle
) -> None:
    rich_article.minhash, rich_article.near_copies = b"\x00sig", [("b1", 0.9)]
    batch = [rich_article, make_article("b1")]
    store.upsert(batch, {"a1": "fp1"})
    first_counts, first_rows = store.counts(), _rows(store)
    store.upsert(batch, {"a1": "fp1"})
    assert store.counts() == first_counts
    assert _rows(store) == first_rows
    assert first_counts["articles"] == 2 and first_counts["mentions"] == 2
    assert len(first_rows["copy_edges"]) == 1 and len(first_rows["minhashes"]) == 1


def test_store_reupsert_replaces_mentions_and_lines(store: Store, rich_article: Article) -> None:
    store.upsert([rich_article])
    rich_article.mentions = [Mention("a1", 42, 47, "Paris", "LOC")]
    rich_article.dropped_lines = [DroppedLine("0", "boilerplate:counter")]
    store.upsert([rich_article])
    got = store.get_article("a1")
    assert got is not None
    assert [m.text for m in got.mentions] == ["Paris"]
    assert got.dropped_lines == [DroppedLine("0", "boilerplate:counter")]
    assert store.counts()["mentions"] == 1


def test_store_wal_mode_and_pragmas_on(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "v.db")) as store, store._engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert (conn.execute(text("PRAGMA busy_timeout")).scalar() or 0) > 0


def test_store_fingerprints_chunked_over_500_ids(store: Store, make_article: MakeArticle) -> None:
    n = CHUNK * 2 + 7
    articles = [make_article(f"id{i:04d}") for i in range(n)]
    store.upsert(articles, {a.id: f"fp-{a.id}" for a in articles if a.id != "id0003"})
    asked = [a.id for a in articles] + ["missing"]
    sizes: list[int] = []

    def record(_conn: object, _cursor: object, _sql: str, params: object, *_rest: object) -> None:
        if _sql.lstrip().upper().startswith("SELECT"):
            sizes.append(len(params) if isinstance(params, tuple | list | dict) else 0)

    event.listen(store._engine, "before_cursor_execute", record)
    found = store.fingerprints(asked)
    event.remove(store._engine, "before_cursor_execute", record)
    assert len(sizes) == 3 and max(sizes) <= CHUNK  # 1008 ids → three queries
    assert len(found) == n - 1  # no fingerprint stored for id0003, nothing for "missing"
    assert found["id1006"] == "fp-id1006"
    assert "id0003" not in found and "missing" not in found


def test_store_find_articles_by_path_suffix(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [
            make_article("a", source_file="examples/seeds/000_x.txt"),
            make_article("b", source_file="examples/seeds/1000_x.txt"),
            make_article("c", source_file="000_x.txt"),
        ]
    )
    assert [a.id for a in store.find_articles("examples/seeds/000_x.txt")] == ["a"]
    assert sorted(a.id for a in store.find_articles("000_x.txt")) == ["a", "c"]
    assert store.find_articles("0_x.txt") == []  # whole path parts only
    assert store.find_articles("%_x.txt") == []  # LIKE wildcards are literal


def test_store_unicode_text_round_trips(store: Store, make_article: MakeArticle) -> None:
    text_in = "«\u00a0C’est le moment\u00a0», a dit Le\u202fDrian à Paris."
    store.upsert([make_article("u", text_in, title="« Titre »")])
    got = store.get_article("u")
    assert got is not None and got.text == text_in and got.title == "« Titre »"


def test_store_iter_articles_ordered_by_id_with_lines(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article(i, dropped_lines=[DroppedLine(f"l{i}", "r")]) for i in ("c", "a", "b", "d")])
    got = list(store.iter_articles(batch_size=3))
    assert [a.id for a in got] == ["a", "b", "c", "d"]
    assert [a.dropped_lines[0].text for a in got] == ["la", "lb", "lc", "ld"]


def test_store_iter_mentions_ordered_by_article_then_start(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [
            make_article("b", mentions=[Mention("b", 5, 8, "x", "LOC"), Mention("b", 0, 3, "y", "PER")]),
            make_article("a", mentions=[Mention("a", 9, 10, "z", "ORG")]),
        ]
    )
    got = [(m.article_id, m.start) for m in store.iter_mentions(batch_size=2)]
    assert got == [("a", 9), ("b", 0), ("b", 5)]


def test_store_counts_by_status_reason_language(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [
            make_article("k", mentions=[Mention("k", 0, 5, "Paris", "LOC")]),
            make_article("d", status="duplicate", duplicate_of="k", language="en", content_hash="hash-k"),
            make_article("r", "", status="rejected", reason="empty", language=None),
        ]
    )
    counts = store.counts()
    assert (counts["articles"], counts["kept"], counts["duplicate"], counts["rejected"]) == (3, 1, 1, 1)
    assert counts["rejected_by_reason"] == {"empty": 1}
    assert counts["languages"] == {"en": 1, "fr": 1}
    assert counts["mentions_by_label"] == {"LOC": 1}


def test_store_upsert_reresolves_the_group_an_article_leaves(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a", content_hash="h"), make_article("b", content_hash="h")])
    assert store.get_article("b").status == "duplicate"  # type: ignore[union-attr]
    # "a" is re-ingested with another text: "b" is no longer a copy of anything.
    store.upsert([make_article("a", "Autre texte.", content_hash="h2")])
    b = store.get_article("b")
    assert b is not None and (b.status, b.duplicate_of) == ("kept", None)


def test_store_upsert_resolves_copies_whatever_the_order(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("z", content_hash="h", published="2020-01-02")])
    store.upsert([make_article("y", content_hash="h", published="2020-01-01")])
    z = store.get_article("z")
    assert z is not None and (z.status, z.duplicate_of) == ("duplicate", "y")


def test_store_author_and_partial_round_trip(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a", author="Marie Dupont", partial=True), make_article("b")])
    a, b = store.get_article("a"), store.get_article("b")
    assert a is not None and (a.author, a.partial) == ("Marie Dupont", True)
    assert b is not None and (b.author, b.partial) == (None, False)
    assert [x.partial for x in store.iter_articles()] == [True, False]  # a bool, not 0/1


def test_store_signature_and_near_copies_load_back(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a"), make_article("c")])
    store.upsert([make_article("b", minhash=b"\x01\x02\xff", near_copies=[("c", 0.75), ("a", 0.5)])])
    b, a = store.get_article("b"), store.get_article("a")
    assert b is not None and b.minhash == b"\x01\x02\xff"
    assert b.near_copies == [("a", 0.5), ("c", 0.75)]  # by other id, whichever end stored it
    assert a is not None and a.near_copies == [("b", 0.5)] and a.minhash is None


def test_store_reupsert_replaces_signature(store: Store, make_article: MakeArticle) -> None:
    store.upsert([make_article("a", minhash=b"old")])
    store.upsert([make_article("a", minhash=b"new")])
    assert list(store.iter_signatures()) == [("a", b"new")]
    store.upsert([make_article("a")])  # no signature any more: none kept
    assert list(store.iter_signatures()) == []


def test_store_iter_signatures_paged_skips_rejected(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [make_article(i, minhash=i.encode()) for i in ("d", "b", "a", "c")]
        + [make_article("r", "", status="rejected", reason="empty", minhash=b"r")]
    )
    got = list(store.iter_signatures(batch_size=2))
    assert got == [("a", b"a"), ("b", b"b"), ("c", b"c"), ("d", b"d")]
    assert all(type(signature) is bytes for _, signature in got)


def test_store_unreachable_postgresql_message() -> None:
    url = "postgresql://veille@127.0.0.1:1/nowhere"  # port 1: nothing listens there
    with pytest.raises(StoreError) as err:
        Store.open(url)
    message = str(err.value)
    assert message.startswith(f"cannot open the store at {url}: ")
    assert message.endswith(
        "check that the server is running and that the URL's user, host, port and database are right"
    )


def test_store_stage_failures_round_trip_and_leave_no_fingerprint(
    store: Store, make_article: MakeArticle
) -> None:
    failed, fine = make_article("failed"), make_article("fine")
    failed.failures = [StageFailure("quotes", "IndexError: list index out of range")]
    store.upsert([failed, fine], {"failed": "fp1", "fine": "fp2"})
    loaded = store.get_article("failed")
    assert loaded is not None and loaded.failures == failed.failures
    # No fingerprint: the next run processes the article again instead of skipping it.
    assert store.fingerprints(["failed", "fine"]) == {"fine": "fp2"}
    assert store.counts()["stage_failures_by_stage"] == {"quotes": 1}
    failed.failures = []
    store.upsert([failed], {"failed": "fp1"})
    reloaded = store.get_article("failed")
    assert reloaded is not None and reloaded.failures == []
    assert store.counts()["stage_failures_by_stage"] == {}
