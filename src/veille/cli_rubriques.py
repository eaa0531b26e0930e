"""`veille rubriques …`: the rubrique set, how many articles each holds, their articles, a story's
rubriques, and users' overrides from the shell. Registered in cli.py with
`app.add_typer(rubriques_app, name="rubriques")`.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from veille.errors import ConfigError

rubriques_app = typer.Typer(
    help="Rubriques (topics): counts, articles, a story's rubriques, overrides.", no_args_is_help=True
)
console = Console()
DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file (created if missing) or a database URL.", show_default=True)
]


def _known(rubrique: str) -> None:
    from veille.rubriques import NAMES

    if rubrique not in NAMES:
        raise ConfigError(f"unknown rubrique {rubrique!r}; choose among: {', '.join(NAMES)}.")


@rubriques_app.command("counts")
def counts(db: DbOption = "veille.db") -> None:
    """Every rubrique of the set with its IPTC code(s) and how many kept articles it holds."""
    from veille.rubriques import RUBRIQUES
    from veille.store import Store
    from veille.store.rubriques import rubrique_counts

    with Store.open(db) as store:
        found = rubrique_counts(store)
    table = Table(title="Rubriques", title_justify="left")
    for column in ("rubrique", "IPTC", "articles"):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for rubrique in sorted(RUBRIQUES, key=lambda r: (-found.get(r.name, 0), r.name)):
        table.add_row(rubrique.name, ", ".join(rubrique.iptc), str(found.get(rubrique.name, 0)))
    console.print(table)


@rubriques_app.command("articles")
def articles(
    rubrique: Annotated[str, typer.Argument(help='A rubrique, e.g. "défense et conflits".')],
    db: DbOption = "veille.db",
    limit: Annotated[int, typer.Option(help="At most N articles.")] = 20,
    offset: Annotated[int, typer.Option(help="Skip the first N.")] = 0,
) -> None:
    """Kept articles of a rubrique, newest first; `rank` 0 means it is their primary rubrique."""
    from veille.store import Store
    from veille.store.rubriques import articles_by_rubrique

    _known(rubrique)
    if limit < 1 or offset < 0:
        raise ConfigError(f"--limit must be at least 1 and --offset at least 0, got {limit} and {offset}.")
    with Store.open(db) as store:
        found = articles_by_rubrique(store, rubrique, limit, offset)
    table = Table(title=f"Rubrique {rubrique}", title_justify="left")
    for column in ("published", "title", "rank", "score", "id"):
        table.add_column(column, no_wrap=column in ("published", "id"))
    for a in found:
        table.add_row((a.published or "")[:10], a.title or "", str(a.rank), f"{a.score:.2f}", a.id)
    console.print(table)


@rubriques_app.command("story")
def story(
    story_id: Annotated[str, typer.Argument(help="A story id (`veille stories` lists them).")],
    db: DbOption = "veille.db",
) -> None:
    """The rubriques a story inherits from its articles, most frequent first."""
    from veille.store import Store
    from veille.store.rubriques import story_rubriques

    with Store.open(db) as store:
        if store.get_story(story_id) is None:
            raise ConfigError(f"no story {story_id!r} in {db}; `veille stories` lists the stories it holds.")
        found = story_rubriques(store, story_id)
    table = Table(title=f"Rubriques of story {story_id}", title_justify="left")
    table.add_column("rubrique")
    table.add_column("articles", justify="right")
    for name, n in found:
        table.add_row(name, str(n))
    console.print(table)


@rubriques_app.command("set")
def set_override(
    article_id: Annotated[str, typer.Argument(help="The article's id.")],
    rubriques: Annotated[
        list[str] | None, typer.Argument(help="Its rubriques, primary first (none with --clear).")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the override.")] = False,
    db: DbOption = "veille.db",
) -> None:
    """Override an article's rubriques (kept across re-ingests), or remove the override."""
    from veille.store import Store
    from veille.store.rubriques import set_rubriques_override

    chosen = list(rubriques or [])
    if clear == bool(chosen):
        raise ConfigError("give the article's rubriques, or --clear to remove its override (not both).")
    for name in chosen:
        _known(name)
    with Store.open(db) as store:
        try:
            set_rubriques_override(store, article_id, chosen)
        except KeyError as error:
            raise ConfigError(str(error.args[0])) from error
        article = store.get_article(article_id)
    shown = ", ".join(article.rubriques) if article and article.rubriques else "none"
    console.print(f"{article_id}: {shown}" + (" (override removed)" if clear else " (override)"))
