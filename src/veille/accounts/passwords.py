"""Password hashing with scrypt from the standard library (no new dependency).

A hash is stored as a self-describing string, `scrypt$n$r$p$salt$key` (salt and key in base64), so
the cost parameters can be raised later and old hashes still verify. Comparison is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

SCHEME = "scrypt"
N, R, P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 8
MAX_LENGTH = 256  # scrypt hashes any length; a bound keeps a huge form field from costing memory
# scrypt's own default memory bound (32 MiB) is too tight for some parameter sets read back from a
# stored hash; 128 * n * r * p bytes is what it needs, plus headroom.
_MAXMEM = 64 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=KEY_BYTES)


def hash_password(password: str) -> str:
    """The stored form of `password`: `scrypt$16384$8$1$<salt>$<key>` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    return f"{SCHEME}${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` matches the stored hash; False for a malformed or foreign hash."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != SCHEME:
            return False
        expected = base64.b64decode(key)
        derived = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return secrets.compare_digest(derived, expected)


# Verifying against this when a name is unknown makes a wrong name cost as long as a wrong password,
# so response times do not tell which names exist.
_DUMMY = hash_password(secrets.token_urlsafe(16))


def burn_time(password: str) -> None:
    verify_password(password, _DUMMY)


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used (in French, for the forms), or None when it can."""
    if len(password) < MIN_LENGTH:
        return f"Le mot de passe doit compter au moins {MIN_LENGTH} caractères."
    if len(password) > MAX_LENGTH:
        return f"Le mot de passe ne doit pas dépasser {MAX_LENGTH} caractères."
    return None
