"""The saved query of a watchlist and its keyword language.

Keywords are a small boolean language: words, "quoted phrases", AND, OR, NOT and parentheses;
two terms side by side mean AND (`Daech "frappes aériennes" NOT Syrie`). NOT binds tightest, then
AND, then OR. Matching is on whole words, case- and accent-insensitive; a word ending in `*` is a
prefix (`djihad*`). The parser is hand-written so that a bad query says where and why it is bad.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

KEYWORDS = {"AND", "OR", "NOT"}
_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)(?P<end>"?)|(?P<word>[^\s()"]+))')
_WORD = re.compile(r"\w+\*?", re.UNICODE)


class QuerySyntaxError(ValueError):
    """A keyword query that cannot be read; the message says where and how to fix it."""

    def __init__(self, message: str, query: str, position: int) -> None:
        pointer = f"{query}\n{' ' * position}^"
        super().__init__(f"{message} (at character {position + 1}):\n{pointer}")
        self.position = position


# The combining marks NFKD splits off Latin, Greek and Cyrillic letters; dropped by one regex
# pass, where a per-character test in Python made the bulk of matching time.
_MARKS = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Lower case without accents: "Défense" and "defense" are one word to a query."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    return _MARKS.sub("", unicodedata.normalize("NFKD", folded))


def words_of(text: str) -> list[str]:
    return [w for w in _WORD.findall(fold(text)) if w != "*"]


# -- the expression tree -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Term:
    text: str  # as the user wrote it, for the "why" of a match
    words: tuple[str, ...]  # folded; one word, or a phrase's words in order


@dataclass(frozen=True, slots=True)
class Not:
    inner: Node


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Node, ...]


Node = Term | Not | And | Or


def _tokens(query: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) with kind in open, close, phrase, word, AND, OR, NOT."""
    found: list[tuple[str, str, int]] = []
    position = 0
    while position < len(query):
        match = _TOKEN.match(query, position)
        if match is None or match.end() == position:  # only trailing spaces are left
            break
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        if match.group("open"):
            found.append(("open", "(", start))
        elif match.group("close"):
            found.append(("close", ")", start))
        elif match.group("phrase") is not None:
            if not match.group("end"):
                raise QuerySyntaxError('unclosed quote: end the phrase with "', query, start)
            found.append(("phrase", match.group("phrase"), start))
        else:
            word = match.group("word")
            found.append((word if word in KEYWORDS else "word", word, start))
        position = match.end()
    return found


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _tokens(query)
        self.at = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def fail(self, message: str, token: tuple[str, str, int] | None) -> QuerySyntaxError:
        return QuerySyntaxError(message, self.query, token[2] if token else len(self.query))

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError("empty query: write at least one word or phrase", self.query, 0)
        node = self.or_expr()
        extra = self.peek()
        if extra is not None:
            raise self.fail("unmatched ')': remove it or add a '(' before", extra)
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while (token := self.peek()) is not None and token[0] == "OR":
            self.at += 1
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.not_expr()]
        while (token := self.peek()) is not None and token[0] not in ("OR", "close"):
            if token[0] == "AND":
                self.at += 1
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def not_expr(self) -> Node:
        token = self.peek()
        if token is not None and token[0] == "NOT":
            self.at += 1
            return Not(self.not_expr())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.fail("the query ends where a word, a phrase or '(' was expected", None)
        kind, text, _ = token
        if kind in KEYWORDS:
            raise self.fail(f"{kind} needs a word, a phrase or '(' before and after it", token)
        if kind == "close":
            raise self.fail("')' without a term inside: put a word or phrase between the parentheses", token)
        self.at += 1
        if kind == "open":
            node = self.or_expr()
            closing = self.peek()
            if closing is None or closing[0] != "close":
                raise self.fail("unclosed '(': add the matching ')'", token)
            self.at += 1
            return node
        words = tuple(words_of(text))
        if not words:
            shown = f'"{text}"' if kind == "phrase" else text
            raise self.fail(f"{shown} has no letters or digits to search for", token)
        return Term(f'"{text}"' if kind == "phrase" else text, words)


def parse_query(query: str) -> Node:
    """The expression tree of a keyword query; raises `QuerySyntaxError` on bad syntax."""
    return _Parser(query).parse()


class Text:
    """An article's title and body as folded words, with an index to find phrases fast."""

    def __init__(self, text: str) -> None:
        self.words = words_of(text)
        self.vocabulary = frozenset(self.words)
        self._positions: dict[str, list[int]] | None = None  # built by the first phrase looked up

    def _starts(self, word: str) -> list[int]:
        if self._positions is None:
            self._positions = {}
            for i, w in enumerate(self.words):
                self._positions.setdefault(w, []).append(i)
        if word.endswith("*"):
            stem = word[:-1]
            return sorted(i for w, at in self._positions.items() if w.startswith(stem) for i in at)
        return self._positions.get(word, [])

    def has(self, term: Term) -> bool:
        if len(term.words) == 1:
            word = term.words[0]
            if word.endswith("*"):
                return any(w.startswith(word[:-1]) for w in self.vocabulary)
            return word in self.vocabulary
        if not all(w.endswith("*") or w in self.vocabulary for w in term.words):
            return False
        first = self._starts(term.words[0])
        rest = term.words[1:]
        for start in first:
            following = self.words[start + 1 : start + 1 + len(rest)]
            if len(following) == len(rest) and all(
                w == r or (r.endswith("*") and w.startswith(r[:-1]))
                for w, r in zip(following, rest, strict=True)
            ):
                return True
        return False


def evaluate(node: Node, text: Text, hits: list[str]) -> bool:
    """Whether `text` satisfies `node`; the terms that made it true are appended to `hits`."""
    if isinstance(node, Term):
        found = text.has(node)
        if found:
            hits.append(node.text)
        return found
    if isinstance(node, Not):
        return not evaluate(node.inner, text, [])  # what is absent is no reason to show
    if isinstance(node, And):
        mine: list[str] = []
        if all(evaluate(part, text, mine) for part in node.parts):
            hits.extend(mine)
            return True
        return False
    mine = []
    results = [evaluate(part, text, mine) for part in node.parts]
    hits.extend(mine)
    return any(results)


# -- the watchlist -------------------------------------------------------------------------------
def watchlist_id(name: str) -> str:
    """Derived from the name (case and spacing aside): one name is one watchlist."""
    key = " ".join(name.casefold().split())
    return "w_" + hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Watchlist:
    """A saved query. Every condition given must hold (an empty one is no condition); within a
    condition, any listed value will do (any of the entities, any of the sources …)."""

    name: str
    entities: list[str] = field(default_factory=list)  # entity ids: every alias of them counts
    keywords: str = ""  # the boolean keyword query, "" for none
    sources: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    rubriques: list[str] = field(default_factory=list)
    event_types: list[str] = field(default_factory=list)
    min_sources: int = 0  # independent sources of the article's story
    webhook_url: str | None = None
    webhook_secret: str | None = None
    owner_id: str | None = None

    @property
    def id(self) -> str:
        return watchlist_id(self.name)

    def validate(self) -> None:
        """Raise ValueError (QuerySyntaxError for keywords) when the watchlist cannot be used."""
        if not self.name.strip():
            raise ValueError("a watchlist needs a name")
        if self.keywords.strip():
            parse_query(self.keywords)
        if self.min_sources < 0:
            raise ValueError(f"min_sources is {self.min_sources}: give 0 or more")
        if self.webhook_url and not self.webhook_url.startswith(("http://", "https://")):
            raise ValueError(f"webhook_url {self.webhook_url!r} is not an http(s) URL")
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("a webhook needs a shared secret (webhook_secret) to sign its requests")

    def query_json(self) -> dict[str, Any]:
        """The saved query as stored (no name, no webhook: those have their own columns)."""
        return {
            "entities": self.entities, "keywords": self.keywords, "sources": self.sources,
            "languages": self.languages, "rubriques": self.rubriques, "event_types": self.event_types,
            "min_sources": self.min_sources,
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Watchlist:
        """From a TOML table or an API body; raises ValueError naming an unknown or mistyped field."""
        lists = ("entities", "sources", "languages", "rubriques", "event_types")
        known = {"name", "keywords", "min_sources", "webhook_url", "webhook_secret", "owner_id", *lists}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(
                f"unknown watchlist field(s) {', '.join(unknown)}: use {', '.join(sorted(known))}"
            )
        if not isinstance(data.get("name"), str):
            raise ValueError("a watchlist needs a name (a string)")
        for name in lists:
            value = data.get(name, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{name} must be a list of strings")
            data = {**data, name: [v.strip() for v in value if v.strip()]}
        if not isinstance(data.get("min_sources", 0), int):
            raise ValueError("min_sources must be a whole number")
        watchlist = cls(**data)
        watchlist.validate()
        return watchlist
