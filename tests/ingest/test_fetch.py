"""Fetching over HTTP against a real server on 127.0.0.1; fake DNS stands in for other hosts.

No test contacts anything but 127.0.0.1: names other than the test server's resolve through a
monkeypatched `resolve`, and refused targets are refused before any connection is made.
"""

from __future__ import annotations

import gzip
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpcore
import pytest

from self_signed import self_signed
from veille.ingest import fetch as fetch_module
from veille.ingest.fetch import FETCH_REASONS, FetchError, address_refusal, fetch

PAGE = "<html><body><p>Un café à Québec.</p></body></html>".encode("iso-8859-1")
BOMB = gzip.compress(b"\0" * 2_000_000)


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(
        self, status: int, body: bytes = b"", headers: dict[str, str] | None = None, sized: bool = True
    ) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if sized:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        path, port = self.path, self.server.server_address[1]
        if path == "/page":
            self._send(200, PAGE, {"Content-Type": "Text/HTML; Charset=ISO-8859-1"})
        elif path == "/r1":
            self._send(302, headers={"Location": "/r2"})
        elif path == "/r2":
            self._send(301, headers={"Location": f"http://127.0.0.1:{port}/page"})
        elif path == "/loop":
            self._send(302, headers={"Location": "/loop"})
        elif path == "/to-internal":
            self._send(302, headers={"Location": f"http://internal.test:{port}/page"})
        elif path == "/host":
            self._send(200, self.headers["Host"].encode(), {"Content-Type": "text/plain"})
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"late")
        elif path == "/trickle":
            self._trickle()
        elif path == "/trickle-headers":
            self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Slow: ")
            for _ in range(1000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/big":
            self._send(200, b"x" * 5000)
        elif path == "/big-unsized":
            # HTTP/1.0 without Content-Length: the body runs until the connection closes.
            self._send(200, b"x" * 5000, sized=False)
        elif path == "/bomb":
            self._send(200, BOMB, {"Content-Encoding": "gzip"})
        else:
            self._send(404, b"not here")

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(0.05)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.seen: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up (timeouts, size caps) break the pipe; that is the point of the test.
        pass

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The same server over TLS, with a self-signed certificate for example.test that fetch trusts."""
    cert, server_side = self_signed(tmp_path, "example.test")
    monkeypatch.setattr(fetch_module, "ssl_context", lambda: ssl.create_default_context(cafile=str(cert)))
    srv = Server()
    srv.socket = server_side.wrap_socket(srv.socket, server_side=True)
    thread = threading.Thread(target=srv.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Make `resolve` answer from `table`; returns the list of hosts looked up."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return table[host]

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    return asked


def raises(reason: str, call: Callable[[], object]) -> FetchError:
    with pytest.raises(FetchError) as info:
        call()
    assert info.value.reason == reason, str(info.value)
    assert reason in FETCH_REASONS
    return info.value


# -- the address checker ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("10.0.0.1", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("::1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("0.0.0.0", "an unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("127.0.0.1", "a loopback address"),
        ("100.64.0.1", "not a public address"),
        ("64:ff9b::a00:1", "a private address"),
        ("2002:7f00:1::", "a loopback address"),
    ],
)
def test_fetch_address_refusal_refuses_non_public(address: str, why: str) -> None:
    assert address_refusal(address) == why


def test_fetch_address_refusal_allows_public() -> None:
    assert address_refusal("93.184.216.34") is None
    assert address_refusal("2606:2800:220:1:248:1893:25c8:1946") is None


# -- what is fetched -------------------------------------------------------------------------------


def test_fetch_page_with_content_type_and_charset(server: Server) -> None:
    result = fetch(server.url("/page"), allow_private=True, timeout=2)
    assert (result.status, result.body, result.redirects) == (200, PAGE, [])
    assert (result.content_type, result.charset) == ("text/html", "iso-8859-1")
    assert result.url == server.url("/page")


def test_fetch_follows_and_records_redirects(server: Server) -> None:
    result = fetch(server.url("/r1"), allow_private=True, timeout=2)
    assert result.body == PAGE
    assert result.url == server.url("/page")
    assert result.redirects == [server.url("/r1"), server.url("/r2")]


def test_fetch_redirect_loop_is_too_many_redirects(server: Server) -> None:
    error = raises("too_many_redirects", lambda: fetch(server.url("/loop"), allow_private=True, timeout=2))
    assert "after 5 redirects" in str(error)
    assert server.seen == ["/loop"] * 6


def test_fetch_max_redirects_is_respected(server: Server) -> None:
    raises("too_many_redirects", lambda: fetch(server.url("/r1"), allow_private=True, max_redirects=1))
    assert fetch(server.url("/r1"), allow_private=True, max_redirects=2).body == PAGE


def test_fetch_http_error_keeps_status(server: Server) -> None:
    error = raises("fetch_failed", lambda: fetch(server.url("/missing"), allow_private=True, timeout=2))
    assert "HTTP 404" in str(error)


# -- refusals --------------------------------------------------------------------------------------


def test_fetch_loopback_refused_without_contact(server: Server) -> None:
    url = server.url("/page")
    error = raises("fetch_refused", lambda: fetch(url))
    assert str(error) == (
        f"refused to fetch {url}: 127.0.0.1 is a loopback address; "
        "pass --allow-private to fetch from private networks"
    )
    assert server.seen == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/"])
def test_fetch_non_http_scheme_refused(url: str) -> None:
    error = raises("fetch_refused", lambda: fetch(url, allow_private=True))
    assert "only http and https URLs are fetched" in str(error)


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/"])
def test_fetch_numeric_loopback_forms_refused(url: str) -> None:
    error = raises("fetch_refused", lambda: fetch(url))
    assert "127.0.0.1, a loopback address" in str(error) or "is a loopback address" in str(error)


def test_fetch_credentials_in_url_refused() -> None:
    raises("fetch_refused", lambda: fetch("http://user:secret@127.0.0.1/", allow_private=True))


def test_fetch_name_resolving_to_loopback_refused_then_allowed(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"example.test": ["127.0.0.1"]})
    url = f"http://example.test:{server.server_address[1]}/page"
    error = raises("fetch_refused", lambda: fetch(url))
    assert "example.test resolves to 127.0.0.1, a loopback address; pass --allow-private" in str(error)
    assert server.seen == []
    assert fetch(url, allow_private=True, timeout=2).body == PAGE


def test_fetch_connects_to_checked_address_with_host_kept(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # example.test exists only in the fake DNS: reaching the server proves httpx did not resolve it again.
    asked = fake_dns(monkeypatch, {"example.test": ["127.0.0.1"]})
    port = server.server_address[1]
    result = fetch(f"http://example.test:{port}/host", allow_private=True, timeout=2)
    assert result.body == f"example.test:{port}".encode()
    assert asked == ["example.test"]


def test_fetch_redirect_to_private_refused_at_the_hop(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    # public.test stands for a public site (its address is let through); it redirects inside.
    fake_dns(monkeypatch, {"public.test": ["127.0.0.1"], "internal.test": ["10.0.0.1"]})
    real = address_refusal
    monkeypatch.setattr(fetch_module, "address_refusal", lambda a: None if a == "127.0.0.1" else real(a))
    url = f"http://public.test:{server.server_address[1]}/to-internal"
    error = raises("fetch_refused", lambda: fetch(url, timeout=2))
    assert "internal.test resolves to 10.0.0.1, a private address" in str(error)
    assert server.seen == ["/to-internal"]


def test_fetch_redirect_across_names_allowed_when_private_allowed(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"public.test": ["127.0.0.1"], "internal.test": ["127.0.0.1"]})
    port = server.server_address[1]
    result = fetch(f"http://public.test:{port}/to-internal", allow_private=True, timeout=2)
    assert result.url == f"http://internal.test:{port}/page"
    assert result.redirects == [f"http://public.test:{port}/to-internal"]


def test_fetch_https_pinned_keeps_sni_and_certificate_check(
    tls_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"example.test": ["127.0.0.1"]})
    port = tls_server.server_address[1]
    result = fetch(f"https://example.test:{port}/host", allow_private=True, timeout=2)
    assert result.body == f"example.test:{port}".encode()


def test_fetch_https_certificate_for_another_name_fails(
    tls_server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {"other.test": ["127.0.0.1"]})
    url = f"https://other.test:{tls_server.server_address[1]}/host"
    error = raises("fetch_failed", lambda: fetch(url, allow_private=True, timeout=2))
    assert "CERTIFICATE_VERIFY_FAILED" in str(error) or "certificate" in str(error).lower()


def test_fetch_backend_refuses_unchecked_host() -> None:
    backend = fetch_module._PinnedBackend(time.monotonic() + 5)
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("127.0.0.1", 80)


# -- time and size ---------------------------------------------------------------------------------


def test_fetch_slow_server_times_out(server: Server) -> None:
    error = raises("fetch_timeout", lambda: fetch(server.url("/slow"), allow_private=True, timeout=0.3))
    assert "did not answer within 0.3 s" in str(error)


def test_fetch_trickling_server_hits_total_deadline(server: Server) -> None:
    url = server.url("/trickle")
    error = raises("fetch_timeout", lambda: fetch(url, allow_private=True, timeout=1, total_timeout=0.5))
    assert "the whole fetch took longer than 0.5 s" in str(error)


def test_fetch_trickling_headers_hit_total_deadline(server: Server) -> None:
    url = server.url("/trickle-headers")
    error = raises("fetch_timeout", lambda: fetch(url, allow_private=True, timeout=1, total_timeout=0.5))
    assert "the whole fetch took longer than 0.5 s" in str(error)


def test_fetch_declared_body_over_cap_too_large(server: Server) -> None:
    error = raises("too_large", lambda: fetch(server.url("/big"), allow_private=True, max_bytes=1000))
    assert "larger than 1000 bytes; raise --max-bytes" in str(error)


def test_fetch_undeclared_body_over_cap_too_large(server: Server) -> None:
    raises("too_large", lambda: fetch(server.url("/big-unsized"), allow_private=True, max_bytes=1000))


def test_fetch_gzip_bomb_stopped_by_cap(server: Server) -> None:
    raises("too_large", lambda: fetch(server.url("/bomb"), allow_private=True, max_bytes=100_000))
