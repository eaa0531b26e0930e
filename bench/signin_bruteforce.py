"""A bounded password-guessing run against a real `veille serve` on loopback, to show the sign-in
rate limiting (docs/accounts.md): `python bench/signin_bruteforce.py [--attempts N] [--parallel K]`.

For each run the script makes a fresh SQLite store holding one account, starts
`veille serve --db STORE --host 127.0.0.1 --port FREE` as a subprocess and guesses that account's
password over HTTP, as an attacker on the same machine would:

1. sequential: N wrong guesses one after the other: how many were checked (401) before the
   refusals (429) began, and the time per attempt of each kind;
2. parallel: N wrong guesses sent by K clients at once (a fresh server and store): the limit must
   hold when guesses race each other, not only one at a time;
3. after either run, the right password from the same address is refused too (429) while the limit
   lasts: a guess that happens to be right gives nothing away.

Prints a table (rich) and exits 1 when more than `SIGN_IN.attempts` guesses were checked in either
run. Bounded: N ≤ 200, K ≤ 32, 10 s per request, 120 s per run; the servers are stopped at the end.
"""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from veille.accounts.ratelimit import SIGN_IN
from veille.accounts.users import create_user
from veille.store import Store

NAME, PASSWORD = "Alice", "le bon mot de passe, long"
RUN_DEADLINE_S = 120
VEILLE = Path(sys.executable).with_name("veille")


@dataclass
class Run:
    label: str
    answers: list[tuple[int, float]] = field(default_factory=list)  # (status, ms), in send order
    right_after: int = 0
    seconds: float = 0.0

    def count(self, status: int) -> int:
        return sum(1 for code, _ in self.answers if code == status)

    def median_ms(self, status: int) -> float | None:
        times = [ms for code, ms in self.answers if code == status]
        return statistics.median(times) if times else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served_store() -> Iterator[str]:
    """A fresh store with one account, served by `veille serve` on loopback; yields the base URL."""
    folder = Path(tempfile.mkdtemp(prefix="veille-bruteforce-"))
    db = folder / "signin.db"
    with Store.open(str(db)) as store:
        create_user(store, NAME, PASSWORD, "analyst")
    port = _free_port()
    command = [str(VEILLE), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]
    log = (folder / "serve.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(
                    f"`veille serve` did not start on {base}; its output: {folder / 'serve.log'}"
                )
            try:
                httpx.get(f"{base}/connexion", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _form_token(client: httpx.Client) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', client.get("/connexion").text)
    if not found:
        raise SystemExit("the sign-in page has no form token: has the form changed?")
    return found.group(1)


def _guess(base: str, password: str) -> tuple[int, float]:
    """One sign-in attempt by a fresh client (its own form token, as a script would get one)."""
    with httpx.Client(base_url=base, timeout=10) as client:
        token = _form_token(client)
        start = time.perf_counter()
        answer = client.post("/connexion", data={"name": NAME, "password": password, "form_token": token})
        return answer.status_code, (time.perf_counter() - start) * 1000


def attack(label: str, attempts: int, parallel: int, progress: Progress) -> Run:
    run = Run(label)
    with served_store() as base:
        task = progress.add_task(label, total=attempts)
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            pending = [pool.submit(_guess, base, f"essai-{i:04d}") for i in range(attempts)]
            for future in pending:
                run.answers.append(future.result(timeout=RUN_DEADLINE_S))
                progress.advance(task)
        run.seconds = time.monotonic() - started
        run.right_after, _ = _guess(base, PASSWORD)
    return run


def report(console: Console, runs: list[Run]) -> bool:
    table = Table(
        title=f"sign-in guessing on loopback (limit: {SIGN_IN.attempts} failures per name and per address "
        f"in {SIGN_IN.window})",
        title_justify="left",
    )
    for column in ("run", "guesses", "checked (401)", "refused (429)", "other", "median ms 401",
                   "median ms 429", "guesses/s", "right password after"):  # fmt: skip
        table.add_column(column)
    held = True
    for run in runs:
        checked, refused = run.count(401), run.count(429)
        other = len(run.answers) - checked - refused
        ms401, ms429 = run.median_ms(401), run.median_ms(429)
        table.add_row(
            run.label, str(len(run.answers)), str(checked), str(refused), str(other),
            "-" if ms401 is None else f"{ms401:.1f}", "-" if ms429 is None else f"{ms429:.1f}",
            f"{len(run.answers) / run.seconds:.1f}", str(run.right_after),
        )  # fmt: skip
        held = held and checked <= SIGN_IN.attempts and other == 0 and run.right_after == 429
    console.print(table)
    return held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--attempts", type=int, default=30, help="wrong guesses per run (default 30)")
    parser.add_argument("--parallel", type=int, default=8, help="clients at once in the parallel run")
    args = parser.parse_args()
    if not 1 <= args.attempts <= 200 or not 2 <= args.parallel <= 32:
        parser.error("--attempts must be in 1..200 and --parallel in 2..32: this run is meant to stay small")
    if not VEILLE.is_file():
        parser.error(f"no `veille` command beside {sys.executable}: run `make` (pip install -e .) first")
    console = Console(width=150)
    with Progress(console=console, transient=True) as progress:
        runs = [attack("sequential", args.attempts, 1, progress),
                attack(f"{args.parallel} at once", args.attempts, args.parallel, progress)]  # fmt: skip
    held = report(console, runs)
    console.print(
        "the limit held" if held else "[red]the limit did not hold[/]: see the table", highlight=False
    )
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
