"""Webhook deliveries: a signed JSON POST per watchlist and batch of new matches.

The body is JSON; the header `X-Veille-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact
body bytes under the watchlist's shared secret (verify it with `verify_signature`). A delivery is
tried once right after the batch that produced it, with a short timeout, so that ingestion never
waits long on a slow receiver; a failure leaves it pending with its next attempt pushed back
exponentially (30 s, 1 min, 2 min, 4 min …). Pending deliveries are retried by later batches and by
`veille watch deliver`; after `MAX_ATTEMPTS` failures the delivery is marked failed, with the last
error kept in `webhook_deliveries`.

Where a delivery may go (issue 11): whoever can save a watchlist chooses its URL, and the server
POSTs from inside its own network, so the target is checked like an ingested URL
(`veille.ingest.fetch`): at each attempt (DNS may have changed since the watchlist was saved) the
host is resolved, and the delivery is refused when ANY address is loopback, private, link-local,
cloud metadata (169.254.169.254) or otherwise not public, unless `VEILLE_WEBHOOK_ALLOW_PRIVATE=1`
(what `--allow-private-webhooks` sets). The connection goes to the checked addresses only (no second
lookup a rebinding DNS could answer differently), and redirects are not followed: a receiver has
no reason to redirect, and following one would POST to a target nobody checked. A refused target is
failed at once (`WebhookRefused`): retrying cannot help until the watchlist or the setting changes.
A redirect, like any other receiver error, is retried with back-off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import ssl
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

import httpx

from veille.ingest import fetch
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
ALLOW_PRIVATE_ENV = "VEILLE_WEBHOOK_ALLOW_PRIVATE"
PRIVATE_HINT = f"set {ALLOW_PRIVATE_ENV}=1 / --allow-private-webhooks to deliver inside a private network"


class DeliveryError(Exception):
    """One attempt that did not reach a 2xx answer; the message says what happened and what to do."""


class WebhookRefused(DeliveryError):
    """A target veille does not post to (not http(s), or a non-public address): permanent."""


def allow_private_webhooks() -> bool:
    """The setting, read at each use so that `--allow-private-webhooks` (which sets it in the
    environment) reaches the server's worker processes and the ingest engines alike."""
    return os.environ.get(ALLOW_PRIVATE_ENV, "").strip() == "1"


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


def ssl_context() -> ssl.SSLContext:
    """The machine's trusted certificates (what urllib used before issue 11), not the certifi
    bundle URL ingestion uses: a receiver on the LAN often has a certificate from a local CA
    installed on the machine. Tests replace it to trust their own."""
    return ssl.create_default_context()


def _target(url: str) -> tuple[httpx.URL, str, int]:
    """(url, host, port) of a webhook URL, or `WebhookRefused` when it cannot be one."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise WebhookRefused(f"webhook URL {url!r} is not a valid URL ({exc}); fix the watchlist") from exc
    if parsed.scheme not in fetch.ALLOWED_SCHEMES or not parsed.raw_host:
        raise WebhookRefused(f"webhook URL {url!r} is not an http(s) URL with a host; fix the watchlist")
    host = parsed.raw_host.decode("ascii")
    return parsed, host, parsed.port or (443 if parsed.scheme == "https" else 80)


def target_refusal(url: str | None, *, allow_private: bool | None = None) -> str | None:
    """At save time: why `url` would be refused at delivery, or None (also for no webhook). A host
    that does not resolve now is let through, since DNS may be down and each delivery checks again;
    so is everything when private targets are allowed (`allow_private`, default: the environment
    setting)."""
    if not url:
        return None
    if allow_private is None:
        allow_private = allow_private_webhooks()
    try:
        _, host, port = _target(url)
    except WebhookRefused as refused:
        return str(refused)
    if allow_private:
        return None
    try:
        addresses = fetch.resolve(host, port)
    except (OSError, UnicodeError):
        return None
    why = fetch.host_refusal(host, addresses)
    return None if why is None else f"webhook target {why}; {PRIVATE_HINT}"


def post(url: str, secret: str, body: bytes, timeout: float, *, allow_private: bool = False) -> None:
    """POST `body` to the checked addresses of `url`'s host; raises `DeliveryError` unless the
    receiver answers 2xx (`WebhookRefused` when the target may not be contacted at all)."""
    parsed, host, port = _target(url)
    try:
        addresses = fetch.resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise DeliveryError(f"cannot resolve {host} ({exc}); check the host name and the network") from exc
    if not allow_private:
        why = fetch.host_refusal(host, addresses)
        if why is not None:
            raise WebhookRefused(f"webhook target {why}; {PRIVATE_HINT}")
    deadline = time.monotonic() + fetch.DEFAULT_DEADLINE_FACTOR * timeout
    backend = fetch.pinned_backend(host, port, addresses, deadline)
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
               "User-Agent": "veille-webhook"}  # fmt: skip
    try:
        # Streamed and closed unread: nothing of the answer but its status is used.
        with (
            fetch.pinned_client(backend, timeout, headers, ssl_context()) as client,
            client.stream("POST", parsed, content=body) as response,
        ):
            status, location = response.status_code, response.headers.get("location")
    except httpx.TimeoutException as exc:
        raise DeliveryError(f"the receiver at {url} did not answer within {timeout:g} s") from exc
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError) as exc:
        # Whatever one receiver does must not stop the batch that called it: recorded, retried.
        raise DeliveryError(f"could not reach {url}: {type(exc).__name__}: {exc or 'no detail'}") from exc
    if 300 <= status < 400:
        raise DeliveryError(
            f"the receiver answered HTTP {status} (redirect to {location or 'nowhere'}); webhook "
            "redirects are not followed: set the watchlist's webhook_url to the final address"
        )
    if not 200 <= status < 300:
        raise DeliveryError(f"the receiver at {url} answered HTTP {status}")


def attempt(
    store: Store,
    delivery: Delivery,
    *,
    when: datetime,
    timeout: float = TIMEOUT_SECONDS,
    allow_private: bool | None = None,
) -> Delivery:
    """Try one delivery once and record the outcome. `allow_private`: whether a target on a private
    network may be posted to (default: the `VEILLE_WEBHOOK_ALLOW_PRIVATE` setting)."""
    if allow_private is None:
        allow_private = allow_private_webhooks()
    watchlist = get_watchlist(store, delivery.watchlist_id)
    delivery.attempts += 1
    try:
        if watchlist is None or not watchlist.webhook_url or not watchlist.webhook_secret:
            raise DeliveryError("the watchlist no longer has a webhook URL and secret")
        post(watchlist.webhook_url, watchlist.webhook_secret, delivery.payload.encode(), timeout,
             allow_private=allow_private)  # fmt: skip
    except DeliveryError as error:
        delivery.last_error = str(error)[:500]
        permanent = isinstance(error, WebhookRefused) or watchlist is None
        if permanent or delivery.attempts >= MAX_ATTEMPTS:
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
    allow_private: bool | None = None,
) -> list[Delivery]:
    """Attempt the pending deliveries that are due, within `budget` seconds (None: no limit)."""
    from datetime import UTC

    when = when or datetime.now(UTC)
    started = time.monotonic()
    done = []
    for delivery in due_deliveries(store, stamp(when), limit):
        if budget is not None and time.monotonic() - started > budget:
            break
        done.append(attempt(store, delivery, when=when, timeout=timeout, allow_private=allow_private))
    return done


def after_batch(store: Store, matches: Sequence[Match]) -> None:
    """The engine's call after `evaluate_batch`: queue new deliveries and try what is due, briefly."""
    if matches:
        queue_deliveries(store, matches)
    if matches or has_pending(store):
        deliver_due(store)


__all__ = [
    "ALLOW_PRIVATE_ENV", "MAX_ATTEMPTS", "SIGNATURE_HEADER", "DeliveryError", "WebhookRefused",
    "after_batch", "allow_private_webhooks", "attempt", "deliver_due", "payload_for", "queue_deliveries",
    "sign", "target_refusal", "verify_signature",
]  # fmt: skip
