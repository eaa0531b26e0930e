"""Score veille's alias resolution against gold pairs of names that must or must not merge.

The gold (`tests/data/aliases_dev.jsonl`, rules in `docs/aliases_guidelines.md`) names two surfaces,
each in a document of the OrangeSum corpus, and says whether they are the same entity. The
documents the gold names are read from the corpus and run, in corpus order and in one run, through
the pipeline `veille ingest` runs plus `EntitiesStage`, so that cross-article pairs link through the
run's index as they would in a real ingest. A pair is predicted "same" when its two surfaces'
mentions carry one `entity_id`. A surface with no mention of that exact text in its document is
"not resolved" and the pair is predicted "not same": a name spaCy missed cannot be merged.

The positive class is "must merge": precision, recall and F1 say how well veille merges; the
accuracy on must-not-merge pairs says how often it keeps apart what it should. The naive baseline,
scored on the same pairs, says two surfaces are one entity when their case-folded texts are equal.

Run: `python -m veille.eval.aliases [GOLD] [--corpus PATH] [--errors N]`.
"""

from __future__ import annotations

import argparse
import gzip
import inspect
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.entities.names import HONORIFICS, name_key
from veille.errors import VeilleError
from veille.eval.metrics import PrecisionRecall, progress_bar
from veille.model import KEPT, Article, Mention

DEFAULT_GOLD = Path("tests/data/aliases_dev.jsonl")
DEFAULT_CORPUS = Path("../shared/data/corpus/orangesum_parsed_all.jsonl.gz")
BATCH = 32


@dataclass(frozen=True, slots=True)
class Surface:
    doc: str  # the corpus record's id, as text (the reader keeps record ids as text)
    text: str


@dataclass(frozen=True, slots=True)
class GoldPair:
    a: Surface
    b: Surface
    same: bool
    kind: str
    note: str = ""

    @property
    def within(self) -> bool:
        return self.a.doc == self.b.doc

    @property
    def key(self) -> tuple[Surface, Surface]:
        first, second = sorted((self.a, self.b), key=lambda s: (s.doc, s.text))
        return first, second


@dataclass(frozen=True, slots=True)
class PairResult:
    pair: GoldPair
    entity_a: str | None  # None: no mention of that surface in its document
    entity_b: str | None
    baseline: bool

    @property
    def resolved(self) -> bool:
        return self.entity_a is not None and self.entity_b is not None

    @property
    def predicted(self) -> bool:
        return self.resolved and self.entity_a == self.entity_b

    @property
    def correct(self) -> bool:
        return self.predicted == self.pair.same


@dataclass(frozen=True, slots=True)
class Scores(PrecisionRecall):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def negative_accuracy(self) -> float:
        """Share of must-not-merge pairs kept apart."""
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def score(gold: Iterable[bool], predicted: Iterable[bool]) -> Scores:
    """Confusion counts of "same" predictions against gold labels (positive = must merge)."""
    counts: Counter[tuple[bool, bool]] = Counter(zip(gold, predicted, strict=True))
    return Scores(
        tp=counts[(True, True)], fp=counts[(False, True)], fn=counts[(True, False)], tn=counts[(False, False)]
    )


@dataclass
class AliasReport:
    results: list[PairResult]
    # Gold documents the run did not analyse (absent from the corpus, rejected, or an exact copy
    # that skipped the NLP pass), with why.
    unanalysed: dict[str, str] = field(default_factory=dict)

    def scores(self, system: str = "veille", results: Sequence[PairResult] | None = None) -> Scores:
        chosen = self.results if results is None else results
        predicted = [r.predicted if system == "veille" else r.baseline for r in chosen]
        return score((r.pair.same for r in chosen), predicted)

    @property
    def unresolved(self) -> list[PairResult]:
        return [r for r in self.results if not r.resolved]

    @property
    def errors(self) -> list[PairResult]:
        return [r for r in self.results if not r.correct]

    def groups(self) -> dict[str, list[PairResult]]:
        """The results by kind, then by within/cross-article."""
        found: dict[str, list[PairResult]] = {}
        for result in sorted(self.results, key=lambda r: (not r.pair.same, r.pair.kind)):
            found.setdefault(result.pair.kind, []).append(result)
        for result in self.results:
            found.setdefault("within-article" if result.pair.within else "cross-article", []).append(result)
        return found


# ---- gold ----------------------------------------------------------------------------------------


def _surface(value: Any, where: str) -> Surface:
    if not isinstance(value, dict) or not isinstance(value.get("text"), str) or "doc" not in value:
        raise VeilleError(f"{where}: expected {{'doc': corpus id, 'text': surface}}, got {value!r}")
    if not value["text"].strip():
        raise VeilleError(f"{where}: the surface text is empty; write the name as the document has it")
    return Surface(str(value["doc"]), value["text"])


def read_gold(path: Path) -> list[GoldPair]:
    """The pairs of a gold file (JSON lines); a malformed line is an error naming its line."""
    pairs: list[GoldPair] = []
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise VeilleError(f"{where}: not JSON ({error}); each line holds one pair object") from error
            if not isinstance(row, dict) or not isinstance(row.get("same"), bool):
                raise VeilleError(f"{where}: a pair needs 'a', 'b', 'same' (true/false) and 'kind'")
            kind = row.get("kind")
            if not isinstance(kind, str) or not kind:
                raise VeilleError(
                    f"{where}: 'kind' is missing; name the kind of pair (see docs/aliases_guidelines.md)"
                )
            pairs.append(
                GoldPair(
                    _surface(row.get("a"), where),
                    _surface(row.get("b"), where),
                    row["same"],
                    kind,
                    str(row.get("note", "")),
                )
            )
    return pairs


# ---- prediction (pure) ---------------------------------------------------------------------------


def _without_title(text: str) -> str:
    words = text.split()
    while len(words) > 1 and words[0].rstrip(".").lower() in HONORIFICS | {"monsieur", "madame"}:
        words = words[1:]
    return " ".join(words)


def entity_for_surface(mentions: Sequence[Mention], surface: str) -> str | None:
    """The entity id of a surface's mentions in one article, None when no mention has that text.

    Mentions of exactly that text count; failing those, mentions that are that text behind a title
    ("M. Castex" for "Castex"), since spaCy often takes the title into the span. When one surface
    has mentions in several entities, the most frequent wins, then the earliest.
    """
    found = [m for m in mentions if m.text == surface and m.entity_id]
    if not found:
        found = [m for m in mentions if m.entity_id and _without_title(m.text) == surface]
    if not found:
        return None
    counts = Counter(m.entity_id for m in found)
    return max(
        counts, key=lambda eid: (counts[eid], -next(i for i, m in enumerate(found) if m.entity_id == eid))
    )


def baseline_same(pair: GoldPair) -> bool:
    """Naive resolution: the same text (case-folded) is the same entity, any other text is not."""
    return pair.a.text.casefold() == pair.b.text.casefold()


def predict(pairs: Sequence[GoldPair], mentions_by_doc: Mapping[str, Sequence[Mention]]) -> list[PairResult]:
    """Each pair's entity ids, looked up in the mentions of its documents (keyed by corpus id)."""
    return [
        PairResult(
            pair,
            entity_for_surface(mentions_by_doc.get(pair.a.doc, ()), pair.a.text),
            entity_for_surface(mentions_by_doc.get(pair.b.doc, ()), pair.b.text),
            baseline_same(pair),
        )
        for pair in pairs
    ]


def missing_surfaces(pairs: Sequence[GoldPair], texts: Mapping[str, str]) -> list[Surface]:
    """Gold surfaces not written in their document's text (a gold error: the pair cannot be scored)."""
    seen: set[Surface] = set()
    missing: list[Surface] = []
    for surface in (s for p in pairs for s in (p.a, p.b)):
        if surface not in seen and surface.text not in texts.get(surface.doc, ""):
            missing.append(surface)
        seen.add(surface)
    return missing


# ---- running veille ------------------------------------------------------------------------------


def _record_id(line: bytes) -> str | None:
    try:
        row = json.loads(line)
    except ValueError:
        return None
    return str(row["id"]) if isinstance(row, dict) and "id" in row else None


def select_records(corpus_path: Path, ids: set[str], out: Path) -> set[str]:
    """Copy the corpus lines whose id is in `ids` to `out`, in corpus order; returns the ids found."""
    opener: Any = gzip.open if corpus_path.suffix == ".gz" else open
    found: set[str] = set()
    with opener(corpus_path, "rb") as source, out.open("wb") as target:
        for line in source:
            record_id = _record_id(line)
            if record_id in ids:
                target.write(line if line.endswith(b"\n") else line + b"\n")
                found.add(record_id)
    return found


def _pipeline() -> Any:
    """The stage list `veille ingest` runs, ending with the entities stage, built once per run so
    that one run index links articles across batches."""
    from veille.entities.stage import EntitiesStage
    from veille.pipeline import Pipeline, default_pipeline

    # The default pipeline gained the entities stage (and lost `keep_docs`) while this module was
    # written; accept both shapes until every checkout has the new one.
    options: dict[str, Any] = {"progress": False}
    if "keep_docs" in inspect.signature(default_pipeline).parameters:
        options["keep_docs"] = True
    pipeline = default_pipeline(None, **options)
    if "entities" not in pipeline.names:
        pipeline = Pipeline([*pipeline.stages, EntitiesStage()])
    return pipeline


def analyse(path: Path, *, progress: bool = True) -> list[Article]:
    """The articles of a JSON-lines file through veille's pipeline and the entities stage."""
    from veille.engines.local import to_article
    from veille.ingest import ReadOptions, ReadReport, iter_records

    articles = [to_article(r) for r in iter_records([path], ReadOptions(), ReadReport())]
    pipeline = _pipeline()
    done: list[Article] = []
    bar = progress_bar() if progress else None
    task = bar.add_task("analysing gold documents", total=len(articles)) if bar is not None else None
    try:
        for start in range(0, len(articles), BATCH):
            batch = pipeline(articles[start : start + BATCH])
            for article in batch:
                article.doc = None  # the Doc is only needed by the entities stage
            done.extend(batch)
            if bar is not None:
                bar.update(task, advance=len(batch))
    finally:
        if bar is not None:
            bar.stop()
    return done


def evaluate_aliases(gold_path: Path, corpus_path: Path, *, progress: bool = True) -> AliasReport:
    """Run veille on the corpus documents the gold names and score its merges (module docstring)."""
    for path, what in ((gold_path, "gold file"), (corpus_path, "corpus")):
        if not path.is_file():
            raise VeilleError(
                f"no {what} at {path}: pass the gold file as GOLD and the OrangeSum JSON lines with "
                f"--corpus (default {DEFAULT_CORPUS}, relative to the repository root)"
            )
    pairs = read_gold(gold_path)
    wanted = {s.doc for p in pairs for s in (p.a, p.b)}
    with tempfile.TemporaryDirectory(prefix="veille-aliases-") as folder:
        subset = Path(folder) / "gold_documents.jsonl"
        found = select_records(corpus_path, wanted, subset)
        articles = analyse(subset, progress=progress)
    unanalysed = dict.fromkeys(sorted(wanted - found), "not in the corpus")
    texts = {a.source_id: _record_text(a) for a in articles}
    # A document the corpus lacks is reported as unanalysed, not as a gold error.
    missing = [s for s in missing_surfaces(pairs, texts) if s.doc in texts]
    if missing:
        listed = "; ".join(f"{s.text!r} in doc {s.doc}" for s in missing[:10])
        raise VeilleError(
            f"{len(missing)} gold surfaces are not in their documents ({listed}): fix those lines of "
            f"{gold_path} so that each surface is written exactly as the document has it"
        )
    mentions: dict[str, list[Mention]] = {}
    for article in articles:
        if article.status != KEPT:
            unanalysed[article.source_id] = f"{article.status}: {article.reason or article.duplicate_of}"
        mentions[article.source_id] = article.mentions
    return AliasReport(predict(pairs, mentions), unanalysed)


def _record_text(article: Article) -> str:
    """The record as the corpus has it (heading, article) and as veille cleaned it."""
    raw = article.raw
    written = "\n\n".join(t for t in (raw.lead, raw.text) if t) if raw is not None else ""
    return written + "\n\n" + article.text


# ---- output --------------------------------------------------------------------------------------


def explain(result: PairResult) -> str:
    """Why a pair is wrong, in words: a surface not found, or ids merged or split."""
    missing = [
        s.text
        for s, eid in ((result.pair.a, result.entity_a), (result.pair.b, result.entity_b))
        if eid is None
    ]
    if missing:
        return "not resolved: no mention " + " / ".join(repr(m) for m in missing)
    if result.predicted:
        return "merged"
    same_key = name_key(result.pair.a.text) == name_key(result.pair.b.text)
    return "split (same name key)" if same_key else "split"


def summary_table(report: AliasReport) -> Any:
    from rich.table import Table

    table = Table(title=f"Alias resolution: {len(report.results)} gold pairs")
    for column in ("system", "P (merge)", "R (merge)", "F1", "acc. must-not", "accuracy", "pairs"):
        table.add_column(column, justify="left" if column == "system" else "right")
    resolved = [r for r in report.results if r.resolved]
    rows = [
        ("baseline: same text", report.scores("baseline"), len(report.results)),
        ("veille", report.scores("veille"), len(report.results)),
        ("veille, resolved pairs only", report.scores("veille", resolved), len(resolved)),
    ]
    for name, s, n in rows:
        table.add_row(
            name,
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            f"{s.negative_accuracy:.3f}",
            f"{s.accuracy:.3f}",
            str(n),
        )
    return table


def kinds_table(report: AliasReport) -> Any:
    from rich.table import Table

    table = Table(title="Accuracy by kind of pair")
    for column in ("kind", "gold", "pairs", "baseline", "veille", "not resolved"):
        table.add_column(column, justify="left" if column in ("kind", "gold") else "right")
    for kind, results in report.groups().items():
        labels = {r.pair.same for r in results}
        gold = "merge" if labels == {True} else "apart" if labels == {False} else "both"
        baseline = sum(r.baseline == r.pair.same for r in results) / len(results)
        veille = sum(r.correct for r in results) / len(results)
        unresolved = sum(not r.resolved for r in results)
        table.add_row(kind, gold, str(len(results)), f"{baseline:.2f}", f"{veille:.2f}", str(unresolved))
    return table


def format_errors(report: AliasReport, limit: int | None = None) -> list[str]:
    lines = []
    for result in report.errors[:limit]:
        pair = result.pair
        gold = "same" if pair.same else "different"
        lines.append(
            f"[{pair.kind}] {pair.a.text!r} (doc {pair.a.doc}) / {pair.b.text!r} (doc {pair.b.doc}): "
            f"gold {gold}, {explain(result)}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m veille.eval.aliases",
        description="Score veille's alias resolution against gold pairs that must or must not merge.",
    )
    parser.add_argument(
        "gold", nargs="?", type=Path, default=DEFAULT_GOLD, help=f"gold pairs (default {DEFAULT_GOLD})"
    )
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help=f"OrangeSum JSON lines (default {DEFAULT_CORPUS})"
    )
    parser.add_argument("--errors", type=int, default=None, help="show at most N errors (default all)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        report = evaluate_aliases(args.gold, args.corpus, progress=not args.no_progress)
    except (VeilleError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    from rich.console import Console

    console = Console()
    console.print(summary_table(report))
    console.print(kinds_table(report))
    console.print(f"not resolved (a surface with no mention in its document): {len(report.unresolved)} pairs")
    for doc, why in report.unanalysed.items():
        console.print(f"document {doc} not analysed: {why}")
    errors = format_errors(report, args.errors)
    console.print(f"\nerrors ({len(report.errors)}):", highlight=False)
    for line in errors:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
