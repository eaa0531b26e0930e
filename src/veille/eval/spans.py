"""Span scoring shared by the evaluations: one-to-one matching, P/R/F1 counts, error kinds.

Spans are (start, end, label) with end-exclusive character offsets. Two regimes, as HIPE's scorer:
strict (exact offsets and label) and fuzzy (same label, overlapping spans). Matching is one-to-one,
so a gold entity is found at most once however many predictions overlap it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from veille.eval.metrics import PrecisionRecall

Span = tuple[int, int, str]
SCORED_LABELS = ("PER", "LOC", "ORG")
OVERALL = "ALL"
REGIMES = ("strict", "fuzzy")


class ScoringError(ValueError):
    """A scoring call was given an unknown regime."""


@dataclass(slots=True)
class Counts(PrecisionRecall):
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match_spans(gold: Sequence[Span], pred: Sequence[Span], regime: str) -> list[tuple[int, int]]:
    """One-to-one (gold index, prediction index) pairs that count as found under `regime`."""
    if regime not in REGIMES:
        raise ScoringError(f"unknown scoring regime {regime!r}; use one of {', '.join(REGIMES)}")
    candidates: list[tuple[int, int, int]] = []
    for g, gold_span in enumerate(gold):
        for p, pred_span in enumerate(pred):
            if gold_span[2] != pred_span[2]:
                continue
            if regime == "strict":
                if gold_span[:2] == pred_span[:2]:
                    candidates.append((0, g, p))
            elif _overlap(gold_span, pred_span) > 0:
                candidates.append((-_overlap(gold_span, pred_span), g, p))
    # Greedy by largest overlap: the pairing that a reader would draw by hand.
    candidates.sort()
    used_gold: set[int] = set()
    used_pred: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, g, p in candidates:
        if g in used_gold or p in used_pred:
            continue
        used_gold.add(g)
        used_pred.add(p)
        pairs.append((g, p))
    return pairs


def score_document(gold: Sequence[Span], pred: Sequence[Span], regime: str) -> dict[str, Counts]:
    """Counts per scored label and OVERALL; spans with other labels are ignored."""
    gold = [s for s in gold if s[2] in SCORED_LABELS]
    pred = [s for s in pred if s[2] in SCORED_LABELS]
    counts = {label: Counts() for label in (*SCORED_LABELS, OVERALL)}
    pairs = match_spans(gold, pred, regime)
    found_gold = {g for g, _ in pairs}
    found_pred = {p for _, p in pairs}
    for g, span in enumerate(gold):
        if g in found_gold:
            counts[span[2]].tp += 1
        else:
            counts[span[2]].fn += 1
    for p, span in enumerate(pred):
        if p not in found_pred:
            counts[span[2]].fp += 1
    for label in SCORED_LABELS:
        counts[OVERALL].add(counts[label])
    return counts


@dataclass(slots=True, frozen=True)
class NerError:
    kind: str  # missed | spurious | boundary | wrong_label | boundary_and_label | unscored_type
    side: str  # "FN" (a gold entity not found) or "FP" (a prediction not in the gold)
    gold: Span | None
    pred: Span | None


def classify_errors(
    gold: Sequence[Span], pred: Sequence[Span], unscored: Sequence[Span] = ()
) -> list[NerError]:
    """Every strict-regime error with what went wrong, for error analysis (not for scores)."""
    gold = [s for s in gold if s[2] in SCORED_LABELS]
    pred = [s for s in pred if s[2] in SCORED_LABELS]
    pairs = match_spans(gold, pred, "strict")
    found_gold = {g for g, _ in pairs}
    found_pred = {p for _, p in pairs}
    errors: list[NerError] = []
    for p, span in enumerate(pred):
        if p in found_pred:
            continue
        near = [g for g in gold if _overlap(g, span) > 0]
        same = next((g for g in near if g[:2] == span[:2]), None)
        if same is not None:
            errors.append(NerError("wrong_label", "FP", same, span))
        elif any(g[2] == span[2] for g in near):
            errors.append(NerError("boundary", "FP", next(g for g in near if g[2] == span[2]), span))
        elif near:
            errors.append(NerError("boundary_and_label", "FP", near[0], span))
        elif any(_overlap(u, span) > 0 for u in unscored):
            errors.append(NerError("unscored_type", "FP", None, span))
        else:
            errors.append(NerError("spurious", "FP", None, span))
    for g, span in enumerate(gold):
        if g not in found_gold and not any(_overlap(span, p) > 0 for p in pred):
            errors.append(NerError("missed", "FN", span, None))
    return errors
