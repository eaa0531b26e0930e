"""Find French time expressions in a string: regex rules over the lexicon, each giving a `Spec`.

Every rule proposes candidates; overlapping candidates are settled longest first, then a position
word ("début", "fin", "mi-") or an approximation word ("vers", "environ") just before a kept
candidate is folded into it. Spans follow the French TimeBank: the article of "le 17 novembre" and
of "la fin de l'année" is inside the span, the preposition of "en janvier", "à 15 h", "depuis
novembre" is not (TimeBank marks those as signals).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from veille.temporal.clock import CLOCK_RULES, PART, part_of
from veille.temporal.lexicon import (
    APPROX_WORDS,
    CALENDAR_UNITS,
    FLAGS,
    HOLIDAYS,
    LAST_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    NEXT_WORDS,
    ORDINAL_WORDS,
    POSITION_MODS,
    REFERENCE_WORDS,
    RELATIVE_DAYS,
    RELATIVE_TO_REFERENCE,
    SEASONS,
    WEEKDAYS,
    alternation,
    bounded,
)
from veille.temporal.normalise import Spec
from veille.temporal.periods import PERIOD_RULES

_A = "['’]"  # either apostrophe
WEEKDAY = rf"(?:{alternation(WEEKDAYS)})"
MONTH = rf"(?:{alternation(MONTHS)})"
LEAN = rf"(?:{alternation(LAST_WORDS + NEXT_WORDS)})"
DAY_NUMBER = r"(?:1er|1re|1ère|premier|[012]?\d|3[01])"
# Abbreviations only after a day number, where "sept" or "mar" cannot be read otherwise.
MONTH_AFTER_DAY = rf"(?:{alternation([*MONTHS, *MONTH_ABBREVIATIONS])})"
YEAR4 = r"(?:1[5-9]\d\d|20\d\d)"
YEAR = rf"(?:{YEAR4}|['’]?\d\d)(?![\d,.]\d)"

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], Spec | None]]


def lean_of(word: str | None) -> str | None:
    if not word:
        return None
    return "past" if word.lower() in LAST_WORDS else "future"


def month_of(word: str) -> int:
    key = re.sub(r"\s+", " ", word.lower())
    return MONTHS.get(key) or MONTH_ABBREVIATIONS[key]


def day_of(word: str) -> int:
    lowered = word.lower()
    if lowered == "premier" or (lowered.startswith("1") and not lowered[1:2].isdigit()):
        return 1
    return int(word)


def year_of(word: str) -> int:
    digits = word.lstrip("'’")
    if len(digits) == 4:
        return int(digits)
    # Two-digit years in news: the pivot keeps "98" in the 1900s and "05" in the 2000s.
    value = int(digits)
    return 2000 + value if value < 30 else 1900 + value


def _day_month(m: re.Match[str]) -> Spec:
    weekday = WEEKDAYS[m["wd"].lower()] if m["wd"] else None
    year_text = m["y"] or m["y2"]
    year = year_of(year_text) if year_text else None
    part = part_of(m["part"])
    return Spec(
        m.start(),
        m.end(),
        "TIME" if part else "DATE",
        year=year,
        month=month_of(m["m"]),
        day=day_of(m["d"]),
        weekday=weekday,
        part=part,
        lean=lean_of(m["lean"]),
    )


def _numeric_date(m: re.Match[str]) -> Spec | None:
    year: int | None
    if m["iso_y"]:
        year, month, day = int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])
    elif m["dm_d"]:
        # "le 17/02": no year; the span leaves the article out like the other numeric forms.
        year, month, day = None, int(m["dm_m"]), int(m["dm_d"])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        return Spec(m.start("dm_d"), m.end(), "DATE", month=month, day=day)
    else:
        day, month, year = int(m["d"]), int(m["m"]), year_of(m["y"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return Spec(m.start(), m.end(), "DATE", year=year, month=month, day=day)


def _month(m: re.Match[str]) -> Spec:
    year = year_of(m["y"]) if m["y"] else None
    return Spec(m.start(), m.end(), "DATE", year=year, month=month_of(m["m"]), lean=lean_of(m["lean"]))


def _year(m: re.Match[str]) -> Spec | None:
    text = m.string
    before = text[max(0, m.start() - 2) : m.start()]
    after = text[m.end() : m.end() + 4]
    # "2 000 personnes", "1999,5", "2002 %", "1999 euros": a number, not a year.
    if re.search(r"\d[\s ]?$", before) or re.match(r"[\s ]?(?:\d|%|€|\$)", after):
        return None
    if _COUNT_NOUN.match(text, m.end()):
        return None
    return Spec(m.start(), m.end(), "DATE", year=int(m["y"]))


_COUNT_NOUN = re.compile(
    r"\s+(?:euros?|francs?|dollars?|personnes|habitants|km|kilomètres|mètres|tonnes|voix|morts|victimes"
    r"|emplois|salariés|élèves|exemplaires|hectares|logements|manifestants|spectateurs|participants)\b",
    re.IGNORECASE,
)


def _weekday(m: re.Match[str]) -> Spec:
    part = part_of(m["part"])
    lean = lean_of(m["lean"])
    if m["art"] and not part and not lean:
        # "le mercredi" with no date after it: every Wednesday.
        return Spec(m.start(), m.end(), "SET", value=f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}")
    if m["dem"] and lean is None:
        lean = "this"
    return Spec(
        m.start(),
        m.end(),
        "TIME" if part else "DATE",
        weekday=WEEKDAYS[m["wd"].lower()],
        part=part,
        lean=lean,
    )


def _relative_day(m: re.Match[str]) -> Spec:
    rel = m["rel"].lower().replace("’", "'")
    part = part_of(m["part"])
    return Spec(m.start(), m.end(), "TIME" if part else "DATE", offset=("D", RELATIVE_DAYS[rel]), part=part)


def _reference_day(m: re.Match[str]) -> Spec:
    rel = re.sub(r"\s+", " ", m["rel"].lower()).replace("’", "'")
    part = part_of(m["part"])
    return Spec(
        m.start(), m.end(), "TIME" if part else "DATE", from_reference=RELATIVE_TO_REFERENCE[rel], part=part
    )


def _weekday_of_week(m: re.Match[str]) -> Spec | None:
    """ "mardi de la semaine prochaine": that weekday in the week before or after the anchor's."""
    if not m["wd"]:
        return None  # "la semaine prochaine" alone: the calendar-unit rule
    step = -1 if m["lean"].lower() in ("dernière", "passée") else 1
    return Spec(m.start(), m.end(), "DATE", weekday=WEEKDAYS[m["wd"].lower()], offset=("W", step))


def _weekday_and_day(m: re.Match[str]) -> Spec:
    """ "jeudi 15": the month is the one near the anchor where the 15th is a Thursday."""
    return Spec(m.start(), m.end(), "DATE", weekday=WEEKDAYS[m["wd"].lower()], day=day_of(m["d"]))


def _holiday(m: re.Match[str]) -> Spec:
    month, day = HOLIDAYS[re.sub(r"\s+", " ", m["name"].lower()).replace("’", "'")]
    return Spec(m.start(), m.end(), "DATE", month=month, day=day)


def _reference_word(m: re.Match[str]) -> Spec:
    key = re.sub(r"\s+", " ", m.group(0).lower()).replace("’", "'")
    return Spec(m.start(), m.end(), "TIME", value=REFERENCE_WORDS[key])


def _calendar_unit(m: re.Match[str]) -> Spec | None:
    unit = CALENDAR_UNITS[m["u"].lower().replace("weekend", "week-end")]
    lean = lean_of(m["lean"])
    det = m["det"].lower()
    if lean is None and det not in ("ce", "cet", "cette"):
        return None  # "la semaine", "l'année" alone say nothing about which one
    step = {"past": -1, "future": 1}.get(lean or "", 0)
    return Spec(m.start(), m.end(), "DATE", offset=(unit, step))


def _season(m: re.Match[str]) -> Spec | None:
    det = (m["det"] or "").lower().strip()
    year = year_of(m["y"]) if m["y"] else None
    lean = lean_of(m["lean"])
    # "a été", "ont été": the participle of être, not summer.
    if m["s"].lower() in ("été", "ete") and not det and year is None and lean is None:
        preceding = m.string[max(0, m.start() - 6) : m.start()].lower()
        if not re.search(rf"(?:\ben|d{_A}|l{_A})\s*$", preceding):
            return None
    key = m["s"].lower()
    preceding = m.string[max(0, m.start("s") - 12) : m.start("s")].lower()
    if not det and re.search(rf"d{_A}\s*$", preceding) and not re.search(rf"mois\s+d{_A}\s*$", preceding):
        return None  # "Jeux d'hiver", "heure d'été": an adjective, not a time
    season = SEASONS.get(key, "SU")  # "Eté": the capital lost its accent
    start = m.start("s") if det.startswith("l") else m.start()
    if det in ("ce", "cet", "cette") and lean is None:
        lean = "this"
    return Spec(start, m.end(), "DATE", year=year, season=season, lean=lean)


def _nth_weekday(m: re.Match[str]) -> Spec:
    word = m["ord"].lower()
    nth = -1 if word.startswith("dernier") else ORDINAL_WORDS[word]
    spec = Spec(m.start(), m.end(), "DATE", weekday=WEEKDAYS[m["wd"].lower()], nth=nth)
    if m["m"]:
        spec.month = month_of(m["m"])
        spec.year = int(m["y"]) if m["y"] else None
    else:
        lean = lean_of(m["lean"])
        spec.offset = ("M", {"past": -1, "future": 1}.get(lean or "", 0))
    return spec


def _weekday_in_eight(m: re.Match[str]) -> Spec:
    """ "lundi en huit": the coming Monday, a week on; "en quinze": two weeks on."""
    days = 7 if m["n"].lower() in ("huit", "8") else 14
    return Spec(m.start(), m.end(), "DATE", weekday=WEEKDAYS[m["wd"].lower()], lean="ahead", after_days=days)


def _night_of(m: re.Match[str]) -> Spec:
    """ "dans la nuit de mercredi à jeudi": the night that begins on Wednesday."""
    return Spec(m.start(), m.end(), "TIME", weekday=WEEKDAYS[m["wd"].lower()], part="NI")


RULES: list[Rule] = [
    (
        bounded(
            rf"(?:le\s+)?(?:(?P<wd>{WEEKDAY})\s+)?(?P<d>{DAY_NUMBER})\s+(?P<m>{MONTH_AFTER_DAY})(?:,?\s+(?P<y>{YEAR4})|\s+(?P<y2>{YEAR}))?"
            rf"(?:\s+(?:au\s+)?(?P<part>{PART}))?(?:\s+(?P<lean>{LEAN}))?"
        ),
        _day_month,
    ),
    (
        bounded(
            r"(?P<d>[0-3]?\d)([/.-])(?P<m>[01]?\d)\2(?P<y>\d{4}|\d\d)(?![/.-]?\d)"
            r"|(?P<iso_y>\d{4})([-/.])(?P<iso_m>[01]?\d)\6(?P<iso_d>[0-3]?\d)(?![/.-]?\d)"
            r"|(?P<dm_le>(?:le|du|au)\s+)(?P<dm_d>[0-3]?\d)/(?P<dm_m>[01]?\d)(?![/.-]?\d)"
        ),
        _numeric_date,
    ),
    (
        bounded(
            rf"(?:(?:le\s+)?mois\s+(?:de\s+|d{_A}))?(?P<m>{MONTH})(?:\s+(?P<y>{YEAR}))?(?:\s+(?P<lean>{LEAN}))?"
        ),
        _month,
    ),
    (bounded(rf"(?:l{_A}an(?:née)?\s+)?(?P<y>{YEAR4})"), _year),
    (
        bounded(
            rf"(?:(?P<dem>ce)\s+(?:même\s+)?|(?P<art>le)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<part>{PART}))?(?:\s+(?P<lean>{LEAN}))?"
        ),
        _weekday,
    ),
    (
        bounded(
            rf"(?P<rel>{alternation(RELATIVE_DAYS)})(?:\s+{WEEKDAY}(?:\s+\d{{1,2}}\s+{MONTH})?)?(?:\s+(?:au\s+)?(?P<part>{PART}))?"
        ),
        _relative_day,
    ),
    (
        bounded(rf"(?P<rel>{alternation(RELATIVE_TO_REFERENCE)})(?:\s+(?:au\s+)?(?P<part>{PART}))?"),
        _reference_day,
    ),
    (bounded(alternation(REFERENCE_WORDS)), _reference_word),
    (
        bounded(
            rf"(?P<det>cette|ce|cet|la|le|l{_A})\s*(?P<u>{alternation(CALENDAR_UNITS)})(?:-ci)?"
            rf"(?:\s+(?P<lean>{LEAN}))?"
        ),
        _calendar_unit,
    ),
    (
        bounded(
            rf"(?P<det>l{_A}|le\s+|cet\s+|ce\s+|cette\s+)?(?P<s>{alternation(SEASONS)})"
            rf"(?:\s+(?P<y>{YEAR4})|\s+(?P<lean>{LEAN}))?"
        ),
        _season,
    ),
    (
        bounded(
            rf"(?:(?:le\s+)?(?P<wd>{WEEKDAY})\s+)?(?:de\s+)?la\s+semaine\s+(?P<lean>prochaine|suivante|dernière|passée|d{_A}après)"
        ),
        _weekday_of_week,
    ),
    (
        bounded(rf"(?:le\s+)?(?P<wd>{WEEKDAY})\s+(?P<d>{DAY_NUMBER})(?!\s*(?:[/.:h]|\d|{MONTH}))"),
        _weekday_and_day,
    ),
    (bounded(rf"(?:(?:le\s+)?jour\s+de\s+|la\s+)?(?P<name>{alternation(HOLIDAYS)})"), _holiday),
    (
        bounded(
            rf"(?:le\s+)?(?P<ord>{alternation([*ORDINAL_WORDS, 'dernier'])})\s+(?P<wd>{WEEKDAY})\s+"
            rf"(?:(?:de|d{_A}|en)\s*(?P<m>{MONTH})(?:\s+(?P<y>{YEAR4}))?"
            rf"|(?:de\s+|du\s+)(?:ce\s+mois|(?:le\s+)?mois\s+(?P<lean>prochain|dernier|suivant|passé)))"
        ),
        _nth_weekday,
    ),
    (bounded(rf"(?P<wd>{WEEKDAY})\s+en\s+(?P<n>huit|8|quinze|15)"), _weekday_in_eight),
    (bounded(rf"la\s+nuit\s+(?:de|du)\s+(?P<wd>{WEEKDAY})\s+(?:à|au)\s+{WEEKDAY}"), _night_of),
    *CLOCK_RULES,  # before the durations: "à 15 heures" is a time when both read it
    *PERIOD_RULES,
]

_POSITION = alternation(k for k in POSITION_MODS if k != "mi-")
_POSITION_PREFIX = re.compile(
    rf"(?<![\w-])(?:(?:la|le)\s+)?(?P<pos>{_POSITION})\s+(?:de\s+|du\s+|d{_A}\s*|des\s+)?$|(?<![\w-])(?P<mi>mi)-$",
    FLAGS,
)
_APPROX_PREFIX = re.compile(rf"(?<![\w-])(?P<word>{alternation(APPROX_WORDS)})\s+$", FLAGS)


def _fold_modifiers(text: str, spec: Spec) -> Spec:
    """Take "début", "fin de", "mi-", "vers", "environ" just before the expression into it."""
    before = text[max(0, spec.start - 30) : spec.start]
    if spec.type == "DATE" and spec.mod is None:
        found = _POSITION_PREFIX.search(before)
        if found:
            key = "mi" if found["mi"] else found["pos"].lower()
            spec.mod = POSITION_MODS[key]
            spec.start -= len(before) - found.start()
            return spec
    if spec.type in ("TIME", "DURATION") and spec.mod is None:
        found = _APPROX_PREFIX.search(before)
        if found:
            spec.mod = APPROX_WORDS[re.sub(r"\s+", " ", found["word"].lower())]
            # TimeBank keeps "vers" of a clock time out of the span (a signal), "environ" in.
            if spec.type == "DURATION":
                spec.start -= len(before) - found.start()
    return spec


def recognise(text: str) -> list[Spec]:
    """Every time expression of the text, in order, without overlaps, not yet resolved."""
    candidates: list[tuple[int, int, Spec]] = []
    for priority, (pattern, build) in enumerate(RULES):
        for match in pattern.finditer(text):
            spec = build(match)
            if spec is not None and spec.end > spec.start:
                candidates.append((priority, match.start(), spec))
    candidates.sort(key=lambda c: (-(c[2].end - c[2].start), c[0], c[2].start))
    kept: list[Spec] = []
    taken: list[tuple[int, int]] = []
    for _, _, spec in candidates:
        if any(spec.start < end and start < spec.end for start, end in taken):
            continue
        kept.append(spec)
        taken.append((spec.start, spec.end))
    kept.sort(key=lambda s: s.start)
    folded: list[Spec] = []
    for spec in kept:
        with_modifier = _fold_modifiers(text, spec)
        if folded and with_modifier.start < folded[-1].end:
            with_modifier.start = folded[-1].end  # never swallow the expression before
        folded.append(with_modifier)
    return folded
