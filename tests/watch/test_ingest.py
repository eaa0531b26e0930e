"""Watchlists evaluated by a real ingest (the local engine and the default pipeline) of tiny JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from veille.engines.local import ingest_paths
from veille.pipeline import default_pipeline
from veille.store import Store
from veille.store.watch import list_matches, save_watchlist
from veille.watch.query import Watchlist
from veille.watch.webhook import verify_signature
from watch.test_webhook import Receiver


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _record(ident: int, text: str) -> dict[str, Any]:
    return {"id": ident, "title": f"Article {ident}", "heading": "", "article": text, "date": "2016-01-20"}


@pytest.mark.usefixtures("allow_private_webhooks")  # the receiver is on 127.0.0.1
def test_ingest_matches_each_batch_once_and_never_rescans(tmp_path: Path, nlp: Any) -> None:
    db = str(tmp_path / "v.db")
    receiver = Receiver(200)
    with Store.open(db) as store:
        watchlist = Watchlist("Raqqa", keywords='Raqqa OR "État islamique"', webhook_url=receiver.url,
                              webhook_secret="chut")  # fmt: skip
        wid = save_watchlist(store, watchlist)
        first = _jsonl(tmp_path / "one.jsonl", [
            _record(1, "Des frappes aériennes ont visé Raqqa jeudi, a annoncé la coalition."),
            _record(2, "Le conseil municipal de Lyon a voté le budget annuel jeudi soir."),
        ])  # fmt: skip
        ingest_paths([first], store, default_pipeline(store), batch_size=1)
        matched = list_matches(store, wid)
        assert [(m.article_id, m.why["keywords"]) for m in matched] == [(matched[0].article_id, ["Raqqa"])]
        assert store.get_article(matched[0].article_id).text.startswith("Des frappes")  # type: ignore[union-attr]
        # The engine delivered the batch's match to the webhook, signed, right after storing it.
        receiver.close()
        [(body, signature)] = receiver.received
        assert verify_signature("chut", body, signature)
        assert [m["article_id"] for m in json.loads(body)["matches"]] == [matched[0].article_id]

        # A watchlist saved after the ingest does not re-scan the store: it sees the next batches.
        late = save_watchlist(store, Watchlist("Lyon", keywords="Lyon"))
        second = _jsonl(tmp_path / "two.jsonl", [
            _record(3, "L'État islamique a revendiqué une attaque près de Lyon, selon la police."),
        ])  # fmt: skip
        ingest_paths([first, second], store, default_pipeline(store))  # one.jsonl is unchanged: skipped
        assert len(list_matches(store, late)) == 1
        assert [m.why.get("keywords") for m in list_matches(store, wid)].count(['"État islamique"']) == 1
        assert len(list_matches(store, wid)) == 2
