"""Rate limiting of sign-in and sign-up attempts, counted in the store (`login_attempts`).

Sign-in failures are counted per name and per client address: after `SIGN_IN.attempts` failures
within `SIGN_IN.window`, further attempts for that name or from that address are refused (HTTP 429)
until the oldest of them leaves the window. An attempt is counted before its password is checked
(`claim`, in one write with the check) and uncounted when it succeeds (`release`), so that guesses
sent at once cannot slip past the limit. Counting by name stops guessing one account's password
from many addresses; counting by address stops one client trying many names. Open sign-ups are
counted per address. Rows older than the longest window are deleted as new ones come in.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, insert, select

from veille.accounts.users import now_utc, stamp
from veille.store import Store
from veille.store.schema_workspace import login_attempts


@dataclass(frozen=True, slots=True)
class Limit:
    attempts: int
    window: timedelta


SIGN_IN = Limit(attempts=5, window=timedelta(minutes=15))
SIGN_UP = Limit(attempts=10, window=timedelta(hours=1))
_KEEP = max(SIGN_IN.window, SIGN_UP.window)


def name_key(name: str) -> str:
    return f"name:{name.strip().lower()}"


def address_key(address: str) -> str:
    return f"addr:{address}"


def signup_key(address: str) -> str:
    return f"signup:{address}"


def record(store: Store, keys: Iterable[str], *, now: datetime | None = None) -> None:
    """Count one attempt under each key (and forget attempts older than every window)."""
    at = now or now_utc()
    rows = [{"id": secrets.token_hex(8), "key": key, "at": stamp(at)} for key in keys]
    with store._write() as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.at < stamp(at - _KEEP)))
        if rows:
            conn.execute(insert(login_attempts), rows)


def retry_after(store: Store, keys: Iterable[str], limit: Limit, *, now: datetime | None = None) -> int:
    """Seconds until one more attempt under every key is allowed: 0 when it is allowed now."""
    with store.engine.connect() as conn:
        return _wait(conn, keys, limit, now or now_utc())


def _wait(conn: Connection, keys: Iterable[str], limit: Limit, at: datetime) -> int:
    since = stamp(at - limit.window)
    wait = 0.0
    for key in keys:
        times = conn.execute(
            select(login_attempts.c.at)
            .where(login_attempts.c.key == key, login_attempts.c.at > since)
            .order_by(login_attempts.c.at.desc())
            .limit(limit.attempts)
        ).scalars()
        recent = list(times)
        if len(recent) >= limit.attempts:
            # Allowed again when the oldest of the last `attempts` failures leaves the window.
            oldest = datetime.strptime(recent[-1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            wait = max(wait, (oldest + limit.window - at).total_seconds())
    return max(0, math.ceil(wait))


def claim(
    store: Store, keys: Iterable[str], limit: Limit, *, now: datetime | None = None
) -> tuple[int, list[str]]:
    """Count one attempt under each key, unless that would pass `limit`: (0, the ids of the rows
    counted, for `release`) or (seconds to wait, []) with nothing counted.

    The check and the count are one write transaction (the store's write lock): checking first and
    counting once the password was found wrong let guesses sent at once all pass the check before
    any of them was counted (8 of 30 guesses sent by 8 clients at once were checked, against a
    limit of 5: bench/signin_bruteforce.py).
    """
    at = now or now_utc()
    keys = list(keys)
    rows = [{"id": secrets.token_hex(8), "key": key, "at": stamp(at)} for key in keys]
    with store._write() as conn:
        wait = _wait(conn, keys, limit, at)
        if wait:
            return wait, []
        conn.execute(delete(login_attempts).where(login_attempts.c.at < stamp(at - _KEEP)))
        if rows:
            conn.execute(insert(login_attempts), rows)
    return 0, [row["id"] for row in rows]


def release(store: Store, ids: Iterable[str]) -> None:
    """Uncount attempts `claim` counted (a sign-in that succeeded is no failure)."""
    with store._write() as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.id.in_(list(ids))))


def forget(store: Store, keys: Iterable[str]) -> None:
    """Clear the count of these keys (a successful sign-in clears its name's failures)."""
    with store._write() as conn:
        conn.execute(delete(login_attempts).where(login_attempts.c.key.in_(list(keys))))
