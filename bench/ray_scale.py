"""The Ray engine against the local engine on the same articles, in the same run (issue 10).

    .venv/bin/python bench/ray_scale.py [--n 5000] [--shards 8] [--workers 1 2] [--db-url URL]

The first N records of the shared OrangeSum corpus are written as `--shards` JSON-lines files (Ray
Data reads one task per file, so sharded input is what spreads the reading and the analysis over
the actors). Each configuration is one `veille ingest` command in a fresh process on a fresh
store — the local engine (the baseline), then `--engine ray --workers K` for each K — so every
figure includes what a user waits for: start-up (Ray's own processes, model loading in each actor)
as well as the work. Stores are SQLite files in a temporary folder unless `--db-url` names a
PostgreSQL server, in which case each run gets its own fresh database on it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"
VEILLE = Path(sys.executable).with_name("veille")


def write_shards(n: int, shards: int, folder: Path) -> int:
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in islice(lines, n)]
    size = -(-len(records) // shards)
    for index in range(shards):
        part = records[index * size : (index + 1) * size]
        if part:
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
            (folder / f"shard-{index:03d}.jsonl").write_text(text, encoding="utf-8")
    return len(records)


def fresh_postgres(url: str, name: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.rsplit("/", 1)[0] + "/" + name


def ingest(label: str, args: list[str], db: str, shards: Path, console: Console) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MiB) of the `veille ingest` process itself (wait4 gives the
    rusage of that one child; Ray's actors are not its children, so for Ray it is the driver's)."""
    command = [str(VEILLE), "ingest", str(shards), "--db", db, "--quiet", *args]
    console.print(f"[dim]{label}: {' '.join(command)}[/]")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(
            command, stdout=log, stderr=log, env={**os.environ, "PYTHONWARNINGS": "ignore"}
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        if child.returncode:
            log.seek(0)
            console.print(log.read().decode("utf-8", "replace")[-4000:])
            sys.exit(f"{label} failed (exit {child.returncode})")
    return elapsed, usage.ru_maxrss / 1024


def stored_articles(db: str) -> int:
    from veille.store import Store

    with Store.open(db) as store:
        return int(store.counts().get("articles", 0))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=5000, help="records from the start of the shared corpus")
    parser.add_argument("--shards", type=int, default=8, help="JSON-lines files the records are split into")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Ray actor counts to run")
    parser.add_argument("--db-url", help="PostgreSQL server URL (e.g. postgresql://127.0.0.1/test)")
    args = parser.parse_args()
    console = Console()
    rows: list[tuple[str, float, int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shards = folder / "shards"
        shards.mkdir()
        n = write_shards(args.n, args.shards, shards)
        configs = [("local engine", [])] + [
            (f"ray, {k} worker{'s' if k > 1 else ''}", ["--engine", "ray", "--workers", str(k)])
            for k in args.workers
        ]
        for index, (label, extra) in enumerate(configs):
            db = (
                fresh_postgres(args.db_url, f"veille_ray_bench_{index}")
                if args.db_url
                else str(folder / f"{index}.db")
            )
            elapsed, peak = ingest(label, extra, db, shards, console)
            rows.append((label, elapsed, stored_articles(db), peak))
            console.print(f"{label}: {elapsed:.1f} s, peak RSS {peak:.0f} MiB")
    base = rows[0][1]
    table = Table(
        title=f"{n} articles in {args.shards} shards, {'PostgreSQL' if args.db_url else 'SQLite'} store"
    )
    for column in ("run", "wall (s)", "articles/s", "speed-up vs local", "articles stored", "peak RSS (MiB)"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for label, elapsed, stored, peak in rows:
        speed = f"{base / elapsed:.2f}×"
        table.add_row(label, f"{elapsed:.1f}", f"{n / elapsed:.2f}", speed, str(stored), f"{peak:.0f}")
    console.print(table)
    ray_runs = {k: row[1] for row, k in zip(rows[1:], args.workers, strict=True)}
    if 1 in ray_runs and 2 in ray_runs:
        console.print(f"[bold]Ray 2 workers vs 1: {ray_runs[1] / ray_runs[2]:.2f}×[/]")
    console.print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
