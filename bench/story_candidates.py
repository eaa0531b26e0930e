"""The stories stage's postings lookup: the union of per-key scans built with SQLAlchemy's
expression language (before) against the same SQL written once as text (`_postings_query`), same
store, same keys, alternating, in one run.

    .venv/bin/python bench/story_candidates.py [--db veille.db | --db postgresql://…/db]

A fresh store gets 5,000 stories with 20 keys each from a vocabulary of 3,000 (its story tables are
emptied first: give it a scratch store); then 200 lookups of 60 keys, three rounds of each method.
Both must find the same postings. Prints the CPU time per lookup.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, union_all

from veille.store import Store, schema
from veille.store.graph import chunks
from veille.store.stories import POSTINGS_SCANNED, _postings_query


def expression_lookup(conn: Connection, keys: list[str]) -> dict[str, int]:
    sk, shared = schema.story_keys, {}
    for chunk in chunks(list(dict.fromkeys(keys)), 200):
        scans = [
            select(sk.c.story_id).where(sk.c.key == key).order_by(sk.c.seq.desc())
            .limit(POSTINGS_SCANNED).subquery()
            for key in chunk
        ]  # fmt: skip
        for posting in conn.execute(union_all(*(select(scan.c.story_id) for scan in scans))):
            shared[posting.story_id] = shared.get(posting.story_id, 0) + 1
    return shared


def text_lookup(conn: Connection, keys: list[str]) -> dict[str, int]:
    shared: dict[str, int] = {}
    for chunk in chunks(list(dict.fromkeys(keys)), 200):
        params = {f"k{i}": key for i, key in enumerate(chunk)}
        for posting in conn.execute(_postings_query(len(chunk)), params):
            shared[posting.story_id] = shared.get(posting.story_id, 0) + 1
    return shared


def fill(store: Store, rng: random.Random, vocabulary: list[str]) -> None:
    stories: list[dict[str, Any]] = [
        {"id": f"s{i}", "seq": i, "first_seen": "2020-01-01", "last_seen": "2020-01-02", "state": "{}",
         "size": 1, "independent_sources": 1}
        for i in range(5000)
    ]  # fmt: skip
    keys = {
        (k, f"s{i}"): {"key": k, "story_id": f"s{i}", "seq": i}
        for i in range(5000)
        for k in rng.sample(vocabulary, 20)
    }
    with store.engine.begin() as conn:
        conn.execute(schema.story_keys.delete())
        conn.execute(schema.stories.delete())
        conn.execute(insert(schema.stories), stories)
        conn.execute(insert(schema.story_keys), list(keys.values()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="a scratch store (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(0)
    vocabulary = [f"key{i}" for i in range(3000)]
    with (
        tempfile.TemporaryDirectory() as folder,
        Store.open(args.db or str(Path(folder) / "bench.db")) as store,
    ):
        fill(store, rng, vocabulary)
        lookups = [rng.sample(vocabulary, 60) for _ in range(200)]
        seconds = {"expression": 0.0, "text": 0.0}
        with store.engine.connect() as conn:
            for keys in lookups:
                assert expression_lookup(conn, keys) == text_lookup(conn, keys)
            for _ in range(3):
                for name, lookup in (("expression", expression_lookup), ("text", text_lookup)):
                    began = time.process_time()
                    for keys in lookups:
                        lookup(conn, keys)
                    seconds[name] += time.process_time() - began
        per = {name: total / (3 * len(lookups)) * 1000 for name, total in seconds.items()}
        print(
            f"{store.engine.dialect.name}: expression {per['expression']:.2f} ms, "
            f"text {per['text']:.2f} ms CPU per lookup of 60 keys; "
            f"text / expression {seconds['text'] / seconds['expression']:.3f}"
        )


if __name__ == "__main__":
    main()
