"""Story clustering at corpus scale: does the cost of one article grow with the store?

    .venv/bin/python bench/stories_scale.py prepare [--limit 10000] [--cache /tmp/veille_stories_cache]
    .venv/bin/python bench/stories_scale.py run [--limit 10000] [--cache ...] [--no-embedding] [--sqlite]
    .venv/bin/python bench/stories_scale.py prepare-raw && .venv/bin/python bench/stories_scale.py run --raw
    .venv/bin/python bench/stories_scale.py dev [--fit]

`prepare` reads the OrangeSum corpus (../shared/data/corpus), keeps the 10,000 most recent
articles of May–September 2020 (the densest months, about 100 a day), puts the two dev days
(2020-08-18, 2020-08-19) first, and runs the default pipeline up to the stories stage (clean → … →
entities → quotes → temporal → events) on them in date order, in batches, pickling each analysed
batch (without its spaCy Doc) to the cache, with the seconds each batch took. spaCy is the slow
part (≈ 85 ms an article on 2 cores), so it is done once.

`prepare-raw` cleans the same 10,000 articles without the spaCy pass (so no entities nor events:
TF-IDF, embedding and rare-term keys only), for measuring the scaling at full size when the full
analysis of 10,000 articles does not fit in the time at hand.

`run` loads the cached articles in date order and times the stories stage alone (features, the
sentence embedding, candidates, scoring, the in-memory store), per 1,000 articles, from the first
thousand to the last, with the clustering alone (features aside) apart; the peak memory (RSS); and
the analysis the engine runs before stories, timed on a sample in the same run, so that the wall
time with and without clustering compares within one run.
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import pickle
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress

from veille.model import Article

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/corpus/orangesum_parsed_all.jsonl.gz"
DEFAULT_CACHE = Path("/tmp/veille_stories_cache")
RAW_CACHE = Path("/tmp/veille_stories_raw.pkl")
SWEEP = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
BATCH = 100  # articles per stage call when timing: 1,000 is ten batches
WARM_ARTICLES = 1400  # two weeks at ≈ 100 a day: the control's store fills the ±7-day window
DEV_DAYS = ("2020-08-18", "2020-08-19")
FIRST_DAY, LAST_DAY = "2020-05-01", "2020-09-30"


def select_records(limit: int) -> list[object]:
    from veille.ingest import ReadOptions, ReadReport, iter_records

    records = [
        r
        for r in iter_records([CORPUS], ReadOptions(), ReadReport())
        if r.published and FIRST_DAY <= r.published[:10] <= LAST_DAY and r.text
    ]
    records.sort(key=lambda r: (r.published or "", r.source_id))
    return list(records[-limit:])


def analysis_stages(pipeline: Any) -> list[Any]:
    """The default pipeline's stages before stories: the analysis clustering is added to."""
    return [stage for stage in pipeline.stages if stage.name != "stories"]


def prepare(limit: int, cache: Path, batch_size: int) -> None:
    from veille.engines.local import to_article
    from veille.pipeline import default_pipeline

    console = Console()
    cache.mkdir(parents=True, exist_ok=True)
    records = select_records(limit)
    dev = [r for r in records if r.published and r.published[:10] in DEV_DAYS]  # type: ignore[attr-defined]
    rest = [r for r in records if not (r.published and r.published[:10] in DEV_DAYS)]  # type: ignore[attr-defined]
    pipeline = default_pipeline(None, progress=False)
    stages = analysis_stages(pipeline)
    pipeline.warm_up()
    console.print(f"{len(records)} records ({len(dev)} on the dev days); caching to {cache}")
    # The dev days go first, as one batch, so that copies among them are found.
    chunks = [("dev", dev)] + [
        (f"{n:05d}", rest[i : i + batch_size]) for n, i in enumerate(range(0, len(rest), batch_size))
    ]
    timing = cache / "analysis_seconds.json"
    seconds: dict[str, float] = json.loads(timing.read_text()) if timing.exists() else {}
    with Progress(console=console) as progress:
        task = progress.add_task("analysing", total=len(records))
        for name, raws in chunks:
            target = cache / f"chunk_{name}.pkl"
            if target.exists():
                progress.advance(task, len(raws))
                continue
            articles: list[Article] = [to_article(r) for r in raws]  # type: ignore[arg-type]
            started = time.perf_counter()
            for stage in stages:
                try:
                    articles = stage(articles)
                except Exception as error:  # a stage under development must not stop the cache
                    console.print(f"[yellow]{stage.name} failed on {name}: {error}")
            seconds[name] = time.perf_counter() - started
            timing.write_text(json.dumps(seconds))
            for article in articles:
                article.doc = None
                article.raw = None
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(articles))
            tmp.rename(target)
            progress.advance(task, len(raws))


def prepare_raw(limit: int, target: Path) -> None:
    from veille.clean import CleanStage
    from veille.engines.local import to_article

    records = select_records(limit)
    stage = CleanStage()
    articles: list[Article] = []
    console = Console()
    with Progress(console=console) as progress:
        task = progress.add_task("cleaning", total=len(records))
        for i in range(0, len(records), 256):
            batch = stage([to_article(r) for r in records[i : i + 256]])  # type: ignore[arg-type]
            for article in batch:
                article.raw = None
            articles += batch
            progress.advance(task, 256)
    target.write_bytes(pickle.dumps(articles))
    console.print(f"{len(articles)} cleaned articles in {target}")


def load_cached(cache: Path) -> list[Article]:
    if cache.is_file():
        return sorted(pickle.loads(cache.read_bytes()), key=lambda a: (a.published or "", a.id))
    articles: list[Article] = []
    for path in sorted(cache.glob("chunk_*.pkl")):
        articles.extend(pickle.loads(path.read_bytes()))
    articles.sort(key=lambda a: (a.published or "", a.id))
    return articles


def chunks_of(articles: list[Article], size: int) -> Iterator[list[Article]]:
    for i in range(0, len(articles), size):
        yield articles[i : i + size]


def pipeline_seconds(sample: int) -> tuple[float, float]:
    """Seconds per article (wall, CPU) of the analysis the engine runs before stories (spaCy and
    all), timed on `sample` records of the same selection in this run: the baseline clustering is
    added to."""
    from veille.engines.local import to_article
    from veille.pipeline import default_pipeline

    records = select_records(10_000)[:sample]
    pipeline = default_pipeline(None, progress=False)
    stages = analysis_stages(pipeline)
    pipeline.warm_up()
    started, started_cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(records), 64):
        articles: list[Article] = [to_article(r) for r in records[i : i + 64]]  # type: ignore[arg-type]
        for stage in stages:
            articles = stage(articles)
    n = max(1, len(records))
    return (time.perf_counter() - started) / n, (time.process_time() - started_cpu) / n


def report_thousands(console: Console, clock: str, per_thousand: list[tuple[float, float]]) -> None:
    """Seconds per 1,000 articles (stage, clustering alone), first to last, and last / first."""
    stage = ", ".join(f"{s:.1f}" for s, _ in per_thousand)
    console.print(f"{clock} seconds per 1,000 articles, stage: {stage}")
    console.print(f"{clock} seconds, clustering alone: " + ", ".join(f"{c:.2f}" for _, c in per_thousand))
    if len(per_thousand) >= 2:
        (first, first_c), (final, final_c) = per_thousand[0], per_thousand[-1]
        ratios = f"stage {final / first:.2f}, clustering alone {final_c / first_c:.2f}"
        console.print(f"{clock}, last / first thousand: {ratios}")


def clustering_alone_cpu(
    articles: list[Article], warm: list[Article], sqlite: bool, embedding: bool
) -> float:
    """CPU seconds of clustering `articles` in a store that holds only `warm` (the articles just
    before them): the control that tells what the store's size costs apart from what these days'
    news costs (more stories sharing entities, more candidates). Two weeks of `warm` articles fill
    the clusterer's ±7-day window, as the full run has it."""
    import tempfile

    from veille.store import Store
    from veille.stories import StoriesStage

    fresh = Store.open(str(Path(tempfile.mkdtemp()) / "fresh.db")) if sqlite else None
    control = StoriesStage(fresh, embedding=embedding)
    control.warm_up()
    for batch in chunks_of(copy.deepcopy(warm), BATCH):
        control(batch)
    before = control.cpu_seconds["clustering"]
    for batch in chunks_of(copy.deepcopy(articles), BATCH):
        control(batch)
    return control.cpu_seconds["clustering"] - before


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(limit: int, cache: Path, embedding: bool, sample: int, sqlite: bool) -> None:
    import tempfile

    from veille.store import Store
    from veille.stories import StoriesStage

    console = Console()
    articles = load_cached(cache)[-limit:]
    if not articles:
        raise SystemExit(f"no cached articles in {cache}: run `bench/stories_scale.py prepare` first")
    console.print(f"{len(articles)} articles, {articles[0].published} → {articles[-1].published}")
    # --sqlite: the stories kept in a fresh SQLite store, as `veille ingest` keeps them (the
    # candidates come from its index tables), instead of the in-memory backend.
    store = Store.open(str(Path(tempfile.mkdtemp()) / "stories.db")) if sqlite else None
    stage = StoriesStage(store, embedding=embedding)
    console.print(f"backend: {'SQLite store' if sqlite else 'in memory'}; embedding: {embedding}")
    stage.warm_up()
    gc.collect()
    rss_before = peak_rss_mib()
    per_thousand: list[tuple[float, float]] = []  # (all of the stage, clustering alone)
    cpu_per_thousand: list[tuple[float, float]] = []  # the same in CPU time
    last = (0.0, 0.0)
    last_cpu = (0.0, 0.0)
    done = 0
    with Progress(console=console) as progress:
        task = progress.add_task("clustering", total=len(articles))
        for batch in chunks_of(articles, BATCH):
            stage(batch)
            done += len(batch)
            if done % 1000 == 0:
                now = (sum(stage.seconds.values()), stage.seconds["clustering"])
                per_thousand.append((now[0] - last[0], now[1] - last[1]))
                last = now
                cpu = (sum(stage.cpu_seconds.values()), stage.cpu_seconds["clustering"])
                cpu_per_thousand.append((cpu[0] - last_cpu[0], cpu[1] - last_cpu[1]))
                last_cpu = cpu
            progress.advance(task, len(batch))
    total = sum(stage.seconds.values())
    stories = {a.story_id for a in articles if a.story_id}
    console.print(f"stories: {len(stories)} for {len(articles)} articles; merges {len(stage.merges())}")
    report_thousands(console, "wall", per_thousand)
    report_thousands(console, "CPU", cpu_per_thousand)
    console.print(f"candidates per article (mean): {stage.counters.get('candidates', 0) / max(1, done):.1f}")
    console.print(f"peak RSS {peak_rss_mib():.0f} MiB (before clustering {rss_before:.0f} MiB)")
    per_article = total / max(1, done)
    console.print(f"stories stage: {1000 * per_article:.1f} ms per article")
    cpu_per_article = sum(stage.cpu_seconds.values()) / max(1, done)
    if len(cpu_per_thousand) >= 2:
        warm = articles[-1000 - WARM_ARTICLES : -1000]
        alone = clustering_alone_cpu(articles[-1000:], warm, sqlite, embedding)
        full = cpu_per_thousand[-1][1]
        console.print(
            f"last thousand, clustering alone (CPU): {full:.2f} s after the {len(articles) - 1000:,} others, "
            f"{alone:.2f} s after the {len(warm):,} just before them only: ratio {full / alone:.2f}"
        )
    console.print(f"stories stage: {1000 * cpu_per_article:.1f} ms CPU per article")
    report_analysis_ratio(
        console, cache, len(articles), sample=sample, per_article=per_article, cpu_per_article=cpu_per_article
    )


def report_analysis_ratio(
    console: Console, cache: Path, count: int, *, sample: int, per_article: float, cpu_per_article: float
) -> None:
    """Wall time of the analysis with the stories stage over without it (per article)."""
    if sample:
        # Timed here, in the same conditions as the clustering above: the ratio's baseline.
        analysis, analysis_cpu = pipeline_seconds(sample)
        console.print(
            f"analysis before stories ({sample} articles timed in this run): {1000 * analysis:.0f} ms "
            f"per article wall, {1000 * analysis_cpu:.0f} ms CPU; with / without clustering: wall "
            f"{(analysis + per_article) / analysis:.3f}, "
            f"CPU {(analysis_cpu + cpu_per_article) / analysis_cpu:.3f}"
        )
    timing = cache / "analysis_seconds.json" if cache.is_dir() else None
    if timing is not None and timing.exists():
        # prepare timed the analysis of these very articles, batch by batch (another run: other
        # jobs on the machine then weigh on it, not on the clustering timed here).
        analysis = sum(json.loads(timing.read_text()).values()) / max(1, len(load_cached(cache)))
        console.print(
            f"analysis before stories (all {count} articles, wall, timed by prepare): "
            f"{1000 * analysis:.0f} ms per article; with / without clustering: "
            f"{(analysis + per_article) / analysis:.3f}"
        )


def dev(cache: Path, fit: bool, folds: int) -> None:
    """The dev gold (tests/data/stories_dev.jsonl) on the analysed articles of its two days: BCubed
    of the stage as configured; with `fit`, a cross-validation of the fitted scorer against the
    configured one (fit on some gold stories, judge on the others), then the weights fitted on the
    whole gold with an in-sample threshold sweep (what would ship, not a score to report)."""
    from veille.eval.stories import bcubed as official_bcubed
    from veille.eval.stories_gold import DEFAULT_GOLD, read_stories_gold
    from veille.stories import StoriesStage
    from veille.stories.calibrate import cross_validate, fit_logistic, sweep_thresholds, training_pairs
    from veille.stories.clusterer import ClusterConfig
    from veille.stories.features import default_idf
    from veille.stories.scorer import FEATURES

    console = Console()
    articles = pickle.loads((cache / "chunk_dev.pkl").read_bytes())
    gold_by_doc = read_stories_gold(DEFAULT_GOLD).assignment()
    gold = {a.id: gold_by_doc[a.source_id] for a in articles if a.source_id in gold_by_doc}
    console.print(f"{len(gold)} of {len(articles)} analysed dev articles in the gold")
    for embedding in (True, False):
        stage = StoriesStage(embedding=embedding)
        stage(list(articles))
        predicted = {a.id: str(a.story_id) for a in articles}
        p, r, f1 = official_bcubed(gold, predicted)
        console.print(f"stage as configured, embedding={embedding}: BCubed P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    if not fit:
        return
    ordered = sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))
    idf = default_idf()
    config = ClusterConfig()
    for name, features, names in (
        ("with embedding", StoriesStage().features(ordered), FEATURES),
        (
            "text only",
            StoriesStage(embedding=False).features(ordered),
            tuple(f for f in FEATURES if f != "embedding"),
        ),
    ):
        console.print(f"[bold]{name}[/]: {folds}-fold cross-validation over the gold stories")
        results = cross_validate(features, gold, idf, config, names=names, folds=folds)
        for r in results:
            console.print(
                f"  fold {r.fold} ({r.articles} articles): fitted (threshold {r.threshold:.1f}) BCubed F1 "
                f"{r.fitted.f1:.3f} (P {r.fitted.precision:.3f} R {r.fitted.recall:.3f}) vs configured "
                f"{r.configured.f1:.3f} (P {r.configured.precision:.3f} R {r.configured.recall:.3f}); "
                f"weights {r.weights}"
            )
        n = sum(r.articles for r in results)
        fitted = sum(r.fitted.f1 * r.articles for r in results) / n
        configured = sum(r.configured.f1 * r.articles for r in results) / n
        console.print(
            f"  held-out BCubed F1, article-weighted: fitted {fitted:.3f} vs configured {configured:.3f}"
        )
        evidence, labels = training_pairs(features, gold, idf)
        weights = fit_logistic(evidence, labels, names)
        console.print(
            f"  fitted on the whole gold ({len(labels)} pairs, {sum(labels)} same story): {weights}"
        )
        for threshold, swept in sweep_thresholds(
            features,
            gold,
            idf,
            ClusterConfig(weights=weights)
            if "embedding" in names
            else ClusterConfig(text_only_weights=weights),
            SWEEP,
        ):
            console.print(
                f"    threshold {threshold:.1f} (in-sample): BCubed P {swept.precision:.3f} "
                f"R {swept.recall:.3f} F1 {swept.f1:.3f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", choices=["prepare", "prepare-raw", "run", "dev"])
    parser.add_argument("--fit", action="store_true", help="dev: fit the scorer on the dev gold")
    parser.add_argument("--folds", type=int, default=2, help="dev --fit: cross-validation folds")
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--no-embedding", action="store_true")
    parser.add_argument("--sqlite", action="store_true", help="run: keep the stories in a SQLite store")
    parser.add_argument("--pipeline-sample", type=int, default=200, help="articles for the baseline")
    parser.add_argument("--raw", action="store_true", help="run on the prepare-raw cache (no NLP)")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.limit, args.cache, args.batch_size)
    elif args.command == "dev":
        dev(args.cache, args.fit, args.folds)
    elif args.command == "prepare-raw":
        prepare_raw(args.limit, RAW_CACHE)
    else:
        cache = RAW_CACHE if args.raw else args.cache
        run(args.limit, cache, not args.no_embedding, args.pipeline_sample, args.sqlite)


if __name__ == "__main__":
    main()
