"""Full-text search over articles (title and text): SQLite FTS5 or PostgreSQL's French configuration.

SQLite: an FTS5 table with external content (`articles_fts`, over the `articles` rows by rowid),
tokenised by `unicode61 remove_diacritics 2`, so that "defense" finds "Défense" and "Etats-Unis"
finds "États-Unis". Triggers on `articles` keep it in sync with every insert, upsert and delete, and
`ensure_search_index` rebuilds it once when it creates it, so a store filled before search existed
is searchable at once. PostgreSQL: `to_tsvector(config, title || text)` with a GIN index on the same
expression, so nothing needs syncing; `config` is `veille_french` (French stemming after the
`unaccent` dictionary: "frappes" finds "frappe", "defense" finds "Défense") where the server lets
migration 6 create the `unaccent` extension (trusted since PostgreSQL 13: a database owner may),
else PostgreSQL's `french` (stemmed, accents count) — the store says which (`search_config`).

Quotes are searched the same way, through their own index (`quotes_fts` over `quotes.text` on
SQLite, a GIN index on `to_tsvector(config, text)` on PostgreSQL, in the articles' configuration):
store migration 10. Before it, a search read every quote with `LIKE`.

User queries are never passed to the search syntax as written: they are cut into words, each quoted,
all required ("Ashton Carter" finds articles holding both words), so that a stray quote or `NEAR` in
a search box is a word, not a syntax error.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Engine,
    Select,
    bindparam,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.exc import DBAPIError

from veille.model import KEPT

FTS_TABLE = "articles_fts"
# Around the matched words in a snippet; callers escape the snippet, then turn these into marks.
MARK_START = "\u27e6"
MARK_END = "\u27e7"
_WORD = re.compile(r"\w+", re.UNICODE)
_SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON articles BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END""",
)
QUOTES_FTS = "quotes_fts"
_SQLITE_QUOTE_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS {QUOTES_FTS}_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO {QUOTES_FTS}(rowid, text) VALUES (new.rowid, new.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {QUOTES_FTS}_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO {QUOTES_FTS}({QUOTES_FTS}, rowid, text) VALUES ('delete', old.rowid, old.text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {QUOTES_FTS}_au AFTER UPDATE OF text ON quotes BEGIN
        INSERT INTO {QUOTES_FTS}({QUOTES_FTS}, rowid, text) VALUES ('delete', old.rowid, old.text);
        INSERT INTO {QUOTES_FTS}(rowid, text) VALUES (new.rowid, new.text);
    END""",
)
# Engines whose index is known to exist, so that a search does not check it again.
_ENSURED: weakref.WeakSet[Engine] = weakref.WeakSet()
# PostgreSQL text search configurations: ours (unaccent + French stemming) when the server has
# the extension, else the stock French one. Which one a store uses is read once per engine.
PG_ACCENT_FREE = "veille_french"
PG_STOCK = "french"
_PG_CONFIG: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def _pg_document(config: str) -> str:
    return f"to_tsvector('{config}', coalesce(title, '') || ' ' || text)"


@dataclass(slots=True)
class ArticleHit:
    """One article a search found, best first. `snippet` holds the matched words between
    `MARK_START` and `MARK_END`."""

    article_id: str
    title: str | None
    published: str | None
    source_name: str | None
    snippet: str
    rank: float


def query_words(query: str) -> list[str]:
    """The words of a user's query, in order, each once (case kept; matching ignores it)."""
    return list(dict.fromkeys(_WORD.findall(query)))


def plain_snippet(snippet: str) -> str:
    """A snippet without its match marks."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


def create_search_index(conn: Connection) -> None:
    """Create the search index if the store has none (idempotent): store migration 4."""
    if conn.dialect.name == "postgresql":
        document = _pg_document(PG_STOCK)
        ddl = f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin ({document})"
        conn.execute(text(ddl))
        return
    _sqlite_fts(
        conn,
        FTS_TABLE,
        "title, text",
        "articles",
        tokenize="unicode61 remove_diacritics 2",
        triggers=_SQLITE_TRIGGERS,
    )


def _sqlite_fts(
    conn: Connection, fts: str, columns: str, content: str, *, tokenize: str, triggers: Sequence[str]
) -> None:
    """An external-content FTS5 table `fts` over `content`'s `columns`, kept in sync by `triggers`
    (idempotent); rows stored before the table existed are indexed once, when it is made."""
    exists = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": fts}
    ).first()
    if exists is None:
        conn.execute(
            text(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content='{content}', "
                f"content_rowid='rowid', tokenize='{tokenize}')"
            )
        )
    for trigger in triggers:
        conn.execute(text(trigger))
    if exists is None:
        conn.execute(text(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"))


def accent_free_search(conn: Connection) -> None:
    """Store migration 6, PostgreSQL only: search ignoring accents, as SQLite's does, when the
    server lets us create the `unaccent` extension; else the stock French search stays, and the
    store works as before (`search_config` says which)."""
    if conn.dialect.name != "postgresql":
        return
    try:
        with conn.begin_nested():  # a refusal must not abort the migration's transaction
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS unaccent"))
    except DBAPIError:  # any refusal (no privilege, extension not installed): keep french
        return
    known = conn.execute(text("SELECT 1 FROM pg_ts_config WHERE cfgname = :name"), {"name": PG_ACCENT_FREE})
    if known.first() is None:
        conn.execute(text(f"CREATE TEXT SEARCH CONFIGURATION {PG_ACCENT_FREE} (COPY = {PG_STOCK})"))
        conn.execute(
            text(
                f"ALTER TEXT SEARCH CONFIGURATION {PG_ACCENT_FREE} "
                "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem"
            )
        )
    conn.execute(text("DROP INDEX IF EXISTS ix_articles_search"))
    document = _pg_document(PG_ACCENT_FREE)
    conn.execute(text(f"CREATE INDEX ix_articles_search ON articles USING gin ({document})"))


def _config_of(conn: Connection) -> str:
    query = text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_articles_search'")
    index = conn.execute(query).scalar()
    return PG_ACCENT_FREE if index and PG_ACCENT_FREE in index else PG_STOCK


def search_config(engine: Engine) -> str:
    """The text search configuration a PostgreSQL store's index uses (see the module doc)."""
    if engine not in _PG_CONFIG:
        with engine.connect() as conn:
            _PG_CONFIG[engine] = _config_of(conn)
    return _PG_CONFIG[engine]


def create_quote_search_index(conn: Connection) -> None:
    """Store migration 10: the quotes' full-text index, as the articles' (idempotent)."""
    if conn.dialect.name == "postgresql":
        document = f"to_tsvector('{_config_of(conn)}', text)"
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_quotes_search ON quotes USING gin ({document})"))
        return
    _sqlite_fts(
        conn,
        QUOTES_FTS,
        "text",
        "quotes",
        tokenize="unicode61 remove_diacritics 2",
        triggers=_SQLITE_QUOTE_TRIGGERS,
    )


ALIASES_FTS = "aliases_fts"
_SQLITE_ALIAS_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS {ALIASES_FTS}_ai AFTER INSERT ON entity_aliases BEGIN
        INSERT INTO {ALIASES_FTS}(rowid, key) VALUES (new.rowid, new.key);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {ALIASES_FTS}_ad AFTER DELETE ON entity_aliases BEGIN
        INSERT INTO {ALIASES_FTS}({ALIASES_FTS}, rowid, key) VALUES ('delete', old.rowid, old.key);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {ALIASES_FTS}_au AFTER UPDATE OF key ON entity_aliases BEGIN
        INSERT INTO {ALIASES_FTS}({ALIASES_FTS}, rowid, key) VALUES ('delete', old.rowid, old.key);
        INSERT INTO {ALIASES_FTS}(rowid, key) VALUES (new.rowid, new.key);
    END""",
)
# Trigrams find a substring of at least this many characters; shorter ones are scanned for.
TRIGRAM = 3


def create_alias_search_index(conn: Connection) -> None:
    """Store migration 12: a trigram index over alias keys, so that "the name contains this" (the
    entity search) is an index lookup instead of a scan of every alias. SQLite: an FTS5 table with
    the `trigram` tokeniser (`aliases_fts`, kept in sync by triggers). PostgreSQL: a GIN
    `gin_trgm_ops` index, which `LIKE '%…%'` uses as it is, where the server lets us create the
    `pg_trgm` extension (trusted since PostgreSQL 13); elsewhere the search scans, as before."""
    if conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():  # a refusal must not abort the migration's transaction
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        except DBAPIError:
            return
        conn.execute(
            text(
                "CREATE INDEX IF NOT EXISTS ix_entity_aliases_key_trgm ON entity_aliases "
                "USING gin (key gin_trgm_ops)"
            )
        )
        return
    _sqlite_fts(
        conn, ALIASES_FTS, "key", "entity_aliases", tokenize="trigram", triggers=_SQLITE_ALIAS_TRIGGERS
    )


def alias_key_contains(dialect: str, key: str) -> ColumnElement[bool]:
    """`entity_aliases.key` contains `key`: through the trigram table on SQLite when `key` is long
    enough for trigrams, else `LIKE` (which PostgreSQL's trigram index serves as it is)."""
    from veille.store import schema

    if dialect != "sqlite" or len(key) < TRIGRAM:
        return schema.entity_aliases.c.key.contains(key, autoescape=True)
    phrase: BindParameter[str] = bindparam(None, '"' + key.replace('"', '""') + '"', unique=True)
    matches = literal_column(ALIASES_FTS).op("MATCH")(phrase)
    found: Select[Any] = select(literal_column("rowid")).select_from(table(ALIASES_FTS)).where(matches)
    return literal_column("entity_aliases.rowid").in_(found)


def search_quotes(engine: Engine, words: Sequence[str], limit: int = 10) -> list[Any]:
    """Quote rows whose text holds every one of `words` (as the article search matches a word:
    case and accents ignored; stemmed on PostgreSQL), newest article first (undated last), then by
    id. Through the quotes' full-text index: the cost follows the matches, not the quotes stored."""
    words = list(dict.fromkeys(w for word in words for w in _WORD.findall(word)))
    if not words or limit <= 0:
        return []
    params: dict[str, Any] = {"limit": limit}
    if engine.dialect.name == "postgresql":
        config = search_config(engine)
        params["q"] = " & ".join(_pg_lexeme(w) for w in words)
        sql = text(
            f"""SELECT q.* FROM quotes AS q JOIN articles AS a ON a.id = q.article_id,
                   to_tsquery('{config}', :q) AS query
            WHERE to_tsvector('{config}', q.text) @@ query
            ORDER BY a.published DESC NULLS LAST, q.id LIMIT :limit"""
        )
    else:
        params["q"] = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        sql = text(
            f"""SELECT q.* FROM {QUOTES_FTS} JOIN quotes AS q ON q.rowid = {QUOTES_FTS}.rowid
                   JOIN articles AS a ON a.id = q.article_id
            WHERE {QUOTES_FTS} MATCH :q
            ORDER BY a.published IS NULL, a.published DESC, q.id LIMIT :limit"""
        )
    with engine.connect() as conn:
        return list(conn.execute(sql, params))


def ensure_search_index(engine: Engine) -> None:
    """Create the search index if the store has none (cheap when it exists: checked once per
    engine). Stores opened by this veille have it from migration 4 already."""
    if engine in _ENSURED:
        return
    with engine.begin() as conn:
        create_search_index(conn)
    _ENSURED.add(engine)


def search_articles(engine: Engine, query: str, limit: int = 20, offset: int = 0) -> list[ArticleHit]:
    """Kept articles (copies and rejected pages left out) holding every word of `query` (title or
    text), best match first, then newest, then by id. A query with no word in it finds nothing."""
    words = query_words(query)
    if not words or limit <= 0:
        return []
    ensure_search_index(engine)
    params: dict[str, Any] = {"limit": limit, "offset": max(offset, 0), "kept": KEPT}
    if engine.dialect.name == "postgresql":
        config = search_config(engine)
        document = _pg_document(config)
        params["q"] = " & ".join(_pg_lexeme(w) for w in words)
        sql = text(
            f"""SELECT id, title, published, source_name, ts_rank({document}, q) AS rank,
                   ts_headline('{config}', text, q, :options) AS snippet
            FROM articles, to_tsquery('{config}', :q) AS q
            WHERE {document} @@ q AND status = :kept
            ORDER BY rank DESC, published DESC NULLS LAST, id LIMIT :limit OFFSET :offset"""
        )
        params["options"] = f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12'
    else:
        params["q"] = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        # bm25 is lower for better matches; the title weighs more than the body.
        sql = text(
            f"""SELECT a.id, a.title, a.published, a.source_name, bm25({FTS_TABLE}, 5.0, 1.0) AS rank,
                   snippet({FTS_TABLE}, 1, :start, :end, '…', 24) AS snippet
            FROM {FTS_TABLE} JOIN articles AS a ON a.rowid = {FTS_TABLE}.rowid
            WHERE {FTS_TABLE} MATCH :q AND a.status = :kept
            ORDER BY rank, a.published IS NULL, a.published DESC, a.id LIMIT :limit OFFSET :offset"""
        ).bindparams(bindparam("start", MARK_START), bindparam("end", MARK_END))
    with engine.connect() as conn:
        rows = conn.execute(sql, params).all()
    sign = 1.0 if engine.dialect.name == "postgresql" else -1.0
    return [
        ArticleHit(row.id, row.title, row.published, row.source_name, row.snippet or "", sign * row.rank)
        for row in rows
    ]


def _pg_lexeme(word: str) -> str:
    # A word as a to_tsquery operand: quoted, so that `&`, `|` or `!` in it are plain characters.
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"
