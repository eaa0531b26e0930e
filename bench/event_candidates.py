"""Event coreference's candidate reads after each write: every candidate event read again from the
store (before) against the candidates' ids read again and the events themselves kept unless the
write changed them (`EventsMixin._forget_events`), on two copies of one store, in one run.

    .venv/bin/python bench/event_candidates.py [--stored 3000] [--batches 60] [--batch 16] [--seed 0]

A SQLite store gets `--stored` articles telling 4 events each (10 types, dates over six years,
three named participants; an event id drawn from a pool, so that some events are told by several
articles); it is copied. Then on each copy, `--batches` times: write a batch of new articles (their
events drawn as above), then ask `events_like` for every event of the next batch, as the events
stage does before that batch is written. "before" clears the whole event cache after each write
(what the store did); "after" is the store as it is. Both must give the same candidates to every
call. Prints the CPU time of the `events_like` calls per batch and the ratio.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from itertools import pairwise
from pathlib import Path

from rich.console import Console
from rich.progress import track

from veille.model import Article, Event, EventArgument, EventEvidence
from veille.store import Store

TYPES = ["meeting", "statement", "visit", "accusation", "appeal", "attack", "strike", "election",
         "agreement", "arrest"]  # fmt: skip
NAMES = [f"Personne {i}" for i in range(400)]


def article(rng: random.Random, article_id: str, pool: int) -> Article:
    text = "La réunion a eu lieu. " * 8
    events = []
    for k in range(4):
        number = rng.randrange(pool)
        start = 22 * k + 3
        date = f"{2015 + number % 6}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        events.append(
            Event(
                id=f"ev{number}",
                type=TYPES[number % len(TYPES)],
                cameo="04",
                trigger="réunion",
                participants=[EventArgument("attendee", n, None) for n in rng.sample(NAMES, 3)],
                date=date if rng.random() < 0.9 else None,
                evidence=[EventEvidence(article_id, start, start + 7, "happened")],
            )
        )
    return Article(id=article_id, source_file="bench", source_id=article_id, text=text,
                   content_hash=f"h{article_id}", language="fr", events=events)  # fmt: skip


def run(db: Path, batches: list[list[Article]], clear_all: bool) -> tuple[float, list[list[str]]]:
    store = Store.open(str(db))
    seconds, answers = 0.0, []
    try:
        for batch, following in pairwise(batches):
            store.upsert(batch)
            if clear_all:
                store._clear_event_cache()
            began = time.process_time()
            for item in following:
                for event in item.events:
                    answers.append([e.id for e in store.events_like(event.type, event.date)])
            seconds += time.process_time() - began
    finally:
        store.close()
    return seconds, answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=3000)
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    console = Console()
    rng = random.Random(args.seed)
    pool = args.stored * 2
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) / "base.db"
        store = Store.open(str(base))
        stored = [article(rng, f"a{i}", pool) for i in range(args.stored)]
        for start in track(range(0, len(stored), 200), description="filling the store"):
            store.upsert(stored[start : start + 200])
        events = store.counts()["events"]
        store.close()
        batches = [
            [article(rng, f"b{b}-{i}", pool) for i in range(args.batch)] for b in range(args.batches + 1)
        ]
        results = {}
        methods = (("before: every event read again", True), ("after: ids, changed events", False))
        for name, clear_all in methods:
            copy = Path(scratch) / f"{clear_all}.db"
            shutil.copy(base, copy)
            results[name] = run(copy, batches, clear_all)
    (before, before_answers), (after, after_answers) = results.values()
    if before_answers != after_answers:
        raise SystemExit("the two methods gave different candidates: the cache is not exact")
    console.print(f"{args.stored} stored articles, {events} events; {args.batches} batches of {args.batch}, "
                  f"{len(after_answers)} events_like calls, same candidates from both")  # fmt: skip
    for name, (seconds, _) in results.items():
        console.print(f"  {name}: {seconds / args.batches * 1000:.1f} ms CPU per batch")
    console.print(f"  after / before: [bold]{after / before:.2f}×[/]")


if __name__ == "__main__":
    main()
