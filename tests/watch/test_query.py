"""The keyword language and the watchlist's fields: parsing, errors, boolean evaluation."""

from __future__ import annotations

import pytest

from veille.watch.query import QuerySyntaxError, Text, Watchlist, evaluate, parse_query, watchlist_id


def holds(query: str, text: str) -> tuple[bool, list[str]]:
    hits: list[str] = []
    return evaluate(parse_query(query), Text(text), hits), hits


TEXT = "La coalition frappe l'État islamique à Raqqa ; les djihadistes reculent en Irak."


def test_query_words_are_whole_and_case_and_accent_insensitive() -> None:
    assert holds("raqqa", TEXT) == (True, ["raqqa"])
    assert holds("etat", TEXT)[0] and holds("ÉTAT", TEXT)[0]
    assert not holds("raq", TEXT)[0]  # a word is whole, not a substring
    assert holds("djihad*", TEXT) == (True, ["djihad*"])  # unless it ends with *


def test_query_phrases_need_words_in_order_and_adjacent() -> None:
    assert holds('"état islamique"', TEXT) == (True, ['"état islamique"'])
    assert not holds('"islamique état"', TEXT)[0]
    assert not holds('"coalition islamique"', TEXT)[0]


def test_query_boolean_logic_and_precedence() -> None:
    assert holds("Raqqa AND Irak", TEXT)[0]
    assert holds("Raqqa Irak", TEXT)[0]  # side by side means AND
    assert not holds("Raqqa AND Mossoul", TEXT)[0]
    assert holds("Mossoul OR Raqqa", TEXT) == (True, ["Raqqa"])
    # AND binds tighter than OR: (Mossoul AND Syrie) OR Irak
    assert holds("Mossoul AND Syrie OR Irak", TEXT)[0]
    assert not holds("Mossoul AND (Syrie OR Irak)", TEXT)[0]


def test_query_not_excludes_and_gives_no_reason() -> None:
    assert not holds("Raqqa NOT Irak", TEXT)[0]
    assert holds("Raqqa NOT Syrie", TEXT) == (True, ["Raqqa"])
    assert holds("NOT Syrie", TEXT) == (True, [])
    assert holds("NOT NOT Raqqa", TEXT)[0]
    assert not holds('Raqqa AND NOT (Syrie OR "État islamique")', TEXT)[0]


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("", "empty query", 0),
        ("   ", "empty query", 0),
        ("Raqqa AND", "the query ends where a word", 9),
        ("(Raqqa OR Irak", "unclosed '('", 0),
        ("Raqqa)", "unmatched ')'", 5),
        ('Raqqa "Etat islamique', "unclosed quote", 6),
        ("OR Raqqa", "OR needs a word", 0),
        ("Raqqa AND OR Irak", "OR needs a word", 10),
        ("()", "')' without a term", 1),
        ('"!!"', "has no letters or digits", 0),
    ],
)
def test_query_syntax_errors_say_what_and_where(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        parse_query(query)
    assert message in str(error.value)
    assert error.value.position == position
    assert f"at character {position + 1}" in str(error.value)


def test_query_watchlist_id_comes_from_the_name() -> None:
    assert watchlist_id("Daech") == watchlist_id("  daech ") == Watchlist("DAECH").id
    assert watchlist_id("Daech") != watchlist_id("Daech 2")


def test_query_watchlist_from_dict_checks_fields() -> None:
    made = Watchlist.from_dict({"name": "Daech", "entities": "ent_daech", "min_sources": 2})
    assert made.entities == ["ent_daech"] and made.min_sources == 2
    with pytest.raises(ValueError, match="unknown watchlist field"):
        Watchlist.from_dict({"name": "x", "entites": ["e"]})
    with pytest.raises(QuerySyntaxError):
        Watchlist.from_dict({"name": "x", "keywords": "a AND"})
    with pytest.raises(ValueError, match="shared secret"):
        Watchlist.from_dict({"name": "x", "webhook_url": "http://127.0.0.1:9/h"})
    with pytest.raises(ValueError, match="http"):
        Watchlist.from_dict({"name": "x", "webhook_url": "file:///etc/passwd", "webhook_secret": "s"})
    with pytest.raises(ValueError, match="list of strings"):
        Watchlist.from_dict({"name": "x", "sources": [1]})
