"""The Ray engine on a local Ray cluster: same store as the local engine, worker deaths retried."""

from __future__ import annotations

import functools
import gzip
import json
import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

ray = pytest.importorskip("ray")

from pg_store import wipe_store  # noqa: E402
from veille.engines.local import ingest_paths  # noqa: E402
from veille.engines.ray import run_ray  # noqa: E402
from veille.model import Article  # noqa: E402
from veille.pipeline import Pipeline, default_pipeline  # noqa: E402
from veille.store import Store  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "orangesum_2020-08-18.jsonl.gz"
# Both tests together take about 70 s (Ray's start-up included), so they run in CI; a hung Ray
# cluster must fail the run, not hold it until CI's own limit.
TEST_LIMIT_SECONDS = 420


class RayTestTimeout(Exception):
    pass


@pytest.fixture(autouse=True)
def time_limit() -> Any:
    def expire(signum: int, frame: Any) -> None:
        raise RayTestTimeout(f"a Ray engine test ran past {TEST_LIMIT_SECONDS} s (hung cluster?)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(TEST_LIMIT_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def cluster() -> Any:
    from ray import cloudpickle  # Ray's own copy pickles its tasks

    # Test modules are not importable by Ray workers: ship this one's classes by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def corpus(tmp_path: Path, n: int = 20) -> Path:
    with gzip.open(EXAMPLES, "rt", encoding="utf-8") as lines_file:
        lines = lines_file.read().splitlines()[:n]
    path = tmp_path / "o.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(store: Store) -> tuple[Any, ...]:
    counts = store.counts()
    ids = sorted((a.id, a.status) for a in store.iter_articles())
    mentions = sorted((m.article_id, m.start, m.end, m.entity_id) for m in store.iter_mentions())
    keys = ("articles", "mentions", "entities", "quotes", "timexes", "events", "stories")
    return ids, mentions, {k: counts[k] for k in keys}


def test_ray_store_equals_local_run(tmp_path: Path, cluster: Any, pg_url: str) -> None:
    path = corpus(tmp_path)
    with Store.open(str(tmp_path / "local.db")) as store:
        ingest_paths([path], store, default_pipeline(store))
        local = snapshot(store)
    with Store.open(pg_url) as store:
        wipe_store(store)  # the session's database holds what earlier tests stored
        summary = run_ray([path], store, workers=2)
        assert summary.records == 20
        assert snapshot(store) == local


class CrashOnce:
    """Kills its worker process the first time it meets `source_id` (a marker file remembers)."""

    name: ClassVar[str] = "crash_once"
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset()
    per_article: ClassVar[bool] = True

    def __init__(self, marker: str, source_id: str) -> None:
        self.marker, self.source_id = marker, source_id

    def __call__(self, batch: list[Article]) -> list[Article]:
        if any(a.source_id == self.source_id for a in batch) and not os.path.exists(self.marker):
            Path(self.marker).touch()
            os._exit(1)
        return batch


def crashing_pipeline(store: Any, marker: str, source_id: str) -> Pipeline:
    stages = default_pipeline(store, progress=False).stages
    return Pipeline([stages[0], CrashOnce(marker, source_id), *stages[1:]])


def test_ray_worker_killed_mid_batch_is_retried(tmp_path: Path, cluster: Any) -> None:
    path = corpus(tmp_path, 12)
    marker = tmp_path / "crashed"
    with gzip.open(EXAMPLES, "rt", encoding="utf-8") as lines_file:
        source_id = str(json.loads(lines_file.readline())["id"])
    factory = functools.partial(crashing_pipeline, marker=str(marker), source_id=source_id)
    with Store.open(str(tmp_path / "v.db")) as store:
        summary = run_ray([path], store, factory=factory, workers=1, batch_size=4)
        assert marker.exists()  # a worker did die
        ids = [a.id for a in store.iter_articles()]
    assert summary.records == 12 and summary.unchanged == 0
    assert len(ids) == len(set(ids)) == 12


def test_ray_one_big_file_is_read_in_several_blocks_in_input_order(tmp_path: Path, cluster: Any) -> None:
    from veille.engines.ray import READ_BLOCK_BYTES, _items, read_dataset
    from veille.ingest import ReadOptions, ReadReport

    with gzip.open(EXAMPLES, "rt", encoding="utf-8") as lines_file:
        template = json.loads(lines_file.readline())
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index in range(800):
            out.write(json.dumps({**template, "id": f"r{index}"}, ensure_ascii=False) + "\n")
    assert path.stat().st_size > 2 * READ_BLOCK_BYTES  # else one block would be right
    dataset = read_dataset(_items([path], ReadOptions(), ReadReport())).materialize()
    # several blocks: the actor pool can share one file's records between its actors
    assert dataset.num_blocks() > 1
    ids = [pickle.loads(row["raw"]).source_id for row in dataset.iter_rows() if row["raw"]]
    assert ids == [f"r{index}" for index in range(800)]
