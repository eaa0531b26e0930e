"""`veille check`: the store's integrity check from the shell (the library: `veille.store.check`).

Exit status 0 when the store is clean, 1 with a table of problems (code, count, examples, what to
do), 2 when it cannot be opened (through `cli.main`, like every other error). Registered in cli.py
with `app.command("check")(check)`.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def check(
    db: Annotated[
        str, typer.Option("--db", help="SQLite file or database URL of an existing store.", show_default=True)
    ] = "veille.db",
    quick: Annotated[
        bool,
        typer.Option("--quick", help="SQLite: quick_check instead of the full integrity_check (faster)."),
    ] = False,
) -> None:
    """Check a store's integrity: the database file, the schema version, veille's invariants."""
    from veille.store.check import check_engine, open_for_check

    started = time.perf_counter()
    engine, where = open_for_check(db)
    try:
        with console.status(f"checking {where}", spinner="dots"):
            report = check_engine(engine, where, quick=quick)
    finally:
        engine.dispose()
    seconds = time.perf_counter() - started
    for note in report.notes:
        console.print(f"[dim]note:[/] {note}", highlight=False, soft_wrap=True)
    summary = (
        f"{len(report.checks)} checks on {where} ({report.backend}, schema version {report.schema_version})"
    )
    if report.ok:
        console.print(f"[green]clean[/]: {summary} in {seconds:.1f} s", highlight=False, soft_wrap=True)
        return
    table = Table(title=f"{len(report.problems)} problem(s)", title_justify="left", show_lines=True)
    for column in ("code", "count", "examples", "what is wrong, what to do"):
        # Folded, not cut: an id or a command with "…" in it cannot be copied.
        table.add_column(column, overflow="fold", justify="right" if column == "count" else "left")
    for problem in report.problems:
        table.add_row(problem.code, str(problem.count), "\n".join(problem.examples), problem.message)
    console.print(table)
    console.print(f"[red]not clean[/]: {summary} in {seconds:.1f} s", highlight=False, soft_wrap=True)
    raise typer.Exit(1)
