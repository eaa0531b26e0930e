"""Measure what watchlists add to ingestion: `python tests/watch/measure_evaluate.py`.

Real French articles (examples/orangesum_2020-08-18.jsonl.gz, 82 of them, cycled to 512) are built
into `Article`s by hand (no spaCy: the pipeline's cost is not the point), each given two resolved
mentions among 50 entity ids and a story. They are stored in batches of 64 with `store.upsert`
(the baseline, measured in the same run), then `evaluate_batch` is timed on the same batches with 0,
10 and 100 watchlists (entities plus a keyword query each). Times are medians over the batches;
ratios are to the median `upsert` of a batch. Bounded: fixed sizes, seconds in all. Not a test.
"""

from __future__ import annotations

import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from veille.model import Article, Mention
from veille.store import Store
from veille.store.watch import save_watchlist
from veille.watch.evaluate import evaluate_batch
from veille.watch.query import Watchlist

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "orangesum_2020-08-18.jsonl.gz"
ARTICLES, BATCH, ENTITIES = 512, 64, 50
KEYWORDS = [
    "voiture",
    "gouvernement",
    "covid",
    "police",
    "football",
    "prix",
    "Paris",
    "économie",
    "santé",
    "été",
]


def articles() -> list[Article]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    made = []
    for i in range(ARTICLES):
        record = records[i % len(records)]
        text = record["article"]
        ident = f"m{i:04d}"
        article = Article(ident, f"m/{ident}", "", title=record.get("title"), text=text, language="fr",
                          published="2020-08-18", source_name=f"source {i % 7}", content_hash=f"h{i}",
                          story_id=f"s{i // 4}")  # fmt: skip
        article.mentions = [
            Mention(ident, 0, 1, text[:1], "ORG", f"ent_{(i * k) % ENTITIES}") for k in (1, 3)
        ]
        made.append(article)
    return made


def watchlists(n: int) -> list[Watchlist]:
    made = []
    for i in range(n):
        one, two, three = (KEYWORDS[(i + k) % len(KEYWORDS)] for k in range(3))
        made.append(Watchlist(f"veille {i}", entities=[f"ent_{i % ENTITIES}"],
                              keywords=f'{one} OR ("{two}" AND NOT {three})'))  # fmt: skip
    return made


def main() -> None:
    console = Console()
    built = articles()
    batches = [built[i : i + BATCH] for i in range(0, len(built), BATCH)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="veille-watch-") as folder:
        for count in (0, 10, 100):
            with Store.open(str(Path(folder) / f"w{count}.db")) as store:
                for watchlist in watchlists(count):
                    save_watchlist(store, watchlist)
                upserts, evaluations, matches = [], [], 0
                for batch in track(batches, description=f"{count} watchlists", console=console):
                    start = time.perf_counter()
                    store.upsert(batch)
                    upserts.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    matches += len(evaluate_batch(store, batch))
                    evaluations.append(time.perf_counter() - start)
                up, ev = statistics.median(upserts), statistics.median(evaluations)
                rows.append((count, up * 1000, ev * 1000, ev / up, matches))
    table = Table(title=f"evaluate_batch beside upsert, {ARTICLES} articles in batches of {BATCH}")
    for column in ("watchlists", "upsert ms/batch", "evaluate ms/batch", "evaluate / upsert", "matches"):
        table.add_column(column, justify="right")
    for count, up, ev, ratio, matches in rows:
        table.add_row(str(count), f"{up:.1f}", f"{ev:.2f}", f"{ratio:.3f}", str(matches))
    console.print(table)


if __name__ == "__main__":
    main()
