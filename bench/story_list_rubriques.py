"""What the story list's rubriques cost: GET / over a store of 40 stories of 50 articles (30 listed),
each article with two rubriques, rendered with and without the cards' rubriques, in the same run.

    .venv/bin/python bench/story_list_rubriques.py

Prints the median wall and CPU time of 20 requests per round, three rounds each, and the ratio of
the CPU medians; then the CPU cost of the one read alone for 10, 20 and 50 articles a story.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from veille.api import create_app
from veille.model import Article
from veille.store import Store
from veille.store.rubriques import inherited_rubriques
from veille.web.pages import templates

NAMES = ["politique", "international", "justice", "sport", "économie"]


def _fill(where: str) -> None:
    articles = [
        Article(
            id=f"a{s}_{i}",
            source_file=f"x/{s}_{i}.txt",
            source_id="",
            title=f"Histoire {s}",
            text=f"Texte {s} {i}.",
            story_id=f"s{s}",
            published=f"2016-01-{1 + s % 28:02d}",
            content_hash=f"h{s}_{i}",
            rubriques=[NAMES[(s + i) % 5], NAMES[(s + i + 1) % 5]],
        )
        for s in range(40)
        for i in range(50)
    ]
    with Store.open(where) as store:
        store.upsert(articles)


def _round(client: TestClient) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(20):
        started, cpu_started = time.perf_counter(), time.process_time()
        assert client.get("/").status_code == 200
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def main() -> None:
    where = str(Path(tempfile.mkdtemp()) / "story-list.db")
    _fill(where)
    real = templates.env.globals["stories_rubriques"]

    def without(request: Any, stories: Any) -> dict[str, list[str]]:
        return {}

    runs: dict[str, list[tuple[float, float]]] = {"sans rubriques": [], "avec rubriques": []}
    with TestClient(create_app(where)) as client:
        client.get("/")
        for _ in range(3):
            for label, shown in (("sans rubriques", without), ("avec rubriques", real)):
                templates.env.globals["stories_rubriques"] = shown
                runs[label].append(_round(client))
    templates.env.globals["stories_rubriques"] = real
    for label, rounds in runs.items():
        print(label, " | ".join(f"wall {w:.1f} ms, CPU {c:.1f} ms" for w, c in rounds))
    base = statistics.median(c for _, c in runs["sans rubriques"])
    shown_cost = statistics.median(c for _, c in runs["avec rubriques"])
    print(f"CPU avec / sans : {shown_cost / base:.2f}")
    with Store.open(where) as store:
        for per_story in (10, 20, 50):
            groups = {f"s{s}": [f"a{s}_{i}" for i in range(per_story)] for s in range(30)}
            started = time.process_time()
            for _ in range(10):
                inherited_rubriques(store, groups)
            cost = (time.process_time() - started) * 100  # ms per read: 10 reads
            print(f"lecture seule, {per_story} articles × 30 histoires : CPU {cost:.1f} ms")


if __name__ == "__main__":
    main()
