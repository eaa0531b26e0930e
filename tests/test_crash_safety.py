"""Crash safety (issue 11): `veille ingest` killed with SIGKILL at random moments leaves a store that
opens and passes `veille check`; a rerun completes with every record stored exactly once, and one
more rerun changes nothing.

A real `veille ingest` in a child process on a slice of examples/, small batches so that a run
commits often; each kill lands a seeded-random delay after the run's first new commit (the store's
article count, polled read-only, has grown), so kills fall while a batch is analysed or written.
About a minute: most of it is the models loading at each of the four starts. The 5,000-article
figure with 20 kills is bench/crash_safety.py.
"""

from __future__ import annotations

import gzip
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import pytest

from veille.ingest import ReadOptions, ReadReport, article_id, iter_records
from veille.store import Store
from veille.store.check import check_store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "orangesum_2020-08-18.jsonl.gz"
VEILLE = Path(sys.executable).with_name("veille")
RECORDS = 40
BATCH = 5  # articles per transaction: eight commits to land between
KILLS = 2
SEED = 11
# A batch of 5 takes one to two seconds here; a kill lands up to this long after a commit.
MAX_DELAY = 2.0
START_TIMEOUT = 180.0


def stored_count(db: Path) -> int:
    """Articles in the store, read-only (WAL lets this run beside the writer); 0 before it exists."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the first migration has not created the table yet
        return 0


def command(source: Path, db: Path) -> list[str]:
    return [str(VEILLE), "ingest", str(source), "--db", str(db), "--batch-size", str(BATCH), "-q"]


def ingest(source: Path, db: Path) -> subprocess.Popen[bytes]:
    # Its own process group, so that the kill takes any helper process with it, as a crash would.
    return subprocess.Popen(
        command(source, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )


def run_to_end(source: Path, db: Path) -> None:
    done = subprocess.run(command(source, db), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


def kill_after_a_commit(source: Path, db: Path, rng: random.Random) -> int:
    """Start an ingest, SIGKILL it a random moment after its first new commit; the count then."""
    before = stored_count(db)
    process = ingest(source, db)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while stored_count(db) <= before:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"the ingest ended (status {process.returncode}) before it wrote anything: {err}")
            if time.monotonic() > deadline:
                pytest.fail(f"the ingest wrote nothing in {START_TIMEOUT:.0f} s")
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, MAX_DELAY))
        if process.poll() is not None:
            pytest.fail("the ingest finished before the kill: give the test more records")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL
    return stored_count(db)


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "slice.jsonl"
    with gzip.open(EXAMPLE, "rt", encoding="utf-8") as lines:
        path.write_text("".join(islice(lines, RECORDS)), encoding="utf-8")
    return path


def test_crash_safety_sigkill_then_rerun_stores_each_record_once(source: Path, tmp_path: Path) -> None:
    db = tmp_path / "veille.db"
    expected = {
        article_id(r.source_file, r.source_id)
        for r in iter_records([str(source)], ReadOptions(), ReadReport())
    }
    assert len(expected) == RECORDS
    rng = random.Random(SEED)
    counts = []
    for _ in range(KILLS):
        counts.append(kill_after_a_commit(source, db, rng))
        with Store.open(str(db)) as store:  # it opens
            report = check_store(store)
        assert report.ok, report.problems
    assert counts[0] < counts[-1] < RECORDS  # each kill cut a run that had made progress
    run_to_end(source, db)
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles")]
        unfinished = conn.execute("SELECT count(*) FROM articles WHERE fingerprint IS NULL").fetchone()[0]
    assert len(ids) == len(set(ids)) == RECORDS and set(ids) == expected
    assert unfinished == 0  # every article finished: none left for yet another run to redo
    with Store.open(str(db)) as store:
        report = check_store(store)
    assert report.ok and not report.notes, (report.problems, report.notes)
    before = dump(db)
    run_to_end(source, db)
    assert dump(db) == before


KILL_INSIDE_WRITE = """
import os, signal, sys
import veille.store.store as module
from veille.model import Article, DroppedLine, Mention
from veille.store import Store

def article(ident, published):
    text = "Le conseil de guerre se réunit à Paris."
    return Article(ident, f"{ident}.txt", "", text=text, language="fr", content_hash="h-conseil",
                   published=published, dropped_lines=[DroppedLine("Partager", "boilerplate:share")],
                   mentions=[Mention(ident, 33, 38, "Paris", "LOC")])

store = Store.open(sys.argv[1])
store.upsert([article("a0", "2016-01-21")], {"a0": "fp-a0"})

def die(*args, **kwargs):  # midway through the batch's transaction: rows written, not committed
    os.kill(os.getpid(), signal.SIGKILL)

module.write_rubriques = die
# An earlier copy: committed, it would make a0 a duplicate of a1.
store.upsert([article("a1", "2016-01-20"), article("a2", "2016-01-22")], {"a1": "fp-a1", "a2": "fp-a2"})
"""


def test_crash_safety_kill_inside_the_write_transaction_leaves_no_partial_batch(tmp_path: Path) -> None:
    db = tmp_path / "veille.db"
    done = subprocess.run(
        [sys.executable, "-c", KILL_INSIDE_WRITE, str(db)], capture_output=True, check=False
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    with Store.open(str(db)) as store:
        report = check_store(store)
        first = store.get_article("a0")
        assert store.get_article("a1") is None and store.get_article("a2") is None
        assert store.counts()["mentions"] == 1
    assert report.ok, report.problems
    assert first is not None and (first.status, first.duplicate_of) == ("kept", None)
    assert [line.text for line in first.dropped_lines] == ["Partager"]
