"""Users, passwords, invitations and sessions at store level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from veille.accounts.passwords import hash_password, verify_password
from veille.accounts.sessions import SESSION_DAYS, find_session, open_session
from veille.accounts.users import (
    AccountError,
    check_password,
    create_invitation,
    create_user,
    set_disabled,
    set_role,
    sign_up_with_invitation,
)
from veille.store import Store
from veille.store.schema_workspace import sessions, users

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
PASSWORD = "un mot de passe long"


def test_users_password_hash_is_scrypt_salted_and_verifies() -> None:
    first, second = hash_password("secret-123"), hash_password("secret-123")
    assert first.startswith("scrypt$16384$8$1$") and first != second  # a fresh salt each time
    assert verify_password("secret-123", first)
    assert not verify_password("secret-124", first)
    assert not verify_password("secret-123", "md5$whatever")


def test_users_check_password(store: Store) -> None:
    alice = create_user(store, "Alice", PASSWORD, "analyst")
    assert check_password(store, "Alice", PASSWORD) == alice
    assert check_password(store, "Alice", PASSWORD + "x") is None
    assert check_password(store, "Nobody", PASSWORD) is None
    set_disabled(store, alice.id, True)
    assert check_password(store, "Alice", PASSWORD) is None


def test_users_refuses_bad_names_short_passwords_and_taken_names(store: Store) -> None:
    create_user(store, "Alice", PASSWORD, "reader")
    with pytest.raises(AccountError, match="déjà pris"):
        create_user(store, "alice", PASSWORD, "reader")
    with pytest.raises(AccountError, match="au moins"):
        create_user(store, "Bob", "short", "reader")
    with pytest.raises(AccountError, match="Le nom"):
        create_user(store, "<b>x</b>", PASSWORD, "reader")
    with pytest.raises(AccountError, match="Rôle"):
        create_user(store, "Carol", PASSWORD, "owner")


def test_users_invitation_used_once_and_expires(store: Store) -> None:
    token = create_invitation(store, "analyst", now=T0)
    user = sign_up_with_invitation(store, token, "Anna", PASSWORD, now=T0 + timedelta(hours=1))
    assert user.role == "analyst"
    with pytest.raises(AccountError, match="invitation"):
        sign_up_with_invitation(store, token, "Other", PASSWORD, now=T0 + timedelta(hours=2))
    late = create_invitation(store, "reader", now=T0)
    with pytest.raises(AccountError, match="expirée"):
        sign_up_with_invitation(store, late, "Late", PASSWORD, now=T0 + timedelta(days=8))


def test_users_invitation_given_back_when_the_name_is_taken(store: Store) -> None:
    create_user(store, "Anna", PASSWORD, "reader")
    token = create_invitation(store, "analyst")
    with pytest.raises(AccountError, match="déjà pris"):
        sign_up_with_invitation(store, token, "Anna", PASSWORD)
    assert sign_up_with_invitation(store, token, "Anna B", PASSWORD).role == "analyst"


def test_users_sessions_store_only_a_hash_and_expire(store: Store) -> None:
    alice = create_user(store, "Alice", PASSWORD, "reader")
    token, session = open_session(store, alice, now=T0)
    with store.engine.connect() as conn:
        stored = conn.execute(select(sessions.c.token_hash)).scalars().all()
    assert token not in stored and len(stored) == 1
    assert find_session(store, token, now=T0 + timedelta(days=1)) == session
    assert find_session(store, token, now=T0 + timedelta(days=SESSION_DAYS, seconds=1)) is None


def test_users_last_admin_stays(store: Store) -> None:
    admin = create_user(store, "Root", PASSWORD, "admin")
    with pytest.raises(AccountError, match="dernier"):
        set_role(store, admin.id, "reader")
    with pytest.raises(AccountError, match="dernier"):
        set_disabled(store, admin.id, True)
    other = create_user(store, "Second", PASSWORD, "admin")
    set_role(store, admin.id, "reader")
    with store.engine.connect() as conn:
        roles = dict(conn.execute(select(users.c.name, users.c.role)).all())
    assert roles == {"Root": "reader", "Second": "admin"} and other.role == "admin"
