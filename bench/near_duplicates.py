"""Near-copy detection on the shared corpus: precision, recall per kind of copy, throughput, memory.

    .venv/bin/python bench/near_duplicates.py [--n 10000] [--originals 500] [--negatives 200] [--seed 7]

Articles: the first `--n` records of the shared OrangeSum corpus (text = heading + "\\n\\n" + body),
plus near copies planted from `--originals` random originals (fixed seed), one of each kind:
  edited       5 % of the words replaced or deleted
  truncated    the last 15 % of the words cut
  reheadlined  the heading and the first sentence replaced (taken from other articles)
  updated      one paragraph (two sentences of another article) inserted, as an AFP update does
Gold positives: those (original, copy) pairs and every pair of corpus records with the same
normalised body. Hard negatives: `--negatives` pairs of different articles published the same day.
A pair is predicted "a copy" when the two end up in one component of exact-hash groups ∪ near-copy
edges, which is what the store resolves duplicates over. Baseline: the exact hash alone.

Throughput: the exact hash (`content_hash`) alone against `NearCopiesStage` (signature, query, add)
over the same articles, alternately `--repeat` times, best time of each kept.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations, islice
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

from veille.clean.normalize import match_key
from veille.dedup.exact import content_hash
from veille.dedup.near import NearCopiesStage, NearCopyIndex, shingles
from veille.model import Article

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"
KINDS = ("edited", "truncated", "reheadlined", "updated")
SENTENCE = re.compile(r"(?<=[.!?»\"])\s*(?=[A-ZÀ-ÖØ-Þ«\"])")


def load_records(n: int) -> list[dict[str, str]]:
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in islice(lines, n)]
    return [{k: str(v or "") for k, v in r.items()} for r in records if str(r.get("article") or "").strip()]


def full_text(heading: str, body: str) -> str:
    return "\n\n".join(p for p in (heading, body) if p)


def sentences(body: str) -> list[str]:
    return [s for s in SENTENCE.split(body) if s.strip()]


# --- planting ------------------------------------------------------------------------------------


def edited(body: str, rng: random.Random, vocabulary: list[str]) -> str:
    tokens = body.split()
    for position in sorted(rng.sample(range(len(tokens)), max(1, len(tokens) // 20)), reverse=True):
        if rng.random() < 0.5:
            del tokens[position]
        else:
            tokens[position] = rng.choice(vocabulary)
    return " ".join(tokens)


def truncated(body: str) -> str:
    tokens = body.split()
    return " ".join(tokens[: len(tokens) - round(len(tokens) * 0.15)])


def reheadlined(body: str, other: dict[str, str]) -> tuple[str, str]:
    own, theirs = sentences(body), sentences(other["article"])
    return other["heading"], " ".join([theirs[0], *own[1:]]) if len(own) > 1 else theirs[0] + " " + body


def updated(body: str, other: dict[str, str], rng: random.Random) -> str:
    own, paragraph = sentences(body), " ".join(sentences(other["article"])[:2])
    at = rng.randrange(1, len(own) + 1) if len(own) > 1 else 1
    return "\n\n".join([" ".join(own[:at]), paragraph, " ".join(own[at:])]).strip()


def plant(
    records: list[dict[str, str]], originals: int, seed: int
) -> tuple[list[Article], list[tuple[str, str, str]]]:
    """Planted copies and the gold (original id, copy id, kind) pairs."""
    rng = random.Random(seed)
    vocabulary = [w for r in records[:500] for w in r["article"].split()]
    eligible = [r for r in records if len(r["article"].split()) >= 100 and len(sentences(r["article"])) >= 3]
    chosen = rng.sample(eligible, min(originals, len(eligible)))
    planted: list[Article] = []
    gold: list[tuple[str, str, str]] = []
    for record in chosen:
        heading, body, orig_id = record["heading"], record["article"], f"r{record['id']}"
        other = rng.choice(eligible)
        variants = {
            "edited": (heading, edited(body, rng, vocabulary)),
            "truncated": (heading, truncated(body)),
            "reheadlined": reheadlined(body, other),
            "updated": (heading, updated(body, other, rng)),
        }
        for kind, (new_heading, new_body) in variants.items():
            copy_id = f"p-{kind}-{record['id']}"
            planted.append(make_article(copy_id, full_text(new_heading, new_body), record["date"]))
            gold.append((orig_id, copy_id, kind))
    return planted, gold


def hard_negatives(records: list[dict[str, str]], count: int, seed: int) -> list[tuple[str, str]]:
    """Pairs of different articles (true Jaccard ≤ 0.2) published the same day, sharing a title word
    when they can."""
    rng = random.Random(seed + 1)
    by_date: dict[str, list[dict[str, str]]] = defaultdict(list)
    for record in records:
        by_date[record["date"]].append(record)
    days = sorted(d for d, rs in by_date.items() if len(rs) >= 2)
    pairs: set[tuple[str, str]] = set()
    attempts = 0
    while len(pairs) < count and attempts < count * 200:
        attempts += 1
        a, b = rng.sample(by_date[rng.choice(days)], 2)
        text_a, text_b = (full_text(r["heading"], r["article"]) for r in (a, b))
        if true_jaccard(text_a, text_b) > 0.2:
            continue  # the corpus holds copies of one story laid out differently: not a negative
        words_a = {w for w in match_key(a["title"]).split() if len(w) >= 6}
        if attempts < count * 100 and not words_a & set(match_key(b["title"]).split()):
            continue  # same topic keyword first; any same-day pair only if too few share one
        pairs.add(tuple(sorted((f"r{a['id']}", f"r{b['id']}"))))  # type: ignore[arg-type]
    return sorted(pairs)


def make_article(aid: str, text: str, published: str) -> Article:
    article = Article(id=aid, source_file="bench", source_id=aid, text=text, published=published)
    article.content_hash = content_hash(text)
    return article


# --- evaluation ----------------------------------------------------------------------------------


class Components:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)


def components(articles: list[Article], edges: Iterable[tuple[str, str]]) -> Components:
    groups = Components()
    first_of: dict[str, str] = {}
    for article in articles:
        first = first_of.setdefault(str(article.content_hash), article.id)
        groups.union(article.id, first)
    for a, b in edges:
        groups.union(a, b)
    return groups


def recall(groups: Components, pairs: list[tuple[str, str]]) -> float:
    return sum(groups.find(a) == groups.find(b) for a, b in pairs) / len(pairs) if pairs else float("nan")


def near_edges(articles: list[Article], threshold: float) -> list[tuple[str, str]]:
    """Edges found by an index at `threshold` over the stage's stored signatures, in article order."""
    index = NearCopyIndex(threshold=threshold)
    edges: list[tuple[str, str]] = []
    for article in articles:
        if article.minhash is None:
            continue
        edges.extend((article.id, other) for other, _ in index.query(article.minhash, exclude=article.id))
        index.add(article.id, article.minhash)
    return edges


def time_runs(articles: list[Article], repeat: int) -> tuple[float, float, NearCopiesStage]:
    texts = [a.text for a in articles]
    exact_times, near_times = [], []
    stage = NearCopiesStage(progress=False)
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            content_hash(text)
        exact_times.append(time.perf_counter() - started)
        stage = NearCopiesStage(progress=False)
        started = time.perf_counter()
        for i in track(range(0, len(articles), 64), description="near copies", transient=True):
            stage(articles[i : i + 64])
        near_times.append(time.perf_counter() - started)
    return min(exact_times), min(near_times), stage


def index_memory(articles: list[Article]) -> float:
    """Bytes per indexed article of a NearCopyIndex loaded with these signatures."""
    pairs = [(a.id, a.minhash) for a in articles if a.minhash is not None]
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    index = NearCopyIndex()
    index.load(pairs)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return used / max(1, len(index))


def true_jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y) if x | y else 0.0


THRESHOLDS = (0.8, 0.7, 0.6, 0.5)


@dataclass
class Data:
    articles: list[Article]
    corpus: int  # how many of `articles` come from the corpus (the rest are planted)
    bodies: dict[str, str]  # corpus article id → matching form of its body
    exact_pairs: list[tuple[str, str]]
    gold: list[tuple[str, str, str]]
    negatives: list[tuple[str, str]]

    by_id: dict[str, Article] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.articles}


def build(args: argparse.Namespace) -> Data:
    records = load_records(args.n)
    corpus = [make_article(f"r{r['id']}", full_text(r["heading"], r["article"]), r["date"]) for r in records]
    planted, gold = plant(records, args.originals, args.seed)
    bodies = {f"r{r['id']}": match_key(r["article"]) for r in records}
    same_body: dict[str, list[str]] = defaultdict(list)
    for aid, body in bodies.items():
        same_body[body].append(aid)
    exact_pairs = [p for ids in same_body.values() for p in combinations(sorted(ids), 2)]
    negatives = hard_negatives(records, args.negatives, args.seed)
    return Data(corpus + planted, len(corpus), bodies, exact_pairs, gold, negatives)


def recall_table(data: Data, edges_at: dict[float, list[tuple[str, str]]]) -> tuple[Table, dict[str, float]]:
    by_id = data.by_id
    exact_only = components(data.articles, [])
    groups = {t: components(data.articles, edges) for t, edges in edges_at.items()}
    table = Table(title=f"Near copies: {data.corpus:,} corpus articles + {len(data.gold):,} planted")
    for column in ("pairs", "n", "median true J", "exact hash", *(f"near ≥ {t}" for t in THRESHOLDS)):
        table.add_column(column, justify="left" if column == "pairs" else "right")
    kinds = {kind: [(o, c) for o, c, k in data.gold if k == kind] for kind in KINDS}
    rows = [("exact copies in corpus", data.exact_pairs), *kinds.items()]
    rows.append(("hard negatives (false positives)", data.negatives))
    for label, pairs in rows:
        jaccards = sorted(true_jaccard(by_id[a].text, by_id[b].text) for a, b in pairs)
        table.add_row(
            label,
            str(len(pairs)),
            f"{jaccards[len(jaccards) // 2]:.2f}" if jaccards else "-",
            f"{recall(exact_only, pairs):.3f}",
            *(f"{recall(groups[t], pairs):.3f}" for t in THRESHOLDS),
        )
    positives = data.exact_pairs + [(o, c) for o, c, _ in data.gold]
    scores: dict[str, float] = {}
    for label, grouping in (("exact hash", exact_only), *((f"near ≥ {t}", g) for t, g in groups.items())):
        tp = sum(grouping.find(a) == grouping.find(b) for a, b in positives)
        fp = sum(grouping.find(a) == grouping.find(b) for a, b in data.negatives)
        scores[f"{label} precision"] = tp / (tp + fp) if tp + fp else float("nan")
        scores[f"{label} recall"] = tp / len(positives)
    return table, scores


def edge_table(data: Data, edges_at: dict[float, list[tuple[str, str]]]) -> Table:
    """What the found edges are: how many truly reach the threshold, how many join two corpus stories."""
    by_id = data.by_id
    table = Table(title="Near-copy edges found")
    for column in ("threshold", "edges", "true J ≥ threshold", "lowest true J", "corpus, different bodies"):
        table.add_column(column, justify="right")
    for threshold, edges in edges_at.items():
        truth = [true_jaccard(by_id[a].text, by_id[b].text) for a, b in edges]
        natural = [(a, b) for a, b in edges if a in data.bodies and b in data.bodies]
        table.add_row(
            str(threshold),
            f"{len(edges):,}",
            f"{sum(j >= threshold for j in truth) / max(1, len(truth)):.3f}",
            f"{min(truth, default=1.0):.2f}",
            f"{sum(data.bodies[a] != data.bodies[b] for a, b in natural):,}",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=10_000, help="records from the start of the shared corpus")
    parser.add_argument("--originals", type=int, default=500)
    parser.add_argument("--negatives", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--show", type=int, default=0, help="print this many lowest-J corpus edges at 0.5")
    args = parser.parse_args()
    console = Console(width=150)

    data = build(args)
    exact_s, near_s, stage = time_runs(data.articles, args.repeat)
    edges_at = {t: near_edges(data.articles, t) for t in THRESHOLDS}
    found = {tuple(sorted((a.id, other))) for a in data.articles for other, _ in a.near_copies}
    assert found == {tuple(sorted(e)) for e in edges_at[0.8]}, "the stage and the index disagree"

    table, scores = recall_table(data, edges_at)
    console.print(table)
    for label in ("exact hash", *(f"near ≥ {t}" for t in THRESHOLDS)):
        console.print(
            f"{label}: labelled pairs precision {scores[f'{label} precision']:.3f}, "
            f"recall {scores[f'{label} recall']:.3f}"
        )
    console.print(edge_table(data, edges_at))
    if args.show:
        by_id = data.by_id
        natural = [(a, b) for a, b in edges_at[0.5] if a in data.bodies and b in data.bodies]
        for a, b in sorted(natural, key=lambda e: true_jaccard(by_id[e[0]].text, by_id[e[1]].text))[
            : args.show
        ]:
            console.print(f"[dim]{a}[/] {by_id[a].text[:150]!r}\n[dim]{b}[/] {by_id[b].text[:150]!r}\n")
    console.print(f"stage counters: {stage.counters}")
    exact_rate, near_rate = len(data.articles) / exact_s, len(data.articles) / near_s
    console.print(
        f"throughput: exact hash {exact_rate:,.0f} articles/s, near copies (signature + query + add) "
        f"{near_rate:,.0f} articles/s; [bold]ratio near / exact {near_rate / exact_rate:.3f}×[/]"
    )
    per_article = index_memory(data.articles)
    console.print(
        f"index memory: {per_article:,.0f} bytes per article (tracemalloc), so about "
        f"{per_article * 36_152 / 2**20:,.0f} MiB for 36,152 articles, "
        f"{per_article * 1_000_000 / 2**30:,.1f} GiB for 1,000,000"
    )


if __name__ == "__main__":
    main()
