"""Glue-repair figures and clean_page speed on the OrangeSum corpus.

    .venv/bin/python bench/clean_glue_stats.py [--corpus PATH] [--sample 50] [--speed 2000]

Prints: how many bodies get at least one paragraph break inserted, how many breaks in all, a
random sample of breaks in context (for checking by eye), and the mean time of `clean_page` on
the first N records (title, heading as lead, article body, as the JSON-lines reader passes them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path

from rich.console import Console
from rich.progress import track

from veille.clean import clean_page, repair_glued_paragraphs

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/data/corpus/orangesum_parsed_all.jsonl.gz"


def load(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--speed", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    console = Console()
    records = load(args.corpus)

    bodies = [str(r.get("article") or "") for r in records]
    non_empty = [b for b in bodies if b.strip()]
    repaired_bodies = 0
    total_repairs = 0
    contexts: list[str] = []
    for body in track(non_empty, description="repairing", console=console):
        new, n = repair_glued_paragraphs(body)
        if n:
            repaired_bodies += 1
            total_repairs += n
            for part_end in [i for i in range(len(new)) if new.startswith("\n\n", i)]:
                contexts.append(new[max(0, part_end - 40) : part_end + 42].replace("\n\n", " ⏎ "))
    console.print(
        f"records {len(records)}, non-empty bodies {len(non_empty)}, "
        f"bodies repaired {repaired_bodies} ({repaired_bodies / max(1, len(non_empty)):.1%}), "
        f"breaks inserted {total_repairs} ({total_repairs / max(1, repaired_bodies):.1f} per repaired body)"
    )
    rng = random.Random(args.seed)
    for context in rng.sample(contexts, min(args.sample, len(contexts))):
        console.print(repr(context), highlight=False)

    subset = records[: args.speed]
    start = time.perf_counter()
    for record in track(subset, description="clean_page", console=console):
        clean_page(
            str(record.get("article") or ""),
            title=str(record["title"]) if record.get("title") is not None else None,
            lead=str(record["heading"]) if record.get("heading") is not None else None,
        )
    elapsed = time.perf_counter() - start
    chars = sum(len(str(r.get("article") or "")) for r in subset)
    console.print(
        f"clean_page: {len(subset)} records, {elapsed * 1000 / max(1, len(subset)):.3f} ms/article, "
        f"{chars / elapsed / 1e6:.1f} M chars/s"
    )


if __name__ == "__main__":
    main()
