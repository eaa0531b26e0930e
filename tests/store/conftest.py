"""Tiny hand-built articles and a fresh store per test, on SQLite and on PostgreSQL.

PostgreSQL tests run against `VEILLE_TEST_PG_URL` (default: the local server's `test` database),
in a database created for this session and dropped at its end, so runs never see each other. When
the server cannot be reached they skip, unless `VEILLE_REQUIRE_PG=1` (CI) makes that a failure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pg_store import wipe_store
from veille.model import Article, DroppedLine, Entity, Mention, Quote
from veille.store import Store

MakeArticle = Callable[..., Article]
Wipe = Callable[[Store], None]

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture
def wipe() -> Wipe:
    return wipe_store


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
            wipe_store(store)
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
