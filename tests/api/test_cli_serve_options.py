"""`veille serve`'s option checks: each bad value names the fix; a good run hands the app to uvicorn."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from veille import cli_serve
from veille.api.app import app_from_environment
from veille.cli_serve import APP_FACTORY, MAX_WORKERS, SERVE_ENV, TOKEN_ENV, check_options, is_loopback, serve
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


def test_cli_serve_options_workers_out_of_range_name_the_fix() -> None:
    for bad in (0, -2, MAX_WORKERS + 1):
        with pytest.raises(ConfigError, match=rf"--workers must be between 1 and {MAX_WORKERS}, got {bad}; "):
            check_options("127.0.0.1", 8000, None, bad)
    check_options("127.0.0.1", 8000, None, 2)


def test_cli_serve_options_workers_run_the_factory_with_the_options(
    sqlite_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    for name in (*SERVE_ENV.values(), TOKEN_ENV):
        # Recorded as they were, so that what `serve` exports is undone after the test.
        monkeypatch.setenv(name, "overwritten by serve")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("one process started for --workers 2"))
    monkeypatch.setattr(cli_serve, "run_workers", lambda host, port, workers: seen.update(workers=workers))
    token = "a-long-enough-token-123"
    serve(db=sqlite_store, host="127.0.0.1", port=8123, token=token, private=True, workers=2)
    assert seen["workers"] == 2
    # Worker processes import the app by name: each builds its own from the environment.
    module, name = APP_FACTORY.split(":")
    assert getattr(importlib.import_module(module), name) is app_from_environment
    app = app_from_environment()
    assert app.state.token == token and app.state.settings.private and not app.state.settings.open_signup
    assert app.state.store.where == sqlite_store
    app.state.store.close()


def test_cli_serve_options_workers_bad_store_fails_before_starting(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: pytest.fail("uvicorn started on a bad store"))
    monkeypatch.setattr(cli_serve, "run_workers", lambda *a: pytest.fail("workers started on a bad store"))
    with pytest.raises(StoreError, match="is a folder"):
        serve(db=str(tmp_path), host="127.0.0.1", port=8000, token=None, workers=2)


def test_cli_serve_options_factory_without_serve_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SERVE_ENV["db"], raising=False)
    with pytest.raises(ConfigError, match=r"VEILLE_SERVE_DB is not set: start the server with `veille serve"):
        app_from_environment()
