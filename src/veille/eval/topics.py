"""`veille eval topics`: rubriques on the MasakhaNEWS French dev set, beside TF-IDF + logistic
regression trained on part of the same set.

MasakhaNEWS labels BBC Afrique articles business / health / politics / sports / technology. An
article's primary (first) rubrique is mapped onto those five (`LABEL_OF`; a rubrique with no
counterpart, such as culture, maps to "other", always wrong). veille is never trained on the set.

The baseline is scored by stratified k-fold cross-validation (5 folds by default, fixed seed):
each article is predicted by a model trained on the other folds, so baseline and veille are
scored on exactly the same articles, all of them, in the same run. The run also times the
rubriques stage against the spaCy pass the pipeline runs before it, on the same articles.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import ConfigError
from veille.model import Article

DEFAULT_DEV = Path("../shared/data/topics/dev.tsv")
LABELS: tuple[str, ...] = ("business", "health", "politics", "sports", "technology")
OTHER = "other"
# Rubrique → MasakhaNEWS label. Politics takes what BBC Afrique files under it: government and
# elections, diplomacy, wars and coups, courts; IPTC puts the last two apart, the five labels do not.
LABEL_OF: dict[str, str] = {
    "politique": "politics",
    "international": "politics",
    "défense et conflits": "politics",
    "justice": "politics",
    "économie": "business",
    "santé": "health",
    "sport": "sports",
    "sciences et technologies": "technology",
}


@dataclass(slots=True)
class TopicItem:
    label: str
    headline: str
    text: str
    url: str = ""


@dataclass(slots=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(slots=True)
class TopicScores:
    per_class: dict[str, ClassScores]
    macro_f1: float
    accuracy: float
    n: int
    other: int = 0  # predictions outside the five labels


@dataclass(slots=True)
class TopicsReport:
    scores: dict[str, TopicScores]  # system name → scores, on the same articles
    folds: int
    timing: dict[str, float] = field(default_factory=dict)  # seconds per article by pass


def load_topics(path: Path) -> list[TopicItem]:
    """The TSV's rows (header: category, headline, text, url)."""
    if not path.is_file():
        raise ConfigError(
            f"no MasakhaNEWS TSV at {path}; pass the French dev set (../shared/data/topics/dev.tsv)."
        )
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    missing = {"category", "headline", "text"} - set(rows[0] if rows else {})
    if missing:
        raise ConfigError(f"{path} lacks the column(s) {', '.join(sorted(missing))}; is it MasakhaNEWS?")
    return [TopicItem(r["category"], r["headline"], r["text"], r.get("url") or "") for r in rows]


def score(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS) -> TopicScores:
    """Per-class precision, recall and F1, their macro-average over `labels`, and accuracy."""
    from veille.eval.metrics import prf

    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    per_class: dict[str, ClassScores] = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        per_class[label] = ClassScores(*prf(tp, fp, fn), support=tp + fn)
    macro = sum(c.f1 for c in per_class.values()) / len(labels) if labels else 0.0
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return TopicScores(
        per_class=per_class,
        macro_f1=macro,
        accuracy=correct / len(gold) if gold else 0.0,
        n=len(gold),
        other=sum(p not in labels for p in predicted),
    )


def label_of(rubriques: Sequence[str]) -> str:
    """The MasakhaNEWS label of an article's primary rubrique ("other" when it has none)."""
    return LABEL_OF.get(rubriques[0], OTHER) if rubriques else OTHER


def baseline_predictions(items: Sequence[TopicItem], folds: int = 5, seed: int = 0) -> list[str]:
    """Out-of-fold predictions of TF-IDF (words, sublinear tf) + logistic regression with balanced
    class weights: the best of a small grid (C, n-grams, weights; docs/rubriques.md), so the
    baseline is not a straw man."""
    try:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
        from sklearn.pipeline import make_pipeline
    except ImportError as error:
        raise ConfigError(
            "the TF-IDF baseline needs scikit-learn, a dev dependency: pip install -e '.[dev]' "
            "(or pip install scikit-learn)"
        ) from error
    texts = [f"{item.headline}. {item.text}" for item in items]
    gold = [item.label for item in items]
    model = make_pipeline(
        TfidfVectorizer(sublinear_tf=True),
        LogisticRegression(max_iter=2000, C=10.0, class_weight="balanced"),
    )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [str(p) for p in cross_val_predict(model, texts, gold, cv=splitter)]


def articles_of(items: Sequence[TopicItem]) -> list[Article]:
    return [
        Article(
            id=f"topics-{i}",
            source_file="dev.tsv",
            source_id=str(i),
            title=item.headline,
            text=item.text,
            language="fr",
            url=item.url or None,
        )
        for i, item in enumerate(items)
    ]


def analyse(articles: list[Article], spacy: bool, progress: bool) -> dict[str, float]:
    """Run the pipeline's spaCy and entities passes (when `spacy`), then the rubriques stage, on
    the articles in place; seconds per article of each pass."""
    from veille.eval.metrics import progress_bar
    from veille.rubriques import RubriquesStage

    stage = RubriquesStage()
    stage.warm_up()  # model loading is not per-article time
    passes: list[tuple[str, Any]] = []
    if spacy:
        from veille.entities.stage import EntitiesStage
        from veille.nlp import NlpStage

        nlp, entities = NlpStage(keep_docs=True), EntitiesStage(None)
        nlp.warm_up()
        entities.warm_up()
        passes += [("spacy", nlp), ("entities", entities)]
    passes.append(("rubriques", stage))
    seconds = dict.fromkeys((name for name, _ in passes), 0.0)
    bar = progress_bar() if progress else None
    task = bar.add_task("rubriques eval", total=len(articles)) if bar else None
    try:
        for start in range(0, len(articles), 16):
            batch = articles[start : start + 16]
            for name, run in passes:
                began = time.perf_counter()
                run(batch)
                seconds[name] += time.perf_counter() - began
            for article in batch:
                article.doc = None
            if bar is not None:
                bar.advance(task, len(batch))
    finally:
        if bar is not None:
            bar.stop()
    return {name: total / max(len(articles), 1) for name, total in seconds.items()}


def evaluate_topics(path: Path, folds: int = 5, spacy: bool = True, progress: bool = True) -> TopicsReport:
    """veille (rules + embedding against prototype phrases), its two halves alone, the pseudo-label
    method (rules + lexical model + embedding model) and its learned parts alone, and the
    baseline, on the same articles."""
    from veille.rubriques import RubriqueClassifier, rubrique_input
    from veille.rubriques.classifier import LEARNED_PARTS

    if folds < 2:
        raise ConfigError(f"--folds must be at least 2, got {folds}.")
    items = load_topics(path)
    gold = [item.label for item in items]
    articles = articles_of(items)
    timing = analyse(articles, spacy, progress)
    scores = {"veille": score(gold, [label_of(a.rubriques) for a in articles])}
    inputs = [rubrique_input(a) for a in articles]
    learned: dict[str, Any] = {"embedding": "learned"}
    for name, classifier in (
        ("veille, rules alone", RubriqueClassifier(parts={"rules": 1.0})),
        ("veille, phrases alone", RubriqueClassifier(parts={"embedding": 1.0})),
        ("pseudo-labels: rules + lexical + embedding", RubriqueClassifier(parts=LEARNED_PARTS, **learned)),
        ("pseudo-labels: lexical model alone", RubriqueClassifier(parts={"lexical": 1.0})),
        ("pseudo-labels: embedding model alone", RubriqueClassifier(parts={"embedding": 1.0}, **learned)),
    ):
        classifier.warm_up()  # model loading is not per-article time
        began = time.perf_counter()
        chosen = classifier.classify(inputs)
        if classifier.parts == LEARNED_PARTS:  # what the stage would cost with the learned models
            timing["rubriques, pseudo-labels"] = (time.perf_counter() - began) / max(len(inputs), 1)
        scores[name] = score(gold, [label_of([n for n, _ in pairs]) for pairs in chosen])
    scores[f"TF-IDF + logistic regression ({folds}-fold CV)"] = score(
        gold, baseline_predictions(items, folds)
    )
    return TopicsReport(scores=scores, folds=folds, timing=timing)


def render(report: TopicsReport, where: Path) -> list[Any]:
    """Rich tables: per-class P/R/F1 and macro-F1 of each system, then the timing."""
    from rich.table import Table

    n = next(iter(report.scores.values())).n
    table = Table(title=f"Topics on {where}: {n} articles, the same for every system")
    for column in ("system", "class", "P", "R", "F1", "support"):
        table.add_column(column, justify="left" if column in ("system", "class") else "right")
    for name, s in report.scores.items():
        for label, c in s.per_class.items():
            table.add_row(name, label, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.support))
        table.add_row(name, "[bold]macro-F1[/]", "", "", f"[bold]{s.macro_f1:.3f}[/]", str(s.n))
        table.add_row(name, "accuracy", "", "", f"{s.accuracy:.3f}", "", end_section=True)
    table.caption = "'other': predictions outside the five labels: " + ", ".join(
        f"{name} {s.other}" for name, s in report.scores.items()
    )
    tables: list[Any] = [table]
    if report.timing:
        timing = Table(title="Time per article (same run)")
        timing.add_column("pass")
        timing.add_column("ms/article", justify="right")
        timing.add_column("÷ spaCy pass", justify="right")
        base = report.timing.get("spacy")
        for name, seconds in report.timing.items():
            ratio = f"{seconds / base:.3f}" if base else "–"
            timing.add_row(name, f"{seconds * 1000:.1f}", ratio)
        tables.append(timing)
    return tables
