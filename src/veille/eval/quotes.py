"""Score veille's quotes against the quotes gold, beside a naive baseline scored in the same run.

The gold (`tests/data/quotes_dev.jsonl`, rules in `docs/quotes_guidelines.md`, read by
`veille.eval.quotes_gold`) gives each article's quotes with their spans, kinds and speakers, and
the quoted words that are not quotes. Its documents are rebuilt as the JSON-lines reader builds
them (corpus records) or read from `examples/seeds/` (seed pages), run through the pipeline
`veille ingest` runs, and each article's text is checked against the gold's hash first, so that
offsets are never compared against a text they were not written for.

Scores (docs/evaluation.md defines them in words):

- quote precision/recall/F1 with exact span match, and with overlap ≥ 0.5, overlap being
  |intersection| / |union| of the two spans; gold and predicted quotes are paired one-to-one,
  greedily by largest overlap. "all" pairs quotes whatever their kind; each kind pairs the gold
  quotes of that kind with the predicted quotes of that kind.
- speaker accuracy over the overlap-matched pairs of "all" (see `speaker_correct`).
- not-quotes predicted: gold `not_quotes` (scare quotes, titles …) that overlap a predicted quote
  by ≥ 0.5, i.e. terms taken for quotes.

Baseline: every span between quotation marks is a direct quote, spoken by the nearest PER mention
of its sentence.

Run: `python -m veille.eval.quotes [GOLD] [--corpus PATH] [--seeds DIR] [--errors N]`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.entities.names import name_key
from veille.errors import VeilleError
from veille.eval.metrics import prf, progress_bar, report_console
from veille.eval.quotes_baseline import Span, baseline_quotes, baseline_spans, sentence_bounds
from veille.eval.quotes_gold import GoldArticle, GoldQuote, read_quotes_gold
from veille.model import KEPT, Article, Quote, RawDoc

DEFAULT_GOLD = Path("tests/data/quotes_dev.jsonl")
DEFAULT_CORPUS = Path("../shared/data/corpus/orangesum_parsed_all.jsonl.gz")
DEFAULT_SEEDS = Path("examples/seeds")
KINDS = ("direct", "partial", "indirect")
ALL = "all"
OVERLAP = 0.5
BATCH = 32
SYSTEMS = ("baseline", "veille")
# Re-exported: the baseline is part of this evaluation's public surface.
__all__ = [
    "QuotesReport", "Scored", "SystemScores", "baseline_quotes", "baseline_spans", "evaluate_quotes",
    "main", "match_spans", "overlap", "score", "sentence_bounds", "speaker_correct",
]  # fmt: skip


# ---- matching (pure) -----------------------------------------------------------------------------


def overlap(a: Span, b: Span) -> float:
    """|intersection| / |union| of two spans (end-exclusive); 0 when they do not meet."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union


def match_spans(gold: Sequence[Span], predicted: Sequence[Span], threshold: float) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs whose overlap is at least `threshold`, taken
    greedily by largest overlap (ties: earliest gold, then earliest prediction). `threshold` 1.0
    is the exact match."""
    candidates = [
        (-ov, g, p)
        for g, gs in enumerate(gold)
        for p, ps in enumerate(predicted)
        if (ov := overlap(gs, ps)) >= threshold and ov > 0
    ]
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return sorted(pairs)


def _words(text: str) -> set[str]:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return set(re.findall(r"\w+", plain))


def speaker_texts_overlap(a: str | None, b: str | None) -> bool:
    """Two speaker texts name the same source: they share at least half of the words of the
    shorter one (case and accents ignored; "l'entourage du ministre" ~ "dans l'entourage du ministre")."""
    if not a or not b:
        return False
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.5


_FUNCTION_WORDS = frozenset(
    {"le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "son", "sa", "ses", "leur"}
    | {"leurs", "ce", "cette", "ces", "au", "aux", "à", "a", "et"}
)


def descriptions_match(a: str | None, b: str | None) -> bool:
    """Two descriptions of an unnamed speaker name the same person: their content words (not
    determiners or prepositions) overlap by half of the shorter ("son père" ~ "le père de la jeune
    femme", but not "le photographe" ~ "le père")."""
    wa, wb = _words(a or "") - _FUNCTION_WORDS, _words(b or "") - _FUNCTION_WORDS
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.5


def predicted_speaker_name(quote: Quote, names: Mapping[str, str]) -> str | None:
    """The name a prediction gives its speaker: its entity's name, else its `speaker_name`."""
    if quote.speaker_entity_id and quote.speaker_entity_id in names:
        return names[quote.speaker_entity_id]
    return quote.speaker_name


def speaker_correct(
    gold: GoldQuote,
    quote: Quote,
    names: Mapping[str, str],
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> bool:
    """Whether a found quote's speaker is the gold's.

    - gold anonymous or collective: the predicted `speaker_kind` is the same and the speaker texts
      overlap (`speaker_texts_overlap`);
    - gold person or organisation: the predicted speaker's name (`predicted_speaker_name`), or
      one of its entity's aliases ("AFP" for Agence France-Presse: the same thing), equals the
      gold `speaker_name` once both are name keys (case, accents, punctuation ignored);
    - gold person described, not named ("le père de la jeune femme"), prediction resolved to no
      entity: same kind and `descriptions_match`;
    - gold without speaker: right only when nothing is predicted either.
    """
    if gold.speaker_kind in ("anonymous", "collective"):
        return quote.speaker_kind == gold.speaker_kind and speaker_texts_overlap(
            quote.speaker_text or quote.speaker_name, gold.speaker_text or gold.speaker_name
        )
    if gold.speaker_kind is None and not gold.speaker_name:
        return not (quote.speaker_text or quote.speaker_entity_id or quote.speaker_name)
    if gold.speaker_name and gold.speaker_name[:1].islower() and not quote.speaker_entity_id:
        # The gold names no one, only a description ("le père de la jeune femme"): a prediction
        # that resolved to no entity is right when it describes the same person.
        # The prediction's name first: "il" resolved to "le photographe" is named by the latter.
        return quote.speaker_kind == gold.speaker_kind and descriptions_match(
            quote.speaker_name or quote.speaker_text, gold.speaker_name
        )
    predicted = predicted_speaker_name(quote, names)
    if not predicted or not gold.speaker_name:
        return False
    person = gold.speaker_kind == "person"
    wanted = name_key(gold.speaker_name, person=person)
    known = (aliases or {}).get(quote.speaker_entity_id or "", [])
    return any(name_key(name, person=person) == wanted for name in (predicted, *known))


# ---- scoring (pure) ------------------------------------------------------------------------------


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def prf(self) -> tuple[float, float, float]:
        return prf(self.tp, self.fp, self.fn)


@dataclass
class Scored:
    """One article scored for one system: its gold, its predictions and their entity names."""

    gold: GoldArticle
    predicted: list[Quote]
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # entity id → its aliases


@dataclass
class SystemScores:
    exact: dict[str, Counts]
    overlap: dict[str, Counts]
    speaker_right: int = 0
    speaker_total: int = 0
    not_quotes_hit: int = 0
    not_quotes_total: int = 0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_total if self.speaker_total else 0.0


def _spans(items: Iterable[Any]) -> list[Span]:
    return [(item.start, item.end) for item in items]


def score(items: Sequence[Scored]) -> SystemScores:
    """Counts over every article (module docstring): exact and overlap P/R per kind and overall,
    speaker accuracy on overlap-matched quotes, and not-quotes predicted as quotes."""
    keys = (ALL, *KINDS)
    result = SystemScores({k: Counts() for k in keys}, {k: Counts() for k in keys})
    for item in items:
        for key in keys:
            gold = [q for q in item.gold.quotes if key in (ALL, q.kind)]
            pred = [q for q in item.predicted if key in (ALL, q.kind)]
            for threshold, table in ((1.0, result.exact), (OVERLAP, result.overlap)):
                pairs = match_spans(_spans(gold), _spans(pred), threshold)
                counts = table[key]
                counts.tp += len(pairs)
                counts.fp += len(pred) - len(pairs)
                counts.fn += len(gold) - len(pairs)
                if key == ALL and threshold == OVERLAP:
                    for g, p in pairs:
                        result.speaker_total += 1
                        result.speaker_right += speaker_correct(gold[g], pred[p], item.names, item.aliases)
        hits = match_spans(_spans(item.gold.not_quotes), _spans(item.predicted), OVERLAP)
        result.not_quotes_hit += len(hits)
        result.not_quotes_total += len(item.gold.not_quotes)
    return result


def errors(items: Sequence[Scored], text_of: Mapping[str, str] | None = None) -> list[str]:
    """Each miss, false quote, not-quote taken for a quote and wrong speaker, one line each."""
    lines: list[str] = []
    for item in items:
        doc, gold, pred = item.gold.doc, item.gold.quotes, item.predicted
        pairs = match_spans(_spans(gold), _spans(pred), OVERLAP)
        matched_gold = {g for g, _ in pairs}
        matched_pred = {p for _, p in pairs}
        terms = {p for _, p in match_spans(_spans(item.gold.not_quotes), _spans(pred), OVERLAP)}
        for g, wanted in enumerate(gold):
            if g not in matched_gold:
                lines.append(
                    f"doc {doc}: missed {wanted.kind} {_short(wanted.text)!r} ({wanted.speaker_name or '?'})"
                )
        for p, q in enumerate(pred):
            if p in terms:
                lines.append(f"doc {doc}: not a quote (gold not_quotes) {_short(q.text)!r}")
            elif p not in matched_pred:
                lines.append(f"doc {doc}: false {q.kind} {_short(q.text)!r} ({q.speaker_text or '?'})")
        for g, p in pairs:
            if not speaker_correct(gold[g], pred[p], item.names, item.aliases):
                said = predicted_speaker_name(pred[p], item.names) or pred[p].speaker_text
                lines.append(
                    f"doc {doc}: speaker of {_short(gold[g].text)!r}: {said or 'none'!s} "
                    f"({pred[p].speaker_kind or '?'}), gold {gold[g].speaker_name or 'none'} "
                    f"({gold[g].speaker_kind or '?'})"
                )
    return lines


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# ---- running veille ------------------------------------------------------------------------------


@dataclass
class QuotesReport:
    gold_path: Path
    scored: dict[str, list[Scored]]  # system → one item per analysed gold article
    unanalysed: dict[str, str] = field(default_factory=dict)  # doc → why it was not scored
    pipeline: list[str] = field(default_factory=list)

    def scores(self, system: str = "veille") -> SystemScores:
        return score(self.scored[system])

    def errors(self, system: str = "veille") -> list[str]:
        return errors(self.scored[system])


def _corpus_records(corpus_path: Path, wanted: set[str]) -> Iterator[dict[str, Any]]:
    opener: Any = gzip.open if corpus_path.suffix == ".gz" else open
    with opener(corpus_path, "rt", encoding="utf-8") as stream:
        for line in stream:
            if not line.strip():
                continue
            record = json.loads(line)
            if isinstance(record, dict) and str(record.get("id")) in wanted:
                yield record


def gold_raw_docs(
    gold: Sequence[GoldArticle], corpus_path: Path, seeds_dir: Path = DEFAULT_SEEDS
) -> tuple[list[RawDoc], dict[str, str]]:
    """RawDocs for the gold's documents: a seed page when the doc names a file of `seeds_dir`, else
    the corpus record of that id, built as the JSON-lines reader builds it. Returns the docs (in
    gold order) and the docs found nowhere, with why."""
    docs: dict[str, RawDoc] = {}
    wanted = {g.doc for g in gold}
    for doc in sorted(wanted):
        page = seeds_dir / doc
        if doc.endswith(".txt") and page.is_file():
            docs[doc] = RawDoc(
                source_file="quotes_seeds", source_id=doc, text=page.read_text(encoding="utf-8")
            )
    corpus_wanted = wanted - docs.keys()
    if corpus_wanted:
        if not corpus_path.is_file():
            raise VeilleError(
                f"no corpus at {corpus_path}, needed for {len(corpus_wanted)} gold documents: pass the "
                f"OrangeSum JSON lines with --corpus (default {DEFAULT_CORPUS}, relative to the repository "
                "root)"
            )
        for record in _corpus_records(corpus_path, corpus_wanted):
            doc = str(record["id"])
            docs.setdefault(
                doc,
                RawDoc(
                    source_file="quotes_dev", source_id=doc, text=record.get("article"),
                    title=record.get("title"), lead=record.get("heading"), published=record.get("date"),
                ),
            )  # fmt: skip
    missing = dict.fromkeys(sorted(wanted - docs.keys()), f"not in {corpus_path} nor in {seeds_dir}")
    return [docs[g.doc] for g in gold if g.doc in docs], missing


def _pipeline() -> Any:
    """`veille ingest`'s pipeline, with the quotes stage at its end when the default lacks it."""
    from veille.pipeline import Pipeline, default_pipeline

    pipeline = default_pipeline(None, progress=False)
    if "quotes" not in pipeline.names:
        try:
            from veille.quotes import QuotesStage  # type: ignore[attr-defined,unused-ignore]
        except ImportError:
            return pipeline  # no extractor yet: veille's rows show zeros
        pipeline = Pipeline([*pipeline.stages, QuotesStage()])
    return pipeline


def _sentences(article: Article) -> list[Span]:
    doc = article.doc
    if doc is not None and doc.text == article.text:
        return [(s.start_char, s.end_char) for s in doc.sents]
    return sentence_bounds(article.text)


def analyse(
    raws: Sequence[RawDoc], *, progress: bool = True
) -> tuple[list[Article], dict[str, list[Quote]], list[str]]:
    """The gold documents through veille's pipeline; the baseline's quotes of each (computed while
    the spaCy Doc is there, for its sentences); the pipeline's stage names."""
    from veille.engines.local import to_article

    pipeline = _pipeline()
    articles = [to_article(raw) for raw in raws]
    done: list[Article] = []
    baseline: dict[str, list[Quote]] = {}
    bar = progress_bar() if progress else None
    task = bar.add_task("analysing gold documents", total=len(articles)) if bar is not None else None
    try:
        for start in range(0, len(articles), BATCH):
            for article in pipeline(articles[start : start + BATCH]):
                baseline[article.id] = baseline_quotes(article, _sentences(article))
                article.doc = None
                done.append(article)
                if bar is not None:
                    bar.update(task, advance=1)
    finally:
        if bar is not None:
            bar.stop()
    return done, baseline, pipeline.names


def evaluate_quotes(
    gold_path: Path,
    corpus_path: Path = DEFAULT_CORPUS,
    *,
    seeds_dir: Path = DEFAULT_SEEDS,
    progress: bool = True,
) -> QuotesReport:
    """Run veille and the baseline on the gold's documents and score both (module docstring)."""
    if not gold_path.is_file():
        raise VeilleError(
            f"no gold file at {gold_path}: pass the quotes gold as GOLD (default {DEFAULT_GOLD}, "
            "relative to the repository root)"
        )
    gold = read_quotes_gold(gold_path)
    raws, unanalysed = gold_raw_docs(gold, corpus_path, seeds_dir)
    articles, baseline, names = analyse(raws, progress=progress)
    by_doc = {a.source_id: a for a in articles}
    report = QuotesReport(gold_path, {system: [] for system in SYSTEMS}, unanalysed, names)
    for item in gold:
        article = by_doc.get(item.doc)
        if article is None:
            continue
        if article.status != KEPT:
            report.unanalysed[item.doc] = f"{article.status}: {article.reason or article.duplicate_of}"
            continue
        # Offsets are only comparable on the text they were written against.
        item.check_text(article.text, f"{gold_path}:{item.line}")
        entity_names = {e.id: e.name for e in article.entities}
        aliases = {e.id: list(e.aliases) for e in article.entities}
        report.scored["veille"].append(Scored(item, list(article.quotes), entity_names, aliases))
        report.scored["baseline"].append(Scored(item, baseline.get(article.id, []), entity_names, aliases))
    return report


# ---- output --------------------------------------------------------------------------------------


def summary_table(report: QuotesReport) -> Any:
    from rich.table import Table

    articles = report.scored["veille"]
    gold_quotes = sum(len(s.gold.quotes) for s in articles)
    table = Table(title=f"Quotes: {len(articles)} articles, {gold_quotes} gold quotes ({report.gold_path})")
    columns = (
        "system",
        "kind",
        "gold",
        "pred",
        "P exact",
        "R exact",
        "F1 exact",
        "P ≥0.5",
        "R ≥0.5",
        "F1 ≥0.5",
    )
    for column in columns:
        table.add_column(column, justify="left" if column in ("system", "kind") else "right")
    for system in SYSTEMS:
        scores = report.scores(system)
        for key in (ALL, *KINDS):
            exact, loose = scores.exact[key], scores.overlap[key]
            table.add_row(
                system, key, str(loose.tp + loose.fn), str(loose.tp + loose.fp),
                *(f"{v:.3f}" for v in (*exact.prf, *loose.prf)),
            )  # fmt: skip
    return table


def speakers_table(report: QuotesReport) -> Any:
    from rich.table import Table

    table = Table(title="Speakers on found quotes (overlap ≥ 0.5), and terms taken for quotes")
    for column in ("system", "speaker accuracy", "right / found", "not-quotes predicted"):
        table.add_column(column, justify="left" if column == "system" else "right")
    for system in SYSTEMS:
        s = report.scores(system)
        table.add_row(
            system,
            f"{s.speaker_accuracy:.3f}",
            f"{s.speaker_right} / {s.speaker_total}",
            f"{s.not_quotes_hit} / {s.not_quotes_total}",
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m veille.eval.quotes",
        description="Score veille's quotes (spans, kinds, speakers) against gold, beside a naive baseline.",
    )
    parser.add_argument(
        "gold", nargs="?", type=Path, default=DEFAULT_GOLD, help=f"quotes gold (default {DEFAULT_GOLD})"
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help=f"OrangeSum JSON lines (default {DEFAULT_CORPUS})"
    )
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help=f"folder of seed pages (default {DEFAULT_SEEDS})"
    )
    parser.add_argument(
        "--errors", type=int, default=None, help="show at most N of veille's errors (default all)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        report = evaluate_quotes(args.gold, args.corpus, seeds_dir=args.seeds, progress=not args.no_progress)
    except (VeilleError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    console = report_console(130)
    console.print(summary_table(report))
    console.print(speakers_table(report))
    if "quotes" not in report.pipeline:
        console.print("veille's pipeline has no quotes stage: its rows are zeros.", highlight=False)
    for doc, why in report.unanalysed.items():
        console.print(f"document {doc} not analysed: {why}", highlight=False)
    found = report.errors("veille")
    console.print(f"\nveille's errors ({len(found)}):", highlight=False)
    for line in found[: args.errors]:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
