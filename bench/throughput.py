"""Throughput of `veille ingest` against bare spaCy on the same articles, in the same run.

    .venv/bin/python bench/throughput.py [--n 2000] [--repeat 2]

Baseline: `fr_core_news_md` with all its components, `nlp.pipe` over the raw texts (lead + body,
as the corpus gives them), no cleaning, no storage. veille: the whole ingest (read the JSON lines,
clean, detect language, hash and find copies, the same spaCy pass, write to a fresh SQLite store).
Models are loaded before timing for both. The two are run alternately `--repeat` times and the best
time of each is kept, so that a background hiccup does not decide the ratio.
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"


def load_records(n: int) -> list[dict[str, object]]:
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in islice(lines, n)]


def raw_text(record: dict[str, object]) -> str:
    parts = [str(record.get("heading") or ""), str(record.get("article") or "")]
    return "\n\n".join(p for p in parts if p)


def time_spacy(texts: list[str]) -> float:
    import spacy

    from veille.nlp.spacy_stage import MODELS

    nlp = spacy.load(MODELS["fr"])  # bare: all its components, none of veille's
    started = time.perf_counter()
    for _ in track(
        nlp.pipe(texts, batch_size=64), total=len(texts), description="bare spaCy", transient=True
    ):
        pass
    return time.perf_counter() - started


def time_veille(path: Path, workdir: Path, run: int) -> tuple[float, dict[str, int]]:
    from veille.engines.local import ingest_paths
    from veille.pipeline import default_pipeline
    from veille.store import Store

    db = workdir / f"bench-{run}.db"
    with Store.open(str(db)) as store:
        pipeline = default_pipeline(store)
        started = time.perf_counter()
        summary = ingest_paths([path], store, pipeline)
        elapsed = time.perf_counter() - started
    return elapsed, {
        "kept": summary.kept,
        "duplicates": summary.duplicates,
        "rejected": sum(summary.rejected.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000, help="articles from the start of the shared corpus")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    console = Console()

    records = load_records(args.n)
    texts = [raw_text(r) for r in records]
    from veille.nlp.spacy_stage import MODELS, load_model

    load_model(MODELS["fr"])  # warm veille's copy of the model outside the timing

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "articles.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        spacy_times, veille_times = [], []
        outcome: dict[str, int] = {}
        for run in range(args.repeat):
            spacy_times.append(time_spacy(texts))
            elapsed, outcome = time_veille(path, workdir, run)
            veille_times.append(elapsed)
            console.print(
                f"run {run + 1}: bare spaCy {spacy_times[-1]:.1f} s, veille ingest {veille_times[-1]:.1f} s"
            )

    spacy_rate = len(texts) / min(spacy_times)
    veille_rate = len(records) / min(veille_times)
    table = Table(
        title=f"Throughput on {len(records)} articles ({platform.processor() or platform.machine()})"
    )
    table.add_column("pipeline")
    table.add_column("best time (s)", justify="right")
    table.add_column("articles/s", justify="right")
    table.add_row(
        "bare spaCy nlp.pipe (fr_core_news_md, all components)",
        f"{min(spacy_times):.1f}",
        f"{spacy_rate:.1f}",
    )
    table.add_row(
        "veille ingest (read, clean, language, copies, spaCy, SQLite)",
        f"{min(veille_times):.1f}",
        f"{veille_rate:.1f}",
    )
    console.print(table)
    console.print(f"veille outcome: {outcome}")
    console.print(f"[bold]ratio veille / bare spaCy: {veille_rate / spacy_rate:.2f}×[/]")


if __name__ == "__main__":
    main()
