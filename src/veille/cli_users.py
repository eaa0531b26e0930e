"""`veille user …`: make the first admin and invitations from the shell (the UI does the rest).

`veille user add NAME --role admin` asks for the password twice (or reads one line from standard
input with --password-stdin, for scripts); `veille user invite --role analyst` prints a sign-up link;
`veille user list` shows the accounts. Registered in cli.py with `app.add_typer(user_app, name="user")`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from veille.errors import ConfigError

user_app = typer.Typer(help="Accounts of `veille serve`: add users, invite, list.", no_args_is_help=True)
console = Console()
DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file (created if missing) or a database URL.", show_default=True)
]
RoleOption = Annotated[str, typer.Option("--role", help="reader, analyst or admin.", show_default=True)]


def _check_role(role: str) -> None:
    from veille.accounts.users import ROLES

    if role not in ROLES:
        raise ConfigError(f"--role must be one of {', '.join(ROLES)}, got {role!r}.")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line.strip():
            raise ConfigError("--password-stdin: standard input held no password; pipe one line into it.")
        return line.rstrip("\r\n")
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Password (again)", hide_input=True)
    if first != second:
        raise ConfigError("the two passwords differ: run the command again.")
    return str(first)


@user_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user's sign-in name (3 to 40 characters).")],
    role: RoleOption = "reader",
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of standard input."),
    ] = False,
    db: DbOption = "veille.db",
) -> None:
    """Add a user (the first admin: `veille user add NAME --role admin`)."""
    from veille.accounts.users import AccountError, create_user
    from veille.store import Store

    _check_role(role)
    password = _read_password(password_stdin)
    with Store.open(db) as store:
        try:
            user = create_user(store, name, password, role)
        except AccountError as error:
            raise ConfigError(str(error)) from None
    console.print(f"added {user.name} ({user.role}) to {db}; sign in at /connexion", highlight=False)


@user_app.command("invite")
def invite(
    role: RoleOption = "analyst",
    url: Annotated[
        str, typer.Option("--url", help="The server's address as people reach it, for the printed link.")
    ] = "http://127.0.0.1:8000",
    days: Annotated[int, typer.Option("--days", help="Days before the link expires.", min=1, max=90)] = 7,
    db: DbOption = "veille.db",
) -> None:
    """Print a one-use sign-up link for a new account with ROLE (shown once: only its hash is kept)."""
    from veille.accounts.users import create_invitation
    from veille.store import Store

    _check_role(role)
    with Store.open(db) as store:
        token = create_invitation(store, role, days=days)
    typer.echo(f"{url.rstrip('/')}/inscription?invitation={token}")


@user_app.command("list")
def list_(db: DbOption = "veille.db") -> None:
    """The accounts: name, role, creation date, state (never their password hashes)."""
    from veille.accounts.users import list_users
    from veille.store import Store

    with Store.open(db) as store:
        rows = list_users(store)
    table = Table(title=f"{len(rows)} user{'s' * (len(rows) != 1)}", title_justify="left")
    for column in ("name", "role", "created", "state"):
        table.add_column(column)
    for row in rows:
        table.add_row(row.name, row.role, row.created_at[:10], "disabled" if row.disabled else "active")
    console.print(table)
