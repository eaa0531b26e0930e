"""The local engine: stream records through the stage list in batches and write each batch.

Memory is bounded by the batch, not the corpus: records are read lazily, analysed a batch at a time
and written in one transaction per batch. A record whose fingerprint (its raw content, metadata and
the pipeline version) is already in the store is skipped, so a rerun, or a resumed run after a
crash, only does the work that is left.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from veille import __version__
from veille.ingest import ReadOptions, ReadReport, article_id, iter_records
from veille.model import DUPLICATE, KEPT, REJECTED, Article, RawDoc
from veille.pipeline import Pipeline
from veille.store import Store
from veille.watch.evaluate import evaluate_batch
from veille.watch.webhook import after_batch

# Bumped when a stage changes what it writes, so that stored articles are analysed again.
PIPELINE_VERSION = f"{__version__}/5"  # 5: rubriques read the URL's section and 300 characters


@dataclass
class RunSummary:
    records: int = 0
    unchanged: int = 0
    kept: int = 0
    duplicates: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    mentions: int = 0
    dropped_lines: dict[str, int] = field(default_factory=dict)
    stage_failures: dict[str, int] = field(default_factory=dict)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, article: Article) -> None:
        # kept/duplicates are read back from the store at the end of the run: a later batch can
        # bring an earlier copy that turns an article kept here into a duplicate.
        if article.status == REJECTED:
            reason = article.reason or "unknown"
            self.rejected[reason] = self.rejected.get(reason, 0) + 1
        else:
            language = article.language or "unknown"
            self.languages[language] = self.languages.get(language, 0) + 1
        self.mentions += len(article.mentions)
        for line in article.dropped_lines:
            self.dropped_lines[line.reason] = self.dropped_lines.get(line.reason, 0) + 1
        for failure in article.failures:
            self.stage_failures[failure.stage] = self.stage_failures.get(failure.stage, 0) + 1


def fingerprint(raw: RawDoc) -> str:
    parts = (
        PIPELINE_VERSION,
        raw.source_file,
        raw.source_id,
        raw.text or "",
        raw.title or "",
        raw.lead or "",
        raw.url or "",
        raw.source_name or "",
        raw.published or "",
        raw.author or "",
        "partial" if raw.partial else "",
        raw.reason or "",
        raw.reason_detail or "",
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def to_article(raw: RawDoc) -> Article:
    article = Article(
        id=article_id(raw.source_file, raw.source_id),
        source_file=raw.source_file,
        source_id=raw.source_id,
        url=raw.url,
        source_name=raw.source_name,
        title=raw.title,
        published=raw.published,
        author=raw.author,
        partial=raw.partial,
        raw=raw,
    )
    if raw.reason is not None:
        article.status, article.reason, article.reason_detail = REJECTED, raw.reason, raw.reason_detail
    return article


def batched(items: Iterable[RawDoc], size: int) -> Iterator[list[RawDoc]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_local(
    records: Iterable[RawDoc],
    pipeline: Pipeline,
    store: Store,
    *,
    batch_size: int = 64,
    on_batch: Callable[[int], None] | None = None,
    summary: RunSummary | None = None,
) -> RunSummary:
    """Run `pipeline` over `records`, writing each batch to `store`. `on_batch(n)` reports progress.

    Each batch is started (`Pipeline.start`: the stages before spaCy, then spaCy, in the background
    when it runs in worker processes) before the previous one is finished (the stages after spaCy)
    and written, so that with worker processes spaCy parses the next batch while this process
    finishes the last one. Batches are still finished and written in input order."""
    summary = summary or RunSummary()
    run_id = uuid.uuid4().hex
    started = time.perf_counter()
    pending: tuple[int, dict[str, str], Callable[[], list[Article]] | None] | None = None
    pending_ids: set[str] = set()

    def finish(read: int, prints: dict[str, str], batch_done: Callable[[], list[Article]] | None) -> None:
        if batch_done is not None:
            batch = batch_done()
            # The store re-resolves every copy group the batch touches, so order does not matter.
            store.upsert(batch, {a.id: prints[a.id] for a in batch}, run_id=run_id)
            # Watchlists see each stored batch once (no re-scan); one query when there are none.
            after_batch(store, evaluate_batch(store, batch))
            for article in batch:
                summary.add(article)
                article.doc = None
                article.raw = None
        if on_batch is not None:
            on_batch(read)

    for raws in batched(records, batch_size):
        prints = {article_id(r.source_file, r.source_id): fingerprint(r) for r in raws}
        stored = store.fingerprints(prints)
        fresh: list[Article] = []
        # Two records with one id in a run (a file named twice on the command line) are one: the
        # store knows those of finished batches, `seen` those of this batch and the pending one.
        seen: set[str] = set(pending_ids)
        for raw in raws:
            article = to_article(raw)
            if article.id in seen or stored.get(article.id) == prints[article.id]:
                summary.unchanged += 1
                continue
            seen.add(article.id)
            fresh.append(article)
        summary.records += len(raws)
        batch_done = pipeline.start(fresh) if fresh else None
        if pending is not None:
            finish(*pending)
        pending, pending_ids = (len(raws), prints, batch_done), {a.id for a in fresh}
    if pending is not None:
        finish(*pending)
    outcome = store.run_counts(run_id)
    summary.kept += outcome.get(KEPT, 0)
    summary.duplicates += outcome.get(DUPLICATE, 0)
    summary.seconds += time.perf_counter() - started
    return summary


def ingest_paths(
    paths: Sequence[str | Path],
    store: Store,
    pipeline: Pipeline,
    options: ReadOptions | None = None,
    *,
    batch_size: int = 64,
    on_batch: Callable[[int], None] | None = None,
) -> RunSummary:
    """Read `paths` (files and folders) and run them through `pipeline` into `store`."""
    report = ReadReport()
    summary = run_local(
        iter_records(paths, options or ReadOptions(), report),
        pipeline,
        store,
        batch_size=batch_size,
        on_batch=on_batch,
    )
    summary.skipped_files = list(report.skipped)
    summary.warnings = list(report.warnings)
    return summary


__all__ = ["PIPELINE_VERSION", "RunSummary", "fingerprint", "ingest_paths", "run_local", "to_article"]
