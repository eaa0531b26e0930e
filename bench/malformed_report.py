"""The summary of a malformed-input run (`bench/malformed_inputs.py`): counts, outcomes, the slowest
and hungriest files, and the failing ones, as a dict (for `--report`) and as a table."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(stderr=True)


def report(results: list[Any], wall: float) -> dict[str, Any]:
    """`results`: the run's FileResult records."""
    reasons: Counter[str] = Counter()
    by_family: dict[str, Counter[str]] = {}
    for r in results:
        reasons.update(r.outcomes)
        by_family.setdefault(r.family, Counter()).update(r.outcomes)
    slowest = max(results, key=lambda r: r.seconds)
    hungriest = max(results, key=lambda r: max(r.rss_peak_mib, r.sandbox_peak_mib))
    times = sorted(r.seconds for r in results)
    return {
        "files": len(results),
        "crashes": sum(1 for r in results if r.crash is not None),
        "failed_files": sum(1 for r in results if r.problems),
        "outcomes": dict(reasons.most_common()),
        "ingested_records": reasons["kept"] + reasons["duplicate"],
        "by_family": {k: dict(v.most_common()) for k, v in sorted(by_family.items())},
        "slowest": {"path": slowest.path, "seconds": round(slowest.seconds, 3)},
        "median_seconds": round(times[len(times) // 2], 4),
        "p99_seconds": round(times[min(len(times) - 1, int(len(times) * 0.99))], 3),
        "peak_rss_mib": round(max(r.rss_peak_mib for r in results), 1),
        "peak_sandbox_rss_mib": round(max(r.sandbox_peak_mib for r in results), 1),
        "hungriest": {"path": hungriest.path, "rss_mib": round(hungriest.rss_peak_mib, 1)},
        "wall_seconds": round(wall, 1),
        "problems": [{"path": r.path, "problems": r.problems} for r in results if r.problems][:50],
    }


def show(summary: dict[str, Any]) -> None:
    table = Table(title="Malformed inputs")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("files", "crashes", "failed_files", "ingested_records", "median_seconds", "p99_seconds",
                "peak_rss_mib", "peak_sandbox_rss_mib", "wall_seconds"):  # fmt: skip
        table.add_row(key, str(summary[key]))
    table.add_row("slowest file", f"{summary['slowest']['path']} ({summary['slowest']['seconds']} s)")
    table.add_row("most memory", f"{summary['hungriest']['path']} ({summary['hungriest']['rss_mib']} MiB)")
    for outcome, count in summary["outcomes"].items():
        table.add_row(f"outcome: {outcome}", str(count))
    Console().print(table)
    for problem in summary["problems"][:20]:
        console.print(f"[red]FAIL[/red] {problem['path']}: {'; '.join(problem['problems'])}")
