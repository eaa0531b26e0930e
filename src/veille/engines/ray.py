"""The Ray engine: the local engine's pipeline, its per-article half in Ray actor pools.

Ray Data reads the inputs in parallel (one item per file or URL, veille's own readers in
`flat_map`), an actor pool (`concurrency=workers`, models loaded once per actor) runs the
per-article stages (`ray_plan.worker_stages`), and the driver takes the results back in input
order, regroups them into the local engine's batches and runs the stages that need a global view
(`ray_plan.finish_batch`) before writing each batch in one idempotent transaction. Ids and
fingerprints are the local engine's, so a rerun with either engine skips what is stored.

A worker killed mid-batch is restarted by Ray and its batch retried (`max_restarts`,
`max_task_retries`); since only the driver writes, and by id, the store holds every article once.
Only the driver writes: a SQLite store works on one machine; across machines use PostgreSQL,
which the workers also read (fingerprints of stored records).
"""

from __future__ import annotations

import functools
import pickle
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from veille.engines.local import RunSummary, fingerprint, to_article
from veille.engines.ray_plan import (
    Analysed,
    EmbeddingCache,
    EntityFinder,
    EventFinder,
    PipelineFactory,
    finish_batch,
    install_cache,
    texts_to_embed,
    worker_stages,
)
from veille.errors import ConfigError
from veille.ingest import ReadOptions, ReadReport, article_id
from veille.model import DUPLICATE, KEPT, RawDoc
from veille.pipeline import MAX_ARTICLE_CHARS, default_pipeline, run_stage
from veille.store import Store

# A record that kills its worker every time must not loop for ever: after this many retries of
# its batch the run stops with Ray's error.
MAX_TASK_RETRIES = 3
# About a hundred news records (pickled, a few kB each): enough to fill one batch of 64, small
# enough that one big file makes many blocks for the actors to share.
READ_BLOCK_BYTES = 512 * 1024
_UNCHANGED = b"="


def _factory(near_threshold: float, max_article_chars: int = MAX_ARTICLE_CHARS) -> PipelineFactory:
    return functools.partial(default_pipeline, near_threshold=near_threshold, progress=False,
                             max_article_chars=max_article_chars)  # fmt: skip


def _require_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as error:
        raise ConfigError(
            "the Ray engine needs Ray, which is not installed: pip install 'veille[ray]' "
            "(or run with --engine local)."
        ) from error
    return ray


def connect(address: str | None, workers: int) -> None:
    """Join the cluster at `address` (None: start a local one sized for `workers` actors)."""
    ray = _require_ray()
    if ray.is_initialized():
        return
    try:
        if address is None:
            # One CPU per actor; reading tasks ask for none, so they never wait behind the actors.
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        else:
            ray.init(address=address, include_dashboard=False, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise ConfigError(
            f"cannot connect to the Ray cluster at {address}: {error}. Check the address "
            "(ray://host:10001 or host:6379 of a running `ray start --head`), or leave --address out "
            "to start a local cluster."
        ) from error


# -- reading (Ray tasks) -----------------------------------------------------------------------


def _read_item(item: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One file or URL → its records (pickled RawDoc), streamed, then its report lines as warnings."""
    from veille.ingest.files import rejected
    from veille.ingest.reader import READERS
    from veille.ingest.storable import storable
    from veille.ingest.url import read_url

    options: ReadOptions = pickle.loads(item["options"])
    report = ReadReport()
    if item["url"]:
        docs: Iterator[RawDoc] = read_url(item["url"], options, report)
    else:
        found = pickle.loads(item["found"])
        if found.error is not None or found.fmt is None:
            docs = iter([rejected(found.source_file, "", "unreadable", found.error, report)])
        else:
            docs = READERS[found.fmt](found, options, report)
    for doc in docs:
        yield {"raw": pickle.dumps(storable(doc)), "note": ""}
    for warning in report.warnings:
        yield {"raw": b"", "note": warning}


def read_dataset(items: list[dict[str, Any]]) -> Any:
    """The records of `items` as a Ray dataset, in input order, in blocks of about
    `READ_BLOCK_BYTES`: Ray hands each block to one actor, so a big file read as one block would
    be analysed by one actor while the others wait; small blocks spread it over all of them."""
    ray = _require_ray()
    context = ray.data.DataContext.get_current()
    # The driver's global stages decide in input order, as the local engine does.
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    context.target_max_block_size = READ_BLOCK_BYTES
    return ray.data.from_items(items).flat_map(_read_item, num_cpus=0)


def _items(paths: Sequence[str | Path], options: ReadOptions, report: ReadReport) -> list[dict[str, Any]]:
    from veille.ingest.files import discover
    from veille.ingest.url import is_url

    blob = pickle.dumps(options)
    items: list[dict[str, Any]] = []
    local: list[str | Path] = []

    def flush() -> None:
        for found in discover(local, report):
            items.append({"url": "", "found": pickle.dumps(found), "options": blob})
        local.clear()

    for given in paths:
        if isinstance(given, str) and is_url(given):
            flush()
            items.append({"url": given, "found": b"", "options": blob})
        else:
            local.append(given)
    flush()
    return items


# -- analysis (Ray actors) ---------------------------------------------------------------------


class Analyser:
    """A Ray actor: the worker half of the pipeline, its models loaded once."""

    def __init__(self, factory: PipelineFactory, kb_imports: list[dict[str, Any]], db: str | None) -> None:
        self.pipeline = factory(None)
        self.stages = worker_stages(self.pipeline, kb_imports)
        for stage in self.stages:
            warm = getattr(stage, "warm_up", None)
            if callable(warm):
                warm()
        self.store = _open_for_reading(db) if db else None

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        raws = [pickle.loads(r) if r else None for r in batch["raw"]]
        docs = [r for r in raws if r is not None]
        prints = {article_id(r.source_file, r.source_id): fingerprint(r) for r in docs}
        stored = self.store.fingerprints(prints) if self.store is not None and prints else {}
        fresh = [to_article(r) for r in docs]
        fresh = [a for a in fresh if stored.get(a.id) != prints[a.id]]
        for stage in self.stages:
            fresh = run_stage(stage, fresh)
        by_id = {a.id: a for a in fresh}
        payloads: list[bytes] = []
        texts: dict[str, list[str]] = {a.id: texts_to_embed(self.pipeline, a) for a in fresh}
        vectors = _embed([t for ts in texts.values() for t in ts])
        for raw in raws:
            if raw is None:
                payloads.append(b"")
                continue
            ident = article_id(raw.source_file, raw.source_id)
            article = by_id.get(ident)
            if article is None:
                payloads.append(_UNCHANGED + ident.encode())
                continue
            payloads.append(pickle.dumps(self._pack(article, prints[ident], texts[ident], vectors)))
        return {"payload": payloads, "note": list(batch["note"])}

    def _pack(self, article: Any, print_: str, texts: list[str], vectors: dict[str, list[float]]) -> Analysed:
        clusters: list[Any] = []
        found = False
        for stage in self.stages:
            if isinstance(stage, EntityFinder):
                clusters = stage.clusters.pop(article.id, [])
            elif isinstance(stage, EventFinder):
                found = article.id in stage.analysed
                stage.analysed.discard(article.id)
        article.doc = article.raw = None
        return Analysed(article, print_, clusters, found, {t: vectors[t] for t in texts})


def _embed(texts: list[str]) -> dict[str, list[float]]:
    unique = list(dict.fromkeys(texts))
    if not unique:
        return {}
    from veille.stories.features import sentence_embedder

    return dict(zip(unique, sentence_embedder()(unique), strict=True))


def _open_for_reading(db: str) -> Store:
    if "://" not in db and not Path(db).exists():
        raise ConfigError(
            f"the SQLite store {db} is not visible on this Ray worker: with a cluster across machines "
            "use a PostgreSQL store (--db postgresql://…)."
        )
    return Store.open(db)


# -- the driver --------------------------------------------------------------------------------


def run_ray(
    paths: Sequence[str | Path],
    store: Store,
    *,
    options: ReadOptions | None = None,
    factory: PipelineFactory | None = None,
    workers: int = 2,
    address: str | None = None,
    batch_size: int = 64,
    on_batch: Callable[[int], None] | None = None,
) -> RunSummary:
    """Ingest `paths` into `store` with the per-article stages on Ray (see the module doc)."""
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}.")
    ray = _require_ray()
    connect(address, workers)
    factory = factory or _factory(0.8)
    pipeline = factory(store)
    cache = EmbeddingCache()
    install_cache(pipeline, cache)
    near: Any = next((s for s in pipeline.stages if s.name == "near_copies"), None)
    if near is not None:
        near.warm_up()
    kb_imports = store.kb_imports()
    report = ReadReport()
    items = _items(paths, options or ReadOptions(), report)
    summary = RunSummary(skipped_files=[], warnings=[])
    started = time.perf_counter()
    run_id = uuid.uuid4().hex
    if items:
        dataset = read_dataset(items).map_batches(
            Analyser,
            fn_constructor_args=(factory, kb_imports, _store_address(store)),
            batch_size=batch_size,
            batch_format="default",
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
            max_restarts=-1,
            max_task_retries=MAX_TASK_RETRIES,
        )
        _drive(
            dataset.iter_rows(),
            pipeline=pipeline,
            store=store,
            cache=cache,
            summary=summary,
            run_id=run_id,
            batch_size=batch_size,
            on_batch=on_batch,
        )
    outcome = store.run_counts(run_id)
    summary.kept += outcome.get(KEPT, 0)
    summary.duplicates += outcome.get(DUPLICATE, 0)
    summary.seconds += time.perf_counter() - started
    summary.skipped_files = list(report.skipped)
    summary.warnings += list(report.warnings)
    return summary


def _store_address(store: Store) -> str:
    where = store.engine.url
    if where.get_backend_name() == "sqlite":
        return str(Path(str(where.database)).resolve())
    return where.render_as_string(hide_password=False)


def _drive(
    rows: Iterator[dict[str, Any]],
    *,
    pipeline: Any,
    store: Store,
    cache: EmbeddingCache,
    summary: RunSummary,
    run_id: str,
    batch_size: int,
    on_batch: Callable[[int], None] | None,
) -> None:
    from veille.watch.evaluate import evaluate_batch
    from veille.watch.webhook import after_batch

    seen: set[str] = set()
    counters: dict[str, int] = {}
    pending: list[bytes] = []

    def flush() -> None:
        fresh: list[Analysed] = []
        for payload in pending:
            if payload.startswith(_UNCHANGED):
                summary.unchanged += 1
                continue
            item: Analysed = pickle.loads(payload)
            # Two records with one id in a run (a file named twice on the command line) are one.
            if item.article.id in seen:
                summary.unchanged += 1
                continue
            seen.add(item.article.id)
            fresh.append(item)
        summary.records += len(pending)
        if fresh:
            for item in fresh:
                cache.vectors.update(item.embeddings)
            batch = finish_batch(pipeline, fresh, counters)
            prints = {item.article.id: item.fingerprint for item in fresh}
            store.upsert(batch, prints, run_id=run_id)
            after_batch(store, evaluate_batch(store, batch))
            for article in batch:
                summary.add(article)
            cache.vectors.clear()
        if on_batch is not None:
            on_batch(len(pending))
        pending.clear()

    for row in rows:
        if row["note"]:
            summary.warnings.append(str(row["note"]))
        if row["payload"]:
            pending.append(bytes(row["payload"]))
            if len(pending) >= batch_size:
                flush()
    flush()
    if counters.get("entity_collisions"):
        summary.warnings.append(
            f"{counters['entity_collisions']} articles had two entity clusters linked to one entity "
            "(see veille.engines.ray_plan)"
        )


def ray_ingest(
    paths: Sequence[str | Path],
    db: str,
    options: ReadOptions,
    *,
    workers: int,
    address: str | None,
    batch_size: int,
    near_threshold: float,
    on_batch: Callable[[int], None] | None = None,
    max_article_chars: int = MAX_ARTICLE_CHARS,
) -> tuple[RunSummary, dict[str, Any]]:
    """`veille ingest --engine ray`: the run summary and the store's totals."""
    with Store.open(db) as store:
        factory = _factory(near_threshold, max_article_chars)
        summary = run_ray(paths, store, options=options, factory=factory, workers=workers,
                          address=address, batch_size=batch_size, on_batch=on_batch)  # fmt: skip
        return summary, store.counts()


__all__ = ["MAX_TASK_RETRIES", "READ_BLOCK_BYTES", "connect", "ray_ingest", "read_dataset", "run_ray"]
