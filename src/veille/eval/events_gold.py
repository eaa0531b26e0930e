"""Read and check the events gold (rules in `docs/events_guidelines.md`).

A gold line names one corpus record, its publication date (the anchor of every event date), the
sha256 of the cleaned text its offsets point into, and its events: trigger span, type, modality,
date, place and participants. Offsets only mean something against that exact text, so the texts
are rebuilt with `veille.eval.quotes_gold.corpus_texts` (same cleaning, same hash check) and a
changed cleaning is an error naming the article, never a silently lower score.

Run `python -m veille.eval.events_gold choose` to print the draw the dev set was made from: 40
records spread over dates (`choose`), then a supplement of 10 drawn the same way among the records
that hold a meeting or agreement trigger word (`RARE_TYPE_WORDS`), both away from the quotes gold's
records.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import VeilleError
from veille.eval.quotes_gold import (
    DEFAULT_CORPUS,
    _records,
    clean_record,
    corpus_texts,
    read_gold_lines,
    read_quotes_gold,
    sha256,
)

EVENT_TYPES = (
    "meeting", "statement", "accusation", "appeal", "visit", "attack",
    "agreement", "vote", "arrest", "protest", "death",
)  # fmt: skip
ROLES = ("agent", "target", "attendee", "absent")
MODALITIES = ("planned", "happened", "negated", "claimed")
DEFAULT_SEED = 20261123
DEFAULT_GOLD = Path("tests/data/events_dev.jsonl")
QUOTES_GOLD = Path("tests/data/quotes_dev.jsonl")
MAX_CHARS = 2000
# TIMEX3 values as the guidelines write them: a day, month, year, week or season, X for what the
# article leaves unknown, an optional time of day; or a vague reference.
_TIMEX_VALUE = re.compile(
    r"(?:[0-9X]{4}(?:-(?:[0-9X]{2}|W[0-9X]{2}|Q[1-4]|SP|SU|FA|WI)(?:-[0-9X]{2})?)?"
    r"(?:T(?:[0-2][0-9](?::[0-5][0-9])?|MO|AF|EV|NI))?|PAST_REF|PRESENT_REF|FUTURE_REF)"
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# The supplement: meetings and agreements are rare in a plain draw (2 and 1 in the first 40), so a
# few more records are drawn among those holding one of their trigger words from the guidelines.
SUPPLEMENT_SIZE = 10
RARE_TYPE_WORDS = re.compile(
    r"\b(?:rencontr\w*|réuni\w*|réunion|sommet|s'entret\w*|négociations?|pourparlers|accords?|"
    r"sign(?:é|er|ent|ature)\w*|traité|cessez-le-feu|pacte)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class GoldParticipant:
    text: str  # as written, nearest the trigger
    name: str  # the canonical name one would expect an entity to carry
    role: str  # agent | target | attendee | absent


@dataclass(frozen=True, slots=True)
class GoldPlace:
    text: str
    name: str


@dataclass(frozen=True, slots=True)
class GoldEvent:
    start: int
    end: int
    trigger: str
    type: str
    modality: str
    date: str | None = None
    place: GoldPlace | None = None
    participants: tuple[GoldParticipant, ...] = ()
    same_as: int | None = None  # index of the first mention of the same event in this article
    uncertain: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class GoldEventArticle:
    doc: str
    date: str  # publication date, YYYY-MM-DD
    text_sha256: str
    events: list[GoldEvent] = field(default_factory=list)
    line: int = 0  # where it was read, for error messages

    def check_text(self, text: str, where: str = "") -> None:
        """Raise if `text` is not the text this article's offsets were written against."""
        where = where or f"line {self.line}"
        if sha256(text) != self.text_sha256:
            raise VeilleError(
                f"{where}: doc {self.doc}: the cleaned text no longer matches the gold's text_sha256 "
                "(cleaning changed since the gold was written); re-annotate the offsets of this "
                "article against the new text, or restore the cleaning"
            )
        for index, event in enumerate(self.events):
            found = text[event.start : event.end]
            if found != event.trigger:
                raise VeilleError(
                    f"{where}: doc {self.doc}: event {index}: text[{event.start}:{event.end}] is "
                    f"{found!r}, the gold says {event.trigger!r}; fix the offsets"
                )
            written = [p.text for p in event.participants]
            if event.place is not None:
                written.append(event.place.text)
            for piece in written:
                if piece not in text:
                    raise VeilleError(
                        f"{where}: doc {self.doc}: event {index}: {piece!r} is not in the text; write "
                        "participants and places as the article spells them"
                    )


def _choice(row: Mapping[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value = row.get(key)
    if value not in allowed:
        raise VeilleError(f"{where}: {key} {value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _named(row: Any, where: str) -> tuple[str, str]:
    if not isinstance(row, dict):
        raise VeilleError(f"{where}: expected an object with 'text' and 'name', got {row!r}")
    text, name = row.get("text"), row.get("name")
    if not isinstance(text, str) or not text or not isinstance(name, str) or not name:
        raise VeilleError(f"{where}: 'text' (as written) and 'name' (canonical) must be non-empty strings")
    return text, name


def _participant(row: Any, where: str) -> GoldParticipant:
    text, name = _named(row, where)
    return GoldParticipant(text, name, _choice(row, "role", ROLES, where))


def _date(row: Mapping[str, Any], where: str) -> str | None:
    value = row.get("date")
    if value is not None and (not isinstance(value, str) or not _TIMEX_VALUE.fullmatch(value)):
        raise VeilleError(
            f"{where}: date {value!r} is not a TIMEX3 value (2020-07-02, 2020-07, 2020-W27, "
            "XXXX-07-14, PAST_REF …) or null"
        )
    return value


def _event(row: Any, where: str, index: int) -> GoldEvent:
    if not isinstance(row, dict):
        raise VeilleError(f"{where}: expected an event object, got {row!r}")
    start, end, trigger = row.get("start"), row.get("end"), row.get("trigger")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(trigger, str):
        raise VeilleError(f"{where}: 'start' and 'end' must be integers and 'trigger' a string")
    if not 0 <= start < end or end - start != len(trigger):
        raise VeilleError(
            f"{where}: span [{start}:{end}] does not fit its trigger of {len(trigger)} characters; "
            "end - start must equal len(trigger)"
        )
    place = row.get("place")
    participants = row.get("participants", [])
    if not isinstance(participants, list):
        raise VeilleError(f"{where}: 'participants' must be a list")
    same_as = row.get("same_as")
    if same_as is not None and (not isinstance(same_as, int) or not 0 <= same_as < index):
        raise VeilleError(
            f"{where}: same_as {same_as!r} must be the index of an earlier event of this article, or null"
        )
    uncertain = row.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise VeilleError(f"{where}: 'uncertain' must be true or false")
    return GoldEvent(
        start,
        end,
        trigger,
        _choice(row, "type", EVENT_TYPES, where),
        _choice(row, "modality", MODALITIES, where),
        _date(row, where),
        None if place is None else GoldPlace(*_named(place, f"{where}: place")),
        tuple(_participant(p, f"{where}: participant {i}") for i, p in enumerate(participants)),
        same_as,
        uncertain,
        str(row.get("note") or ""),
    )


def parse_line(line: str, where: str, number: int = 0) -> GoldEventArticle:
    """One gold line; a malformed line raises an error naming `where`."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise VeilleError(f"{where}: not JSON ({error}); each line holds one article object") from error
    if not isinstance(row, dict) or "doc" not in row:
        raise VeilleError(f"{where}: an article needs 'doc', 'date', 'text_sha256' and 'events'")
    digest, date, events = row.get("text_sha256"), row.get("date"), row.get("events", [])
    if not isinstance(digest, str) or len(digest) != 64:
        raise VeilleError(f"{where}: 'text_sha256' must be the 64-hex sha256 of the cleaned text")
    if not isinstance(date, str) or not _DAY.fullmatch(date):
        raise VeilleError(f"{where}: 'date' must be the record's publication date as YYYY-MM-DD")
    if not isinstance(events, list):
        raise VeilleError(f"{where}: 'events' must be a list")
    parsed = [_event(e, f"{where}: event {i}", i) for i, e in enumerate(events)]
    for i, event in enumerate(parsed):
        if event.same_as is not None and parsed[event.same_as].type != event.type:
            raise VeilleError(
                f"{where}: event {i}: same_as {event.same_as} points at a {parsed[event.same_as].type} "
                f"event but this one is a {event.type}; one event has one type"
            )
    return GoldEventArticle(str(row["doc"]), date, digest, parsed, number)


def read_events_gold(path: Path, texts: Mapping[str, str] | None = None) -> list[GoldEventArticle]:
    """The articles of a gold file; with `texts` (doc → cleaned text) the offsets are checked too."""
    return read_gold_lines(path, parse_line, texts)


def gold_texts(gold: Iterable[GoldEventArticle], corpus_path: Path) -> dict[str, str]:
    """Rebuild the cleaned texts of the gold's documents from the corpus, checking each article's
    hash and offsets against its text (the quotes gold's `corpus_texts`)."""
    return corpus_texts(gold, corpus_path)


def choose(
    corpus_path: Path,
    n: int = 40,
    seed: int = DEFAULT_SEED,
    *,
    exclude: frozenset[str] = frozenset(),
    max_chars: int = MAX_CHARS,
    pattern: re.Pattern[str] | None = None,
) -> list[str]:
    """The draw the dev set was made from: the records with a body of at most `max_chars` cleaned
    characters (and, with `pattern`, a cleaned text it matches), not in `exclude`, sorted by (date,
    id), cut into `n` equal slices, one drawn from each."""
    pool: list[tuple[str, str]] = []
    for record in _records(corpus_path):
        doc = str(record.get("id"))
        if not record.get("article") or doc in exclude:
            continue
        text = clean_record(record)
        if len(text) <= max_chars and (pattern is None or pattern.search(text)):
            pool.append((str(record.get("date")), doc))
    pool.sort()
    rng = random.Random(seed)
    size = len(pool) / n
    return [pool[rng.randrange(int(i * size), int((i + 1) * size))][1] for i in range(n)]


def choose_dev(corpus_path: Path, quotes_gold: Path = QUOTES_GOLD) -> list[str]:
    """The dev set's documents in gold order: the main draw, then the supplement (module docstring)."""
    main_draw = choose(corpus_path, exclude=quotes_gold_docs(quotes_gold))
    excluded = quotes_gold_docs(quotes_gold) | frozenset(main_draw)
    return main_draw + choose(
        corpus_path, SUPPLEMENT_SIZE, DEFAULT_SEED + 1, exclude=excluded, pattern=RARE_TYPE_WORDS
    )


def quotes_gold_docs(path: Path = QUOTES_GOLD) -> frozenset[str]:
    """The corpus ids the quotes gold annotates, kept out of the events draw."""
    return frozenset(article.doc for article in read_quotes_gold(path)) if path.is_file() else frozenset()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m veille.eval.events_gold")
    parser.add_argument("command", choices=["choose"])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quotes-gold", type=Path, default=QUOTES_GOLD)
    args = parser.parse_args(argv)
    for doc in choose_dev(args.corpus, args.quotes_gold):
        print(doc)


if __name__ == "__main__":
    main()
