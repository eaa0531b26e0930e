from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import pytest

from veille.ingest.sandbox import DocumentTimeout, ParserCrash, Sandbox, call_with_timeout, default_sandbox


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(seconds=5.0) as box:
        yield box


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sandbox_result_equals_direct_call(sandbox: Sandbox) -> None:
    value = {"titre": "Élection à Paris", "n": [1, 2, 3]}
    assert sandbox.call(json.dumps, value) == json.dumps(value)


def test_sandbox_reuses_one_worker(sandbox: Sandbox) -> None:
    sandbox.call(len, "a")
    pid = sandbox.pid
    sandbox.call(len, "b")
    assert sandbox.pid == pid


def test_sandbox_sleep_past_limit_times_out_then_works(sandbox: Sandbox) -> None:
    with pytest.raises(DocumentTimeout):
        sandbox.call(time.sleep, 30, seconds=0.5)
    assert sandbox.call(len, "abc") == 3
    assert sandbox.restarts == 1


def test_sandbox_timeout_kills_the_hung_worker(sandbox: Sandbox) -> None:
    sandbox.call(len, "a")
    pid = sandbox.pid
    assert pid is not None
    with pytest.raises(DocumentTimeout):
        sandbox.call(time.sleep, 30, seconds=0.5)
    assert not _alive(pid)


def test_sandbox_worker_exit_is_a_crash_then_works(sandbox: Sandbox) -> None:
    with pytest.raises(ParserCrash, match="exit code 1"):
        sandbox.call(os._exit, 1)
    assert sandbox.call(len, "abcd") == 4


def test_sandbox_exception_is_a_crash_and_keeps_the_worker(sandbox: Sandbox) -> None:
    sandbox.call(len, "a")
    pid = sandbox.pid
    with pytest.raises(ParserCrash, match="ValueError: invalid literal"):
        sandbox.call(int, "pas un nombre")
    assert (sandbox.pid, sandbox.restarts) == (pid, 0)


def test_sandbox_close_stops_the_worker() -> None:
    box = Sandbox(seconds=5.0)
    box.call(len, "a")
    pid = box.pid
    assert pid is not None
    box.close()
    assert box.pid is None
    assert not _alive(pid)


def test_sandbox_rejects_a_non_positive_limit() -> None:
    with pytest.raises(ValueError, match="positive number of seconds"):
        Sandbox(seconds=0)


def test_sandbox_call_with_timeout_uses_the_shared_worker() -> None:
    try:
        assert call_with_timeout(len, "abc", seconds=5.0) == 3
        pid = default_sandbox().pid
        assert call_with_timeout(len, "ab", seconds=5.0) == 2
        assert default_sandbox().pid == pid
    finally:
        default_sandbox().close()
