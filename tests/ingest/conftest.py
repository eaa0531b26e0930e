"""Helpers shared by the ingest tests: write tiny files, read them back with a fresh report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from veille.ingest import ReadOptions, ReadReport, iter_records
from veille.model import RawDoc

Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]


def _ingest(paths: Sequence[str | Path] | str | Path, **options: Any) -> tuple[list[RawDoc], ReadReport]:
    if isinstance(paths, str | Path):
        paths = [paths]
    report = ReadReport()
    docs = list(iter_records(paths, ReadOptions(**options), report))
    return docs, report


@pytest.fixture
def ingest() -> Ingest:
    """`ingest(paths, **ReadOptions fields) -> (docs, report)`."""
    return _ingest
