"""Webhook deliveries: a signed JSON POST per watchlist and batch of new matches.

The body is JSON; the header `X-Veille-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact
body bytes under the watchlist's shared secret (verify it with `verify_signature`). A delivery is
tried once right after the batch that produced it, with a short timeout, so that ingestion never
waits long on a slow receiver; a failure leaves it pending with its next attempt pushed back
exponentially (30 s, 1 min, 2 min, 4 min …). Pending deliveries are retried by later batches and by
`veille watch deliver`; after `MAX_ATTEMPTS` failures the delivery is marked failed, with the last
error kept in `webhook_deliveries`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import datetime, timedelta

from veille.store import Store
from veille.store.watch import (
    Delivery,
    add_delivery,
    due_deliveries,
    get_watchlist,
    has_pending,
    now_iso,
    stamp,
    update_delivery,
)
from veille.watch.evaluate import Match

SIGNATURE_HEADER = "X-Veille-Signature"
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 30.0
TIMEOUT_SECONDS = 3.0
# Time all deliveries after one batch may take together, so that a dead receiver slows ingestion
# by a few seconds at most; what is left waits for the next batch.
BATCH_BUDGET_SECONDS = 5.0


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header.strip())


def payload_for(store: Store, wid: str, name: str, matches: Sequence[Match]) -> str:
    """The JSON body of one delivery: the watchlist, and each matched article with why it matched."""
    items = []
    for match in matches:
        article = store.get_article(match.article_id)
        items.append({
            "article_id": match.article_id, "story_id": match.story_id, "matched_at": match.matched_at,
            "why": match.why, "title": article.title if article else None,
            "url": article.url if article else None, "source": article.source_name if article else None,
            "published": article.published if article else None,
        })  # fmt: skip
    body = {"watchlist": {"id": wid, "name": name}, "matches": items}
    return json.dumps(body, ensure_ascii=False, sort_keys=True)


def queue_deliveries(store: Store, matches: Sequence[Match], when: str | None = None) -> list[Delivery]:
    """One pending delivery per watchlist that has a webhook and new matches."""
    when = when or now_iso()
    by_watchlist: dict[str, list[Match]] = {}
    for match in matches:
        by_watchlist.setdefault(match.watchlist_id, []).append(match)
    queued = []
    for wid, found in by_watchlist.items():
        watchlist = get_watchlist(store, wid)
        if watchlist is None or not watchlist.webhook_url:
            continue
        queued.append(add_delivery(store, wid, payload_for(store, wid, watchlist.name, found), when))
    return queued


def post(url: str, secret: str, body: bytes, timeout: float) -> None:
    """POST `body`; raises OSError (or urllib's errors) unless the receiver answers 2xx."""
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
                 "User-Agent": "veille-webhook"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=timeout) as response:
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def attempt(
    store: Store, delivery: Delivery, *, when: datetime, timeout: float = TIMEOUT_SECONDS
) -> Delivery:
    """Try one delivery once and record the outcome."""
    watchlist = get_watchlist(store, delivery.watchlist_id)
    delivery.attempts += 1
    try:
        if watchlist is None or not watchlist.webhook_url or not watchlist.webhook_secret:
            raise ValueError("the watchlist no longer has a webhook URL and secret")
        post(watchlist.webhook_url, watchlist.webhook_secret, delivery.payload.encode(), timeout)
    except (OSError, ValueError) as error:  # urllib's HTTPError and URLError are OSErrors
        delivery.last_error = f"{type(error).__name__}: {error}"[:500]
        if delivery.attempts >= MAX_ATTEMPTS or watchlist is None:
            delivery.status, delivery.next_attempt_at = "failed", None
        else:
            wait = BACKOFF_SECONDS * 2 ** (delivery.attempts - 1)
            delivery.next_attempt_at = stamp(when + timedelta(seconds=wait))
    else:
        delivery.status, delivery.last_error, delivery.next_attempt_at = "delivered", None, None
    update_delivery(store, delivery)
    return delivery


def deliver_due(
    store: Store,
    *,
    when: datetime | None = None,
    timeout: float = TIMEOUT_SECONDS,
    budget: float | None = BATCH_BUDGET_SECONDS,
    limit: int = 20,
) -> list[Delivery]:
    """Attempt the pending deliveries that are due, within `budget` seconds (None: no limit)."""
    from datetime import UTC

    when = when or datetime.now(UTC)
    started = time.monotonic()
    done = []
    for delivery in due_deliveries(store, stamp(when), limit):
        if budget is not None and time.monotonic() - started > budget:
            break
        done.append(attempt(store, delivery, when=when, timeout=timeout))
    return done


def after_batch(store: Store, matches: Sequence[Match]) -> None:
    """The engine's call after `evaluate_batch`: queue new deliveries and try what is due, briefly."""
    if matches:
        queue_deliveries(store, matches)
    if matches or has_pending(store):
        deliver_due(store)


__all__ = [
    "MAX_ATTEMPTS", "SIGNATURE_HEADER", "after_batch", "attempt", "deliver_due", "payload_for",
    "queue_deliveries", "sign", "verify_signature",
]  # fmt: skip
