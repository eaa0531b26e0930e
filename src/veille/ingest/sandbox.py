"""Per-document time limit around fragile parsing: one long-lived worker process, killed on a hang.

Why a process and not `signal.alarm`: lxml and libxml2 spend their time in C, where a Python
signal handler only runs once the C call returns, so a pathological page would hold the run
for as long as it likes. A separate process can always be killed.

Why one reused worker and not a pool or a process per page: starting a Python process and
importing trafilatura costs about a second, a hundred times the parse of a typical page. The worker
starts once, imports the modules it is asked to, and then serves calls over a pipe; the cost of
a call is pickling its arguments and result (about 0.1 ms for a 50 kB page, see
docs/benchmarks.md). It is killed and replaced only after a timeout or a crash.

Workers never outlive veille: they are stopped when the interpreter exits (atexit), they leave
their loop when the socket to the parent closes, and on Linux they ask the kernel for
SIGKILL when their parent dies, so even a worker stuck in C does not linger after a `kill -9`.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")

# Starting a worker and importing its modules is not the page's fault: it gets its own, generous limit.
START_TIMEOUT = 120.0
_PR_SET_PDEATHSIG = 1


class DocumentTimeout(Exception):
    """Parsing one document took longer than the limit."""


class ParserCrash(Exception):
    """The parser died on one document (the worker process exited, or the parser raised)."""


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: the closed socket still ends the worker
        pass


def _worker_main(fd: int) -> None:
    """The worker's loop: ("import", name) or ("call", fn, args) in, ("ok", value) or ("error", text) out."""
    _die_with_parent()
    # Ctrl-C goes to the whole process group; the parent decides what happens to the run.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A library that prints must not reach the parent's terminal as if it were veille's output.
    os.dup2(2, 1)
    conn = Connection(fd)
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return  # the parent closed the socket or died
        try:
            # Unpickled here, not by recv(), so that a function the worker cannot import is an error
            # reported to the caller rather than the end of the worker.
            message = pickle.loads(data)
            if message[0] == "path":
                sys.path[:] = message[1]
                reply: tuple[str, Any] = ("ok", None)
            elif message[0] == "import":
                importlib.import_module(message[1])
                reply = ("ok", None)
            else:
                _, fn, args = message
                reply = ("ok", fn(*args))
        except BaseException as exc:
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except Exception as exc:
            conn.send(("error", f"the result could not be sent back ({type(exc).__name__}: {exc})"))


class Sandbox:
    """One worker process that runs `fn(*args)` under a time limit, restarted after a hang or crash.

    `fn` and its arguments must be picklable (module-level functions, plain data). Not meant to be
    shared between threads: calls are serialised by a lock.
    """

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError(f"the time limit must be a positive number of seconds, got {seconds}")
        self.seconds = seconds
        self.restarts = 0  # workers replaced after a timeout or a crash
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._imported: set[str] = set()
        self._lock = threading.Lock()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id, None while no worker runs."""
        return self._process.pid if self._process is not None else None

    def call(self, fn: Callable[..., T], *args: Any, seconds: float | None = None) -> T:
        """`fn(*args)` run in the worker; `seconds` overrides the sandbox's limit for this call.

        Raises DocumentTimeout (the worker is killed and replaced on the next call) or ParserCrash
        (`fn` raised, or the worker died).
        """
        limit = self.seconds if seconds is None else seconds
        with self._lock:
            # Import fn's module before the clock starts: a cold import is not the page's time.
            module = getattr(fn, "__module__", None)
            if isinstance(module, str):
                self._ensure_imported(module)
            return self._exchange(("call", fn, args), limit, timed=True)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the worker (idempotent). The sandbox can still be used: the next call starts one."""
        with self._lock:
            self._stop()

    def _ensure_imported(self, module: str) -> None:
        if module in self._imported or module in ("builtins", "__main__", "__mp_main__"):
            return
        self._exchange(("import", module), START_TIMEOUT, timed=False)
        self._imported.add(module)

    def _exchange(self, message: tuple[Any, ...], limit: float, *, timed: bool) -> Any:
        conn = self._start()
        try:
            conn.send(message)
        except (OSError, ValueError) as exc:
            self._stop(failed=True)
            raise ParserCrash(f"the worker could not be reached ({exc}); it is restarted") from exc
        if not conn.poll(limit):
            self._stop(failed=True)
            if timed:
                raise DocumentTimeout(f"no result after {limit:g} s")
            raise ParserCrash(f"the worker did not start within {limit:g} s")
        try:
            status, value = conn.recv()
        except (EOFError, OSError) as exc:
            code = self._exit_code()
            self._stop(failed=True)
            raise ParserCrash(f"the worker process died (exit code {code})") from exc
        if status == "error":
            raise ParserCrash(str(value))
        return value

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        try:
            # The socket closes a moment before the process can be reaped.
            return self._process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return None

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.poll() is None:
            return self._conn
        self._stop()
        # A plain subprocess, not multiprocessing: multiprocessing's spawn and forkserver would
        # re-run the caller's main script in the worker, and fork would copy the caller's threads.
        ours, theirs = socket.socketpair()
        code = f"from veille.ingest.sandbox import _worker_main; _worker_main({theirs.fileno()})"
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", code], pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL
            )
        finally:
            theirs.close()  # so that the worker's death reads as end-of-file here
        conn = Connection(ours.detach())
        self._process, self._conn = process, conn
        _live.add(self)
        # The worker must import fn's module the way the caller does.
        self._exchange(("path", list(sys.path)), START_TIMEOUT, timed=False)
        return conn

    def _stop(self, *, failed: bool = False) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn = None, None
        self._imported = set()
        if conn is not None:
            conn.close()
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait()
        _live.discard(self)
        if failed:
            self.restarts += 1


# Sandboxes holding a worker, stopped at exit (the daemon flag would also do it, but joining them
# here avoids multiprocessing's warnings about processes still running at shutdown).
_live: set[Sandbox] = set()
_default: list[Sandbox] = []  # the one shared sandbox, once created
_default_lock = threading.Lock()


def default_sandbox() -> Sandbox:
    """The process-wide sandbox `call_with_timeout` uses, created on first use."""
    with _default_lock:
        if not _default:
            _default.append(Sandbox(seconds=30.0))
        return _default[0]


def call_with_timeout(fn: Callable[..., T], *args: Any, seconds: float) -> T:
    """Run `fn(*args)` and return its result, or raise DocumentTimeout / ParserCrash.

    Uses one worker for the whole process (see `default_sandbox`), so consecutive pages do not pay
    for a new process each.
    """
    return default_sandbox().call(fn, *args, seconds=seconds)


@atexit.register
def _close_all() -> None:
    for sandbox in list(_live):
        sandbox.close()
