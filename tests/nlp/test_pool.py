"""spaCy in worker processes (NlpStage(processes=2)): the same Docs, the same store, and a worker
that dies costs no article."""

from __future__ import annotations

import gzip
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from veille.engines.local import ingest_paths
from veille.errors import ConfigError
from veille.model import Article
from veille.nlp import NlpStage
from veille.pipeline import default_pipeline, run_stage
from veille.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "orangesum_2020-08-18.jsonl.gz"


def example_articles(n: int) -> list[Article]:
    with gzip.open(EXAMPLES, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(n), lines, strict=False)]
    return [
        Article(id=f"a{i}", source_file="x.jsonl", source_id=str(i), text=r["article"], language="fr")
        for i, r in enumerate(records)
    ]


def token_view(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (t.text, t.idx, t.lemma_, t.pos_, t.tag_, str(t.morph), t.dep_, t.head.i, t.is_sent_start,
         t.ent_iob_, t.ent_type_)
        for t in doc
    ]  # fmt: skip


@pytest.fixture(scope="module")
def pooled() -> Iterator[NlpStage]:
    stage = NlpStage(keep_docs=True, processes=2)
    stage.warm_up()
    yield stage
    stage.close()


def test_pool_docs_are_the_in_process_docs(nlp: Any, pooled: NlpStage) -> None:
    alone, shared = example_articles(7), example_articles(7)
    NlpStage(keep_docs=True)(alone)
    pooled(shared)
    for a, b in zip(alone, shared, strict=True):
        assert token_view(a.doc) == token_view(b.doc)
        assert [s.text for s in a.doc.sents] == [s.text for s in b.doc.sents]
        assert [(e.start_char, e.end_char, e.label_) for e in a.doc.ents] == [
            (e.start_char, e.end_char, e.label_) for e in b.doc.ents
        ]
        assert a.mentions == b.mentions and a.mentions


def test_pool_long_runs_are_cut_in_the_workers_too(nlp: Any, pooled: NlpStage) -> None:
    # The workers load their models through load_model, which guards the tokenizer: a run of
    # 20,000 characters without a space is parsed in 300-character pieces there as in process.
    texts = ["Il a dit " + "«" * 20_000 + " hier à Paris.", "Rien " + "x" * 650 + " ici."]
    alone = [
        Article(id=f"a{i}", source_file="x", source_id=str(i), text=t, language="fr")
        for i, t in enumerate(texts)
    ]
    shared = [
        Article(id=f"a{i}", source_file="x", source_id=str(i), text=t, language="fr")
        for i, t in enumerate(texts)
    ]
    NlpStage(keep_docs=True)(alone)
    pooled(shared)
    for a, b, text in zip(alone, shared, texts, strict=True):
        assert b.doc is not None and b.doc.text == text
        assert max(len(t) for t in b.doc) == 300
        assert token_view(a.doc) == token_view(b.doc)


def test_pool_worker_killed_costs_no_article(nlp: Any, pooled: NlpStage) -> None:
    assert pooled._pool is not None
    for pid in list(pooled._pool._executor._processes):  # the workers, as the executor knows them
        os.kill(pid, signal.SIGKILL)
    batch = example_articles(4)
    # The batch fails on the dead pool; the pipeline retries it article by article, in process.
    done = run_stage(pooled, batch)
    assert [bool(a.mentions) for a in done] == [True] * 4 and not any(a.failures for a in done)
    later = example_articles(3)
    pooled(later)  # and the next batch has fresh workers
    assert all(a.mentions for a in later)


def test_pool_ingest_stores_what_one_process_stores(nlp: Any, tmp_path: Path) -> None:
    def snapshot(processes: int) -> tuple[Any, ...]:
        with Store.open(str(tmp_path / f"{processes}.db")) as store:
            with default_pipeline(store, progress=False, spacy_processes=processes) as pipeline:
                ingest_paths([EXAMPLES], store, pipeline, batch_size=16)
            counts = store.counts()
            mentions = sorted((m.article_id, m.start, m.end, m.entity_id) for m in store.iter_mentions())
            return mentions, {k: counts[k] for k in ("articles", "entities", "quotes", "events", "stories")}

    assert snapshot(2) == snapshot(1)


def test_pool_refuses_fewer_than_one_process() -> None:
    with pytest.raises(ConfigError, match="at least 1"):
        NlpStage(processes=0)
