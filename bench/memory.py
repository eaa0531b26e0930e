"""Peak memory of `veille ingest` as the corpus grows (issue 10: 5,000 vs 36,000 articles).

    .venv/bin/python bench/memory.py [--n N (default: all 36,152)] [--checkpoints 1000 5000 10000 20000 30000]
                                     [--standalone 5000] [--csv samples.csv]

One `veille ingest` of the first N records of the shared OrangeSum corpus (all 36,152 by default),
local engine, fresh SQLite store, in a child process. Every few seconds the script reads the
child's resident memory (VmRSS) and its high-water mark (VmHWM, the peak so far) from /proc, and
the number of articles the store already holds (a read-only query; SQLite's WAL lets it run beside
the writer). The peak when the store first reached each checkpoint is the peak RSS of ingesting
that many articles — the same process, the same code path, so 5,000 vs 36,000 is read from one
run. `--standalone K` also runs a separate ingest of the first K records and reports its peak from
wait4, to check that reading the peak from the long run's prefix gives the same figure.

Memory that grows with the corpus would show as VmHWM rising from checkpoint to checkpoint; the
target is peak(36,000) / peak(5,000) ≤ 1.5.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import sqlite3
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
SAMPLE_SECONDS = 5.0


def write_prefix(n: int, path: Path) -> int:
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        kept = list(islice(lines, n))
    path.write_text("".join(kept), encoding="utf-8")
    return len(kept)


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a live process in MiB; (0, 0) once it has gone."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0]) / 1024
    except FileNotFoundError:
        pass
    return values["VmRSS"], values["VmHWM"]


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1.0) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the table is not created yet, or the writer holds a lock
        return -1


def run_ingest(
    source: Path, db: Path, console: Console, sample: bool
) -> tuple[float, float, list[tuple[float, int, float, float]]]:
    """Wall seconds, peak RSS from wait4 (MiB) and the samples (t, stored, rss, hwm)."""
    command = [str(VEILLE), "ingest", str(source), "--db", str(db), "--quiet"]
    console.print(f"[dim]{' '.join(command)}[/]")
    samples: list[tuple[float, int, float, float]] = []
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(
            command, stdout=log, stderr=log, env={**os.environ, "PYTHONWARNINGS": "ignore"}
        )
        last_print = 0.0
        while sample:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter() - started
            rss, hwm = memory_mib(child.pid)
            stored = stored_articles(db)
            if stored >= 0:
                samples.append((now, stored, rss, hwm))
                if now - last_print >= 300:
                    last_print = now
                    minutes = now / 60
                    console.print(f"{minutes:5.1f} min: {stored} stored, RSS {rss:.0f}, peak {hwm:.0f} MiB")
            time.sleep(SAMPLE_SECONDS)
        else:
            _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code:
            log.seek(0)
            console.print(log.read().decode("utf-8", "replace")[-4000:])
            sys.exit(f"veille ingest failed (exit {code})")
    return elapsed, usage.ru_maxrss / 1024, samples


def peak_at(samples: list[tuple[float, int, float, float]], checkpoint: int) -> tuple[float, float] | None:
    """(minutes, peak MiB) when the store first held `checkpoint` articles."""
    for seconds, stored, _, hwm in samples:
        if stored >= checkpoint:
            return seconds / 60, hwm
    return None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=40_000, help="records from the start of the corpus")
    parser.add_argument("--checkpoints", type=int, nargs="+", default=[1000, 5000, 10000, 20000, 30000])
    parser.add_argument("--standalone", type=int, default=0, help="also ingest this prefix alone")
    parser.add_argument("--csv", type=Path, help="write every sample here")
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        n = write_prefix(args.n, corpus)
        elapsed, peak, samples = run_ingest(corpus, folder / "all.db", console, sample=True)
        stored = stored_articles(folder / "all.db")
        standalone = None
        if args.standalone:
            prefix = folder / "prefix.jsonl"
            write_prefix(args.standalone, prefix)
            standalone = run_ingest(prefix, folder / "prefix.db", console, sample=False)
    if args.csv:
        with args.csv.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["seconds", "stored", "rss_mib", "peak_mib"])
            writer.writerows(samples)
    table = Table(title=f"veille ingest of {n} records ({stored} articles stored), local engine, SQLite")
    for column in ("articles stored", "minutes", "peak RSS so far (MiB)", "vs first checkpoint"):
        table.add_column(column, justify="right")
    first = None
    for checkpoint in [c for c in args.checkpoints if c < stored]:
        found = peak_at(samples, checkpoint)
        if found is None:
            continue
        first = first or found[1]
        table.add_row(f"{checkpoint:,}", f"{found[0]:.1f}", f"{found[1]:.0f}", f"{found[1] / first:.2f}×")
    table.add_row(f"{stored:,} (end)", f"{elapsed / 60:.1f}", f"{peak:.0f}", f"{peak / (first or peak):.2f}×")
    console.print(table)
    five = peak_at(samples, 5000)
    if five:
        ratio = peak / five[1]
        console.print(f"[bold]peak RSS, all {stored:,} vs first 5,000: {ratio:.2f}×[/] (target ≤ 1.5)")
    if standalone:
        console.print(
            f"standalone ingest of the first {args.standalone:,}: peak RSS {standalone[1]:.0f} MiB "
            f"({standalone[0] / 60:.1f} min)"
        )
    console.print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
