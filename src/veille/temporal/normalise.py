"""Turn a recognised `Spec` into a TIMEX3 value, against the anchor, the tense and the text so far.

The tense rule: what the words leave open (the week of "mercredi", the year of "le 17 novembre",
of "en janvier") is chosen on the side of the anchor the tense points to — on or before it for a
past tense, on or after it for a future, the same week (or the nearest) for a present or when
nothing tells. "dernier"/"prochain" said in words win over the tense and exclude the anchor itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(slots=True)
class Spec:
    """What the recogniser read in one expression, before anything is resolved against a date.

    Only what the words fix: "mercredi" a weekday, "le 17 novembre" a day and a month, "hier" an
    offset from the anchor; `resolve` does the rest once the anchor, the tense and the date the text
    last spoke of are known.
    """

    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # ISO: Monday 1 … Sunday 7
    season: str | None = None  # SP | SU | FA | WI
    part: str | None = None  # MO | AF | EV | NI | DT
    clock: str | None = None  # "15:30"
    # Offset from the anchor in calendar units: ("D", -1) hier, ("W", 0) cette semaine,
    # ("M", -1) le mois dernier, ("Y", 1) l'an prochain, ("WE", 0) ce week-end.
    offset: tuple[str, int] | None = None
    # Days from the date the text last spoke of: la veille -1, le lendemain +1, "la nuit" 0.
    from_reference: int | None = None
    # "dernier" (past) / "prochain" (future) said in words: it overrides the tense.
    lean: str | None = None
    # A value the words fix whatever the anchor (durations, sets, PRESENT_REF, decades).
    value: str | None = None
    mod: str | None = None
    # "le premier vendredi de juillet": the nth weekday of the month (-1 the last one).
    nth: int | None = None
    # "lundi en huit": days added once the weekday is resolved.
    after_days: int = 0


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def weekday_date(weekday: int, anchor: date, direction: str | None) -> date:
    """The date of a weekday near the anchor, on the side the direction says."""
    delta = weekday - anchor.isoweekday()  # same ISO week: -6 … +6
    if direction == "past":
        return anchor + timedelta(days=delta if delta <= 0 else delta - 7)
    if direction == "future":
        return anchor + timedelta(days=delta if delta >= 0 else delta + 7)
    if direction == "last":
        return anchor + timedelta(days=delta if delta < 0 else delta - 7)
    if direction == "next":
        return anchor + timedelta(days=delta if delta > 0 else delta + 7)
    if direction in ("present", "this"):
        return anchor + timedelta(days=delta)
    if delta > 3:
        delta -= 7
    elif delta < -3:
        delta += 7
    return anchor + timedelta(days=delta)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_month_year(month: int, day: int, anchor: date, direction: str | None) -> int | None:
    """The year that puts day/month on the tense's side of the anchor, else the closest one."""
    options = [(y, _safe_date(y, month, day)) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    dated = [(y, d) for y, d in options if d is not None]
    if not dated:
        return None
    if direction in ("past", "last"):
        before = [(y, d) for y, d in dated if d < anchor or (direction == "past" and d == anchor)]
        if before:
            return max(before, key=lambda yd: yd[1])[0]
    if direction in ("future", "next"):
        after = [(y, d) for y, d in dated if d > anchor or (direction == "future" and d == anchor)]
        if after:
            return min(after, key=lambda yd: yd[1])[0]
    return min(dated, key=lambda yd: abs((yd[1] - anchor).days))[0]


def _year_from_weekday(spec: Spec, anchor: date) -> int | None:
    """ "samedi 12 septembre": the one year near the anchor where the 12th is a Saturday wins."""
    if spec.weekday is None or spec.month is None or spec.day is None:
        return None
    years = [
        y
        for y in (anchor.year - 1, anchor.year, anchor.year + 1)
        if (d := _safe_date(y, spec.month, spec.day)) is not None and d.isoweekday() == spec.weekday
    ]
    return years[0] if len(years) == 1 else None


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The nth given weekday of a month (nth -1: the last one); None when the month has no such day."""
    if nth < 0:
        following_year, following_month = add_months(year, month, 1)
        last = date(following_year, following_month, 1) - timedelta(days=1)
        return last - timedelta(days=(last.isoweekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


def _nth_weekday_of(spec: Spec, anchor: date | None, lean: str | None) -> date | None:
    if spec.weekday is None or spec.nth is None:
        return None
    if spec.year is not None and spec.month is not None:
        return nth_weekday(spec.year, spec.month, spec.weekday, spec.nth)
    if anchor is None:
        return None
    if spec.offset is not None:
        year, month = add_months(anchor.year, anchor.month, spec.offset[1])
    elif spec.month is not None:
        year, month = month_year(spec.month, anchor, lean), spec.month
    else:
        return None
    return nth_weekday(year, month, spec.weekday, spec.nth)


def weekday_and_day(weekday: int, day: int, anchor: date, direction: str | None) -> date | None:
    """ "jeudi 15": the 15th that is a Thursday, nearest the anchor on the tense's side."""
    found: list[date] = []
    for step in range(-12, 13):
        year, month = add_months(anchor.year, anchor.month, step)
        candidate = _safe_date(year, month, day)
        if candidate is not None and candidate.isoweekday() == weekday:
            found.append(candidate)
    if direction in ("past", "last"):
        found = [d for d in found if d <= anchor] or found
    elif direction in ("future", "next"):
        found = [d for d in found if d >= anchor] or found
    return min(found, key=lambda d: abs((d - anchor).days)) if found else None


def month_year(month: int, anchor: date, direction: str | None) -> int:
    """The year of a month named alone: the current month counts as both past and future."""
    here = anchor.year * 12 + anchor.month
    options = [(y, y * 12 + month) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
    if direction in ("past", "last"):
        limit = here if direction == "past" else here - 1
        return max((o for o in options if o[1] <= limit), key=lambda o: o[1])[0]
    if direction in ("future", "next"):
        limit = here if direction == "future" else here + 1
        return min((o for o in options if o[1] >= limit), key=lambda o: o[1])[0]
    return min(options, key=lambda o: abs(o[1] - here))[0]


def offset_value(unit: str, step: int, anchor: date) -> str | None:
    if unit == "D":
        return (anchor + timedelta(days=step)).isoformat()
    if unit in ("W", "WE"):
        week = iso_week(anchor + timedelta(weeks=step))
        return week + "-WE" if unit == "WE" else week
    if unit == "M":
        year, month = add_months(anchor.year, anchor.month, step)
        return f"{year:04d}-{month:02d}"
    if unit == "Y":
        return f"{anchor.year + step:04d}"
    if unit == "Q":
        year, month = add_months(anchor.year, anchor.month, 3 * step)
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    if unit == "H":
        year, month = add_months(anchor.year, anchor.month, 6 * step)
        return f"{year:04d}-H{(month - 1) // 6 + 1}"
    return None


def _with_part(day: date | None, spec: Spec) -> str | None:
    if day is None:
        return None
    if spec.clock:
        return f"{day.isoformat()}T{spec.clock}"
    if spec.part:
        return f"{day.isoformat()}T{spec.part}"
    return day.isoformat()


def _unknown_day(spec: Spec) -> str | None:
    """What the text fixes when there is no anchor: XXXX-11-17, XXXX-XX-XXT15:30, else None."""
    if spec.month is not None and spec.day is not None:
        return f"XXXX-{spec.month:02d}-{spec.day:02d}"
    if spec.month is not None:
        return f"XXXX-{spec.month:02d}"
    if spec.season is not None:
        return f"XXXX-{spec.season}"
    if spec.clock is not None:
        return f"XXXX-XX-XXT{spec.clock}"
    return None


def resolve(spec: Spec, anchor: date | None, direction: str | None, reference: date | None) -> str | None:
    """The TIMEX3 value of one expression.

    `anchor` is the publication date, `direction` the expression's tense (or "last"/"next" said in
    words), `reference` the last day the text spoke of (for "le lendemain", "à 15 h", "la nuit").
    None when it cannot be known, or when it falls outside years 0000-9999 (a record dated
    9999-12-31 that says "demain"): TIMEX3 has no way to write it.
    """
    try:
        value = _resolve(spec, anchor, direction, reference)
    except OverflowError:  # date arithmetic past 9999-12-31 or before 0001-01-01
        return None
    if value is not None and _OFF_CALENDAR.match(value):
        return None
    return value


# A negative or five-digit year: what f"{year:04d}" writes once a year offset leaves the calendar.
_OFF_CALENDAR = re.compile(r"-|\d{5}")


def _resolve(spec: Spec, anchor: date | None, direction: str | None, reference: date | None) -> str | None:
    if spec.value is not None:
        return spec.value
    # "ahead" (lundi en huit) is on or after the anchor, like a future tense.
    lean = {"past": "last", "future": "next", "ahead": "future"}.get(spec.lean or "", spec.lean) or direction
    if spec.nth is not None and spec.weekday is not None:
        return _with_part(_nth_weekday_of(spec, anchor, lean), spec)
    if spec.lean == "this" and direction in ("past", "future"):
        lean = direction  # "ont annoncé ce mercredi": this week's, on the tense's side
    if spec.year is not None and spec.month is not None and spec.day is not None:
        return _with_part(_safe_date(spec.year, spec.month, spec.day), spec)
    if spec.year is not None and spec.month is not None:
        return f"{spec.year:04d}-{spec.month:02d}"
    if spec.year is not None and spec.season is not None:
        return f"{spec.year:04d}-{spec.season}"
    if spec.year is not None and spec.offset is None:
        return f"{spec.year:04d}"
    if spec.from_reference is not None:
        base = reference or anchor
        if base is None:
            return _unknown_day(spec)
        return _with_part(base + timedelta(days=spec.from_reference), spec)
    if anchor is None:
        return _unknown_day(spec)
    if spec.offset is not None and spec.weekday is not None:
        week_day = anchor + timedelta(weeks=spec.offset[1])
        return _with_part(week_day + timedelta(days=spec.weekday - week_day.isoweekday()), spec)
    if spec.offset is not None:
        unit, step = spec.offset
        if unit == "D":
            return _with_part(anchor + timedelta(days=step), spec)
        if unit == "WE" and step == 0 and direction == "past" and anchor.isoweekday() < 6:
            step = -1  # "ce week-end" told in the past on a weekday: the one just gone
        return offset_value(unit, step, anchor)
    if spec.month is not None and spec.day is not None:
        year = _year_from_weekday(spec, anchor) or day_month_year(spec.month, spec.day, anchor, lean)
        return _with_part(_safe_date(year, spec.month, spec.day) if year else None, spec)
    if spec.month is not None:
        return f"{month_year(spec.month, anchor, lean):04d}-{spec.month:02d}"
    if spec.day is not None and spec.weekday is not None:
        return _with_part(weekday_and_day(spec.weekday, spec.day, anchor, lean), spec)
    if spec.weekday is not None:
        day = weekday_date(spec.weekday, anchor, lean) + timedelta(days=spec.after_days)
        return _with_part(day, spec)
    if spec.season is not None:
        if spec.lean is None:
            return f"XXXX-{spec.season}"
        step = {"last": -1, "next": 1}.get(lean or "", 0)
        return f"{anchor.year + step:04d}-{spec.season}"
    return None


def day_of_value(value: str | None) -> date | None:
    """The day a value names, when it names one ("2016-01-20", "2016-01-20TEV"), else None."""
    if value is None or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
