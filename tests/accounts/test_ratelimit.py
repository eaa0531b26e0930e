"""Sign-in rate limiting, at store level: counted per key, within a window, cleared on success."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from veille.accounts.ratelimit import SIGN_IN, address_key, forget, name_key, record, retry_after
from veille.store import Store

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def test_ratelimit_blocks_after_the_limit_within_the_window(store: Store) -> None:
    keys = [name_key("Alice"), address_key("10.0.0.1")]
    for i in range(SIGN_IN.attempts - 1):
        record(store, keys, now=T0 + timedelta(seconds=i))
    assert retry_after(store, keys, SIGN_IN, now=T0 + timedelta(seconds=10)) == 0
    record(store, keys, now=T0 + timedelta(seconds=10))
    # Blocked until the first failure (at T0) is 15 minutes old.
    assert retry_after(store, keys, SIGN_IN, now=T0 + timedelta(seconds=11)) == 15 * 60 - 11
    assert retry_after(store, keys, SIGN_IN, now=T0 + SIGN_IN.window + timedelta(seconds=1)) == 0


def test_ratelimit_counts_each_key_alone(store: Store) -> None:
    for i in range(SIGN_IN.attempts):
        record(store, [name_key("Alice"), address_key(f"10.0.0.{i}")], now=T0)
    later = T0 + timedelta(seconds=1)
    assert retry_after(store, [name_key("alice ")], SIGN_IN, now=later) > 0  # names compare case-blind
    assert retry_after(store, [name_key("Bob"), address_key("10.0.0.1")], SIGN_IN, now=later) == 0


def test_ratelimit_forget_clears_a_key(store: Store) -> None:
    for _ in range(SIGN_IN.attempts):
        record(store, [name_key("Alice")], now=T0)
    forget(store, [name_key("Alice")])
    assert retry_after(store, [name_key("Alice")], SIGN_IN, now=T0) == 0
