"""The pages over the hand-built sample store (see tests/api/sample_store.py), on SQLite; and the
fixtures the browser walks share (tests/web/test_browser_*.py): headless Chromium through Playwright,
a server in a thread on a free port, and the screenshots folder."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.sample_store import fill
from veille.api import create_app
from veille.store import Store

CHROMIUM = os.environ.get("VEILLE_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[TestClient]:
    where = str(tmp_path / "web.db")
    with Store.open(where) as store:
        fill(store)
    with TestClient(create_app(where)) as client:
        yield client


def pytest_configure(config: pytest.Config) -> None:
    # Not "slow": CI runs these; they skip by themselves where no browser can run.
    config.addinivalue_line("markers", "browser: drives headless Chromium through Playwright")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's `chromium` (or VEILLE_CHROMIUM) under Playwright; skips, saying why, without them."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[dev]' (or pip install playwright)")
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium, or set VEILLE_CHROMIUM to one")
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def serve() -> Iterator[Callable[[FastAPI], str]]:
    """serve(app) → the base URL of `app` run by uvicorn in a thread on a free port of 127.0.0.1;
    every server started is stopped when the module's tests are done."""
    import uvicorn

    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI) -> str:
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        running.append((server, thread))
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail(f"the test server did not start on 127.0.0.1:{port} within 30 s")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """Where the walks save their screenshots (VEILLE_SCREENSHOTS, else a temporary folder)."""
    folder = Path(os.environ.get("VEILLE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:  # shown whatever the capture mode
        reporter.write_line(f"\nbrowser screenshots: {folder}")
    return folder
