"""Tiny hand-built articles and a fresh store per test, on SQLite and on PostgreSQL.

PostgreSQL tests run against `VEILLE_TEST_PG_URL` (default: the local server's `test` database),
in a database created for this session and dropped at its end, so runs never see each other. When
the server cannot be reached they skip, unless `VEILLE_REQUIRE_PG=1` (CI) makes that a failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from veille.model import Article, DroppedLine, Entity, Mention, Quote
from veille.store import Store, schema
from veille.store.connect import store_url

MakeArticle = Callable[..., Article]
Wipe = Callable[[Store], None]

PG_URL = os.environ.get("VEILLE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a fresh PostgreSQL database for this session (postgresql://, as a user would give it)."""
    admin = create_engine(
        store_url(PG_URL), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"veille_test_{secrets.token_hex(6)}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach or use the server means "no PostgreSQL here"
        admin.dispose()
        message = (
            f"PostgreSQL not reachable at {make_url(PG_URL).render_as_string(hide_password=True)} "
            f"({type(exc).__name__}: {str(exc).splitlines()[0]}); set VEILLE_TEST_PG_URL to a server "
            "where the user may CREATE DATABASE"
        )
        if os.environ.get("VEILLE_REQUIRE_PG") == "1":
            pytest.fail(f"{message} (VEILLE_REQUIRE_PG=1: PostgreSQL tests may not skip)")
        pytest.skip(message)
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _wipe(store: Store) -> None:
    """Empty every table but schema_migrations (children first, for the foreign keys)."""
    with store._write() as conn:
        for table in reversed(schema.metadata.sorted_tables):
            if table is not schema.schema_migrations:
                conn.execute(delete(table))


@pytest.fixture
def wipe() -> Wipe:
    return _wipe


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], Store]:
    """Opens an empty store on the test's backend (a new SQLite file, or the session's PG database)."""
    opened: list[Store] = []

    def open_() -> Store:
        if backend == "sqlite":
            store = Store.open(str(tmp_path / f"veille{len(opened)}.db"))
        else:
            store = Store.open(request.getfixturevalue("pg_url"))
            _wipe(store)
        opened.append(store)
        return store

    def close() -> None:
        for store in opened:
            store.close()

    request.addfinalizer(close)
    return open_


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    return open_store()


@pytest.fixture
def make_article() -> MakeArticle:
    def make(article_id: str, text: str = "Paris accueille la réunion.", **fields: Any) -> Article:
        fields.setdefault("source_file", f"seeds/{article_id}.txt")
        fields.setdefault("source_id", "")
        fields.setdefault("content_hash", f"hash-{article_id}")
        fields.setdefault("language", "fr")
        return Article(id=article_id, text=text, **fields)

    return make


@pytest.fixture
def rich_article(make_article: MakeArticle) -> Article:
    """One article with everything the store keeps: lines, mentions, every optional field."""
    text = "Jean-Yves Le Drian a réuni la coalition à Paris."
    return make_article(
        "a1",
        text,
        url="https://example.org/a1",
        source_name="Exemple",
        title="Le conseil de guerre",
        published="2016-01-20T10:00:00+01:00",
        dropped_lines=[
            DroppedLine("le , mis à jour à 00:24", "boilerplate:date_line"),
            DroppedLine("0", "boilerplate:counter"),
        ],
        mentions=[
            Mention("a1", 42, 47, "Paris", "LOC"),
            Mention("a1", 0, 18, "Jean-Yves Le Drian", "PER", "Q12345"),
        ],
        story_id="s1",
    )


def _make_quote(
    article: Article, said: str, kind: str = "direct", speaker: str | None = None, **fields: Any
) -> Quote:
    """A quote of `said` (its first occurrence in the article's text), spoken by `speaker` (its
    first occurrence too), with an id made as the extractor makes it."""
    import hashlib

    start = article.text.index(said)
    end = start + len(said)
    ident = "q_" + hashlib.sha256(f"{article.id}\x1f{start}\x1f{end}".encode()).hexdigest()[:20]
    if speaker is not None:
        fields.setdefault("speaker_start", article.text.index(speaker))
        fields.setdefault("speaker_end", fields["speaker_start"] + len(speaker))
    return Quote(ident, article.id, start, end, said, kind, speaker_text=speaker, **fields)


MakeQuote = Callable[..., Quote]


@pytest.fixture
def make_quote() -> MakeQuote:
    return _make_quote


@pytest.fixture
def quoted_article(make_article: MakeArticle) -> Article:
    """An article with two quotes: Le Drian's, direct and resolved; an anonymous one, partial."""
    text = (
        "«\u00a0C’est le moment d’accroître nos efforts\u00a0», a plaidé le ministre Jean-Yves Le Drian."
        "\n\nLa coalition veut un «recul» durable, confie-t-on dans l’entourage du ministre."
    )
    article = make_article("qa", text, title="Le conseil de guerre", published="2016-01-20")
    le_drian = Entity("ent_ld", "Jean-Yves Le Drian", "PER", "person", ["Jean-Yves Le Drian", "Le Drian"])
    article.entities = [le_drian]
    start = text.index("Jean-Yves")
    article.mentions = [Mention("qa", start, start + 18, "Jean-Yves Le Drian", "PER", "ent_ld")]
    cue = text.index("a plaidé")
    article.quotes = [
        _make_quote(
            article, "C’est le moment d’accroître nos efforts", speaker="le ministre Jean-Yves Le Drian",
            speaker_entity_id="ent_ld", speaker_name="Jean-Yves Le Drian", speaker_kind="person",
            cue="a plaidé", cue_start=cue, cue_end=cue + 8,
        ),
        _make_quote(
            article, "recul", "partial", speaker="dans l’entourage du ministre",
            speaker_name="dans l’entourage du ministre", speaker_kind="anonymous", cue="confie-t-on",
        ),
    ]  # fmt: skip
    return article
