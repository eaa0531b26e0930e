"""Users, roles and invitations in the store: plain functions taking a `Store`.

Roles are ordered reader < analyst < admin (`has_role`). Invitation tokens are random and only
their SHA-256 is stored: the link is shown once, when the invitation is made, and a leaked
database holds no usable invitation.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, update

from veille.accounts.passwords import burn_time, hash_password, password_problem, verify_password
from veille.errors import ConfigError
from veille.store import Store
from veille.store.schema_workspace import invitations, sessions, users

ROLES = ("reader", "analyst", "admin")
ROLE_LABELS = {"reader": "lecteur", "analyst": "analyste", "admin": "administrateur"}
INVITATION_DAYS = 7
# Letters (any script), digits, spaces and . _ - ; no markup characters even though names are escaped.
_NAME = re.compile(r"^[\w][\w .\-]{1,38}[\w]$")


@dataclass(frozen=True, slots=True)
class User:
    """A signed-in person as pages and dependencies see them (never with the password hash)."""

    id: str
    name: str
    role: str

    def has_role(self, role: str) -> bool:
        return has_role(self.role, role)


@dataclass(frozen=True, slots=True)
class UserRow:
    id: str
    name: str
    role: str
    created_at: str
    disabled: bool


class AccountError(ConfigError):
    """A request on accounts that cannot be done; the message (French) says why, for the forms."""


def now_utc() -> datetime:
    return datetime.now(UTC)


def stamp(when: datetime) -> str:
    """A UTC time as stored: fixed width, so that strings compare in time order."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def has_role(role: str, needed: str) -> bool:
    """Whether `role` is at least `needed` (reader < analyst < admin)."""
    if needed not in ROLES:
        raise ValueError(f"unknown role {needed!r}: use one of {', '.join(ROLES)}")
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def name_problem(name: str) -> str | None:
    if not _NAME.match(name):
        return (
            "Le nom doit compter de 3 à 40 caractères : lettres, chiffres, espaces, points, tirets "
            "ou soulignés, sans espace au début ni à la fin."
        )
    return None


def create_user(store: Store, name: str, password: str, role: str, *, now: datetime | None = None) -> User:
    """Add a user; raises `AccountError` for a bad name, password or role, or a name already taken."""
    name = name.strip()
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu {role!r} : choisissez parmi {', '.join(ROLES)}.")
    problem = name_problem(name) or password_problem(password)
    if problem:
        raise AccountError(problem)
    user = User(id=secrets.token_hex(8), name=name, role=role)
    row = {"id": user.id, "name": name, "password_hash": hash_password(password), "role": role,
           "created_at": stamp(now or now_utc()), "disabled": 0}  # fmt: skip
    with store._write() as conn:
        taken = conn.execute(select(users.c.id).where(func.lower(users.c.name) == name.lower())).first()
        if taken:
            raise AccountError(f"Le nom « {name} » est déjà pris : choisissez-en un autre.")
        conn.execute(insert(users).values(**row))
    return user


def check_password(store: Store, name: str, password: str) -> User | None:
    """The user named `name` when `password` is theirs and the account is enabled, else None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(users.c.id, users.c.name, users.c.role, users.c.password_hash, users.c.disabled).where(
                users.c.name == name.strip()
            )
        ).first()
    if row is None:
        burn_time(password)
        return None
    if not verify_password(password, row.password_hash) or row.disabled:
        return None
    return User(id=row.id, name=row.name, role=row.role)


def get_user(store: Store, user_id: str) -> UserRow | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(users.c.id, users.c.name, users.c.role, users.c.created_at, users.c.disabled).where(
                users.c.id == user_id
            )
        ).first()
    return None if row is None else UserRow(row.id, row.name, row.role, row.created_at, bool(row.disabled))


def list_users(store: Store) -> list[UserRow]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(users.c.id, users.c.name, users.c.role, users.c.created_at, users.c.disabled).order_by(
                users.c.created_at, users.c.id
            )
        ).all()
    return [UserRow(r.id, r.name, r.role, r.created_at, bool(r.disabled)) for r in rows]


def _enabled_admins(conn: object) -> int:
    query = select(func.count()).select_from(users).where(users.c.role == "admin", users.c.disabled == 0)
    return int(conn.execute(query).scalar_one())  # type: ignore[attr-defined]


def set_role(store: Store, user_id: str, role: str) -> None:
    """Change a user's role; refuses to leave the store without an enabled admin."""
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu {role!r} : choisissez parmi {', '.join(ROLES)}.")
    with store._write() as conn:
        current = conn.execute(select(users.c.role, users.c.disabled).where(users.c.id == user_id)).first()
        if current is None:
            raise AccountError("Cet utilisateur n’existe pas.")
        last_admin = current.role == "admin" and not current.disabled and _enabled_admins(conn) <= 1
        if last_admin and role != "admin":
            raise AccountError("C’est le dernier administrateur : nommez-en un autre d’abord.")
        conn.execute(update(users).where(users.c.id == user_id).values(role=role))


def set_disabled(store: Store, user_id: str, disabled: bool) -> None:
    """Disable (and sign out everywhere) or re-enable a user; the last admin cannot be disabled."""
    from sqlalchemy import delete

    with store._write() as conn:
        current = conn.execute(select(users.c.role, users.c.disabled).where(users.c.id == user_id)).first()
        if current is None:
            raise AccountError("Cet utilisateur n’existe pas.")
        if disabled and current.role == "admin" and not current.disabled and _enabled_admins(conn) <= 1:
            raise AccountError("C’est le dernier administrateur : il ne peut pas être désactivé.")
        conn.execute(update(users).where(users.c.id == user_id).values(disabled=int(disabled)))
        if disabled:
            conn.execute(delete(sessions).where(sessions.c.user_id == user_id))


# -- invitations ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvitationRow:
    token_hash: str
    role: str
    created_by: str | None
    created_at: str
    expires_at: str
    used_at: str | None


def create_invitation(
    store: Store, role: str, created_by: str | None = None, *, days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> str:  # fmt: skip
    """A new invitation for `role`; returns its token (shown once: only its hash is kept)."""
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu {role!r} : choisissez parmi {', '.join(ROLES)}.")
    token = secrets.token_urlsafe(24)
    at = now or now_utc()
    with store._write() as conn:
        conn.execute(
            insert(invitations).values(
                token_hash=sha256(token),
                role=role,
                created_by=created_by,
                created_at=stamp(at),
                expires_at=stamp(at + timedelta(days=days)),
                used_at=None,
            )
        )
    return token


def invitation_role(store: Store, token: str, *, now: datetime | None = None) -> str | None:
    """The role an unused, unexpired invitation gives, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(invitations.c.role).where(
                invitations.c.token_hash == sha256(token),
                invitations.c.used_at.is_(None),
                invitations.c.expires_at > stamp(now or now_utc()),
            )
        ).first()
    return None if row is None else str(row.role)


def sign_up_with_invitation(
    store: Store, token: str, name: str, password: str, *, now: datetime | None = None
) -> User:
    """Create the invited user and use up the invitation, or raise `AccountError` saying why."""
    at = now or now_utc()
    role = invitation_role(store, token, now=at)
    if role is None:
        raise AccountError("Cette invitation n’est pas valable (inconnue, déjà utilisée ou expirée).")
    problem = name_problem(name.strip()) or password_problem(password)
    if problem:
        raise AccountError(problem)
    with store._write() as conn:
        # Claimed in the same statement that checks it is unused: two sign-ups on one link, one wins.
        claimed = conn.execute(
            update(invitations)
            .where(invitations.c.token_hash == sha256(token), invitations.c.used_at.is_(None))
            .values(used_at=stamp(at))
        ).rowcount
    if claimed != 1:
        raise AccountError("Cette invitation vient d’être utilisée.")
    try:
        return create_user(store, name, password, role, now=at)
    except AccountError:
        with store._write() as conn:  # give the link back: the name was taken, the person may retry
            conn.execute(
                update(invitations).where(invitations.c.token_hash == sha256(token)).values(used_at=None)
            )
        raise


def list_invitations(store: Store) -> list[InvitationRow]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(invitations).order_by(invitations.c.created_at.desc())).all()
    return [
        InvitationRow(r.token_hash, r.role, r.created_by, r.created_at, r.expires_at, r.used_at) for r in rows
    ]
