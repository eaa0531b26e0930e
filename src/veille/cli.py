"""The `veille` command: validates arguments and calls plain library functions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from veille.errors import ConfigError, VeilleError

app = typer.Typer(
    name="veille",
    help="veille — news intelligence from raw news: clean articles, copies, entities, stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file (created if missing) or a database URL.", show_default=True)
]


@app.command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders (recursive; .gz accepted) and http(s) URLs of pages or feeds."),
    ],
    db: DbOption = "veille.db",
    fields: Annotated[
        str | None,
        typer.Option(help='JSON-lines field mapping, e.g. "text=body,title=headline,published=pubdate".'),
    ] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date (ISO 8601) for every page, over sidecars and pages.")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source name for every page, over sidecars and pages.")
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Largest file accepted, in bytes.")] = 50_000_000,
    doc_timeout: Annotated[
        float, typer.Option(help="Longest one page may take to parse, in seconds, before it is rejected.")
    ] = 30.0,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Let URL ingestion fetch private and loopback addresses.")
    ] = False,
    fetch_timeout: Annotated[float, typer.Option(help="Time limit for fetching one URL, in seconds.")] = 20.0,
    near_threshold: Annotated[
        float,
        typer.Option(help="Estimated Jaccard similarity (5-word shingles) from which a text is a near-copy."),
    ] = 0.8,
    batch_size: Annotated[int, typer.Option(help="Articles per batch (one transaction each).")] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Read raw news into the store: scraped .txt pages, JSON lines, HTML, WARC, RSS/Atom, URLs."""
    from veille.ingest import ReadOptions, parse_fields_option
    from veille.report import ingest_with_progress, print_run_summary

    if max_bytes <= 0:
        raise ConfigError(f"--max-bytes must be a positive number of bytes, got {max_bytes}.")
    if batch_size <= 0:
        raise ConfigError(f"--batch-size must be at least 1, got {batch_size}.")
    if not 0.0 < near_threshold <= 1.0:
        raise ConfigError(f"--near-threshold must be above 0 and at most 1, got {near_threshold}.")
    options = ReadOptions(
        max_bytes=max_bytes,
        published=published,
        source=source,
        doc_timeout=doc_timeout,
        allow_private=allow_private,
        fetch_timeout=fetch_timeout,
    )
    if fields:
        options.fields = parse_fields_option(fields)
    options.validate()
    summary, totals = ingest_with_progress(
        paths, db, options, batch_size=batch_size, quiet=quiet, console=console
    )
    print_run_summary(summary, totals, console)


@app.command()
def show(
    article: Annotated[
        str, typer.Argument(help="An article id, or its source file (or the end of its path).")
    ],
    db: DbOption = "veille.db",
    entities: Annotated[bool, typer.Option(help="List the entity mentions.")] = True,
) -> None:
    """Print an article: its clean text with entities, and every dropped line with its reason."""
    from veille.report import print_article
    from veille.store import Store

    with Store.open(db) as store:
        found = store.get_article(article)
        matches = [found] if found else store.find_articles(article)
        if not matches:
            raise ConfigError(
                f"no article {article!r} in {db}: give an id (see `veille export`) or a source file path "
                f"as ingested (e.g. seeds/000_2c3758c6a7c524fe.txt)."
            )
        for match in matches:
            print_article(match, console, show_mentions=entities)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="Folder to write <kind>.<format> files into.")],
    db: DbOption = "veille.db",
    format: Annotated[str, typer.Option("--format", help="Output format: jsonl or parquet.")] = "jsonl",
) -> None:
    """Write every kind of record in the store to OUT/<kind>.<format>."""
    from veille.store import Store
    from veille.store.export import export as export_store

    with Store.open(db) as store:
        counts = export_store(store, out, format)
    for kind, count in counts.items():
        console.print(f"{out / (kind + '.' + format)}: {count} {kind}")


@app.command()
def stats(db: DbOption = "veille.db") -> None:
    """Counts of what the store holds: articles by status and reason, languages, mentions."""
    from veille.report import print_store_counts
    from veille.store import Store

    with Store.open(db) as store:
        print_store_counts(store.counts(), console)


def main() -> None:
    try:
        app()
    except VeilleError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
