"""Full-text search on SQLite (FTS5) and PostgreSQL: words all required, kept in sync with upserts."""

from __future__ import annotations

import pytest

from veille.model import Article
from veille.store import Store
from veille.store.search import (
    MARK_END,
    MARK_START,
    PG_ACCENT_FREE,
    ensure_search_index,
    plain_snippet,
    query_words,
    search_articles,
    search_config,
)


def _ids(store: Store, query: str, limit: int = 20, offset: int = 0) -> list[str]:
    return [hit.article_id for hit in search_articles(store._engine, query, limit, offset)]


def test_search_index_words_all_required_and_copies_left_out(store_location: str) -> None:
    with Store.open(store_location) as store:
        assert _ids(store, "Daech") == ["a1"]
        assert _ids(store, "Ashton Carter Raqqa") == []
        assert _ids(store, "frappes Raqqa") == ["a2"]
        assert _ids(store, '"Daech" OR NEAR(') == []  # syntax in a query is only words
        assert _ids(store, "!!!") == []


def test_search_index_follows_upserts(store_location: str) -> None:
    with Store.open(store_location) as store:
        ensure_search_index(store._engine)
        store.upsert([Article(id="a2", source_file="seeds/a2.txt", source_id="", text="Mossoul reprise.",
                              title="Mossoul", content_hash="h2b")])  # fmt: skip
        assert _ids(store, "Raqqa") == []
        assert _ids(store, "Mossoul") == ["a2"]


def test_search_index_snippet_marks_and_paging(store_location: str) -> None:
    with Store.open(store_location) as store:
        hit = search_articles(store._engine, "Daech")[0]
        assert f"{MARK_START}Daech{MARK_END}" in hit.snippet
        assert MARK_START not in plain_snippet(hit.snippet)
        assert _ids(store, "Daech", limit=1, offset=1) == []


def test_search_index_ignores_accents(store_location: str) -> None:
    with Store.open(store_location) as store:
        if store._engine.dialect.name == "postgresql" and search_config(store._engine) != PG_ACCENT_FREE:
            pytest.skip("this PostgreSQL server has no unaccent extension: its search counts accents")
        assert _ids(store, "defense") == ["a1"]
        assert _ids(store, "DÉFENSE") == ["a1"]
        if store._engine.dialect.name == "postgresql":
            assert _ids(store, "frappe") == ["a2"]  # French stemming kept alongside (FTS5 has none)


def test_search_index_built_for_a_store_filled_before_it(tmp_path: pytest.TempPathFactory) -> None:
    where = str(tmp_path / "old.db")  # type: ignore[operator]
    with Store.open(where) as store:
        store.upsert([Article(id="x", source_file="x.txt", source_id="", text="Une vieille page sur Alep.")])
    with Store.open(where) as store:  # a new engine: the index is created now, over what is there
        assert _ids(store, "Alep") == ["x"]


def test_search_index_query_words() -> None:
    assert query_words("  l’État islamique, Daech  Daech ") == ["l", "État", "islamique", "Daech"]
