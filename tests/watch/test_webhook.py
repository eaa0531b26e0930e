"""Webhook deliveries against receivers on 127.0.0.1: signed bodies, retries with back-off, failures.

127.0.0.1 is a private target, so these tests allow private webhooks (`allow_private_webhooks`);
test_webhook_targets.py shows what happens without."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from veille.store import Store
from veille.store.watch import list_deliveries, save_watchlist
from veille.watch import webhook
from veille.watch.evaluate import evaluate_batch
from veille.watch.query import Watchlist
from veille.watch.webhook import (
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    deliver_due,
    queue_deliveries,
    verify_signature,
)
from watch.conftest import article

SECRET = "s3cret partagé"


class Receiver:
    """An HTTP server in a thread that records each POST and answers `status` (with a Location
    header when `location` is given; over TLS when `tls` is given)."""

    def __init__(self, status: int, location: str | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.status = status
        self.received: list[tuple[bytes, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((body, self.headers.get(SIGNATURE_HEADER, "")))
                self.send_response(outer.status)
                if location is not None:
                    self.send_header("Location", location)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(request: pytest.FixtureRequest) -> Iterator[Receiver]:
    found = Receiver(getattr(request, "param", 200))
    yield found
    found.close()


def queue_one(store: Store, url: str, name: str = "Daech") -> Watchlist:
    """A watchlist `name` posting to `url`, and one match of it queued for delivery (a new name
    matches the same article again)."""
    watchlist = Watchlist(name, entities=["ent_daech"], webhook_url=url, webhook_secret=SECRET)
    save_watchlist(store, watchlist)
    batch = [article("a1", "Daech recule à Raqqa.", title="Daech recule", entities={"Daech": "ent_daech"})]
    store.upsert(batch)
    queue_deliveries(store, evaluate_batch(store, batch))
    return watchlist


@pytest.mark.usefixtures("allow_private_webhooks")
def test_webhook_posts_signed_json_to_the_receiver(store: Store, receiver: Receiver) -> None:
    watchlist = queue_one(store, receiver.url)
    done = deliver_due(store)
    assert [(d.status, d.attempts) for d in done] == [("delivered", 1)]
    [(body, signature)] = receiver.received
    assert verify_signature(SECRET, body, signature)
    assert not verify_signature("another secret", body, signature)
    assert not verify_signature(SECRET, body.replace(b"Daech", b"Daesh"), signature)
    sent = json.loads(body)
    assert sent["watchlist"] == {"id": watchlist.id, "name": "Daech"}
    assert [(m["article_id"], m["title"], m["why"]) for m in sent["matches"]] == [
        ("a1", "Daech recule", {"entities": ["ent_daech"], "entity_names": ["Daech"]})
    ]
    assert deliver_due(store) == []  # delivered once


@pytest.mark.usefixtures("allow_private_webhooks")
@pytest.mark.parametrize("receiver", [500], indirect=True)
def test_webhook_failing_receiver_is_retried_with_backoff_then_failed(
    store: Store, receiver: Receiver
) -> None:
    queue_one(store, receiver.url)
    now = datetime.now(UTC)
    [first] = deliver_due(store, when=now)
    assert (first.status, first.attempts) == ("pending", 1) and "500" in (first.last_error or "")
    assert first.next_attempt_at == (now + timedelta(seconds=webhook.BACKOFF_SECONDS)).isoformat(
        timespec="microseconds"
    )
    assert deliver_due(store, when=now + timedelta(seconds=10)) == []  # not due yet
    waits = []
    when = now
    for _ in range(MAX_ATTEMPTS - 1):
        [pending] = [d for d in list_deliveries(store) if d.status == "pending"]
        due = datetime.fromisoformat(pending.next_attempt_at or "")
        waits.append((due - when).total_seconds())
        when = due
        deliver_due(store, when=when)
    assert waits == [30.0, 60.0, 120.0, 240.0]
    [failed] = list_deliveries(store)
    assert (failed.status, failed.attempts, failed.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    assert failed.last_error == f"the receiver at {receiver.url} answered HTTP 500"
    assert len(receiver.received) == MAX_ATTEMPTS


@pytest.mark.usefixtures("allow_private_webhooks")
def test_webhook_unreachable_receiver_is_recorded_without_blocking(store: Store) -> None:
    dead = Receiver(200)
    url = dead.url
    dead.close()  # nothing listens there any more
    queue_one(store, url)
    [attempt] = deliver_due(store, timeout=1.0)
    assert attempt.status == "pending" and attempt.last_error
    assert attempt.last_error.startswith(f"could not reach {url}: ConnectError")
