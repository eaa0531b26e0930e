"""`veille serve`: the HTTP API and the web pages over a store. Validates its options, then runs
uvicorn on `veille.api.create_app`. Registered in `cli.py` with `app.command("serve")(serve)`.

With `--workers N` (N > 1) uvicorn starts N server processes that share the port, so that every core
serves (one Python process uses one core at a time). Each process builds its own app, so uvicorn is
given an import string (`veille.api.app:app_from_environment`) instead of an app object, and the
options reach the processes through the environment (`SERVE_ENV`, and the token through
`VEILLE_API_TOKEN` as usual). The store is opened once here first, so that a wrong --db still fails
before anything listens. Everything the processes share (accounts, sessions, rate limiting, captchas)
lives in the store, so they agree; only the ingest lock is per process (the store serialises writes).
`--allow-private-webhooks` travels the same way, as `VEILLE_WEBHOOK_ALLOW_PRIVATE=1`."""

from __future__ import annotations

import ipaddress
import os
from typing import Annotated

import typer
from rich.console import Console

from veille.cli_watch import AllowPrivateWebhooks, allow_private_webhooks_option
from veille.errors import ConfigError

console = Console(stderr=True)
TOKEN_ENV = "VEILLE_API_TOKEN"
# Shorter tokens are too easy to guess for something that writes into the store.
MIN_TOKEN_LENGTH = 16
# More processes than this only take memory (a process per core is what helps).
MAX_WORKERS = 64
APP_FACTORY = "veille.api.app:app_from_environment"
# How `serve` hands its options to the worker processes (read by `app_from_environment`).
SERVE_ENV = {
    "db": "VEILLE_SERVE_DB",
    "open_signup": "VEILLE_SERVE_OPEN_SIGNUP",
    "private": "VEILLE_SERVE_PRIVATE",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_options(host: str, port: int, token: str | None, workers: int = 1) -> None:
    """Raise `ConfigError` naming the fix when an option cannot work."""
    if not 1 <= port <= 65535:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}.")
    if not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(
            f"--workers must be between 1 and {MAX_WORKERS}, got {workers}; "
            "one per CPU core is a good start (nproc tells how many)."
        )
    if not host.strip():
        raise ConfigError("--host is empty: give an address to listen on, e.g. 127.0.0.1.")
    if token is not None and len(token.strip()) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            f"--token must be at least {MIN_TOKEN_LENGTH} characters (got {len(token.strip())}); "
            'make one with `python -c "import secrets; print(secrets.token_urlsafe(24))"`.'
        )


def serve(
    db: Annotated[
        str, typer.Option("--db", help="SQLite file (created if missing) or a database URL.")
    ] = "veille.db",
    host: Annotated[
        str, typer.Option(help="Address to listen on; only this machine can reach 127.0.0.1.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar=TOKEN_ENV,
            help="API token that allows POST /api/ingest (Authorization: Bearer TOKEN). Without one the "
            "server is read-only.",
        ),
    ] = None,
    *,
    open_signup: Annotated[
        bool,
        typer.Option(
            "--open-signup",
            help="Anyone may sign up (as a reader), behind a captcha and rate limiting; without it, only "
            "through an admin's invitation link.",
        ),
    ] = False,
    private: Annotated[
        bool, typer.Option("--private", help="Reading the pages and the API needs sign-in too.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option("--workers", help="Server processes (one per CPU core to use them all); 1 by default."),
    ] = 1,
    allow_private_webhooks: AllowPrivateWebhooks = False,
) -> None:
    """Serve the JSON API (/api, docs at /docs) and the web pages (/) over the store."""
    import uvicorn

    from veille.api import create_app

    check_options(host, port, token, workers)
    # Set in this process's environment, which the worker processes inherit: watchlists saved
    # through the API and deliveries after POST /api/ingest both read it there.
    allow_private_webhooks_option(allow_private_webhooks)
    from veille.accounts.settings import AccountSettings

    token = token.strip() if token else None
    settings = AccountSettings(open_signup=open_signup, private=private)
    app = create_app(db, token=token, settings=settings) if workers == 1 else None
    if app is None:
        _check_store(db)
        _export_options(db, token, open_signup=open_signup, private=private)
    if not is_loopback(host):
        console.print(
            f"[yellow]warning:[/] listening on {host}: other machines can read this store"
            + ("" if token is None else " and, with the token, write to it"),
            highlight=False,
        )
    mode = "read-only" if token is None else "ingest allowed with the API token"
    processes = "" if workers == 1 else f", {workers} processes"
    console.print(
        f"veille: serving {db} at http://{host}:{port}/ ({mode}{processes}); API at /docs", highlight=False
    )
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    else:
        run_workers(host, port, workers)


def run_workers(host: str, port: int, workers: int) -> None:
    """uvicorn's multi-process mode on a socket bound here. uvicorn's own (`uvicorn.run(workers=N)`)
    is made without the TCP protocol number, so asyncio does not set TCP_NODELAY on the connections
    it accepts, and every answer then waited for the client's delayed ACK: ≈ 45 ms more per request
    on loopback, measured with bench/serve_load.py."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        APP_FACTORY, factory=True, workers=workers, host=host, port=port, log_level="warning"
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"cannot listen on {host}:{port} ({exc.strerror}); pick another --port or --host"
        ) from exc
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


def _check_store(db: str) -> None:
    """Open (and migrate) the store once, so that a wrong --db fails before the processes start,
    and they do not all migrate at once."""
    from veille.store import Store
    from veille.store.search import ensure_search_index

    with Store.open(db) as store:
        ensure_search_index(store.engine)


def _export_options(db: str, token: str | None, *, open_signup: bool, private: bool) -> None:
    os.environ[SERVE_ENV["db"]] = db
    os.environ[SERVE_ENV["open_signup"]] = "1" if open_signup else "0"
    os.environ[SERVE_ENV["private"]] = "1" if private else "0"
    if token is None:
        os.environ.pop(TOKEN_ENV, None)
    else:
        os.environ[TOKEN_ENV] = token
