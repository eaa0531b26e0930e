"""Bad input, a small seeded sample of every malformed family (issue 11), through reading and cleaning.

The families and the per-file checks are the ones `bench/malformed_inputs.py` runs on 10,000 files
with the full pipeline; here each family gives a few files, ingested one by one into one SQLite
store with the stages that decide whether an article is kept or rejected (clean, language, copies).
The spaCy stages are left to the benchmark and to tests/property: loading the model would take
most of this test's time budget.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from veille.clean import CleanStage
from veille.clean.language import LanguageStage
from veille.dedup.exact import ContentHashStage, ExactCopiesStage
from veille.dedup.near import NearCopiesStage
from veille.ingest import ReadOptions
from veille.pipeline import Pipeline
from veille.store import Store

BENCH = Path(__file__).resolve().parents[2] / "bench"
PER_FAMILY = 16
SEED = 11
MAX_SECONDS = 10.0  # per file: the HTML bombs are cut at DOC_TIMEOUT, the rest takes well under a second
# Short, so that an HTML bomb costs the test little and is rejected as `timeout`, the documented path.
DOC_TIMEOUT = 1.0


def _load(name: str) -> ModuleType:
    # bench/ is not a package: load the scripts by path, as `python bench/…` would.
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


families = _load("malformed_families")
runner = _load("malformed_inputs")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    folder = tmp_path_factory.mktemp("malformed")
    written = []
    for family in families.FAMILIES:
        for index in range(PER_FAMILY):
            item = families.sample(family, SEED, index)
            path = families.write_sample(folder, f"{family}_{index:02d}_", item)
            written.append((family, path, item))
    out = []
    options = ReadOptions(doc_timeout=DOC_TIMEOUT)
    with Store.open(str(folder / "v.db")) as store:
        pipeline = Pipeline(
            [
                CleanStage(),
                LanguageStage(),
                ContentHashStage(),
                ExactCopiesStage(store),
                NearCopiesStage(store, progress=False),
            ]
        )
        for family, path, item in written:
            result = runner.ingest_one(path, store, pipeline, options)
            result.family = family
            runner.check(result, item.allowed, item.must)
            out.append(result)
    return out


def test_malformed_inputs_sample_covers_every_family_and_format(results: list[Any]) -> None:
    assert len(results) == PER_FAMILY * len(families.FAMILIES) >= 190
    assert {r.family for r in results} == set(families.FAMILIES)
    suffixes = {Path(r.path).name.split(".", 1)[-1] for r in results}
    assert {"txt", "html", "jsonl", "warc", "rss", "xml"} <= suffixes
    assert any(s.endswith("gz") for s in suffixes)


def test_malformed_inputs_never_crash_and_every_file_is_accounted_for(results: list[Any]) -> None:
    problems = {r.path: r.problems for r in results if r.problems or r.crash}
    assert problems == {}
    assert all(r.outcomes for r in results)


def test_malformed_inputs_reach_both_rejections_and_ingestion(results: list[Any]) -> None:
    outcomes: Counter[str] = Counter()
    for r in results:
        outcomes.update(r.outcomes)
    # The sample is not all rejected nor all ingested: both paths are exercised, with many reasons.
    assert outcomes["kept"] + outcomes["duplicate"] > 20
    for reason in ("binary", "empty", "truncated_gzip", "bad_record", "malformed_json", "bad_encoding"):
        assert outcomes[reason] > 0, reason


def test_malformed_inputs_time_per_file_is_bounded(results: list[Any]) -> None:
    slowest = max(results, key=lambda r: r.seconds)
    assert slowest.seconds < MAX_SECONDS, slowest.path


def test_malformed_inputs_check_flags_what_a_family_does_not_allow() -> None:
    # The checker itself must be able to fail: an outcome outside `allowed`, a missing `must`, a crash.
    result = runner.FileResult(index=0, path="x.txt", outcomes={"kept": 1})
    runner.check(result, frozenset({"empty"}), frozenset({"truncated_gzip"}))
    assert len(result.problems) == 2
    crashed = runner.FileResult(index=0, path="x.txt", crash="Traceback …\nValueError: boom\n")
    runner.check(crashed, None, None)
    assert crashed.problems == ["crash: ValueError: boom"]


def test_malformed_inputs_samples_are_reproducible() -> None:
    for family in families.FAMILIES:
        first, again = families.sample(family, SEED, 3), families.sample(family, SEED, 3)
        assert (first.name, first.data) == (again.name, again.data)
