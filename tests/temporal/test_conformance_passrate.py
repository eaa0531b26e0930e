"""Outside cases (Recognizers-Text, Duckling): pass rates pinned at what was measured."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.temporal.conformance import (
    DUCKLING_FILE,
    RECOGNIZERS_FILE,
    duckling_cases,
    pass_rate,
    recognizers_cases,
)


def _folder(shared_data: Path, name: str) -> Path:
    folder = shared_data / "temporal"
    if not (folder / name).is_file():
        pytest.skip(f"no {name} under {folder}")
    return folder


def test_conformance_passrate_recognizers_dateparser(shared_data: Path) -> None:
    cases = recognizers_cases(_folder(shared_data, RECOGNIZERS_FILE))
    passed, total = pass_rate(cases)
    assert total == 184
    assert passed / total >= 0.52  # measured 96/184 = 0.522 (2026-11-23)


def test_conformance_passrate_duckling_day_month_year_hour_minute(shared_data: Path) -> None:
    cases = duckling_cases(_folder(shared_data, DUCKLING_FILE))
    passed, total = pass_rate(cases)
    assert total == 254
    assert passed / total >= 0.61  # measured 156/254 = 0.614 (2026-11-23)
