"""The `veille` command: validates arguments and calls plain library functions."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from veille.cli_check import check
from veille.cli_eval import eval_app
from veille.cli_rubriques import rubriques_app
from veille.cli_serve import serve
from veille.cli_users import user_app
from veille.cli_watch import AllowPrivateWebhooks, allow_private_webhooks_option, digest, watch_app
from veille.errors import ConfigError, VeilleError
from veille.pipeline import MAX_ARTICLE_CHARS

if TYPE_CHECKING:
    from veille.model import Entity, Quote, Story
    from veille.store import Store

app = typer.Typer(
    name="veille",
    help="veille — news intelligence from raw news: clean articles, copies, entities, stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)

LABELS = ("PER", "ORG", "LOC", "MISC")
QUOTE_KINDS = ("direct", "partial", "indirect")
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
    allow_private_webhooks: AllowPrivateWebhooks = False,
    fetch_timeout: Annotated[float, typer.Option(help="Time limit for fetching one URL, in seconds.")] = 20.0,
    near_threshold: Annotated[
        float,
        typer.Option(help="Estimated Jaccard similarity (5-word shingles) from which a text is a near-copy."),
    ] = 0.8,
    max_article_chars: Annotated[
        int,
        typer.Option(
            help="Longest clean text analysed, in characters; a longer article is rejected too_long "
            "(not cut)."
        ),
    ] = MAX_ARTICLE_CHARS,
    batch_size: Annotated[int, typer.Option(help="Articles per batch (one transaction each).")] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[str, typer.Option(help="local, or ray (pip install 'veille\\[ray]').")] = "local",
    address: Annotated[
        str | None, typer.Option(help="Ray cluster address (--engine ray); none starts a local one.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Ray actors analysing articles (--engine ray).")] = 2,
    spacy_processes: Annotated[
        int,
        typer.Option(
            help="Worker processes running spaCy (local engine), each with its own copy of the model "
            "(about 0.5 GB); 2 or more pays on a machine with as many free cores."
        ),
    ] = 1,
) -> None:
    """Read raw news into the store: scraped .txt pages, JSON lines, HTML, WARC, RSS/Atom, URLs."""
    from veille.ingest import ReadOptions, parse_fields_option
    from veille.report import ingest_with_progress, print_run_summary, record_progress

    if max_bytes <= 0:
        raise ConfigError(f"--max-bytes must be a positive number of bytes, got {max_bytes}.")
    if batch_size <= 0:
        raise ConfigError(f"--batch-size must be at least 1, got {batch_size}.")
    if max_article_chars < 1:
        raise ConfigError(f"--max-article-chars must be at least 1, got {max_article_chars}.")
    if spacy_processes < 1:
        raise ConfigError(f"--spacy-processes must be at least 1, got {spacy_processes}.")
    if not 0.0 < near_threshold <= 1.0:
        raise ConfigError(f"--near-threshold must be above 0 and at most 1, got {near_threshold}.")
    allow_private_webhooks_option(allow_private_webhooks)
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
    if engine not in {"local", "ray"}:
        raise ConfigError(f"--engine must be local or ray, got {engine!r}.")
    if engine == "ray":
        from veille.engines.ray import ray_ingest

        # The line stays at 0 while Ray starts and the actors load their models.
        with record_progress(console, quiet) as advance:
            summary, totals = ray_ingest(paths, db, options, workers=workers, address=address,
                                         batch_size=batch_size, near_threshold=near_threshold,
                                         on_batch=advance, max_article_chars=max_article_chars)  # fmt: skip
        print_run_summary(summary, totals, console)
        return
    summary, totals = ingest_with_progress(
        paths, db, options, batch_size=batch_size, quiet=quiet, console=console,
        near_threshold=near_threshold, spacy_processes=spacy_processes,
        max_article_chars=max_article_chars,
    )  # fmt: skip
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
            ids = sorted({m.entity_id for m in match.mentions if m.entity_id})
            known = (store.get_entity(i) for i in ids)
            names = {e.id: e.name for e in known if e is not None}
            print_article(match, console, show_mentions=entities, entity_names=names)


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


@app.command("entities")
def entities_command(
    db: DbOption = "veille.db",
    label: Annotated[str | None, typer.Option(help="Only this label: PER, ORG, LOC or MISC.")] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="Only this finer type: country, city, party …")
    ] = None,
    query: Annotated[
        str | None, typer.Option(help="Name or alias containing this text (case and accents ignored).")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most entities to list.")] = 50,
) -> None:
    """List the entities the store knows, most mentioned first."""
    from veille.store import Store

    if label is not None and label.upper() not in LABELS:
        raise ConfigError(f"--label must be one of {', '.join(LABELS)}, got {label!r}.")
    if limit <= 0:
        raise ConfigError(f"--limit must be at least 1, got {limit}.")
    with Store.open(db) as store:
        found = store.find_entities(query, label.upper() if label else None, type, limit)
    if not found:
        console.print(f"no entity matches in {db}.", highlight=False)
        return
    console.print(_entities_table(found))


@app.command("entity")
def entity_command(
    name: Annotated[str, typer.Argument(help="An entity id (see `veille entities`), or its name.")],
    db: DbOption = "veille.db",
) -> None:
    """Show one entity: names, roles over time, the articles naming it, the entities beside it."""
    from veille.store import Store

    with Store.open(db) as store:
        entity = store.get_entity(name) or _entity_by_name(store, name, db)
        articles = store.entity_articles(entity.id)
        beside = store.cooccurring(entity.id)
    _print_entity(entity, articles, beside)


@app.command("quotes")
def quotes_command(
    db: DbOption = "veille.db",
    speaker: Annotated[
        str | None,
        typer.Option(help="Quotes of this person or organisation (any alias), or of a source so named."),
    ] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind: direct, partial or indirect.")] = None,
    limit: Annotated[int, typer.Option(help="Most quotes to list.")] = 50,
) -> None:
    """List who said what, newest article first."""
    from veille.store import Store

    if kind is not None and kind.lower() not in QUOTE_KINDS:
        raise ConfigError(f"--kind must be one of {', '.join(QUOTE_KINDS)}, got {kind!r}.")
    if limit <= 0:
        raise ConfigError(f"--limit must be at least 1, got {limit}.")
    with Store.open(db) as store:
        found = store.find_quotes(speaker, kind.lower() if kind else None, limit)
        headers = store.article_headers(q.article_id for q in found)
    if not found:
        wanted = f" by {speaker!r}" if speaker else ""
        console.print(
            f"no quote{wanted} in {db}; `veille entities --query NAME` shows the names the store knows.",
            highlight=False,
        )
        return
    console.print(_quotes_table(found, headers))


_TIMEX_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@app.command("events")
def events_command(
    db: DbOption = "veille.db",
    entity: Annotated[
        str | None, typer.Option(help="Events of this entity (a participant or the place): its timeline.")
    ] = None,
    type: Annotated[str | None, typer.Option("--type", help="Only this type: meeting, attack …")] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Dated on or after: 2016, 2016-01 or 2016-01-20.")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Dated on or before (same forms).")] = None,
    limit: Annotated[int, typer.Option(help="Most events to list.")] = 100,
) -> None:
    """List events by date (undated last): what happened or is planned, with who, where and the
    articles that tell it."""
    from veille.events.lexicon import EVENT_TYPES
    from veille.report_events import events_table
    from veille.store import Store

    if type is not None and type.lower() not in EVENT_TYPES:
        raise ConfigError(f"--type must be one of {', '.join(EVENT_TYPES)}, got {type!r}.")
    _check_dates(date_from, date_to)
    if limit <= 0:
        raise ConfigError(f"--limit must be at least 1, got {limit}.")
    with Store.open(db) as store:
        title = "Events"
        entity_ids = None
        if entity is not None:
            found = store.get_entity(entity) or _entity_by_name(store, entity, db)
            entity_ids, title = [found.id], f"Timeline of {found.name}"
        events = store.find_events(entity_ids, type.lower() if type else None, date_from, date_to, limit)
        headers = store.article_headers(e.article_id for ev in events for e in ev.evidence)
    if not events:
        console.print(f"no event in {db} for these options; `veille stats` counts what the store holds.")
        return
    console.print(events_table(events, headers, title))


@app.command("stories")
def stories_command(
    db: DbOption = "veille.db",
    entity: Annotated[
        str | None, typer.Option(help="Stories that name this entity among their top ones.")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Seen on or after: 2016, 2016-01 or 2016-01-20.")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Seen on or before (same forms).")] = None,
    min_size: Annotated[int, typer.Option(help="Only stories of at least this many articles.")] = 1,
    limit: Annotated[int, typer.Option(help="Most stories to list.")] = 50,
) -> None:
    """List stories, most recently seen first: articles grouped into the happening they tell."""
    from veille.report_stories import stories_table
    from veille.store import Store

    _check_dates(date_from, date_to)
    if limit <= 0 or min_size <= 0:
        raise ConfigError(f"--limit and --min-size must be at least 1, got {limit} and {min_size}.")
    with Store.open(db) as store:
        entity_ids = None
        if entity is not None:
            entity_ids = [(store.get_entity(entity) or _entity_by_name(store, entity, db)).id]
        found = store.find_stories(date_from, date_to, entity_ids, limit, min_size)
        names = _names(store, found)
    if not found:
        console.print(f"no story in {db} for these options; `veille stats` counts what the store holds.")
        return
    console.print(stories_table(found, names))


@app.command("story")
def story_command(
    story_id: Annotated[str, typer.Argument(help="A story id, as `veille stories` lists them.")],
    db: DbOption = "veille.db",
) -> None:
    """One story: its articles, events, quotes and entities (a merged story's id shows the survivor)."""
    from veille.report_events import events_table
    from veille.report_stories import stories_table, story_articles_table
    from veille.store import Store

    with Store.open(db) as store:
        story = store.get_story(story_id)
        if story is None:
            raise ConfigError(f"no story {story_id!r} in {db}; `veille stories` lists the stories it holds.")
        articles = [a for a in (store.get_article(i) for i in story.article_ids) if a is not None]
        names = _names(store, [story])
        events = {e.id: e for a in articles for e in a.events}
        headers = store.article_headers(p.article_id for e in events.values() for p in e.evidence)
    console.print(stories_table([story], names, title=f"Story {story.id}"))
    console.print(story_articles_table(articles))
    if events:
        ordered = sorted(events.values(), key=lambda e: (e.date is None, e.date or "", e.id))
        console.print(events_table(ordered, headers, "Events"))
    quotes = [q for a in articles for q in a.quotes]
    if quotes:
        console.print(_quotes_table(quotes, {a.id: (a.title, a.published) for a in articles}))


def _names(store: Store, stories: list[Story]) -> dict[str, str]:
    wanted = {e for s in stories for e in s.entity_ids[:5]}
    found = (store.get_entity(e) for e in sorted(wanted))
    return {e.id: e.name for e in found if e is not None}


def _check_dates(*values: str | None) -> None:
    for flag, value in zip(("--from", "--to"), values, strict=True):
        if value is not None and not _TIMEX_PREFIX.match(value):
            raise ConfigError(f"{flag} must be a date as 2016, 2016-01 or 2016-01-20, got {value!r}.")


def _quotes_table(quotes: list[Quote], headers: dict[str, tuple[str | None, str | None]]) -> Table:
    table = Table(title="Quotes", title_justify="left")
    for column in ("speaker", "kind", "quote", "article", "published"):
        table.add_column(column, no_wrap=column in ("kind", "published"))
    for q in quotes:
        title, published = headers.get(q.article_id, (None, None))
        quoted = q.text if len(q.text) <= 120 else q.text[:119] + "…"
        speaker = q.speaker_name or q.speaker_text or "?"
        table.add_row(speaker, q.kind, f"«{quoted}»", title or q.article_id, published or "")
    return table


app.add_typer(eval_app, name="eval")
app.command("serve")(serve)
app.add_typer(user_app, name="user")
app.add_typer(rubriques_app, name="rubriques")
app.add_typer(watch_app, name="watch")
app.command("digest")(digest)
app.command("check")(check)


kb_app = typer.Typer(help="The knowledge base entities are linked to.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


@kb_app.command("import")
def kb_import(
    file: Annotated[Path, typer.Argument(help="A Wikidata extract in JSON lines (see docs/entities.md).")],
    db: DbOption = "veille.db",
) -> None:
    """Add a Wikidata extract to the store's knowledge base; later ingests link to its entries."""
    from dataclasses import asdict

    from veille.entities.kb import KbEntry, KnowledgeBase
    from veille.entities.wikidata import load_wikidata_jsonl
    from veille.store import Store

    if not file.is_file():
        raise ConfigError(
            f"{file}: no such file; give the path of a Wikidata JSON-lines extract "
            '(one {"id": "Q90", "label": "Paris", ...} object a line).'
        )
    lines = load_wikidata_jsonl(file)
    entries = list(lines)
    records = [asdict(entry) for entry in entries]  # before merging, which may rewrite `country`
    with Store.open(db) as store:
        kb = KnowledgeBase.builtin().copy()
        kb.merge([KbEntry(**saved) for saved in store.kb_imports()])
        report = kb.merge(entries)
        store.save_kb_entries(records)
    console.print(
        f"{file}: {report.added} added, {report.enriched} enriched, {len(lines.rejected)} rejected",
        highlight=False,
    )
    for _, why in lines.rejected:
        console.print(f"[yellow]rejected[/] {why}", highlight=False)


def _entity_by_name(store: Store, name: str, db: str) -> Entity:
    """The one entity a name designates: an exact key match first, else the one partial match."""
    from veille.entities.names import name_key

    found = store.find_entities(name, None, None, 20)
    wanted = {name_key(name), name_key(name, person=True)}
    exact = [
        e for e in found if wanted & {name_key(t, person=e.label == "PER") for t in (e.name, *e.aliases)}
    ]
    matches = exact or found
    if len(matches) == 1:
        whole = store.get_entity(matches[0].id)
        assert whole is not None  # it was just found
        return whole
    if not matches:
        raise ConfigError(
            f"no entity {name!r} in {db}: give an id or a name as "
            f"`veille entities --query {name}` lists them."
        )
    console.print(_entities_table(matches))
    raise ConfigError(
        f"{len(matches)} entities match {name!r}; run `veille entity ID` with one of the ids listed above."
    )


def _entities_table(entities: list[Entity]) -> Table:
    table = Table(title="Entities", title_justify="left")
    for column in ("id", "name", "label", "type", "mentions", "aliases", "kb_id"):
        table.add_column(column, no_wrap=column == "id", justify="right" if column == "mentions" else "left")
    for e in entities:
        aliases = ", ".join(a for a in e.aliases if a != e.name)
        shown = aliases if len(aliases) <= 60 else aliases[:59] + "…"
        table.add_row(e.id, e.name, e.label, e.type or "", str(e.mention_count), shown, e.kb_id or "")
    return table


def _print_entity(
    entity: Entity,
    articles: list[tuple[str, str | None, str | None, int]],
    beside: list[tuple[str, str, str, int]],
) -> None:
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="dim")
    meta.add_column()
    for key, value in (
        ("id", entity.id), ("label", entity.label), ("type", entity.type), ("kb_id", entity.kb_id),
        ("mentions", str(entity.mention_count)), ("aliases", ", ".join(entity.aliases)),
    ):  # fmt: skip
        if value:
            meta.add_row(key, value)
    console.print(Panel(meta, title=Text(entity.name, style="bold"), title_align="left"))
    sections: list[tuple[str, tuple[str, ...], list[tuple[str, ...]]]] = [
        ("Roles", ("date", "title", "country", "article"),
         [(r.date or "", r.title, r.country or "", r.article_id) for r in entity.roles]),
        ("Articles", ("published", "title", "mentions", "id"),
         [(p or "", t or "", str(n), i) for i, t, p, n in articles]),
        ("Mentioned with", ("name", "label", "articles", "id"),
         [(nm, lb, str(n), i) for i, nm, lb, n in beside]),
    ]  # fmt: skip
    for title, columns, rows in sections:
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, no_wrap=column in ("id", "article", "date", "published"))
        for row in rows:
            table.add_row(*row)
        console.print(table)


def main() -> None:
    try:
        app()
    except VeilleError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
