"""HTML main text: veille (trafilatura + veille's line rules) beside plain `trafilatura.extract`.

Both run in the same process on the same pages:
  (a) trafilatura's French evaluation pages (`evaldata_fr_subset.json` + `html_fr/`), scored the
      way trafilatura's own evaluation does: a "with" snippet found is a true positive, missed a
      false negative; a "without" snippet found is a false positive. `--full` adds the 990 pages of
      `evaldata.json`, read from `all_html.tar.gz` as a stream.
  (b) the OrangeSum dev pages against `gold.jsonl`: token-level precision/recall/F1 of the text
      against heading + article (bags of lowercase word tokens: the gold glues paragraphs together,
      "jeudi.Le"), title accuracy and date accuracy.

"veille" is what ends in `Article.text`: the HTML reader (`rawdoc_from_html`, in its sandbox)
then the clean stage. Also measured: the sandbox's overhead per page (same pages, direct call vs
sandboxed call).

    .venv/bin/python bench/html_extraction.py [--full] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import tarfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.progress import track
from rich.table import Table

from veille.clean import CleanStage
from veille.engines.local import to_article
from veille.ingest.html import decode_html, extract_html, rawdoc_from_html
from veille.ingest.options import ReadOptions, ReadReport
from veille.ingest.sandbox import Sandbox

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "boilerplate"
EVAL = DATA / "trafilatura_eval"
ORANGESUM = DATA / "orangesum_html_dev"
_WORD = re.compile(r"\w+")
console = Console()


def _norm(text: str) -> str:
    # Applied alike to both systems' output and to the snippets: whitespace runs and Unicode forms
    # must not decide whether a snippet "appears".
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass
class Snippets:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, text: str, with_: list[str], without: list[str]) -> None:
        found = _norm(text)
        for snippet in with_:
            if _norm(snippet) in found:
                self.tp += 1
            else:
                self.fn += 1
        for snippet in without:
            if _norm(snippet) in found:
                self.fp += 1
            else:
                self.tn += 1

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass
class Tokens:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)

    def add(self, text: str, gold: str) -> None:
        got = Counter(w.lower() for w in _WORD.findall(text))
        want = Counter(w.lower() for w in _WORD.findall(gold))
        common = sum((got & want).values())
        p = common / sum(got.values()) if got else 0.0
        r = common / sum(want.values()) if want else 0.0
        self.precision.append(p)
        self.recall.append(r)
        self.f1.append(2 * p * r / (p + r) if p + r else 0.0)

    def scores(self) -> tuple[float, float, float]:
        return statistics.mean(self.precision), statistics.mean(self.recall), statistics.mean(self.f1)


def veille_text(data: bytes, name: str, stage: CleanStage) -> tuple[str, str | None, str | None]:
    """(Article.text, title, published) the way `veille ingest` would produce them."""
    raw = rawdoc_from_html(
        data, source_file=name, source_id="", url=None, options=ReadOptions(), report=ReadReport()
    )
    article = stage([to_article(raw)])[0]
    return article.text, article.title, article.published


def baseline_text(data: bytes) -> str:
    return trafilatura.extract(data) or ""


def eval_pages(full: bool) -> Iterator[tuple[str, bytes, list[str], list[str]]]:
    if not full:
        items = json.loads((EVAL / "evaldata_fr_subset.json").read_text(encoding="utf-8"))
        for item in items.values():
            yield item["file"], (EVAL / "html_fr" / item["file"]).read_bytes(), item["with"], item["without"]
        return
    items = json.loads((EVAL / "evaldata.json").read_text(encoding="utf-8"))
    by_file = {item["file"]: item for item in items.values()}
    with tarfile.open(EVAL / "all_html.tar.gz", mode="r|gz") as tar:
        for member in tar:
            item = by_file.get(Path(member.name).name)
            handle = tar.extractfile(member) if member.isfile() and item is not None else None
            if item is None or handle is None:
                continue
            yield item["file"], handle.read(), item["with"], item["without"]


def bench_eval(full: bool, limit: int | None, stage: CleanStage) -> tuple[str, int, Snippets, Snippets]:
    ours, theirs = Snippets(), Snippets()
    pages = list(eval_pages(full))[:limit]
    label = "trafilatura eval (990 pages)" if full else "trafilatura eval, French (26 pages)"
    for name, data, with_, without in track(pages, description=label, console=console):
        ours.add(veille_text(data, name, stage)[0], with_, without)
        theirs.add(baseline_text(data), with_, without)
    return label, len(pages), ours, theirs


def bench_orangesum(limit: int | None, stage: CleanStage) -> tuple[int, Tokens, Tokens, float, float]:
    gold = [json.loads(line) for line in (ORANGESUM / "gold.jsonl").open(encoding="utf-8")][:limit]
    ours, theirs = Tokens(), Tokens()
    titles = dates = 0
    for item in track(gold, description="OrangeSum (500 pages)", console=console):
        data = gzip.decompress((ORANGESUM / item["file"]).read_bytes())
        text, title, published = veille_text(data, item["file"], stage)
        reference = f"{item['heading']}\n{item['article']}"
        ours.add(text, reference)
        theirs.add(baseline_text(data), reference)
        titles += _norm(title or "") == _norm(item["title"])
        dates += (published or "")[:10] == item.get("date")
    return len(gold), ours, theirs, titles / len(gold), dates / len(gold)


def bench_overhead(limit: int | None) -> tuple[float, float, float, float]:
    """Mean ms per page: extract_html direct, through a warm sandbox, the transport alone; kB a page."""
    gold = [json.loads(line) for line in (ORANGESUM / "gold.jsonl").open(encoding="utf-8")][: limit or 100]
    texts = [decode_html(gzip.decompress((ORANGESUM / g["file"]).read_bytes()))[0] or "" for g in gold]
    with Sandbox(30.0) as sandbox:
        sandbox.call(extract_html, texts[0])  # start the worker and import trafilatura outside the clock
        started = time.perf_counter()
        for text in texts:
            sandbox.call(extract_html, text)
        boxed = time.perf_counter() - started
        # Transport alone: a 58 kB page there and back, no parsing.
        started = time.perf_counter()
        for text in texts:
            sandbox.call(str.strip, text)
        transport = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        extract_html(text)
    direct = time.perf_counter() - started
    size = statistics.mean(len(t.encode("utf-8")) for t in texts) / 1000
    per_page = 1000 / len(texts)
    return direct * per_page, boxed * per_page, transport * per_page, size


def _row(table: Table, name: str, scores: tuple[float, float, float]) -> None:
    table.add_row(name, *(f"{s:.3f}" for s in scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--full", action="store_true", help="also score the 990 pages of evaldata.json")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each set")
    args = parser.parse_args()
    stage = CleanStage()
    results = [bench_eval(False, args.limit, stage)]
    if args.full:
        results.append(bench_eval(True, args.limit, stage))
    for label, n, ours, theirs in results:
        table = Table(title=f"{label}: snippets, n={n}")
        for column in ("system", "precision", "recall", "F1"):
            table.add_column(column)
        _row(table, "veille", ours.scores())
        _row(table, "trafilatura.extract (defaults)", theirs.scores())
        console.print(table)
    n, ours_t, theirs_t, title_acc, date_acc = bench_orangesum(args.limit, stage)
    table = Table(title=f"OrangeSum: tokens against heading + article, n={n}")
    for column in ("system", "precision", "recall", "F1"):
        table.add_column(column)
    _row(table, "veille", ours_t.scores())
    _row(table, "trafilatura.extract (defaults)", theirs_t.scores())
    console.print(table)
    console.print(f"veille on OrangeSum: title accuracy {title_acc:.3f}, date accuracy {date_acc:.3f}")
    direct, boxed, transport, size = bench_overhead(args.limit)
    console.print(
        f"extract_html on {size:.0f} kB pages: {direct:.1f} ms direct, {boxed:.1f} ms in the sandbox "
        f"(ratio {boxed / direct:.3f}); sandbox round trip of one page alone: {transport:.2f} ms"
    )


if __name__ == "__main__":
    main()
