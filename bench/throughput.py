"""Throughput of `veille ingest` against bare spaCy on the same articles, in the same run.

    .venv/bin/python bench/throughput.py [--n 2000] [--repeat 2] [--spacy-processes K]

Baseline: `fr_core_news_md` with all its components, `nlp.pipe` over the raw texts (lead + body,
as the corpus gives them), no cleaning, no storage. veille: the whole ingest (read the JSON lines,
clean, detect language, hash and find copies, the same spaCy pass, write to a fresh SQLite store).
Models are loaded before timing for both. The two are run alternately `--repeat` times and the best
time of each is kept, so that a background hiccup does not decide the ratio. Both run in this one
process, so their CPU times (`time.process_time`) are printed too: on a machine shared with other
jobs the CPU ratio is the steadier figure. The last table splits veille's CPU time by stage (the
rest is reading, storing and the engine), beside the bare spaCy pass of the same run.

`--spacy-processes K` (K > 1) runs veille with spaCy in K worker processes (`veille ingest
--spacy-processes K`) and adds a second baseline, bare spaCy with `nlp.pipe(n_process=K)`, so that
veille is compared both with the plain one-process pass and with spaCy's own multiprocessing on
the same cores. CPU times then only see this process, so only wall times are compared.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"


def load_records(n: int) -> list[dict[str, object]]:
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in islice(lines, n)]


def raw_text(record: dict[str, object]) -> str:
    parts = [str(record.get("heading") or ""), str(record.get("article") or "")]
    return "\n\n".join(p for p in parts if p)


@dataclass
class Timing:
    wall: float
    cpu: float


class TimedStage:
    """A stage that adds the CPU time of its calls to `cpu` and otherwise is the stage it wraps
    (name, requires, provides, per_article, load …)."""

    def __init__(self, stage: Any, cpu: dict[str, float]) -> None:
        self._stage = stage
        self._cpu = cpu

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._stage, attribute)

    def __call__(self, batch: list[Any]) -> Any:
        return self._timed(self._stage, batch)

    def __getattribute__(self, attribute: str) -> Any:
        # The engine starts a stage that has `submit` (spaCy) through it, not through __call__:
        # time both the start and the finish of such a stage.
        if attribute == "submit" and hasattr(object.__getattribute__(self, "_stage"), "submit"):
            return object.__getattribute__(self, "_submit")
        return object.__getattribute__(self, attribute)

    def _submit(self, batch: list[Any]) -> Any:
        finish = self._timed(self._stage.submit, batch)
        return lambda: self._timed(lambda _: finish(), batch)

    def _timed(self, call: Any, batch: list[Any]) -> Any:
        started = time.process_time()
        try:
            return call(batch)
        finally:
            self._cpu[self._stage.name] = self._cpu.get(self._stage.name, 0.0) + time.process_time() - started


def time_spacy(texts: list[str], processes: int = 1) -> Timing:
    """Bare spaCy; with `processes` > 1 spaCy's own multiprocessing, whose start (spawning the
    workers, loading the model in each) is part of every `nlp.pipe` call and so of its time."""
    import spacy

    from veille.nlp.spacy_stage import MODELS

    nlp = spacy.load(MODELS["fr"])  # bare: all its components, none of veille's
    started, started_cpu = time.perf_counter(), time.process_time()
    docs = nlp.pipe(texts, batch_size=64, n_process=processes)
    label = "bare spaCy" if processes == 1 else f"bare spaCy, n_process={processes}"
    for _ in track(docs, total=len(texts), description=label, transient=True):
        pass
    return Timing(time.perf_counter() - started, time.process_time() - started_cpu)


def time_veille(
    path: Path, workdir: Path, run: int, stage_cpu: dict[str, float], processes: int = 1
) -> tuple[Timing, dict[str, int]]:
    from veille.engines.local import ingest_paths
    from veille.pipeline import default_pipeline
    from veille.store import Store

    db = workdir / f"bench-{run}.db"
    with Store.open(str(db)) as store:
        pipeline = default_pipeline(store, spacy_processes=processes)
        pipeline.stages = [TimedStage(stage, stage_cpu) for stage in pipeline.stages]
        with pipeline:
            pipeline.warm_up()  # models, and spaCy's worker processes when there are some
            started, started_cpu = time.perf_counter(), time.process_time()
            summary = ingest_paths([path], store, pipeline)
            timing = Timing(time.perf_counter() - started, time.process_time() - started_cpu)
    return timing, {
        "kept": summary.kept,
        "duplicates": summary.duplicates,
        "rejected": sum(summary.rejected.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="articles from the start of the shared corpus")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--spacy-processes", type=int, default=1, help="veille's spaCy worker processes")
    args = parser.parse_args()
    processes = args.spacy_processes
    console = Console()

    records = load_records(args.n)
    texts = [raw_text(r) for r in records]
    from veille.nlp.spacy_stage import MODELS, load_model

    load_model(MODELS["fr"])  # warm veille's copy of the model outside the timing

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "articles.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        spacy_runs: list[Timing] = []
        veille_runs: list[Timing] = []
        pooled_runs: list[Timing] = []
        outcome: dict[str, int] = {}
        stage_cpu: list[dict[str, float]] = []
        for run in range(args.repeat):
            spacy_runs.append(time_spacy(texts))
            if processes > 1:
                pooled_runs.append(time_spacy(texts, processes))
            stage_cpu.append({})
            timing, outcome = time_veille(path, workdir, run, stage_cpu[-1], processes)
            veille_runs.append(timing)
            pooled = f", n_process={processes} {pooled_runs[-1].wall:.1f} s" if pooled_runs else ""
            console.print(
                f"run {run + 1}: bare spaCy {spacy_runs[-1].wall:.1f} s "
                f"(CPU {spacy_runs[-1].cpu:.1f} s){pooled}, "
                f"veille ingest {timing.wall:.1f} s (CPU {timing.cpu:.1f} s)"
            )

    spacy_times = [t.wall for t in spacy_runs]
    veille_times = [t.wall for t in veille_runs]
    spacy_rate = len(texts) / min(spacy_times)
    veille_rate = len(records) / min(veille_times)
    table = Table(
        title=f"Throughput on {len(records)} articles ({platform.processor() or platform.machine()})"
    )
    table.add_column("pipeline")
    table.add_column("best time (s)", justify="right")
    table.add_column("articles/s", justify="right")
    table.add_row(
        "bare spaCy nlp.pipe (fr_core_news_md, all components)",
        f"{min(spacy_times):.1f}",
        f"{spacy_rate:.1f}",
    )
    if pooled_runs:
        table.add_row(
            f"bare spaCy nlp.pipe(n_process={processes})",
            f"{min(t.wall for t in pooled_runs):.1f}",
            f"{len(texts) / min(t.wall for t in pooled_runs):.1f}",
        )
    table.add_row(
        "veille ingest (every stage, SQLite)"
        + (f", spaCy in {processes} processes" if processes > 1 else ""),
        f"{min(veille_times):.1f}",
        f"{veille_rate:.1f}",
    )
    console.print(table)
    console.print(f"veille outcome: {outcome}")
    console.print(f"[bold]ratio veille / bare spaCy: {veille_rate / spacy_rate:.2f}×[/] (best wall times)")
    if pooled_runs:
        pooled_rate = len(texts) / min(t.wall for t in pooled_runs)
        console.print(
            f"[bold]ratio veille / bare spaCy n_process={processes}: {veille_rate / pooled_rate:.2f}×[/]"
            " (best wall times)"
        )
        # CPU times see only this process: veille's spaCy runs in others, and its "nlp" row below
        # is this process's share (handing texts out, rebuilding the Docs).
    else:
        cpu_ratio = min(t.cpu for t in spacy_runs) / min(t.cpu for t in veille_runs)
        console.print(f"[bold]CPU ratio veille / bare spaCy: {cpu_ratio:.2f}×[/] (best CPU times)")
    console.print(stage_table(stage_cpu, veille_runs, spacy_runs))


def stage_table(
    stage_cpu: list[dict[str, float]], veille_runs: list[Timing], spacy_runs: list[Timing]
) -> Table:
    """CPU seconds by stage in the run with the least veille CPU, against that run's bare spaCy."""
    best = min(range(len(veille_runs)), key=lambda i: veille_runs[i].cpu)
    spacy_cpu = spacy_runs[best].cpu
    table = Table(title=f"veille CPU by stage (run {best + 1}), against bare spaCy's {spacy_cpu:.1f} s")
    table.add_column("stage")
    table.add_column("CPU (s)", justify="right")
    table.add_column("× bare spaCy", justify="right")
    rows = sorted(stage_cpu[best].items(), key=lambda item: -item[1])
    rows.append(("(reading, storing, engine)", veille_runs[best].cpu - sum(stage_cpu[best].values())))
    for name, cpu in rows:
        table.add_row(name, f"{cpu:.1f}", f"{cpu / spacy_cpu:.3f}")
    return table


if __name__ == "__main__":
    main()
