"""Run the `veille` command in-process, as a user would from a shell, and capture what it prints."""

from __future__ import annotations

import sys

import pytest

from veille import cli


def veille(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `veille ARGS…`; errors exit 2 through `cli.main`."""
    monkeypatch.setattr(sys, "argv", ["veille", *args])
    for console in (cli.console, cli.errors):  # no wrapping: assertions read whole lines
        monkeypatch.setattr(console, "width", 250)
    code = 0
    try:
        cli.main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
