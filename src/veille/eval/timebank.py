"""French TimeBank: read the ISO-TimeML documents and score time expressions against them.

`read_tml` gives the plain text of a document with its TIMEX3 and EVENT spans as offsets into that
text (the DCT is kept apart and never scored). `evaluate_timebank` runs the named systems on the
same documents and scores, TempEval-3 style: span P/R/F1 strict (same offsets) and relaxed
(overlap), type and value accuracy on relaxed matches, and value F1 (a hit needs an overlapping
span with the right value: the end-to-end figure).

    python -m veille.eval.timebank ../shared/data/temporal/fr_timebank_dev
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from veille.errors import ConfigError, VeilleError
from veille.eval.metrics import prf, progress_bar
from veille.eval.timebank_baselines import SYSTEMS
from veille.model import Timex

DEFAULT_FOLDER = Path(__file__).resolve().parents[3].parent / "shared/data/temporal/fr_timebank_dev"
DEFAULT_SYSTEMS = ("veille", "veille-regex", "heideltime", "dateparser")


@dataclass(slots=True, frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    tid: str
    type: str
    value: str | None
    mod: str | None


@dataclass(slots=True, frozen=True)
class GoldEvent:
    start: int
    end: int
    text: str
    eid: str
    event_class: str


@dataclass(slots=True)
class TimebankDoc:
    doc_id: str
    dct: date
    text: str
    timexes: list[GoldTimex] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)


def _walk(element: ET.Element, parts: list[str], doc: TimebankDoc, offset: int) -> int:
    """Append the element's text to `parts`, recording TIMEX3/EVENT spans; return the new offset."""
    start = offset
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        offset = _walk(child, parts, doc, offset)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    words = "".join(parts)[start:offset] if element.tag in ("TIMEX3", "EVENT") else ""
    if element.tag == "TIMEX3":
        doc.timexes.append(
            GoldTimex(
                start, offset, words, element.get("tid", ""), element.get("type", ""),
                element.get("value"), element.get("mod"),
            )
        )  # fmt: skip
    elif element.tag == "EVENT":
        doc.events.append(GoldEvent(start, offset, words, element.get("eid", ""), element.get("class", "")))
    return offset


def read_tml(path: Path) -> TimebankDoc:
    """One ISO-TimeML document: the text inside <TEXT>, its TIMEX3 and EVENT spans, and the DCT."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise ConfigError(f"{path} is not well-formed ISO-TimeML XML: {error}") from error
    dct_timex = root.find("DCT/TIMEX3")
    text_element = root.find("TEXT")
    if dct_timex is None or text_element is None:
        raise ConfigError(f"{path} has no <DCT><TIMEX3 …/></DCT> or no <TEXT>: is it a TimeBank .tml file?")
    dct = date.fromisoformat((dct_timex.get("value") or "")[:10])
    doc = TimebankDoc(doc_id=path.stem, dct=dct, text="")
    parts: list[str] = []
    _walk(text_element, parts, doc, 0)
    doc.text = "".join(parts)
    doc.timexes.sort(key=lambda t: t.start)
    doc.events.sort(key=lambda e: e.start)
    return doc


def read_folder(folder: Path) -> list[TimebankDoc]:
    paths = sorted(folder.glob("*.tml"))
    if not paths:
        raise ConfigError(f"no .tml files in {folder}: point at the French TimeBank data folder")
    return [read_tml(p) for p in paths]


# ---- scoring -------------------------------------------------------------------------------------


@dataclass(slots=True)
class SystemScore:
    gold: int = 0
    predicted: int = 0
    strict: int = 0  # exact-offset matches
    relaxed: int = 0  # overlapping matches
    type_right: int = 0  # on relaxed matches
    value_right: int = 0  # on relaxed matches
    errors: list[str] = field(default_factory=list)

    def span_prf(self, regime: str) -> tuple[float, float, float]:
        hits = self.strict if regime == "strict" else self.relaxed
        return prf(hits, self.predicted - hits, self.gold - hits)

    @property
    def type_accuracy(self) -> float:
        return self.type_right / self.relaxed if self.relaxed else 0.0

    @property
    def value_accuracy(self) -> float:
        return self.value_right / self.relaxed if self.relaxed else 0.0

    @property
    def value_f1(self) -> tuple[float, float, float]:
        right = self.value_right
        return prf(right, self.predicted - right, self.gold - right)


def _match(gold: Sequence[GoldTimex], predicted: Sequence[Timex]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, exact matches first, then the largest overlaps."""
    candidates: list[tuple[int, int, int, int]] = []
    for g, gold_timex in enumerate(gold):
        for p, timex in enumerate(predicted):
            overlap = min(gold_timex.end, timex.end) - max(gold_timex.start, timex.start)
            if overlap > 0:
                exact = gold_timex.start == timex.start and gold_timex.end == timex.end
                candidates.append((0 if exact else 1, -overlap, g, p))
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, g, p in candidates:
        if g not in used_gold and p not in used_pred:
            used_gold.add(g)
            used_pred.add(p)
            pairs.append((g, p))
    return pairs


def score_document(doc: TimebankDoc, predicted: Sequence[Timex], score: SystemScore) -> None:
    """Add one document's counts (and its error lines) to `score`."""
    score.gold += len(doc.timexes)
    score.predicted += len(predicted)
    pairs = _match(doc.timexes, predicted)
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}
    for g, p in pairs:
        gold, timex = doc.timexes[g], predicted[p]
        score.relaxed += 1
        if (gold.start, gold.end) == (timex.start, timex.end):
            score.strict += 1
        score.type_right += gold.type == timex.type
        score.value_right += gold.value == timex.value
        if gold.value != timex.value:
            score.errors.append(f"{doc.doc_id} value  {gold.text!r} gold {gold.value} got {timex.value}")
        elif (gold.start, gold.end) != (timex.start, timex.end):
            score.errors.append(f"{doc.doc_id} span   gold {gold.text!r} got {timex.text!r}")
    for g, gold in enumerate(doc.timexes):
        if g not in matched_gold:
            score.errors.append(f"{doc.doc_id} missed {gold.text!r} ({gold.type} {gold.value})")
    for p, timex in enumerate(predicted):
        if p not in matched_pred:
            score.errors.append(f"{doc.doc_id} extra  {timex.text!r} ({timex.type} {timex.value})")


@dataclass(slots=True)
class TimebankReport:
    folder: Path
    documents: int
    scores: dict[str, SystemScore]
    failures: dict[str, str] = field(default_factory=dict)  # system → why it could not run


def evaluate_timebank(folder: Path, systems: list[str], progress: bool = True) -> TimebankReport:
    """Run each named system on every document of `folder` and score it against the gold."""
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        raise ConfigError(f"unknown system(s) {', '.join(unknown)}; choose among {', '.join(SYSTEMS)}")
    docs = read_folder(folder)
    report = TimebankReport(folder, len(docs), {})
    bar = progress_bar() if progress else None
    try:
        for system in systems:
            run = SYSTEMS[system]
            score = SystemScore()
            task = bar.add_task(system, total=len(docs)) if bar else None
            try:
                for doc in docs:
                    score_document(doc, run(doc.text, doc.dct), score)
                    if bar:
                        bar.advance(task)
            except VeilleError as error:
                report.failures[system] = str(error)
                continue
            report.scores[system] = score
    finally:
        if bar:
            bar.stop()
    return report


def render(report: TimebankReport) -> Any:
    """A rich table of every system's scores (failures as a row saying why)."""
    from rich.table import Table

    gold = next(iter(report.scores.values())).gold if report.scores else 0
    table = Table(title=f"French TimeBank: {report.documents} documents, {gold} TIMEX3 ({report.folder})")
    columns = ("system", "pred", "P strict", "R strict", "F1 strict", "P relax", "R relax", "F1 relax",
               "type acc", "value acc", "value F1")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="left" if column == "system" else "right")
    for system, score in report.scores.items():
        figures = (*score.span_prf("strict"), *score.span_prf("relaxed"), score.type_accuracy,
                   score.value_accuracy, score.value_f1[2])  # fmt: skip
        table.add_row(system, str(score.predicted), *(f"{v:.3f}" for v in figures))
    for system, why in report.failures.items():
        table.add_row(system, "—", f"could not run: {why}")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m veille.eval.timebank",
        description="Score time expressions (spans, types, values) on the French TimeBank.",
    )
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER, help="folder of .tml files")
    parser.add_argument(
        "--systems", default=",".join(DEFAULT_SYSTEMS), help=f"comma-separated, among {', '.join(SYSTEMS)}"
    )
    parser.add_argument("--errors", type=int, default=0, help="show N error lines per system")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        report = evaluate_timebank(args.folder, args.systems.split(","), progress=not args.no_progress)
    except (VeilleError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    from rich.console import Console

    console = Console(width=160)
    console.print(render(report))
    for system, score in report.scores.items():
        for line in score.errors[: args.errors]:
            console.print(f"{system}: {line}", markup=False, highlight=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
