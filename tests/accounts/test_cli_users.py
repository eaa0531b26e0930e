"""`veille user add / invite / list`, run in-process as from a shell."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from cli_runner import veille
from veille.accounts.users import check_password, invitation_role
from veille.store import Store


def test_cli_users_add_reads_the_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "users.db")
    monkeypatch.setattr(sys, "stdin", io.StringIO("un mot de passe sûr\n"))
    code, out, _ = veille(monkeypatch, capsys, "user", "add", "Claire", "--role", "admin", "--password-stdin",
                          "--db", db)  # fmt: skip
    assert code == 0 and "added Claire (admin)" in out
    with Store.open(db) as store:
        user = check_password(store, "Claire", "un mot de passe sûr")
    assert user is not None and user.role == "admin"
    code, out, _ = veille(monkeypatch, capsys, "user", "list", "--db", db)
    assert code == 0 and "Claire" in out and "scrypt" not in out


def test_cli_users_add_refuses_a_short_password_and_a_bad_role(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "users.db")
    monkeypatch.setattr(sys, "stdin", io.StringIO("court\n"))
    code, _, err = veille(monkeypatch, capsys, "user", "add", "Claire", "--password-stdin", "--db", db)
    assert code == 2 and "8 caractères" in err
    code, _, err = veille(monkeypatch, capsys, "user", "add", "Claire", "--role", "owner", "--db", db)
    assert code == 2 and "--role must be one of reader, analyst, admin" in err


def test_cli_users_invite_prints_a_working_link(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "users.db")
    code, out, _ = veille(monkeypatch, capsys, "user", "invite", "--role", "analyst", "--url",
                          "https://veille.example.org/", "--db", db)  # fmt: skip
    assert code == 0
    link = out.strip()
    assert link.startswith("https://veille.example.org/inscription?invitation=")
    with Store.open(db) as store:
        assert invitation_role(store, link.split("=", 1)[1]) == "analyst"
