"""The API serving reads while an ingest writes, and two ingests writing one PostgreSQL store at once.

Reads while writing: a thread ingests the head of examples/orangesum_2020-08-18.jsonl.gz with the
real pipeline (spaCy, copies, stories) in small batches, while the test keeps reading the same store
through the API (its own `Store`, as `veille serve` has): the article list, every listed article,
the stories and their articles, the counts, a search. Zero errors: every answer is 200. No torn read,
that is, no answer mixing two states of the store:

- an article listed (or found by search, or named by a story, or pointed at by a copy's
  `duplicate_of`) whose own page is 404: the list saw a batch the detail did not;
- an article whose mentions, quotes or time expressions do not slice its text to their own text:
  the text of one version with the facts of another;
- a list of articles that loses an id, or a total that goes down: ingest only adds articles.

The test also checks that it saw the store in at least three states, so that the reads did happen
while the batches were being written. SQLite runs in WAL mode (checked); PostgreSQL where reachable.

Several writers: two ingests of the same file at once into one PostgreSQL store (each its own
`Store`, different batch sizes, so that their batches interleave) end with every record stored once
and the same copies (status, first copy) as one ingest alone on SQLite; the store serialises batches
with `pg_advisory_xact_lock` (docs/architecture.md, "Stores"). They run the stages up to the copies
(no spaCy): the copy graph is what two writers could resolve from half-views.

`VEILLE_CONCURRENT_RECORDS` (default 15) sets how many records the reads-while-writing ingest takes.
"""

from __future__ import annotations

import gzip
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from api.test_schemathesis import light_pipeline
from pg_store import wipe_store
from veille.api import create_app
from veille.engines.local import ingest_paths
from veille.pipeline import Pipeline
from veille.store import Store, schema

ORANGESUM = Path(__file__).resolve().parents[2] / "examples" / "orangesum_2020-08-18.jsonl.gz"
RECORDS = int(os.environ.get("VEILLE_CONCURRENT_RECORDS", "15"))


def head_of_orangesum(folder: Path, records: int) -> Path:
    """The first `records` lines of the example file, as a file of its own."""
    with gzip.open(ORANGESUM, "rt", encoding="utf-8") as whole:
        lines = [line for _, line in zip(range(records), whole, strict=False)]
    path = folder / "orangesum_head.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "concurrent.db")
        return
    url = str(request.getfixturevalue("pg_url"))
    with Store.open(url) as store:
        wipe_store(store)
    yield url


class Writer(threading.Thread):
    """An ingest in a thread, on its own `Store`; `error` holds what it raised, if anything."""

    def __init__(self, location: str, paths: list[Path], build: Callable[[Store], Pipeline], batch: int):
        super().__init__(daemon=True)
        self.location, self.paths, self.build, self.batch = location, paths, build, batch
        self.error: BaseException | None = None
        self.batches = 0
        # Set once the stage list is built (the models loaded), just before the first record is read.
        self.ready = threading.Event()

    def run(self) -> None:
        try:
            with Store.open(self.location) as store:
                pipeline = self.build(store)
                self.ready.set()
                ingest_paths(self.paths, store, pipeline, batch_size=self.batch, on_batch=self._count)
        except BaseException as error:  # handed to the test, which fails with it
            self.error = error
        finally:
            self.ready.set()

    def _count(self, _done: int) -> None:
        self.batches += 1


def _get(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, f"{url} {params}: {response.status_code} {response.text[:300]}"
    return response.json()


def _facts_slice_the_text(article: dict[str, Any]) -> None:
    body = article["text"]
    for kind in ("mentions", "quotes", "timexes"):
        for fact in article[kind]:
            assert body[fact["start"] : fact["end"]] == fact["text"], (article["id"], kind, fact)


def read_round(client: TestClient, seen: set[str], checked: set[str]) -> int:
    """One pass over what the API serves; returns the article total it read. `seen`: the ids listed
    so far (they must all be listed again); `checked`: the ids whose detail was read already."""
    total = _get(client, "/api/stats")["articles"]
    listed: set[str] = set()
    offset: int | None = 0
    while offset is not None:
        page = _get(client, "/api/articles", limit=200, offset=offset, sort="id")
        listed |= {item["id"] for item in page["items"]}
        offset = page["next_offset"]
    assert seen <= listed, f"articles listed before are gone: {sorted(seen - listed)}"
    # A detail read once is read again only when a later round needs it: detail reads are the slow part.
    wanted = set(listed - checked)
    for story in _get(client, "/api/stories", limit=200)["items"]:
        wanted |= set(story["article_ids"])
        _get(client, f"/api/stories/{story['id']}")
    for hit in _get(client, "/api/search", q="France", limit=50)["articles"]:
        wanted.add(hit["article_id"])
    for article_id in sorted(wanted):
        article = _get(client, f"/api/articles/{article_id}")
        _facts_slice_the_text(article)
        if article["duplicate_of"] is not None:
            _get(client, f"/api/articles/{article['duplicate_of']}")
        checked.add(article_id)
    seen |= listed
    return int(total)


def test_concurrent_reads_while_an_ingest_writes(empty_store: str, tmp_path: Path) -> None:
    from veille.pipeline import default_pipeline

    source = head_of_orangesum(tmp_path, RECORDS)
    with TestClient(create_app(empty_store)) as client:
        engine = client.app.state.store.engine  # type: ignore[attr-defined]
        if engine.dialect.name == "sqlite":
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        writer = Writer(empty_store, [source],
                        lambda store: default_pipeline(store, progress=False), batch=3)  # fmt: skip
        writer.start()
        writer.ready.wait(timeout=120)
        seen: set[str] = set()
        checked: set[str] = set()
        totals = [read_round(client, seen, checked)]
        while writer.is_alive():
            time.sleep(0.2)  # leave the writer the interpreter now and then: reads hold the GIL too
            totals.append(read_round(client, seen, checked))
        writer.join()
        assert writer.error is None, f"the ingest failed: {writer.error!r}"
        totals.append(read_round(client, seen, checked))
    print(f"reads while writing: {len(totals)} rounds, {writer.batches} batches, totals {totals}")
    assert totals == sorted(totals), f"the article total went down: {totals}"
    assert totals[-1] == RECORDS and len(seen) == RECORDS
    assert len(set(totals)) >= 3, f"the reads saw too few states of the store to prove much: {totals}"


def _copies(location: str) -> dict[str, tuple[str, str | None]]:
    articles = schema.articles
    with Store.open(location) as store, store.engine.connect() as conn:
        rows = conn.execute(select(articles.c.id, articles.c.status, articles.c.duplicate_of))
        return {row.id: (row.status, row.duplicate_of) for row in rows}


def test_concurrent_reads_two_writers_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    source = tmp_path / ORANGESUM.name
    source.write_bytes(ORANGESUM.read_bytes())  # one path for all three runs: the same article ids
    alone = str(tmp_path / "alone.db")
    with Store.open(alone) as store:
        ingest_paths([source], store, light_pipeline(store), batch_size=5)
    with Store.open(pg_url) as store:
        wipe_store(store)
    writers = [Writer(pg_url, [source], light_pipeline, batch) for batch in (4, 7)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=120)
        assert not writer.is_alive(), "a writer is still running after 120 s: the lock is held or lost"
        assert writer.error is None, f"a writer failed: {writer.error!r}"
    together = _copies(pg_url)
    assert len(together) == 82
    assert together == _copies(alone)
    duplicates = [first for status, first in together.values() if status == "duplicate"]
    assert duplicates and all(together[first][0] == "kept" for first in duplicates)
    with Store.open(pg_url) as store, store.engine.connect() as conn:
        fingerprints = conn.execute(select(schema.articles.c.fingerprint)).scalars().all()
    assert None not in fingerprints and len(set(fingerprints)) == 82  # every record stored once, whole
