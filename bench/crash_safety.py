"""Crash safety of `veille ingest` under SIGKILL (issue 11: at least 20 kills over 5,000 articles).

    .venv/bin/python bench/crash_safety.py [--n 5000] [--kills 20] [--seed 1] [--batch-size 64]
                                           [--reference] [--db PATH] [--csv kills.csv]

The first N records of the shared OrangeSum corpus (../shared/data/corpus) are written to a JSON-lines
file and ingested by `veille ingest` (local engine, SQLite store) in a child process, which is
killed with SIGKILL (its whole process group) KILLS times. The kill points are random (seeded):
KILLS article counts drawn uniformly in (0, N - batch size), sorted; for each, the script restarts
the ingest, waits until the store holds that many articles (or, when an earlier run passed it
already, for the run's first new commit), then a random fraction of one batch's time (the median
time between commits, measured in the run), so that kills land while a batch is analysed as well
as while it is written. A run that finishes before its kill point is reported as such (not a kill).
After each kill the store is opened (`Store.open`) and checked (`veille.store.check.check_store`:
SQLite integrity and foreign keys, schema version, veille's invariants, full-text indexes). Then a
last run to completion, and one more that must change nothing (a hash of every table before and
after).

Reported: kills, checks clean, articles stored once (distinct ids = rows = distinct records read),
stage failures left, and the time lost to restarts: the sum over restarts of the time from the
start to the first new commit (models loading, the killed batch done again); with --reference, also
an uninterrupted run into a second store, and the difference in wall time.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import itertools
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"
VEILLE = Path(sys.executable).with_name("veille")
POLL = 0.05
# Wide when written to a file, so that the tables stay readable in a log.
console = Console(width=None if sys.stdout.isatty() else 140)


@dataclass
class Kill:
    target: int  # the article count the kill waited for
    killed: bool  # False: the run had finished before the kill point (nothing left to cut)
    stored_before: int
    stored_at_kill: int
    run_seconds: float  # start → kill
    first_commit_seconds: float  # start → the run's first new commit (restart overhead)
    batch_seconds: float  # median time between commits in this run (the kill delay's scale)
    open_seconds: float
    check_seconds: float
    check: str  # "clean" or the problem codes


@dataclass
class Outcome:
    records: int
    expected: set[str]
    ids: list[str]
    failures: int
    final_ok: bool
    unchanged: bool
    total_seconds: float  # the kills and the final run
    final_seconds: float
    rerun_seconds: float
    reference_seconds: float | None

    @property
    def once(self) -> bool:
        return len(self.ids) == len(set(self.ids)) and set(self.ids) == self.expected


def write_prefix(n: int, path: Path) -> int:
    if not CORPUS.exists():
        sys.exit(
            f"the shared corpus is missing: expected {CORPUS}; get ../shared/data (see its README.md) "
            "or run the small test instead: pytest tests/test_crash_safety.py"
        )
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        kept = list(islice(lines, n))
    path.write_text("".join(kept), encoding="utf-8")
    return len(kept)


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # no table yet: the first migration is running
        return 0


def command(source: Path, db: Path, batch_size: int) -> list[str]:
    return [str(VEILLE), "ingest", str(source), "--db", str(db), "--batch-size", str(batch_size), "-q"]


def kill_once(source: Path, db: Path, batch_size: int, *, target: int, fraction: float, hint: float) -> Kill:
    """Start an ingest, wait for `target` articles, SIGKILL it `fraction` of a batch's time later
    (the batch time measured in this run, else `hint`); then open and check the store."""
    from veille.store import Store
    from veille.store.check import check_store

    before = stored_count(db)
    started = time.perf_counter()
    # Its own process group: the kill takes any helper process with it, as a crash would.
    process = subprocess.Popen(
        command(source, db, batch_size), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    commits: list[float] = []  # when the count grew: one commit per batch
    count = before
    try:
        while not (commits and count >= target) and process.poll() is None:
            time.sleep(POLL)
            now = stored_count(db)
            if now > count:
                commits.append(time.perf_counter())
            count = now
        gaps = [b - a for a, b in itertools.pairwise(commits)]
        interval = statistics.median(gaps) if gaps else hint
        deadline = time.perf_counter() + fraction * interval
        while time.perf_counter() < deadline and process.poll() is None:
            time.sleep(POLL / 5)
    finally:
        killed = process.poll() is None
        if killed:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if not killed and process.returncode != 0:
        err = process.stderr.read().decode() if process.stderr else ""
        sys.exit(f"the ingest failed on its own (status {process.returncode}): {err[-2000:]}")
    run_seconds = time.perf_counter() - started
    at_kill = stored_count(db)
    opened = time.perf_counter()
    with Store.open(str(db)) as store:
        open_seconds = time.perf_counter() - opened
        report = check_store(store)
    check_seconds = time.perf_counter() - opened - open_seconds
    verdict = "clean" if report.ok else ",".join(sorted(report.codes()))
    first_commit = commits[0] - started if commits else run_seconds
    return Kill(
        target, killed, before, at_kill, run_seconds, first_commit, interval, open_seconds, check_seconds,
        verdict,
    )  # fmt: skip


def run_to_end(source: Path, db: Path, batch_size: int) -> float:
    started = time.perf_counter()
    done = subprocess.run(command(source, db, batch_size), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"the ingest run to completion failed (status {done.returncode}): {done.stderr[-2000:]}")
    return time.perf_counter() - started


def store_digest(db: Path) -> str:
    """A hash of every row of every table (the full-text shadow tables included): equal before and
    after means unchanged. Rows sorted in Python: some shadow tables have no rowid to order by."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        for name, sql in conn.execute(query).fetchall():
            if name.startswith("sqlite_") or (sql or "").upper().startswith("CREATE VIRTUAL"):
                continue
            digest.update(name.encode())
            for line in sorted(repr(row) for row in conn.execute(f'SELECT * FROM "{name}"')):
                digest.update(line.encode())
    return digest.hexdigest()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="records of the corpus to ingest")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs during the run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64, help="veille ingest --batch-size")
    parser.add_argument("--reference", action="store_true", help="also time an uninterrupted run")
    parser.add_argument("--db", type=Path, help="store to write (default: a temporary file)")
    parser.add_argument("--csv", type=Path, help="write one row per kill here")
    args = parser.parse_args()
    if args.n < 1 or args.kills < 0 or args.batch_size < 1:
        sys.exit("--n and --batch-size must be at least 1, --kills at least 0")
    if args.db is not None and args.db.exists():
        sys.exit(f"{args.db} exists: the benchmark needs a new store; pass --db with a new file name")
    return args


def run(args: argparse.Namespace, tmp: Path) -> tuple[list[Kill], Outcome]:
    from veille.ingest import ReadOptions, ReadReport, article_id, iter_records
    from veille.store import Store
    from veille.store.check import check_store

    source = tmp / "corpus.jsonl"
    records = write_prefix(args.n, source)
    read = iter_records([str(source)], ReadOptions(), ReadReport())
    expected = {article_id(r.source_file, r.source_id) for r in read}
    db = args.db or tmp / "crash.db"
    rng = random.Random(args.seed)
    # At least one batch left after each target, so that a kill up to a batch's time later
    # usually finds the run still going.
    targets = sorted(rng.randint(1, max(1, records - args.batch_size)) for _ in range(args.kills))
    fractions = [rng.random() for _ in targets]
    hint = 0.3 * args.batch_size  # seconds per batch on this corpus, until a run measures it
    kills: list[Kill] = []
    started = time.perf_counter()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("kills", total=len(targets))
        for target, fraction in zip(targets, fractions, strict=True):
            kill = kill_once(source, db, args.batch_size, target=target, fraction=fraction, hint=hint)
            kills.append(kill)
            hint = kill.batch_seconds
            progress.advance(task)
    final_seconds = run_to_end(source, db, args.batch_size)
    total_seconds = time.perf_counter() - started
    before = store_digest(db)
    rerun_seconds = run_to_end(source, db, args.batch_size)
    unchanged = store_digest(db) == before
    with Store.open(str(db)) as store:
        final = check_store(store)
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        failures = int(conn.execute("SELECT count(*) FROM stage_failures").fetchone()[0])
    reference = run_to_end(source, tmp / "reference.db", args.batch_size) if args.reference else None
    outcome = Outcome(records, expected, ids, failures, final.ok, unchanged, total_seconds, final_seconds,
                      rerun_seconds, reference)  # fmt: skip
    return kills, outcome


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="veille-crash-") as tmp:
        kills, outcome = run(args, Path(tmp))
    report(args, kills, outcome)
    if args.csv and kills:
        with args.csv.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(asdict(kills[0])))
            writer.writeheader()
            writer.writerows(asdict(k) for k in kills)
    if not (
        outcome.once and outcome.final_ok and outcome.unchanged and all(k.check == "clean" for k in kills)
    ):
        sys.exit(1)


def report(args: argparse.Namespace, kills: list[Kill], outcome: Outcome) -> None:
    o = outcome
    table = Table(title=f"SIGKILL during `veille ingest` (--n {args.n}, --batch-size {args.batch_size})")
    columns = ("run", "target", "outcome", "stored before", "stored after", "run s", "first commit s",
               "batch s", "open s", "check s", "check")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column in ("outcome", "check") else "right")
    for number, k in enumerate(kills, start=1):
        table.add_row(str(number), str(k.target), "SIGKILL" if k.killed else "finished first",
                      str(k.stored_before), str(k.stored_at_kill), f"{k.run_seconds:.1f}",
                      f"{k.first_commit_seconds:.1f}", f"{k.batch_seconds:.1f}", f"{k.open_seconds:.2f}",
                      f"{k.check_seconds:.2f}", k.check)  # fmt: skip
    console.print(table)
    killed = [k for k in kills if k.killed]
    clean = sum(k.check == "clean" for k in killed)
    # Each run after a kill starts again: models load, the killed batch is done again.
    lost = sum(k.first_commit_seconds for k in kills[1:])
    summary = Table(title="Summary", show_header=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    rows = [
        ("records read", str(o.records)),
        ("distinct records (expected articles)", str(len(o.expected))),
        ("kills (SIGKILL)", f"{len(killed)} of {len(kills)} runs"),
        ("checks clean after a kill", f"{clean}/{len(killed)}"),
        ("articles stored", str(len(o.ids))),
        ("distinct article ids", str(len(set(o.ids)))),
        (
            "every record stored exactly once",
            "yes" if o.once else "NO",
        ),
        ("stage failures left", str(o.failures)),
        ("check after the final run", "clean" if o.final_ok else "NOT CLEAN"),
        ("second rerun changed nothing", "yes" if o.unchanged else "NO"),
        ("wall time, kills + final run (s)", f"{o.total_seconds:.0f}"),
        ("final run (s)", f"{o.final_seconds:.0f}"),
        ("second rerun (s)", f"{o.rerun_seconds:.0f}"),
        ("restart overhead: start → first commit, summed over restarts (s)", f"{lost:.0f}"),
        (
            "check after a kill, median (s)",
            f"{statistics.median(k.check_seconds for k in kills):.2f}" if kills else "-",
        ),
    ]
    if o.reference_seconds is not None:
        rows.append(("uninterrupted run (s)", f"{o.reference_seconds:.0f}"))
        lost_wall = o.total_seconds - o.reference_seconds
        rows.append(("time lost to restarts: wall − uninterrupted (s)", f"{lost_wall:.0f}"))
    for key, value in rows:
        summary.add_row(key, value)
    console.print(summary)


if __name__ == "__main__":
    main()
