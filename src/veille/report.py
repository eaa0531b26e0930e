"""What the CLI shows people: progress, run summaries, one article with its entities and drops."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from veille.engines.local import RunSummary, ingest_paths
from veille.ingest import ReadOptions
from veille.model import Article
from veille.pipeline import MAX_ARTICLE_CHARS, default_pipeline
from veille.report_events import article_events_table, timexes_table
from veille.store import Store

LABEL_STYLES = {"PER": "bold cyan", "ORG": "bold magenta", "LOC": "bold green", "MISC": "bold yellow"}


@contextmanager
def record_progress(console: Console, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A live progress line (records, records/s) for an ingest; yields the callback that advances it
    by a number of records (the engines' `on_batch`)."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("records"),
        TextColumn("{task.fields[rate]:>7.1f} records/s"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=False,
    )
    with progress:
        task = progress.add_task("ingest", total=None, rate=0.0)

        def advance(n: int) -> None:
            progress.advance(task, n)
            elapsed = progress.tasks[0].elapsed or 0.0
            done = progress.tasks[0].completed
            progress.update(task, rate=done / elapsed if elapsed else 0.0)

        yield advance
        progress.update(task, total=progress.tasks[0].completed)


def ingest_with_progress(
    paths: Sequence[str | Path],
    db: str,
    options: ReadOptions,
    *,
    batch_size: int,
    quiet: bool,
    console: Console,
    near_threshold: float = 0.8,
    spacy_processes: int = 1,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> tuple[RunSummary, dict[str, Any]]:
    """Ingest with a live progress bar (records, records/s); returns the run summary and store totals."""
    with Store.open(db) as store:
        pipeline = default_pipeline(
            store,
            near_threshold=near_threshold,
            progress=not quiet,
            spacy_processes=spacy_processes,
            max_article_chars=max_article_chars,
        )
        with pipeline:
            with console.status("loading models", spinner="dots"):
                pipeline.warm_up()
            with record_progress(console, quiet) as advance:
                summary = ingest_paths(
                    paths, store, pipeline, options, batch_size=batch_size, on_batch=advance
                )
        return summary, store.counts()


def _counts_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        table.add_row(key, str(value))
    return table


def print_run_summary(summary: RunSummary, totals: dict[str, Any], console: Console) -> None:
    rate = summary.records / summary.seconds if summary.seconds else 0.0
    table = Table(title="This run", title_justify="left")
    table.add_column("records read", justify="right")
    table.add_column("unchanged", justify="right")
    table.add_column("kept", justify="right")
    table.add_column("duplicates", justify="right")
    table.add_column("rejected", justify="right")
    table.add_column("mentions", justify="right")
    table.add_column("records/s", justify="right")
    table.add_row(
        str(summary.records),
        str(summary.unchanged),
        str(summary.kept),
        str(summary.duplicates),
        str(sum(summary.rejected.values())),
        str(summary.mentions),
        f"{rate:.1f}",
    )
    console.print(table)
    if summary.rejected:
        console.print(_counts_table("Rejected by reason", summary.rejected))
    if summary.languages:
        console.print(_counts_table("Languages", summary.languages))
    if summary.dropped_lines:
        console.print(_counts_table("Dropped lines by reason", summary.dropped_lines))
    if summary.stage_failures:
        title = "Articles a stage failed on (kept without its output)"
        console.print(_counts_table(title, summary.stage_failures))
    for path, why in summary.skipped_files:
        console.print(f"[yellow]skipped[/] {path}: {why}", highlight=False)
    for warning in summary.warnings:
        console.print(f"[yellow]warning[/] {warning}", highlight=False)
    console.print(_store_line(totals), highlight=False)


def _store_line(counts: dict[str, Any]) -> str:
    return (
        f"[bold]store[/]: {counts['articles']} articles — {counts['kept']} kept, "
        f"{counts['duplicate']} duplicates, {counts['rejected']} rejected; {counts['mentions']} mentions, "
        f"{counts.get('entities', 0)} entities, {counts.get('quotes', 0)} quotes, "
        f"{counts.get('timexes', 0)} time expressions, {counts.get('events', 0)} events, "
        f"{counts.get('stories', 0)} stories"
    )


def print_store_counts(counts: dict[str, Any], console: Console) -> None:
    console.print(_store_line(counts), highlight=False)
    for key, title in (
        ("rejected_by_reason", "Rejected by reason"),
        ("languages", "Languages"),
        ("mentions_by_label", "Mentions by label"),
        ("entities_by_label", "Entities by label"),
        ("quotes_by_kind", "Quotes by kind"),
        ("events_by_type", "Events by type"),
        ("dropped_lines_by_reason", "Dropped lines by reason"),
        ("stage_failures_by_stage", "Articles a stage failed on, by stage"),
    ):
        if counts.get(key):
            console.print(_counts_table(title, counts[key]))


def entities_table(article: Article, entity_names: dict[str, str]) -> Table:
    """One row per entity the article mentions: its name, label and the names the article uses."""
    table = Table(title="Entities", title_justify="left")
    table.add_column("label")
    table.add_column("entity")
    table.add_column("as written")
    table.add_column("count", justify="right")
    groups: dict[tuple[str, str], list[str]] = {}
    for mention in article.mentions:
        key = mention.entity_id or f"{mention.label}:{mention.text}"
        groups.setdefault((mention.label, key), []).append(mention.text)
    rows = sorted(groups.items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1]))
    for (label, key), texts in rows:
        name = entity_names.get(key, texts[0])
        written = ", ".join(dict.fromkeys(t for t in texts if t != name))
        table.add_row(Text(label, style=LABEL_STYLES.get(label, "")), name, written, str(len(texts)))
    return table


def quotes_table(article: Article) -> Table:
    """Who said what in the article, in text order."""
    table = Table(title="Quotes", title_justify="left")
    table.add_column("speaker")
    table.add_column("kind")
    table.add_column("cue")
    table.add_column("quote")
    for quote in sorted(article.quotes, key=lambda q: q.start):
        speaker = quote.speaker_name or quote.speaker_text or "?"
        if quote.speaker_kind in {"anonymous", "collective"}:
            speaker = f"{speaker} ({quote.speaker_kind})"
        table.add_row(speaker, quote.kind, quote.cue or "", Text(quote.text))
    return table


def highlighted_text(article: Article) -> Text:
    text = Text(article.text)
    for mention in article.mentions:
        text.stylize(LABEL_STYLES.get(mention.label, "bold"), mention.start, mention.end)
    return text


def print_article(
    article: Article,
    console: Console,
    *,
    show_mentions: bool = True,
    entity_names: dict[str, str] | None = None,
) -> None:
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="dim")
    meta.add_column()
    for key in ("id", "source_file", "source_id", "source_name", "url", "published", "language", "status"):
        value = getattr(article, key)
        if value not in (None, ""):
            meta.add_row(key, str(value))
    if article.reason:
        meta.add_row("reason", f"{article.reason} {article.reason_detail or ''}".strip())
    if article.duplicate_of:
        meta.add_row("duplicate_of", article.duplicate_of)
    console.print(Panel(meta, title=Text(article.title or "(no title)", style="bold"), title_align="left"))
    if article.text:
        console.print(highlighted_text(article) if show_mentions else Text(article.text))
    if show_mentions and article.mentions:
        console.print()
        console.print(entities_table(article, entity_names or {}))
    if article.quotes:
        console.print()
        console.print(quotes_table(article))
    if article.timexes:
        console.print()
        console.print(timexes_table(article))
    if article.events:
        console.print()
        console.print(article_events_table(article))
    if article.dropped_lines:
        console.print()
        table = Table(title="Dropped lines", title_justify="left")
        table.add_column("reason", style="yellow")
        table.add_column("line")
        for line in article.dropped_lines:
            table.add_row(line.reason, Text(line.text))
        console.print(table)
    for failure in article.failures:
        console.print(
            f"[red]stage {failure.stage} failed on this article[/]: {failure.error} "
            "(its output is missing; the next `veille ingest` of the same file tries again)",
            highlight=False,
        )
    console.print()
