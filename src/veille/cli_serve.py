"""`veille serve`: the HTTP API and the web pages over a store. Validates its options, then runs
uvicorn on `veille.api.create_app`. Registered in `cli.py` with `app.command("serve")(serve)`."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer
from rich.console import Console

from veille.errors import ConfigError

console = Console(stderr=True)
TOKEN_ENV = "VEILLE_API_TOKEN"
# Shorter tokens are too easy to guess for something that writes into the store.
MIN_TOKEN_LENGTH = 16


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_options(host: str, port: int, token: str | None) -> None:
    """Raise `ConfigError` naming the fix when an option cannot work."""
    if not 1 <= port <= 65535:
        raise ConfigError(f"--port must be between 1 and 65535, got {port}.")
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
) -> None:
    """Serve the JSON API (/api, docs at /docs) and the web pages (/) over the store."""
    import uvicorn

    from veille.api import create_app

    check_options(host, port, token)
    from veille.accounts.settings import AccountSettings

    settings = AccountSettings(open_signup=open_signup, private=private)
    app = create_app(db, token=token.strip() if token else None, settings=settings)
    if not is_loopback(host):
        console.print(
            f"[yellow]warning:[/] listening on {host}: other machines can read this store"
            + ("" if token is None else " and, with the token, write to it"),
            highlight=False,
        )
    mode = "read-only" if token is None else "ingest allowed with the API token"
    console.print(f"veille: serving {db} at http://{host}:{port}/ ({mode}); API at /docs", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")
