"""Bad input at volume (issue 11): generate thousands of malformed files, ingest them, count.

    .venv/bin/python bench/malformed_inputs.py generate --out DIR [--n 10000] [--seed 0] [--no-giants]
    .venv/bin/python bench/malformed_inputs.py run DIR [--db FILE] [--max-seconds 60] [--jobs 1]
                                                       [--max-rss-mib 4096] [--report report.json]

`generate` writes DIR/files/ (every family of `malformed_families.py`, round robin, plus the
deliberate giants of `malformed_giants.py`: a 100 MB line, 1 GB gzip bombs, a million nested
<div>s) and DIR/manifest.jsonl (one line per file: its family and the outcomes it may and must
reach).

`run` ingests the files one at a time with the library (`ingest_paths([file], store,
default_pipeline(store))`, the full pipeline into a fresh SQLite store) in a child process, so
that each file's time is its own and that a crash of any kind is counted instead of ending the run:
an exception out of `ingest_paths`, the child dying (segfault, out of memory), or a file running
past `--file-timeout`, after which the child is restarted at the next file. Before each file the
child resets its peak RSS (and that of the HTML parser's sandbox process) through
/proc/PID/clear_refs, so each file's peak memory is measured alone. A file fails the run when it
crashes, when one of its records is not accounted for (kept, duplicate, or rejected with a reason
code from `veille.errors.REASONS`), when it yields nothing and leaves no word in the report, when
a stage fails on it, when its outcome is not one its family allows, or when it runs past
`--max-seconds` or `--max-rss-mib`. Exit status 1 when any file fails.

`--jobs N` runs N such children at once, each watched and restarted on its own, over every Nth
file, each into its own fresh SQLite store (so a file's duplicates are found among its job's
files only). Per-file time and peak RSS stay each file's own; on a machine with fewer free cores
than jobs, per-file times grow.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.progress import Progress

sys.path.insert(0, str(Path(__file__).resolve().parent))
import malformed_families as families  # sibling scripts, not a package
from malformed_giants import giants
from malformed_report import report, show

console = Console(stderr=True)


@dataclass
class FileResult:
    """What ingesting one file did: outcomes per record, time, memory and any problem."""

    index: int
    path: str
    family: str = ""
    outcomes: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rss_peak_mib: float = 0.0  # the ingesting process, reset before the file
    sandbox_peak_mib: float = 0.0  # the HTML/feed parser's worker process, reset before the file
    crash: str | None = None
    problems: list[str] = field(default_factory=list)


# --- one file, in process (also what the CI test calls) ---------------------------------------------


def ingest_one(path: Path, store: Any, pipeline: Any, options: Any = None) -> FileResult:
    """Ingest one file; any exception out of the library is recorded as a crash, not raised.

    `options` are the `ReadOptions` (defaults, as `veille ingest` has them, when None)."""
    from veille.engines.local import ingest_paths
    from veille.errors import REASONS

    result = FileResult(index=-1, path=os.fsdecode(path))
    started = time.perf_counter()
    try:
        summary = ingest_paths([path], store, pipeline, options)
    except Exception:
        result.seconds = time.perf_counter() - started
        result.crash = traceback.format_exc(limit=8)
        return result
    result.seconds = time.perf_counter() - started
    outcomes: Counter[str] = Counter(summary.rejected)
    outcomes["kept"] += summary.kept
    outcomes["duplicate"] += summary.duplicates
    outcomes["same_id"] += summary.unchanged
    outcomes["skipped"] += len(summary.skipped_files)
    if summary.records == 0 and not summary.skipped_files and summary.warnings:
        outcomes["noted"] += 1  # e.g. a feed with no entries, a WARC with no page: said in the report
    result.outcomes = {k: v for k, v in outcomes.items() if v}
    accounted = sum(summary.rejected.values()) + summary.kept + summary.duplicates + summary.unchanged
    if accounted != summary.records:
        result.problems.append(f"{summary.records} records read but {accounted} accounted for")
    unknown = sorted(set(summary.rejected) - set(REASONS))
    if unknown:
        result.problems.append(f"rejected without a known reason code: {unknown}")
    if not result.outcomes:
        result.problems.append("nothing came of the file and the report says nothing about it")
    if summary.stage_failures:
        result.problems.append(f"stages failed on it: {summary.stage_failures}")
    return result


def check(result: FileResult, allowed: frozenset[str] | None, must: frozenset[str] | None) -> None:
    """Add to `result.problems` the outcomes its family does not allow, and a missing required one."""
    if result.crash is not None:
        result.problems.append("crash: " + result.crash.strip().splitlines()[-1])
        return
    if allowed is not None:
        unexpected = sorted(set(result.outcomes) - allowed - {"same_id"})
        if unexpected:
            result.problems.append(f"outcomes {unexpected}, expected only {sorted(allowed)}")
    if must is not None and not set(result.outcomes) & must:
        result.problems.append(f"none of {sorted(must)} among {sorted(result.outcomes)}")


# --- generate: the deliberate giants, then the families -------------------------------------------


def generate(out: Path, n: int, seed: int, *, with_giants: bool = True) -> int:
    files = out / "files"
    files.mkdir(parents=True, exist_ok=True)
    names = list(families.FAMILIES)
    written = 0
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as manifest, Progress(console=console) as bar:
        task = bar.add_task("writing malformed files", total=n + (len(giants()) if with_giants else 0))
        entries: list[tuple[str, families.Sample]] = [
            (names[i % len(names)], families.sample(names[i % len(names)], seed, i // len(names)))
            for i in range(n)
        ]
        if with_giants:
            entries += giants()
        for index, (family, item) in enumerate(entries):
            path = families.write_sample(files, f"{index:05d}_{family}_", item)
            record = {
                "index": index,
                "giant": index >= n,
                "family": family,
                "path": os.fsdecode(path.relative_to(out)),
                "allowed": sorted(item.allowed) if item.allowed is not None else None,
                "must": sorted(item.must) if item.must is not None else None,
            }
            # ensure_ascii keeps surrogate-escaped (non-UTF-8) file names intact through JSON.
            manifest.write(json.dumps(record) + "\n")
            written += 1
            bar.advance(task)
    return written


def load_manifest(folder: Path) -> list[dict[str, Any]]:
    path = folder / "manifest.jsonl"
    if not path.exists():
        sys.exit(f"{path} not found: write the inputs first with `generate --out {folder}`")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- the child: ingests files from --start on, one JSON line per file on its protocol pipe ---------------


def _peak_mib(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_peak(pid: int | None) -> None:
    if pid is None:
        return
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # 5: reset the peak RSS (Linux ≥ 4.0)


def worker(folder: Path, db: str, start: int, selection_name: str = "selection.jsonl") -> None:
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever a library prints must not corrupt the protocol
    from veille.ingest import html, sandbox
    from veille.pipeline import default_pipeline
    from veille.store import Store

    selection = folder / selection_name
    entries = [json.loads(line) for line in selection.read_text(encoding="utf-8").splitlines()]
    with Store.open(db) as store:
        pipeline = default_pipeline(store, progress=False)
        pipeline.warm_up()
        # Starting the parser's process is the run's cost, not the first HTML file's.
        sandbox.call_with_timeout(html.extract_html, "<html><body><p>x</p></body></html>", None, seconds=120)
        for entry in entries[start:]:
            sandbox_pid = sandbox.default_sandbox().pid
            _reset_peak(os.getpid())
            _reset_peak(sandbox_pid)
            protocol.write(json.dumps({"begin": entry["index"]}) + "\n")
            result = ingest_one(folder / entry["path"], store, pipeline)
            result.index, result.family = entry["index"], entry["family"]
            result.rss_peak_mib = _peak_mib(os.getpid())
            # The sandbox may have been restarted during the file: read the one alive now, and the old one.
            result.sandbox_peak_mib = max(_peak_mib(sandbox_pid), _peak_mib(sandbox.default_sandbox().pid))
            protocol.write(json.dumps({"done": asdict(result)}) + "\n")


# --- the parent: supervises the child, restarts it after a crash or a hang -----------------------------


def _spawn(folder: Path, db: str, start: int, log: IO[bytes], selection: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "_worker", str(folder), "--db", db, "--start", str(start),
               "--selection", selection]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL)


class Supervisor:
    """Runs the ingesting child over the selection, restarting it after a crash or a hang."""

    def __init__(
        self,
        folder: Path,
        db: str,
        entries: list[dict[str, Any]],
        bounds: tuple[float, float, float],
        job: int | None = None,
    ):
        self.folder, self.db, self.entries = folder, db, entries
        self.file_timeout, self.max_seconds, self.max_rss_mib = bounds
        self.position = {e["index"]: n for n, e in enumerate(entries)}
        self.results: list[FileResult] = []
        self.next = 0  # position of the next file to ingest
        suffix = "" if job is None else f".{job}"
        self.log_path = folder / f"run{suffix}.log"
        self.selection = f"selection{suffix}.jsonl"
        # With --jobs, the jobs' threads share one results file.
        self.lock = threading.Lock()

    def record(self, result: FileResult, saved: IO[str]) -> None:
        entry = self.entries[self.position[result.index]]
        _finish(result, entry, self.max_seconds, self.max_rss_mib)
        self.results.append(result)
        with self.lock:
            saved.write(json.dumps(asdict(result)) + "\n")
            saved.flush()
        self.next = self.position[result.index] + 1

    def watch(
        self, child: subprocess.Popen[bytes], saved: IO[str], advance: Any
    ) -> tuple[str | None, int | None]:
        """Read the child's results until it is done (None) or crashes or hangs (why, position)."""
        assert child.stdout is not None
        current: int | None = None
        began = time.monotonic()
        buffer = b""
        while self.next < len(self.entries):
            # The first file also waits for the models to load.
            limit = self.file_timeout + (300 if current is None else 0)
            ready, _, _ = select.select([child.stdout], [], [], max(0.0, began + limit - time.monotonic()))
            if not ready:
                child.kill()
                child.wait()
                return f"no result after {limit:g} s (hang); the child was killed and restarted", current
            chunk = os.read(child.stdout.fileno(), 1 << 16)
            if not chunk:
                return f"the ingesting process died (exit code {child.wait()}); see {self.log_path}", current
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                message = json.loads(line)
                if "begin" in message:
                    current, began = self.position[message["begin"]], time.monotonic()
                    continue
                self.record(FileResult(**message["done"]), saved)
                current, began = None, time.monotonic()
                advance()
        child.wait()
        return None, None

    def run(self, mode: str = "w") -> list[FileResult]:
        with (
            (self.folder / "results.jsonl").open(mode, encoding="utf-8") as saved,
            Progress(console=console) as bar,
        ):
            task = bar.add_task("ingesting malformed files", total=len(self.entries))
            self.run_with(saved, lambda: bar.advance(task))
        return self.results

    def run_with(self, saved: IO[str], advance: Any) -> None:
        """Ingest this supervisor's files, writing each result to `saved` (shared between jobs).
        A child that dies before its first file is a broken set-up: recorded in `self.broken`."""
        self.broken: str | None = None
        # The child works through this file, in this order.
        selection = "".join(json.dumps(e) + "\n" for e in self.entries)
        (self.folder / self.selection).write_text(selection, encoding="utf-8")
        with self.log_path.open("ab") as log:
            while self.next < len(self.entries):
                started_at = self.next
                child = _spawn(self.folder, self.db, self.next, log, self.selection)
                crash, current = self.watch(child, saved, advance)
                if crash is None:
                    break
                if current is None and self.next == started_at:
                    # The child died before its first file: the set-up is broken, not an input.
                    self.broken = f"the ingesting process could not start ({crash}); see {self.log_path}"
                    return
                entry = self.entries[current if current is not None else self.next]
                self.record(FileResult(entry["index"], entry["path"], entry["family"], crash=crash), saved)
                advance()


def run(
    folder: Path,
    db: str,
    *,
    file_timeout: float,
    max_seconds: float,
    max_rss_mib: float,
    limit: int | None = None,
    jobs: int = 1,
    resume: bool = False,
) -> list[FileResult]:
    """Ingest the files of `folder`'s manifest (the giants first, then the first `limit` others),
    in `jobs` watched children at once (job j takes every `jobs`-th file from the j-th, into the
    store `db` + ".j"; one job uses `db` itself). `resume`: leave out the files `results.jsonl`
    already has a result for, and add to it (a run that was stopped goes on where it was)."""
    everything = load_manifest(folder)
    entries = [e for e in everything if e.get("giant")] + [e for e in everything if not e.get("giant")][
        :limit
    ]
    mode = "w"
    if resume and (folder / "results.jsonl").exists():
        lines = (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
        done = {json.loads(line)["index"] for line in lines if line.strip()}
        entries = [e for e in entries if e["index"] not in done]
        mode = "a"
    bounds = (file_timeout, max_seconds, max_rss_mib)
    if jobs == 1:
        supervisor = Supervisor(folder, db, entries, bounds)
        results = supervisor.run(mode)
        if supervisor.broken:
            sys.exit(supervisor.broken)
        return results
    supervisors = [Supervisor(folder, f"{db}.{j}", entries[j::jobs], bounds, job=j) for j in range(jobs)]
    with (
        (folder / "results.jsonl").open(mode, encoding="utf-8") as saved,
        Progress(console=console) as bar,
    ):
        task = bar.add_task(f"ingesting malformed files ({jobs} jobs)", total=len(entries))
        lock = threading.Lock()

        def advance() -> None:
            with lock:
                bar.advance(task)

        for supervisor in supervisors:
            supervisor.lock = lock  # one lock for the shared results file
        threads = [threading.Thread(target=s.run_with, args=(saved, advance)) for s in supervisors]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    broken = [s.broken for s in supervisors if s.broken]
    if broken:
        sys.exit(broken[0])
    return [result for s in supervisors for result in s.results]


def _finish(result: FileResult, entry: dict[str, Any], max_seconds: float, max_rss_mib: float) -> None:
    allowed = frozenset(entry["allowed"]) if entry["allowed"] is not None else None
    must = frozenset(entry["must"]) if entry["must"] is not None else None
    check(result, allowed, must)
    if result.seconds > max_seconds:
        result.problems.append(f"took {result.seconds:.1f} s, over the {max_seconds:g} s bound")
    peak = max(result.rss_peak_mib, result.sandbox_peak_mib)
    if peak > max_rss_mib:
        result.problems.append(f"peak RSS {peak:.0f} MiB, over the {max_rss_mib:g} MiB bound")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate", help="write the malformed files and their manifest")
    gen.add_argument("--out", type=Path, required=True)
    gen.add_argument(
        "--n", type=int, default=10_000, help="files drawn from the families (giants come on top)"
    )
    gen.add_argument("--seed", type=int, default=0)
    gen.add_argument("--no-giants", action="store_true", help="leave out the 100 MB line and the bombs")
    ran = sub.add_parser("run", help="ingest every file of a generated folder and report")
    ran.add_argument("folder", type=Path)
    ran.add_argument(
        "--db", help="SQLite file or PostgreSQL URL (default: a fresh SQLite file in a temp folder)"
    )
    ran.add_argument("--file-timeout", type=float, default=300.0, help="a file past this is a hang (crash)")
    ran.add_argument("--max-seconds", type=float, default=60.0, help="per-file time bound")
    ran.add_argument("--max-rss-mib", type=float, default=4096.0, help="per-file peak RSS bound")
    ran.add_argument("--report", type=Path, help="write the summary as JSON here")
    ran.add_argument("--limit", type=int, help="ingest only the first N files (the giants always)")
    ran.add_argument(
        "--jobs", type=int, default=1, help="files ingested at once, each job in its own watched child"
    )
    ran.add_argument(
        "--resume", action="store_true", help="skip the files DIR/results.jsonl has; report on all of them"
    )
    again = sub.add_parser("report", help="summarise DIR/results.jsonl of a run (also one that was stopped)")
    again.add_argument("folder", type=Path)
    again.add_argument("--report", type=Path, help="write the summary as JSON here")
    child = sub.add_parser("_worker")  # internal: the ingesting child process
    child.add_argument("folder", type=Path)
    child.add_argument("--db", required=True)
    child.add_argument("--start", type=int, default=0)
    child.add_argument("--selection", default="selection.jsonl")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "generate":
        if args.n < 1:
            parser.error(f"--n must be at least 1, got {args.n}")
        count = generate(args.out, args.n, args.seed, with_giants=not args.no_giants)
        console.print(f"wrote {count} files under {args.out / 'files'} and {args.out / 'manifest.jsonl'}")
        return 0
    if args.command == "_worker":
        worker(args.folder, args.db, args.start, args.selection)
        return 0
    if args.command == "report":
        lines = (args.folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
        summary = report([FileResult(**json.loads(line)) for line in lines], float("nan"))
        show(summary)
        if args.report is not None:
            args.report.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return 1 if summary["failed_files"] else 0
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.jobs > 1 and args.db and "://" in args.db:
        parser.error("--jobs above 1 writes one SQLite store per job: give --db a file name, or no --db")
    with tempfile.TemporaryDirectory(prefix="veille-malformed-") as tmp:
        db = args.db or str(Path(tmp) / "malformed.db")
        started = time.perf_counter()
        results = run(args.folder, db, file_timeout=args.file_timeout, max_seconds=args.max_seconds,
                      max_rss_mib=args.max_rss_mib, limit=args.limit, jobs=args.jobs,
                      resume=args.resume)  # fmt: skip
        wall = time.perf_counter() - started
        if args.resume:  # the summary covers the whole set; the wall time, this part's only
            lines = (args.folder / "results.jsonl").read_text(encoding="utf-8").splitlines()
            results = [FileResult(**json.loads(line)) for line in lines if line.strip()]
        summary = report(results, wall)
    show(summary)
    if args.report is not None:
        args.report.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if summary["failed_files"] else 0


if __name__ == "__main__":
    sys.exit(main())
