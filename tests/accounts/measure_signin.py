"""Measure sign-in and its rate limiting on loopback: `python tests/accounts/measure_signin.py`.

Starts the real app (uvicorn, 127.0.0.1, a free port) over a fresh SQLite store holding one user,
then sends a bounded number of requests, one at a time:

1. GET /connexion (the baseline: a page with no password work);
2. right-password sign-ins (each costs one scrypt derivation);
3. wrong-password sign-ins for that name until and past the limit: how many are answered 401 before
   the 429s begin, and what a refused attempt costs;
4. one attempt for another name from the same address (refused too: the address is counted).

Latencies are medians, and ratios are to the baseline measured in the same run. Bounded: fixed
counts, a 10 s timeout per request, 120 s for the whole run. Not a test: it asserts nothing about
time, and pytest does not collect it (its name does not start with test_).
"""

from __future__ import annotations

import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from rich.console import Console
from rich.table import Table

from veille.accounts.ratelimit import SIGN_IN
from veille.accounts.users import create_user
from veille.api import create_app
from veille.store import Store

PASSWORD = "le bon mot de passe"
BASELINE, RIGHT, WRONG = 20, 10, 30
DEADLINE_S = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _form_token(client: httpx.Client) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', client.get("/connexion").text)
    assert found, "the sign-in page has no form token"
    return found.group(1)


def _timed_post(client: httpx.Client, name: str, password: str, token: str) -> tuple[int, float]:
    start = time.perf_counter()
    response = client.post("/connexion", data={"name": name, "password": password, "form_token": token})
    return response.status_code, (time.perf_counter() - start) * 1000


def measure(console: Console) -> int:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="veille-signin-"))
    db = str(folder / "signin.db")
    with Store.open(db) as store:
        create_user(store, "Alice", PASSWORD, "analyst")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if time.monotonic() - started > 30:
            console.print("[red]error:[/] the server did not start within 30 s")
            return 1
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            gets = []
            for _ in range(BASELINE):
                t0 = time.perf_counter()
                client.get("/connexion")
                gets.append((time.perf_counter() - t0) * 1000)
            token = _form_token(client)
            rights = []
            for _ in range(RIGHT):
                status, ms = _timed_post(client, "Alice", PASSWORD, token)
                assert status == 303, f"a right sign-in was answered {status}"
                client.cookies.delete("veille_session")
                token = _form_token(client)
                rights.append(ms)
            answers = []
            for _ in range(WRONG):
                if time.monotonic() - started > DEADLINE_S:
                    break
                answers.append(_timed_post(client, "Alice", "pas le bon", token))
            other_status, _ = _timed_post(client, "Bob", "peu importe", token)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    refused_at = next((i for i, (status, _) in enumerate(answers) if status == 429), None)
    unauthorised = [ms for status, ms in answers if status == 401]
    limited = [ms for status, ms in answers if status == 429]
    baseline = statistics.median(gets)
    table = Table(
        title=f"sign-in on loopback ({SIGN_IN.attempts} failures / {SIGN_IN.window})", title_justify="left"
    )
    for column in ("requests", "answer", "median ms", "× baseline"):
        table.add_column(column)
    rows = [
        (f"{BASELINE} GET /connexion (baseline)", "200", baseline),
        (f"{RIGHT} right passwords", "303", statistics.median(rights)),
        (f"{len(unauthorised)} wrong passwords before the limit", "401", statistics.median(unauthorised)),
    ]
    if limited:
        rows.append((f"{len(limited)} attempts past the limit", "429", statistics.median(limited)))
    for label, answer, ms in rows:
        table.add_row(label, answer, f"{ms:.1f}", f"{ms / baseline:.1f}")
    console.print(table)
    console.print(
        f"first 429 at wrong attempt {None if refused_at is None else refused_at + 1}; "
        f"another name from the same address afterwards: {other_status}",
        highlight=False,
    )
    return 0 if refused_at == SIGN_IN.attempts and other_status == 429 else 1


if __name__ == "__main__":
    sys.exit(measure(Console()))
