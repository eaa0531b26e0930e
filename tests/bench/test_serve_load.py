"""The load script's pure parts: the open-loop schedule, the percentile and the phase summary."""

from __future__ import annotations

import importlib.util
import itertools
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "serve_load.py"


def _load() -> ModuleType:
    # bench/ is not a package: load the script by path, as `python bench/serve_load.py` would.
    spec = importlib.util.spec_from_file_location("serve_load", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["serve_load"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


serve_load = _load()


def test_serve_load_schedule_is_fixed_rate() -> None:
    assert serve_load.schedule(4, 1) == [0.0, 0.25, 0.5, 0.75]
    times = serve_load.schedule(50, 30)
    assert len(times) == 1500
    gaps = {round(b - a, 9) for a, b in itertools.pairwise(times)}
    assert gaps == {0.02}


def test_serve_load_schedule_rejects_a_zero_rate() -> None:
    with pytest.raises(ValueError, match="rate and seconds must be positive"):
        serve_load.schedule(0, 10)


def test_serve_load_percentile_nearest_rank() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 100 … 1, unsorted on purpose
    assert serve_load.percentile(values, 50) == 50.0
    assert serve_load.percentile(values, 99) == 99.0
    assert serve_load.percentile(values, 100) == 100.0
    assert serve_load.percentile([7.0, 3.0, 5.0], 50) == 5.0
    assert serve_load.percentile([2.0], 1) == 2.0
    assert math.isnan(serve_load.percentile([], 50))


def test_serve_load_summary_counts_from_due_time() -> None:
    # Due every 0.5 s; the third answer is late (queued) and the fourth failed.
    outcomes = [(0.0, 0.01, True), (0.5, 0.52, True), (1.0, 1.4, True), (1.5, 1.6, False)]
    summary = serve_load.summarise("x", "/x", outcomes, lag=0.002)
    assert (summary.sent, summary.errors) == (4, 1)
    assert summary.p50_ms == pytest.approx(20.0)
    assert summary.p90_ms == math.inf  # the failed request: no known latency
    assert summary.max_ms == math.inf
    assert summary.achieved_rate == pytest.approx(3 / 1.4)
    assert summary.client_lag_ms == pytest.approx(2.0)


def test_serve_load_complete_fills_fields_missing_from_old_pickles() -> None:
    from veille.model import Article

    article = Article(id="a1", source_file="f.jsonl", source_id="1")
    del article.failures  # what unpickling an Article saved before the field existed leaves
    assert serve_load.complete(article).failures == []
    assert article.id == "a1"


def test_serve_load_markdown_reads_as_ratios_to_the_baseline() -> None:
    base = serve_load.summarise("baseline", "/b", [(0.0, 0.002, True), (1.0, 1.004, True)], 0.0)
    slow = serve_load.summarise("slow", "/s", [(0.0, 0.02, True), (1.0, 1.04, True)], 0.0)
    rows = serve_load.markdown([base, slow]).splitlines()
    assert rows[2].startswith("| baseline | 2.0 | 4.0 | 4.0 | 4.0 | 1.0 | 1.0 | 0 |")
    assert rows[3].startswith("| slow | 20.0 | 40.0 | 40.0 | 40.0 | 10.0 | 10.0 | 0 |")
