"""`veille watch …` and `veille digest`: watchlists from the shell.

`veille watch add FILE.toml` saves the watchlists of a TOML file (one at the top level, or several
`[[watchlist]]` tables), `veille watch list` shows them, `veille watch remove NAME` deletes one with
its matches, `veille watch deliver` retries the pending webhook deliveries now. `add` refuses a
webhook URL on a private, loopback or otherwise non-public address, and `deliver` will not post to
one, unless `--allow-private-webhooks` (or VEILLE_WEBHOOK_ALLOW_PRIVATE=1) says the receiver is on
the LAN on purpose.
`veille digest WATCHLIST --since 1d` prints the new and growing stories (Markdown or HTML).
Registered in cli.py (`app.add_typer(watch_app, name="watch")`, `app.command("digest")(digest)`).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from veille.errors import ConfigError

watch_app = typer.Typer(
    help="Watchlists: saved queries matched as articles are ingested.", no_args_is_help=True
)
console = Console()
DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file (created if missing) or a database URL.", show_default=True)
]


def read_toml(path: Path) -> list[dict[str, Any]]:
    """The watchlist tables of a TOML file; ConfigError says what is wrong and where."""
    if not path.is_file():
        raise ConfigError(f'{path}: no such file; give a TOML file with name = "…" and the query fields.')
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML ({error}); fix the file and run again.") from None
    tables = data.get("watchlist", [data] if "name" in data else [])
    if isinstance(tables, dict):
        tables = [tables]
    if not tables:
        raise ConfigError(
            f'{path}: no watchlist found; write name = "…" at the top, or [[watchlist]] tables.'
        )
    return list(tables)


AllowPrivateWebhooks = Annotated[
    bool,
    typer.Option(
        "--allow-private-webhooks",
        help="Let webhooks go to private, loopback and link-local addresses (a receiver on the LAN); "
        "sets VEILLE_WEBHOOK_ALLOW_PRIVATE=1.",
    ),
]


def allow_private_webhooks_option(allow: bool) -> None:
    """What the --allow-private-webhooks flags do: set the environment setting that deliveries
    read, so that it reaches every place a delivery is made (engines, server worker processes)."""
    if allow:
        from veille.watch.webhook import ALLOW_PRIVATE_ENV

        os.environ[ALLOW_PRIVATE_ENV] = "1"


@watch_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="TOML file of one watchlist or of [[watchlist]] tables.")],
    db: DbOption = "veille.db",
    allow_private_webhooks: AllowPrivateWebhooks = False,
) -> None:
    """Save (create or replace) the watchlists of FILE; matching starts with the next ingest."""
    from veille.store import Store
    from veille.store.watch import save_watchlist
    from veille.watch.query import Watchlist
    from veille.watch.webhook import target_refusal

    allow_private_webhooks_option(allow_private_webhooks)
    watchlists = []
    for i, table in enumerate(read_toml(file), 1):
        try:
            watchlist = Watchlist.from_dict(table)
        except ValueError as error:
            raise ConfigError(f"{file}: watchlist {i}: {error}") from None
        refused = target_refusal(watchlist.webhook_url)
        if refused is not None:
            raise ConfigError(f"{file}: watchlist {i} ({watchlist.name}): {refused}")
        watchlists.append(watchlist)
    with Store.open(db) as store:
        for watchlist in watchlists:
            save_watchlist(store, watchlist)
            console.print(f"saved watchlist [bold]{watchlist.name}[/bold] ({watchlist.id})")


@watch_app.command("list")
def list_command(db: DbOption = "veille.db") -> None:
    """The watchlists, with their query and number of matches."""
    from veille.store import Store
    from veille.store.watch import list_matches, list_watchlists

    with Store.open(db) as store:
        table = Table(title="Watchlists", title_justify="left")
        for column in ("id", "name", "query", "matches", "webhook"):
            table.add_column(column)
        for w in list_watchlists(store):
            query = w.query_json()
            shown = "; ".join(f"{k}={v}" for k, v in query.items() if v)
            table.add_row(w.id, w.name, shown, str(len(list_matches(store, w.id))), w.webhook_url or "")
        console.print(table)


@watch_app.command("remove")
def remove(
    name: Annotated[str, typer.Argument(help="The watchlist's name or id.")], db: DbOption = "veille.db"
) -> None:
    """Delete a watchlist with its matches and webhook deliveries."""
    from veille.store import Store
    from veille.store.watch import delete_watchlist, get_watchlist

    with Store.open(db) as store:
        watchlist = get_watchlist(store, name)
        if watchlist is None:
            raise ConfigError(f"no watchlist named {name!r}; `veille watch list` shows them.")
        delete_watchlist(store, watchlist.id)
        console.print(f"removed watchlist [bold]{watchlist.name}[/bold]")


@watch_app.command("deliver")
def deliver(db: DbOption = "veille.db", allow_private_webhooks: AllowPrivateWebhooks = False) -> None:
    """Retry the pending webhook deliveries that are due, and show the outcome."""
    from veille.store import Store
    from veille.watch.webhook import deliver_due

    allow_private_webhooks_option(allow_private_webhooks)
    with Store.open(db) as store:
        done = deliver_due(store, budget=None, limit=1000)
    for d in done:
        console.print(
            f"{d.watchlist_id} {d.id[:8]}: {d.status} after {d.attempts} attempt(s) {d.last_error or ''}"
        )
    console.print(f"{len(done)} delivery attempt(s)")


def digest(
    watchlist: Annotated[str, typer.Argument(help="The watchlist's name or id.")],
    *,
    since: Annotated[
        str | None, typer.Option(help="30m, 12h, 1d, 2w or an ISO date; default: the last digest (else 1d).")
    ] = None,
    format: Annotated[str, typer.Option("--format", help="md or html.")] = "md",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
    base_url: Annotated[str, typer.Option(help="The server's address, for links.")] = "",
    db: DbOption = "veille.db",
) -> None:
    """New and growing stories of a watchlist since a time (Markdown or HTML); remembers the time."""
    from veille.store import Store
    from veille.store.watch import get_watchlist, set_last_digest, watchlist_times
    from veille.watch.digest import build_digest, parse_since, to_html, to_markdown

    if format not in ("md", "html"):
        raise ConfigError(f"--format must be md or html, got {format!r}.")
    with Store.open(db) as store:
        found = get_watchlist(store, watchlist)
        if found is None:
            raise ConfigError(f"no watchlist named {watchlist!r}; `veille watch list` shows them.")
        times = watchlist_times(store, found.id)
        try:
            start = parse_since(since) if since else (times[2] if times and times[2] else parse_since("1d"))
        except ValueError as error:
            raise ConfigError(str(error)) from None
        result = build_digest(store, found, start)
        text = to_html(result, base_url) if format == "html" else to_markdown(result, base_url)
        if out is not None:
            out.write_text(text, encoding="utf-8")
            console.print(f"wrote {out} ({len(result.items)} stories)")
        else:
            typer.echo(text, nl=False)
        set_last_digest(store, found.id, result.until)


__all__ = ["AllowPrivateWebhooks", "allow_private_webhooks_option", "digest", "read_toml", "watch_app"]
