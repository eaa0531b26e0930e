"""spaCy in worker processes that live as long as the run, for `NlpStage(processes=N)`.

`nlp.pipe(n_process=N)` starts its workers, and loads the model in each, on every call; the
engine calls the spaCy stage once per batch of 64, so that would reload the model every batch.
Here the workers are started once (spawned, so no thread state is inherited from the parent),
each loads the models once, and every batch is cut into one contiguous chunk per worker. A worker
returns its Docs serialised (`Doc.to_bytes`, without the tok2vec tensor, which no stage reads);
the parent rebuilds them on its own vocabulary, so later stages see the same Docs as in process:
tokens, lemmas, tags, morphology, parse, sentence starts, entities.

The parent still loads the model (its vocabulary and the pipeline's components are what the
entity and quote stages look up), so N workers cost N more model copies in memory.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from veille.errors import ConfigError

# The tok2vec tensor is a float per token and dimension: the bulk of a serialised Doc, and unused.
_EXCLUDE = ("tensor",)


def _load(names: tuple[str, ...]) -> None:
    from veille.nlp.spacy_stage import load_model

    for name in names:
        load_model(name)


def _parse(name: str, texts: list[str], batch_size: int) -> list[bytes]:
    from veille.nlp.spacy_stage import load_model, parse

    # `parse`, not `nlp.pipe`: a text over spaCy's length limit is parsed in pieces, as in process.
    return [doc.to_bytes(exclude=_EXCLUDE) for doc in parse(load_model(name), texts, batch_size)]


def check_processes(processes: int) -> int:
    if processes < 1:
        raise ConfigError(f"--spacy-processes must be at least 1, got {processes}.")
    return processes


class SpacyPool:
    """`processes` worker processes, each with the given spaCy models loaded once."""

    def __init__(self, model_names: Sequence[str], processes: int) -> None:
        self.processes = check_processes(processes)
        self.model_names = tuple(model_names)
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load,
            initargs=(self.model_names,),
        )

    def warm_up(self) -> None:
        """Start every worker and wait until its models are loaded (so timing excludes it)."""
        for future in [self._executor.submit(_load, ()) for _ in range(self.processes)]:
            future.result()

    def submit(self, nlp: Any, name: str, texts: Sequence[str], batch_size: int) -> Callable[[], list[Any]]:
        """Start parsing `texts` with model `name` in the workers; the function returned waits and
        gives the Docs, in order, rebuilt on `nlp`'s vocabulary."""
        from spacy.tokens import Doc

        size = -(-len(texts) // self.processes) if texts else 0
        chunks = [list(texts[i : i + size]) for i in range(0, len(texts), size)] if size else []
        futures: list[Future[list[bytes]]] = []
        try:
            futures = [self._executor.submit(_parse, name, chunk, batch_size) for chunk in chunks]
        except BrokenProcessPool:
            self._restart()
            raise

        def collect() -> list[Any]:
            try:
                return [Doc(nlp.vocab).from_bytes(data) for future in futures for data in future.result()]
            except BrokenProcessPool:
                self._restart()
                raise

        return collect

    def _restart(self) -> None:
        # A worker died (killed, out of memory): start fresh ones so that the pipeline's
        # article-by-article retry of the batch (veille.pipeline.run_stage) has a pool to use.
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


__all__ = ["SpacyPool", "check_processes"]
