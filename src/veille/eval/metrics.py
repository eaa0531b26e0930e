"""What every evaluation shares: precision, recall and F1 from counts, and its progress bar."""

from __future__ import annotations

from typing import Any


class PrecisionRecall:
    """Precision, recall and F1 of a class that counts `tp`, `fp` and `fn` (a mixin for the
    evaluations' slotted count dataclasses)."""

    __slots__ = ()
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return prf(self.tp, self.fp, self.fn)[0]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.fp, self.fn)[1]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn)[2]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """(precision, recall, F1); no prediction at all is a precision of 0, not a division error."""
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report_console(min_width: int = 110) -> Any:
    """Where the eval tables go (a rich Console): piped into a file, they keep their columns whole."""
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        console.width = max(console.width, min_width)
    return console


def progress_bar() -> Any:
    """A started rich progress bar on stderr (stdout carries the report), gone when stopped."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    bar.start()
    return bar
