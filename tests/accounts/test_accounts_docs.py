"""docs/accounts.md states the limits the code enforces: a change to one without the other fails here."""

from __future__ import annotations

from pathlib import Path

from veille.accounts import captcha, passwords, ratelimit, sessions
from veille.accounts.users import INVITATION_DAYS, ROLES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "accounts.md").read_text(encoding="utf-8")


def test_accounts_docs_state_the_enforced_limits() -> None:
    minutes = int(ratelimit.SIGN_IN.window.total_seconds() // 60)
    assert f"**{ratelimit.SIGN_IN.attempts} failures within {minutes} minutes**" in DOC
    assert f"at most {ratelimit.SIGN_UP.attempts} sign-ups per client address per hour" in DOC
    assert ratelimit.SIGN_UP.window.total_seconds() == 3600
    assert f"valid {INVITATION_DAYS} days" in DOC
    assert f"{sessions.SESSION_DAYS} days" in DOC
    assert f"At least {passwords.MIN_LENGTH} characters" in DOC
    assert f"{captcha.LENGTH}-character code" in DOC
    assert f"{int(captcha.LIFETIME.total_seconds() // 60)}-minute expiry" in DOC
    assert f"scrypt${passwords.N}${passwords.R}${passwords.P}$" in DOC


def test_accounts_docs_list_every_role() -> None:
    assert all(f"| {role} (" in DOC for role in ROLES)
