"""Times of day: clock times ("15 h 30", "à quinze heures trente", "15:30", "midi et demi", "8 h du
soir") and parts of the day ("ce soir", "la nuit", "le matin même").

A clock time names no day: it takes the day the text last spoke of (or the one right after it,
"vers 15 h 30, hier"), which `find_timexes` supplies. "3 heures" with nothing around it is a
duration and is left to the duration rule; "à 3 heures", "3 h", "3 heures 20" are times.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from veille.temporal.lexicon import NUMBER_WORDS_RE, PARTS_OF_DAY, alternation, bounded, parse_number
from veille.temporal.normalise import Spec

_A = "['’]"
PART = rf"(?:{alternation(PARTS_OF_DAY)})"
_MINUTES_WORDS = (
    rf"et\s+quart|et\s+demie?|moins\s+le\s+quart|moins\s+(?:{NUMBER_WORDS_RE}|\d+)|trois\s+quarts"
    rf"|{NUMBER_WORDS_RE}"
)
_AFTERNOON = rf"du\s+soir|de\s+l{_A}après-midi|de\s+l{_A}apres-midi|du\s+matin|du\s+mat"
_TOLD_AS_TIME = re.compile(
    r"(?:\bà|\bvers|\bdès|\bavant|\baprès|\bjusqu['’]à|\bde|\bet|\bentre|\bpassé|\bplutôt\s+vers)\s+(?:environ\s+)?$",
    re.IGNORECASE,
)


def part_of(word: str | None) -> str | None:
    if not word:
        return None
    return PARTS_OF_DAY[word.lower().split()[0]]


def _this_part(m: re.Match[str]) -> Spec:
    return Spec(m.start(), m.end(), "TIME", offset=("D", 0), part=part_of(m["part"]))


def _reference_part(m: re.Match[str]) -> Spec:
    return Spec(m.start(), m.end(), "TIME", from_reference=0, part=part_of(m["part"]))


def minutes_of(words: str | None) -> int | None:
    """Minutes after the hour: "30" 30, "et quart" 15, "moins le quart" -15, "moins cinq" -5."""
    if not words:
        return 0
    cleaned = re.sub(r"\s+", " ", words.lower().strip())
    fixed = {"et quart": 15, "et demi": 30, "et demie": 30, "moins le quart": -15, "trois quarts": 45}
    if cleaned in fixed:
        return fixed[cleaned]
    negative = cleaned.startswith("moins ")
    value = parse_number(cleaned.removeprefix("moins "))
    if value is None or value != int(value) or not 0 <= value < 60:
        return None
    return -int(value) if negative else int(value)


def clock_value(hour: int, minutes: int, afternoon: str | None) -> str | None:
    if afternoon and not afternoon.lower().startswith("du mat") and hour < 12:
        hour += 12
    total = hour * 60 + minutes
    if not 0 <= total <= 24 * 60:
        return None
    return f"{total // 60:02d}:{total % 60:02d}"


def _clock(m: re.Match[str]) -> Spec | None:
    if m["colon_h"]:
        clock = clock_value(int(m["colon_h"]), int(m["colon_m"]), None)
    elif m["word"]:
        minutes = minutes_of(m["word_min"])
        hour = 12 if m["word"].lower() == "midi" else 24 if m["word_min"] is None else 0
        clock = clock_value(hour, minutes, None) if minutes is not None else None
    else:
        hour_text = m["h"] or m["hw"]
        hour_value = parse_number(hour_text)
        minutes = minutes_of(m["min"])
        if hour_value is None or minutes is None or hour_value != int(hour_value) or hour_value > 24:
            return None
        spelt = (m["unit"] or "").lower().startswith("heure") or m["hw"] is not None
        preceding = m.string[max(0, m.start() - 16) : m.start()]
        if spelt and not m["min"] and not m["pm"] and not _TOLD_AS_TIME.search(preceding):
            return None
        clock = clock_value(int(hour_value), minutes, m["pm"])
    if clock is None:
        return None
    return Spec(m.start(), m.end(), "TIME", from_reference=0, clock=clock)


CLOCK_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Spec | None]]] = [
    (
        bounded(
            rf"(?:(?P<h>[012]?\d)\s*(?P<unit>h|heures?)|(?P<hw>{NUMBER_WORDS_RE})\s+heures?)"
            rf"(?:\s*(?P<min>[0-5]\d(?!\d)|(?<=\s)(?:{_MINUTES_WORDS})))?(?:\s+(?P<pm>{_AFTERNOON}))?"
            rf"|(?P<colon_h>[01]?\d|2[0-3]):(?P<colon_m>[0-5]\d)"
            rf"|(?<!-)(?P<word>midi|minuit)(?:\s+(?P<word_min>{_MINUTES_WORDS}))?"
        ),
        _clock,
    ),
    (bounded(rf"(?:ce|cet|cette)\s+(?P<part>{PART})"), _this_part),
    (bounded(r"(?:la|le)\s+(?P<part>nuit|soirée|matinée|matin\s+même|soir\s+même)"), _reference_part),
]
