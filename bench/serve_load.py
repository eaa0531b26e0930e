"""The HTTP API under load (issue 8): latency of the story list, an entity page and a search.

    .venv/bin/python bench/serve_load.py build [--cache /tmp/veille_stories_cache] [--db /tmp/veille_load.db]
    .venv/bin/python bench/serve_load.py run [--db /tmp/veille_load.db] [--rate 50] [--seconds 30]
        [--workers 2] [--json F]

`build` writes the 10,000 analysed articles that `bench/stories_scale.py prepare` cached (no spaCy
pass here) to a fresh SQLite store as `veille ingest` does: the stories stage on each date-ordered
batch, over the store as its backend, then `store.upsert`.

`run` starts `veille serve` on that store as a separate process on 127.0.0.1 and sends it an
open-loop load from this process: requests leave at fixed times (`rate` a second) whether or not
earlier ones have answered, and each latency counts from the time its request was due, so a slow
server shows as queueing instead of slowing the client down (no coordinated omission). Each
endpoint is loaded in turn, after unmeasured warm-up requests; the baseline is a cheap route of the
same server in the same run, so the figures read as ratios.

Each endpoint cycles through varied requests read from the store (story list pages and date ranges,
several entities, ~80 search words: the most mentioned entities' names and the most frequent title
words), so that no answer is the same one served again: the figures measure the work of a request,
not a cache hit. `--workers` is `veille serve --workers` (server processes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from veille.model import Article

DEFAULT_CACHE = Path("/tmp/veille_stories_cache")
DEFAULT_DB = Path("/tmp/veille_load.db")
ARTICLES = 10_000  # what `stories_scale.py prepare` caches by default
BATCH = 100
# Search terms: this many entity names and as many title words, read from the store.
SEARCH_NAMES = 40
SEARCH_TITLE_WORDS = 40
ENTITIES = {"PER": 5, "ORG": 3, "LOC": 2}  # the entity phases' entities: the most mentioned of each label
PAGES = 10  # story list pages (20 stories each)
# Title words that say nothing of a subject (a title word must also be 6 letters or more).
STOPWORDS = frozenset((
    "après", "avant", "contre", "depuis", "encore", "entre", "pendant", "pourquoi", "quelques", "toujours",
    "selon", "leurs", "notre", "votre", "cette", "celle", "elles", "aussi", "alors", "comme", "autres",
    "déjà", "plusieurs", "encore", "contre",
))  # fmt: skip
BASELINE = "baseline"
GRACE = 10.0  # seconds after the last request of a phase was due before the unanswered are given up


# -- pure parts: the schedule and the figures ---------------------------------------------------
def schedule(rate: float, seconds: float) -> list[float]:
    """Send times (seconds from the start) of an open-loop load: one every 1/rate, fixed in advance."""
    if rate <= 0 or seconds <= 0:
        raise ValueError(f"rate and seconds must be positive, got rate={rate}, seconds={seconds}")
    return [i / rate for i in range(math.floor(rate * seconds + 1e-9))]


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q % of the values at or below it."""
    if not values:
        return math.nan
    if not 0 < q <= 100:
        raise ValueError(f"q must lie in (0, 100], got {q}")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Summary:
    name: str
    path: str
    sent: int
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    achieved_rate: float
    client_lag_ms: float  # the latest a request left after its due time: the client's own slack


def summarise(name: str, path: str, outcomes: list[tuple[float, float, bool]], lag: float) -> Summary:
    """Figures of one phase from (due time, answer time, ok) per request, in seconds. A failed or
    unanswered request counts as infinitely slow: a percentile that lands on one is unknown, not fast."""
    ok = [(due, done) for due, done, good in outcomes if good]
    latencies = [1000 * (done - due) if good else math.inf for due, done, good in outcomes]
    span = max((done for _, done in ok), default=0.0) - min((due for due, _, _ in outcomes), default=0.0)
    return Summary(
        name=name, path=path, sent=len(outcomes), errors=len(outcomes) - len(ok),
        p50_ms=percentile(latencies, 50), p90_ms=percentile(latencies, 90),
        p99_ms=percentile(latencies, 99), max_ms=max(latencies, default=math.nan),
        achieved_rate=len(ok) / span if span > 0 else 0.0, client_lag_ms=1000 * lag,
    )  # fmt: skip


# -- build ------------------------------------------------------------------------------------
def complete(article: Article) -> Article:
    """Give a cached article the fields `Article` gained after it was pickled, at their defaults
    (a slotted dataclass unpickles with such slots unset, and reading one raises)."""
    for spec in fields(Article):
        if not hasattr(article, spec.name):
            if spec.default_factory is not MISSING:
                setattr(article, spec.name, spec.default_factory())
            elif spec.default is not MISSING:
                setattr(article, spec.name, spec.default)
    return article


def build(cache: Path, db: Path, *, limit: int, partial: bool) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from stories_scale import load_cached
    from veille.store import Store
    from veille.stories import StoriesStage

    console = Console()
    articles = [complete(a) for a in load_cached(cache)]
    if len(articles) < limit and not partial:
        raise SystemExit(
            f"{cache} holds {len(articles)} of {limit} analysed articles: wait for "
            "`bench/stories_scale.py prepare` to finish, or pass --partial to build on what is there"
        )
    if not articles:
        raise SystemExit(f"no cached articles in {cache}: run `bench/stories_scale.py prepare` first")
    if db.exists():
        db.unlink()  # a fresh store: stories and copies from an earlier build would mix in
    store = Store.open(str(db))
    stage = StoriesStage(store)
    stage.warm_up()
    run_id = uuid.uuid4().hex
    started = time.perf_counter()
    with Progress(console=console) as progress:
        task = progress.add_task("storing", total=len(articles))
        for i in range(0, len(articles), BATCH):
            batch = stage(articles[i : i + BATCH])
            # The cache dropped the raw records, so there is no fingerprint: a rerun would redo all.
            store.upsert(batch, {}, run_id=run_id)
            progress.advance(task, len(batch))
    counts = store.counts()
    store.close()
    console.print(
        f"{db}: {counts['articles']} articles ({counts['kept']} kept), {counts['entities']} entities, "
        f"{counts.get('stories', '?')} stories, in {time.perf_counter() - started:.0f} s"
    )


# -- run --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def search_terms(store: Any) -> list[str]:
    """What people would search this store for: the most mentioned entities' names, then the most
    frequent title words (by the number of kept articles whose title has them), each once."""
    from sqlalchemy import select

    from veille.model import KEPT
    from veille.store import schema

    names = [e.name for e in store.find_entities(None, limit=3 * SEARCH_NAMES) if len(e.name) >= 3]
    a = schema.articles
    with store.engine.connect() as conn:
        titles = conn.execute(select(a.c.title).where(a.c.status == KEPT, a.c.title.is_not(None))).scalars()
        counts = Counter(w for t in titles for w in {w.lower() for w in re.findall(r"\w+", t)})
    words = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
             if len(w) >= 6 and w.isalpha() and w not in STOPWORDS]  # fmt: skip
    chosen = list(dict.fromkeys(names))[:SEARCH_NAMES]
    known = {n.lower() for n in chosen}
    return chosen + [w for w in words if w not in known][:SEARCH_TITLE_WORDS]


def date_ranges(store: Any) -> list[tuple[str, str]]:
    """(date_from, date_to) query values over the stories' span: each month, and some single days."""
    from sqlalchemy import func, select

    from veille.store import schema

    st = schema.stories
    with store.engine.connect() as conn:
        first, last = conn.execute(select(func.min(st.c.first_seen), func.max(st.c.last_seen))).one()
    if not first or not last:
        return []
    every = (f"{y:04d}-{m:02d}" for y in range(int(first[:4]), int(last[:4]) + 1) for m in range(1, 13))
    months = [month for month in every if first[:7] <= month <= last[:7]]
    days = [f"{month}-{day:02d}" for month in months for day in (5, 15, 25)]
    return [(m, m) for m in months] + [(d, d) for d in days if first[:10] <= d <= last[:10]]


def targets(db: Path) -> list[tuple[str, list[str]]]:
    """(name, paths) per phase; a phase cycles through its paths. Read from the store before serving."""
    from veille.api.stories import list_stories
    from veille.store import Store

    with Store.open(str(db)) as store:
        entities = [e.id for label, n in ENTITIES.items() for e in store.find_entities(None, label, limit=n)]
        stories = list_stories(store, 20)
        terms = search_terms(store)
        ranges = date_ranges(store)
    if not entities or not stories:
        raise SystemExit(f"{db} has no entity or no story: build it with `serve_load.py build`")
    pages = [f"/api/stories?limit=20&offset={20 * page}" for page in range(PAGES)]
    spans = [f"/api/stories?limit=20&date_from={a}&date_to={b}" for a, b in ranges]
    words = [quote(w) for w in terms]
    return [
        # Indexed reads of one story by id: the cheapest route that still goes through the store,
        # FastAPI's validation and the JSON response model.
        (BASELINE, [f"/api/stories/{story.id}" for story in stories]),
        ("stories JSON", interleave(pages, spans)),
        ("stories HTML", [f"/?page={page}" for page in range(1, PAGES + 1)]),
        ("entity JSON", [f"/api/entities/{e}" for e in entities]),
        ("entity HTML", [f"/entite/{e}" for e in entities]),
        ("search JSON", [f"/api/search?q={w}" for w in words]),
        ("search HTML", [f"/recherche?q={w}" for w in words]),
    ]


def interleave(first: list[str], second: list[str]) -> list[str]:
    """One of each in turn while both last, then the rest: consecutive requests differ in kind."""
    mixed = [path for pair in zip(first, second, strict=False) for path in pair]
    n = min(len(first), len(second))
    return mixed + first[n:] + second[n:]


def start_server(db: Path, port: int, workers: int = 1) -> subprocess.Popen[bytes]:
    veille = Path(sys.executable).with_name("veille")
    command = [str(veille), "serve", "--db", str(db), "--port", str(port), "--host", "127.0.0.1",
               "--workers", str(workers)]  # fmt: skip
    return subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def wait_ready(server: subprocess.Popen[bytes], base: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            err = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise SystemExit(f"`veille serve` exited with {server.returncode} before answering:\n{err}")
        try:
            if httpx.get(f"{base}/api/stats", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"`veille serve` did not answer at {base} within {timeout:.0f} s")


async def open_loop(
    client: httpx.AsyncClient, paths: list[str], rate: float, seconds: float
) -> tuple[list[tuple[float, float, bool]], float]:
    """Send paths (in turn) on the fixed schedule; (due, answered, ok) per request and the worst lag.
    Requests still unanswered GRACE seconds after the last one was due are given up as failed."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def one(path: str, due: float) -> tuple[float, float, bool]:
        try:
            response = await client.get(path)
            good = response.status_code == 200
        except httpx.HTTPError:
            good = False
        return due, loop.time(), good

    tasks = []
    lag = 0.0
    offsets = schedule(rate, seconds)
    for i, offset in enumerate(offsets):
        due = start + offset
        if (wait := due - loop.time()) > 0:
            await asyncio.sleep(wait)
        lag = max(lag, loop.time() - due)
        tasks.append(asyncio.create_task(one(paths[i % len(paths)], due)))
    finished, pending = await asyncio.wait(tasks, timeout=GRACE)
    for task in pending:
        task.cancel()
    given_up = [(start + offset, math.inf, False) for task, offset in zip(tasks, offsets, strict=True)
                if task in pending]  # fmt: skip
    return [task.result() for task in tasks if task in finished] + given_up, lag


async def load(
    base: str, name: str, paths: list[str], *, rate: float, seconds: float, warmup: int
) -> Summary:
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=1000)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        for i in range(warmup):  # not counted: first requests pay for caches and connections
            (await client.get(paths[i % len(paths)])).raise_for_status()
        outcomes, lag = await open_loop(client, paths, rate, seconds)
    return summarise(name, paths[0], outcomes, lag)


def table(summaries: list[Summary], rate: float) -> Table:
    base = next(s for s in summaries if s.name == BASELINE)
    out = Table(title=f"open loop at {rate:g} requests/s")
    for column in ("endpoint", "p50 ms", "p90 ms", "p99 ms", "max ms", "p50 ×base", "p99 ×base",
                   "errors", "req/s", "client lag ms"):  # fmt: skip
        out.add_column(column, justify="left" if column == "endpoint" else "right")
    for s in summaries:
        out.add_row(
            s.name, f"{s.p50_ms:.1f}", f"{s.p90_ms:.1f}", f"{s.p99_ms:.1f}", f"{s.max_ms:.1f}",
            f"{s.p50_ms / base.p50_ms:.1f}", f"{s.p99_ms / base.p99_ms:.1f}", str(s.errors),
            f"{s.achieved_rate:.1f}", f"{s.client_lag_ms:.1f}",
        )  # fmt: skip
    return out


def markdown(summaries: list[Summary]) -> str:
    """The figures as a Markdown table, for docs/benchmarks.md."""
    base = next(s for s in summaries if s.name == BASELINE)
    lines = [
        "| endpoint | p50 ms | p90 ms | p99 ms | max ms | p50 ×baseline | p99 ×baseline | errors | req/s |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    lines += [
        f"| {s.name} | {s.p50_ms:.1f} | {s.p90_ms:.1f} | {s.p99_ms:.1f} | {s.max_ms:.1f} | "
        f"{s.p50_ms / base.p50_ms:.1f} | {s.p99_ms / base.p99_ms:.1f} | {s.errors} | {s.achieved_rate:.1f} |"
        for s in summaries
    ]
    return "\n".join(lines)


def run(
    db: Path, rate: float, seconds: float, warmup: int, json_path: Path | None, *, workers: int = 1
) -> None:
    console = Console(width=160)  # the table must not wrap when the output goes to a file
    if not db.exists():
        raise SystemExit(f"no store at {db}: build it with `bench/serve_load.py build --db {db}`")
    phases = targets(db)
    summaries = []
    for name, paths in phases:
        # A fresh server per endpoint: an overloaded one goes on running the requests given up on,
        # and the next endpoint would queue behind them.
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(db, port, workers)
        try:
            wait_ready(server, base)
            summary = asyncio.run(load(base, name, paths, rate=rate, seconds=seconds, warmup=warmup))
        finally:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        summaries.append(summary)
        console.print(f"{name}: p50 {summary.p50_ms:.1f} ms, p99 {summary.p99_ms:.1f} ms", highlight=False)
    console.print(table(summaries, rate))
    console.print(
        "paths: " + "; ".join(f"{name}: {len(paths)} distinct, e.g. {paths[0]}" for name, paths in phases),
        highlight=False,
    )
    console.print(markdown(summaries), highlight=False, markup=False)
    if json_path is not None:
        report = {
            "db": str(db),
            "rate": rate,
            "seconds": seconds,
            "warmup": warmup,
            "workers": workers,
            "phases": [asdict(s) | {"paths": p} for s, (_, p) in zip(summaries, phases, strict=True)],
        }
        json_path.write_text(json.dumps(report, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=["build", "run"])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--limit", type=int, default=ARTICLES, help="build: articles the cache must hold")
    parser.add_argument("--partial", action="store_true", help="build: accept an unfinished cache")
    parser.add_argument("--rate", type=float, default=50.0, help="run: requests a second")
    parser.add_argument("--seconds", type=float, default=30.0, help="run: seconds of load per endpoint")
    parser.add_argument("--warmup", type=int, default=20, help="run: unmeasured requests per endpoint")
    parser.add_argument(
        "--workers", type=int, default=1, help="run: server processes (veille serve --workers)"
    )
    parser.add_argument("--json", type=Path, default=None, help="run: also write the figures here")
    args = parser.parse_args()
    if args.command == "build":
        build(args.cache, args.db, limit=args.limit, partial=args.partial)
    else:
        run(args.db, args.rate, args.seconds, args.warmup, args.json, workers=args.workers)


if __name__ == "__main__":
    main()
