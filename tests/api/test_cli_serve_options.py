"""`veille serve`'s option checks: each bad value names the fix; a good run hands the app to uvicorn."""

from __future__ import annotations

from typing import Any

import pytest

from veille.cli_serve import check_options, is_loopback, serve
from veille.errors import ConfigError, StoreError


def test_cli_serve_options_bad_values_name_the_fix() -> None:
    with pytest.raises(ConfigError, match=r"--port must be between 1 and 65535, got 0\."):
        check_options("127.0.0.1", 0, None)
    with pytest.raises(ConfigError, match="--host is empty"):
        check_options(" ", 8000, None)
    with pytest.raises(ConfigError, match="--token must be at least 16 characters"):
        check_options("127.0.0.1", 8000, "short")
    check_options("127.0.0.1", 8000, "a-long-enough-token-123")


def test_cli_serve_options_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")


def test_cli_serve_options_runs_uvicorn_on_the_app(
    sqlite_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    serve(db=sqlite_store, host="127.0.0.1", port=8123, token=None)
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.token is None


def test_cli_serve_options_bad_store_fails_before_listening(tmp_path: Any) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        serve(db=str(tmp_path), host="127.0.0.1", port=8000, token=None)
