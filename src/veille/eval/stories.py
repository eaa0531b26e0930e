"""Score a story clusterer against the stories gold, beside two baselines run on the same articles.

The gold (rules in `docs/stories_guidelines.md`, read by `veille.eval.stories_gold`) puts every
corpus article of a few days into one story. A clustering is a mapping article id → cluster id;
only gold articles are scored, and an article the clustering leaves out counts as a cluster of
its own (`docs/stories_evaluation.md` defines the figures in words):

- BCubed precision, recall and F1 (Amigó et al. 2009, item-based): for each article, the share of
  its predicted cluster that is in its gold story (precision) and the share of its gold story that
  is in its predicted cluster (recall), averaged over articles; F1 is their harmonic mean;
- pairwise precision, recall and F1 over the unordered pairs of articles put together.

The baselines: `singletons` (every article alone) and `tfidf_agglomerative` (TF-IDF of title and
cleaned text, cosine distance, average-linkage agglomerative clustering cut at a distance
threshold). The threshold reported is the one of the grid that scores best against the gold
itself: an oracle advantage no real system has, so the baseline is an upper bound of its kind.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import VeilleError
from veille.eval.metrics import prf, progress_bar, report_console
from veille.eval.quotes_gold import clean_record
from veille.eval.stories_gold import (
    DEFAULT_CORPUS,
    DEFAULT_GOLD,
    check_gold_docs,
    day_records,
    read_stories_gold,
)
from veille.model import Article

Clusterer = Callable[[list[Article]], Mapping[str, str]]
Scores = tuple[float, float, float]  # precision, recall, F1
THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))  # 0.05 … 0.95


# ---- scorers -------------------------------------------------------------------------------------


def _labels(gold: Mapping[str, str], predicted: Mapping[str, str]) -> dict[str, Hashable]:
    """The predicted cluster of every gold doc; a doc the prediction lacks gets a cluster of its own."""
    return {doc: ("cluster", predicted[doc]) if doc in predicted else ("alone", doc) for doc in gold}


def bcubed(gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Item-based BCubed (precision, recall, F1) of `predicted` over the docs of `gold`."""
    if not gold:
        raise VeilleError("the gold holds no document; BCubed needs at least one")
    cluster_of = _labels(gold, predicted)
    cell = Counter((gold[doc], cluster_of[doc]) for doc in gold)
    story_size = Counter(gold.values())
    cluster_size = Counter(cluster_of.values())
    precision = sum(cell[gold[doc], cluster_of[doc]] / cluster_size[cluster_of[doc]] for doc in gold)
    recall = sum(cell[gold[doc], cluster_of[doc]] / story_size[gold[doc]] for doc in gold)
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def _pairs(sizes: Counter[Any]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise(gold: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """(precision, recall, F1) over the pairs of gold docs put in one cluster. With no predicted
    pair precision is 0 (as `metrics.prf` counts an empty prediction), with no gold pair recall is 0."""
    cluster_of = _labels(gold, predicted)
    together = _pairs(Counter((gold[doc], cluster_of[doc]) for doc in gold))
    predicted_pairs = _pairs(Counter(cluster_of.values()))
    gold_pairs = _pairs(Counter(gold.values()))
    return prf(together, predicted_pairs - together, gold_pairs - together)


# ---- baselines -----------------------------------------------------------------------------------


def singletons(articles: Sequence[Article]) -> dict[str, str]:
    """Every article alone: BCubed precision 1, the floor for recall."""
    return {article.id: article.id for article in articles}


def _fold(text: str) -> str:
    """Lower case without accents, so "Bélarus" and "Belarus" are one term."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stop_words() -> list[str]:
    from spacy.lang.fr.stop_words import STOP_WORDS

    # Only plain words: the vectorizer's tokens never hold an apostrophe or a hyphen.
    return sorted({_fold(word) for word in STOP_WORDS if _fold(word).isalnum()})


def tfidf_distances(articles: Sequence[Article]) -> Any:
    """The cosine distance matrix of the articles' TF-IDF vectors (title + cleaned text)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    vectorizer = TfidfVectorizer(
        preprocessor=_fold,
        # Words of two letters or more: "l'exil" gives "exil", "aujourd'hui" gives "aujourd", "hui".
        token_pattern=r"(?u)\b\w\w+\b",
        stop_words=_stop_words(),
        sublinear_tf=True,
    )
    matrix = vectorizer.fit_transform([f"{article.title or ''}\n{article.text}" for article in articles])
    return cosine_distances(matrix)


def agglomerative(articles: Sequence[Article], distances: Any, threshold: float) -> dict[str, str]:
    """Average-linkage clusters of `articles` under `distances`, cut at `threshold`."""
    if len(articles) < 2:
        return singletons(articles)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=threshold
    )
    labels = model.fit_predict(distances)
    return {article.id: f"c{label}" for article, label in zip(articles, labels, strict=True)}


def tfidf_agglomerative(articles: Sequence[Article], threshold: float) -> dict[str, str]:
    """The TF-IDF baseline at one cosine-distance threshold."""
    return agglomerative(articles, tfidf_distances(articles), threshold)


# ---- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SystemScores:
    name: str
    bcubed: Scores
    pairwise: Scores
    clusters: int
    threshold: float | None = None  # the TF-IDF baseline's best (oracle) threshold


@dataclass(slots=True)
class StoriesReport:
    gold_path: str
    days: tuple[str, ...]
    articles: int
    stories: int
    gold_singletons: int
    systems: list[SystemScores] = field(default_factory=list)
    # (threshold, BCubed F1) over the grid, to show how sharp the baseline's optimum is.
    tfidf_curve: list[tuple[float, float]] = field(default_factory=list)


def score_system(name: str, gold: Mapping[str, str], predicted: Mapping[str, str]) -> SystemScores:
    clusters = len(set(_labels(gold, predicted).values()))
    return SystemScores(name, bcubed(gold, predicted), pairwise(gold, predicted), clusters)


def gold_day_articles(
    records: Sequence[Mapping[str, Any]], source_file: str = "stories_dev"
) -> list[Article]:
    """The records as cleaned Articles: id = corpus id, text as veille cleans it, published = date."""
    articles: list[Article] = []
    for record in records:
        doc = str(record.get("id"))
        articles.append(
            Article(
                id=doc, source_file=source_file, source_id=doc, title=record.get("title"),
                text=clean_record(record), language="fr", published=str(record.get("date") or "")[:10],
            )
        )  # fmt: skip
    return articles


def best_tfidf(
    articles: Sequence[Article], gold: Mapping[str, str], bar: Any = None
) -> tuple[SystemScores, list[tuple[float, float]]]:
    """The TF-IDF baseline at the grid threshold of highest BCubed F1 (the lowest one on a tie)."""
    distances = tfidf_distances(articles)
    task = bar.add_task("TF-IDF baseline over thresholds", total=len(THRESHOLDS)) if bar else None
    best: SystemScores | None = None
    curve: list[tuple[float, float]] = []
    for threshold in THRESHOLDS:
        scores = score_system("tfidf_agglomerative", gold, agglomerative(articles, distances, threshold))
        curve.append((threshold, scores.bcubed[2]))
        if best is None or scores.bcubed[2] > best.bcubed[2]:
            best = SystemScores(scores.name, scores.bcubed, scores.pairwise, scores.clusters, threshold)
        if bar is not None:
            bar.update(task, advance=1)
    assert best is not None  # THRESHOLDS is not empty
    return best, curve


def evaluate_stories(
    gold_path: Path,
    corpus_path: Path,
    cluster: Clusterer | None,
    *,
    progress: bool = True,
    name: str = "veille",
) -> StoriesReport:
    """Score `cluster` (when given) and both baselines on the gold's days.

    `cluster` receives the cleaned articles of the days in date, then id order and returns
    {article id: story id}; the ids are the corpus ids. Its scores come first in the report.
    """
    gold = read_stories_gold(gold_path)
    records = day_records(corpus_path, gold.days)
    check_gold_docs(gold, records)
    articles = gold_day_articles(records)
    assignment = gold.assignment()
    sizes = [len(story.docs) for story in gold.stories]
    report = StoriesReport(
        str(gold_path), gold.days, len(articles), len(sizes), sum(size == 1 for size in sizes)
    )
    bar: Any = progress_bar() if progress else None
    try:
        if cluster is not None:
            task = bar.add_task(f"clustering with {name}", total=1) if bar else None
            report.systems.append(score_system(name, assignment, cluster(list(articles))))
            if bar is not None:
                bar.update(task, advance=1)
        report.systems.append(score_system("singletons", assignment, singletons(articles)))
        best, report.tfidf_curve = best_tfidf(articles, assignment, bar)
        report.systems.append(best)
    finally:
        if bar is not None:
            bar.stop()
    return report


# ---- output --------------------------------------------------------------------------------------


def stories_table(report: StoriesReport) -> Any:
    """The figures as a rich Table: one row per system, BCubed then pairwise P/R/F1."""
    from rich.table import Table

    table = Table(
        title=(
            f"Stories: {report.articles} articles of {', '.join(report.days)}, {report.stories} gold "
            f"stories ({report.gold_singletons} of one article)"
        ),
        caption="tfidf_agglomerative is shown at its best threshold on this gold (an oracle advantage)",
    )
    for column in ("system", "clusters", "BCubed P", "BCubed R", "BCubed F1", "pair P", "pair R", "pair F1"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system in report.systems:
        label = system.name if system.threshold is None else f"{system.name} @ {system.threshold:.2f}"
        table.add_row(
            label, str(system.clusters), *(f"{value:.3f}" for value in (*system.bcubed, *system.pairwise))
        )
    return table


def curve_table(report: StoriesReport) -> Any:
    """BCubed F1 of the TF-IDF baseline at each threshold of the grid."""
    from rich.table import Table

    table = Table(title="TF-IDF baseline: BCubed F1 by cosine-distance threshold")
    table.add_column("threshold", justify="right")
    table.add_column("BCubed F1", justify="right")
    for threshold, f1 in report.tfidf_curve:
        table.add_row(f"{threshold:.2f}", f"{f1:.3f}")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    """Score the two baselines on the gold (veille's clusterer is run by `veille eval stories`)."""
    parser = argparse.ArgumentParser(
        prog="python -m veille.eval.stories",
        description="Score the singleton and TF-IDF baselines against the stories gold.",
    )
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD, help=f"default {DEFAULT_GOLD}")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"default {DEFAULT_CORPUS}")
    parser.add_argument("--curve", action="store_true", help="also print the baseline's threshold curve")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        report = evaluate_stories(args.gold, args.corpus, None, progress=not args.no_progress)
    except (VeilleError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    console = report_console()
    console.print(stories_table(report))
    if args.curve:
        console.print(curve_table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
