"""Outside test cases for `find_timexes`: Microsoft Recognizers-Text and Duckling, French.

Both projects publish their French date/time cases (input, reference date, expected value); this
module reads the subset within veille's scope and reports the share veille gets right.

- Recognizers-Text `DateParser.json` (single dates: weekdays, day-month, numeric and relative
  days; reference 2016-11-07 when the case gives none, as their test harness does). A case passes
  when veille finds an expression overlapping the expected one whose value is the expected past
  or future resolution (their cases carry no tense, so either side is accepted).
- Duckling `Time_FR_Corpus.hs`, the examples at Day, Month, Year, Hour and Minute grain (reference
  2013-02-12T04:30, a Tuesday). A case passes when one expression's value is the expected one:
  2013-02-13, 2013-03, 2013, 2013-02-12T15:00.

    python -m veille.temporal.conformance ../shared/data/temporal [--failures]
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from veille.temporal.stage import find_timexes

RECOGNIZERS_FILE = "recognizers_text_fr/Specs/DateTime/French/DateParser.json"
DUCKLING_FILE = "duckling_fr/Time_FR_Corpus.hs"
RECOGNIZERS_DEFAULT_REFERENCE = date(2016, 11, 7)
DUCKLING_REFERENCE = date(2013, 2, 12)
DEFAULT_FOLDER = Path(__file__).resolve().parents[3].parent / "shared/data/temporal"
DUCKLING_GRAINS = ("Day", "Month", "Year", "Hour", "Minute")


@dataclass(slots=True, frozen=True)
class Case:
    source: str
    text: str
    reference: date
    expected: tuple[str, ...]  # any of these values passes
    start: int = -1  # the expected span, when the source gives one
    end: int = -1


def recognizers_cases(folder: Path) -> list[Case]:
    records = json.loads((folder / RECOGNIZERS_FILE).read_text(encoding="utf-8-sig"))
    cases: list[Case] = []
    for record in records:
        results = record.get("Results") or []
        if len(results) != 1:
            continue
        result = results[0]
        value = result.get("Value", {})
        expected = {value.get(side, {}).get("date") for side in ("FutureResolution", "PastResolution")}
        expected.discard(None)
        reference_text = (record.get("Context") or {}).get("ReferenceDateTime")
        reference = (
            date.fromisoformat(reference_text[:10]) if reference_text else RECOGNIZERS_DEFAULT_REFERENCE
        )
        start = int(result.get("Start", -1))
        cases.append(
            Case("recognizers", record["Input"], reference, tuple(sorted(expected)), start,
                 start + int(result.get("Length", 0)))
        )  # fmt: skip
    return cases


_DUCKLING_BLOCK = re.compile(
    r"examples \(datetime \((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)\) (\w+)\)\s*\[(.*?)\]", re.DOTALL
)
_HASKELL_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def _expected_duckling(parts: Sequence[int], grain: str) -> str:
    year, month, day, hour, minute, _ = parts
    if grain == "Year":
        return f"{year:04d}"
    if grain == "Month":
        return f"{year:04d}-{month:02d}"
    if grain == "Day":
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"


def duckling_cases(folder: Path) -> list[Case]:
    source = (folder / DUCKLING_FILE).read_text(encoding="utf-8")
    cases: list[Case] = []
    for block in _DUCKLING_BLOCK.finditer(source):
        grain = block.group(7)
        if grain not in DUCKLING_GRAINS:
            continue
        expected = _expected_duckling([int(block.group(i)) for i in range(1, 7)], grain)
        for text in _HASKELL_STRING.findall(block.group(8)):
            cases.append(Case("duckling", text, DUCKLING_REFERENCE, (expected,)))
    return cases


def passes(case: Case) -> bool:
    for timex in find_timexes(case.text, case.reference):
        if timex.value not in case.expected:
            continue
        if case.start < 0 or (timex.start < case.end and case.start < timex.end):
            return True
    return False


def pass_rate(cases: Sequence[Case]) -> tuple[int, int]:
    """(passed, total)."""
    return sum(passes(c) for c in cases), len(cases)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    paths = [a for a in args if not a.startswith("--")]
    folder = Path(paths[0]) if paths else DEFAULT_FOLDER
    if not (folder / RECOGNIZERS_FILE).is_file() or not (folder / DUCKLING_FILE).is_file():
        missing = f"no {RECOGNIZERS_FILE} or {DUCKLING_FILE} under {folder}"
        print(f"error: {missing}; pass the temporal data folder (../shared/data/temporal)", file=sys.stderr)
        return 1
    show_failures = "--failures" in args
    for name, cases in (("Recognizers-Text DateParser", recognizers_cases(folder)),
                        ("Duckling Time (Day/Month/Year/Hour/Minute)", duckling_cases(folder))):  # fmt: skip
        passed, total = pass_rate(cases)
        print(f"{name}: {passed}/{total} = {passed / total:.3f}")
        if show_failures:
            for case in cases:
                if not passes(case):
                    got = [(t.text, t.value) for t in find_timexes(case.text, case.reference)]
                    print(f"  FAIL {case.text!r} ref {case.reference} want {case.expected} got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
