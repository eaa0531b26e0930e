"""Server-side sessions: a random token in the browser's cookie, only its SHA-256 in the store.

Each session carries its own CSRF token (sent back in every form). Expired sessions are ignored when
read and deleted when the next one is opened, so the table does not grow without bound.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select

from veille.accounts.users import User, now_utc, sha256, stamp
from veille.store import Store
from veille.store.schema_workspace import sessions, users

SESSION_DAYS = 14


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf_token: str
    expires_at: str


def open_session(store: Store, user: User, *, now: datetime | None = None) -> tuple[str, Session]:
    """Start a session for `user`: the cookie's token (never stored as is) and the session."""
    at = now or now_utc()
    token = secrets.token_urlsafe(32)
    session = Session(user=user, csrf_token=secrets.token_urlsafe(32),
                      expires_at=stamp(at + timedelta(days=SESSION_DAYS)))  # fmt: skip
    with store._write() as conn:
        conn.execute(delete(sessions).where(sessions.c.expires_at <= stamp(at)))
        conn.execute(
            insert(sessions).values(
                token_hash=sha256(token),
                user_id=user.id,
                csrf_token=session.csrf_token,
                created_at=stamp(at),
                expires_at=session.expires_at,
            )
        )
    return token, session


def find_session(store: Store, token: str, *, now: datetime | None = None) -> Session | None:
    """The live session of a cookie's token: None when unknown, expired, or its user is disabled."""
    if not token:
        return None
    query = (
        select(users.c.id, users.c.name, users.c.role, sessions.c.csrf_token, sessions.c.expires_at)
        .join(users, users.c.id == sessions.c.user_id)
        .where(
            sessions.c.token_hash == sha256(token),
            sessions.c.expires_at > stamp(now or now_utc()),
            users.c.disabled == 0,
        )
    )
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return Session(User(row.id, row.name, row.role), row.csrf_token, row.expires_at)


def close_session(store: Store, token: str) -> None:
    """Sign out: the session's row is deleted, so the cookie is worthless even if it was copied."""
    with store._write() as conn:
        conn.execute(delete(sessions).where(sessions.c.token_hash == sha256(token)))
