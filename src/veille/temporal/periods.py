"""Rules for lengths of time and repetitions: durations, "il y a"/"dans", sets, decades, centuries.

Kept apart from the calendar rules of recognise.py because these read an amount and a unit
("trois semaines", "plusieurs années") rather than a point on the calendar.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from veille.temporal.lexicon import (
    NUMBER_RE,
    UNITS,
    VAGUE_AMOUNTS,
    WEEKDAYS,
    alternation,
    bounded,
    parse_number,
)
from veille.temporal.normalise import Spec

_A = "['’]"
UNIT = rf"(?:{alternation(UNITS)})"
AMOUNT = rf"(?:{NUMBER_RE}|{alternation(VAGUE_AMOUNTS)}|un\s+quart\s+de|une\s+demi-|un\s+demi-)"

# Nouns that are a duration by themselves.
DURATION_NOUNS: dict[str, str] = {
    "quinquennat": "P5Y",
    "septennat": "P7Y",
    "mandat de cinq ans": "P5Y",
    "décennie": "P10Y",
    "semestre": "P6M",
    "trimestre": "P3M",
    "mois": "P1M",
}

# Roman numerals of centuries ("XIXe siècle").
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int:
    total = 0
    for i, char in enumerate(numeral):
        value = _ROMAN[char]
        following = _ROMAN[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def amount_of(word: str) -> float | None:
    """The number in "trois", "30,4", "un quart de"; None for a vague amount ("plusieurs")."""
    cleaned = re.sub(r"\s+", " ", word.lower())
    if cleaned.startswith("un quart"):
        return 0.25
    if "demi" in cleaned:
        return 0.5
    return parse_number(cleaned)


def duration_value(amount: float | None, unit_word: str) -> str:
    """TIMEX3 duration: P3Y, P2W, PT3H, PT30.4S; PXY for "plusieurs années"."""
    letter, in_time = UNITS[unit_word.lower()]
    if letter == "DE":
        letter, factor = "Y", 10.0
    elif letter == "CE":
        letter, factor = "Y", 100.0
    else:
        factor = 1.0
    if amount is None:
        number = "X"
    else:
        scaled = amount * factor
        if scaled != int(scaled) and letter == "H" and in_time:
            scaled, letter = scaled * 60, "M"
        number = str(int(scaled)) if scaled == int(scaled) else f"{scaled:g}"
    return f"PT{number}{letter}" if in_time else f"P{number}{letter}"


_AGE_BEFORE = re.compile(
    r"(?:,|\(|\d-|\bâgée?s?\s+de|\bagée?s?\s+de|\bles\s+(?:moins|plus)\s+de|\bdes|\bl['’]âge\s+de"
    r"|\b(?:enfant|homme|femme|garçon|fille|fillette|jeune|adolescent|adolescente|victime)s?\s+de)\s*$",
    re.IGNORECASE,
)


_ORDINAL_USE = re.compile(
    r"\s+(?!(?:de|d['’]|du|des|à|au|et|ou|plus|après|avant|pour|par|près|plus tard|seulement)\b)[^\W\d_]",
    re.IGNORECASE,
)


def _is_age(before: str, after: str, in_digits: bool) -> bool:
    if _AGE_BEFORE.search(before):
        return True
    # "un chauffeur de 38 ans": ages are written in digits; "une peine de 10 ans de prison" is not one.
    return in_digits and bool(re.search(r"\bde\s*$", before)) and not re.match(r"\s+(?:de|d['’])", after)


def _duration(m: re.Match[str]) -> Spec | None:
    amount_word = m["n"]
    amount = amount_of(amount_word)
    vague = amount_word.lower().split()[0] in {w.split()[0] for w in VAGUE_AMOUNTS}
    if amount is None and not vague:
        return None
    before = m.string[max(0, m.start() - 40) : m.start()]
    after = m.string[m.end() : m.end() + 20]
    if m["u"].lower() == "seconde" and amount == 1 and _ORDINAL_USE.match(after):
        return None  # "une seconde vague", "une seconde fois": the ordinal, not a second
    if m["u"].lower() == "ans" and amount is not None and _is_age(before, after, amount_word.isdigit()):
        return None  # "Florian D., 26 ans", "âgé de 54 ans", "les moins de 17 ans": an age
    # "des années" is a duration; "des mois de juin" is not, but the month rule wins by length.
    return Spec(m.start(), m.end(), "DURATION", value=duration_value(amount, m["u"]))


def _recent_period(m: re.Match[str]) -> Spec:
    letter, _ = UNITS[m["u"].lower()]
    return Spec(m.start(), m.end(), "DURATION", value=f"PX{letter}")


def _ago_or_in(m: re.Match[str]) -> Spec | None:
    amount = amount_of(m["n"])
    letter, in_time = UNITS[m["u"].lower()]
    sign = -1 if m["dir"].lower().startswith("il") else 1
    if amount is None:
        return None  # "il y a quelques mois": TimeBank marks the duration alone
    if in_time or amount != int(amount) or letter in ("DE", "CE"):
        return None
    return Spec(m.start(), m.end(), "DATE", offset=(letter, sign * int(amount)))


def _set(m: re.Match[str]) -> Spec | None:
    every = int(amount_of(m["n"]) or 1) if m["n"] else 1
    word = m["what"].lower()
    if word.rstrip("s") in WEEKDAYS:
        return Spec(m.start(), m.end(), "SET", value=f"XXXX-WXX-{WEEKDAYS[word.rstrip('s')]}")
    if word in UNITS:
        letter, in_time = UNITS[word]
        return Spec(m.start(), m.end(), "SET", value=f"PT{every}{letter}" if in_time else f"P{every}{letter}")
    return None


def _decade(m: re.Match[str]) -> Spec:
    digits = m["dec"]
    year = (
        int(digits) if len(digits) == 4 else (1900 + int(digits) if int(digits) >= 20 else 2000 + int(digits))
    )
    return Spec(m.start(), m.end(), "DATE", value=f"{str(year)[:3]}X")


def _century(m: re.Match[str]) -> Spec:
    number = roman_value(m["roman"].upper()) if m["roman"] else int(m["num"])
    return Spec(m.start(), m.end(), "DATE", value=f"{number - 1:02d}XX")


def _duration_noun(m: re.Match[str]) -> Spec:
    key = re.sub(r"\s+", " ", m.group(0).lower())
    return Spec(m.start(), m.end(), "DURATION", value=DURATION_NOUNS[key])


# Adjectives of frequency: "le dîner annuel" (SET P1Y). Plurals such as "quotidiens" and "la presse
# quotidienne" are mostly newspapers, so they are left out.
FREQUENCY_ADJECTIVES: dict[str, str] = {
    "annuel": "P1Y", "annuelle": "P1Y", "annuels": "P1Y", "annuelles": "P1Y",
    "quotidien": "P1D", "quotidienne": "P1D", "quotidiennes": "P1D",
    "hebdomadaire": "P1W", "mensuel": "P1M", "mensuelle": "P1M", "mensuelles": "P1M",
}  # fmt: skip
_NOUN_BEFORE = re.compile(
    r"(?:\b(?:le|la|les|un|une|des|du|de|d['’]|au|aux|ce|ces|cet|son|sa|ses|leur|leurs|notre|votre)|l['’])\s*$",
    re.IGNORECASE,
)


def _frequency_adjective(m: re.Match[str]) -> Spec | None:
    if _NOUN_BEFORE.search(m.string, 0, m.start()) or re.search(r"presse\s+$", m.string[: m.start()]):
        return None
    return Spec(m.start(), m.end(), "SET", value=FREQUENCY_ADJECTIVES[m.group(0).lower()])


_SET_WHAT = rf"(?:{alternation([*WEEKDAYS, *(w + 's' for w in WEEKDAYS), *UNITS])})"

PERIOD_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Spec | None]]] = [
    (bounded(rf"(?P<n>{AMOUNT})\s*(?P<u>{UNIT})"), _duration),
    (
        bounded(
            r"(?:ces|les)\s+(?:derniers|dernières|prochains|prochaines)\s+(?P<u>jours|semaines|mois|années)"
        ),
        _recent_period,
    ),
    (
        bounded(rf"(?P<dir>il\s+y\s+a|dans)\s+(?P<n>{AMOUNT})\s*(?P<u>{UNIT})"),
        _ago_or_in,
    ),
    (
        bounded(rf"(?:chaque|tous\s+les|toutes\s+les)\s+(?:(?P<n>{NUMBER_RE})\s+)?(?P<what>{_SET_WHAT})"),
        _set,
    ),
    (bounded(r"(?:les\s+)?années\s+(?P<dec>(?:19|20)?\d0)"), _decade),
    (bounded(alternation(FREQUENCY_ADJECTIVES)), _frequency_adjective),
    (
        bounded(r"(?:le\s+)?(?:(?P<roman>[IVXLC]+)|(?P<num>\d{1,2}))(?:e|ème|è)\s+siècle"),
        _century,
    ),
    (
        bounded(
            alternation(k for k in DURATION_NOUNS if k not in ("mois", "trimestre", "semestre", "décennie"))
        ),
        _duration_noun,
    ),
]
