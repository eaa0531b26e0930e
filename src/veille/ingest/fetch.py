"""Fetching one URL over HTTP(S), safely: `fetch(url) -> FetchResult` or a `FetchError` with a code.

What "safely" means here, because `veille ingest https://…` may run on a server next to an
intranet and a cloud metadata endpoint:

- Only http and https; only GET; no cookies, no credentials, no proxy from the environment
  (a proxy would connect on our behalf to an address we never checked).
- Every hop is checked before it is contacted: redirects are followed here, not by httpx, and each
  target's host is resolved and refused when ANY of its addresses is loopback, private, link-local,
  multicast, reserved, unspecified or otherwise not global (IPv4 embedded in IPv6 included),
  unless `allow_private`.
- DNS rebinding: the connection goes to the address that was checked. httpx keeps the hostname
  in the URL (so the Host header, SNI and certificate check are the normal ones), but its network
  backend is `_PinnedBackend`, which connects only to the pre-checked addresses of that host and
  refuses any host:port it was not told about. The name is resolved once per hop, by us.
- Time is bounded twice: `timeout` for each connect/read/write, and a wall-clock deadline for the
  whole fetch enforced on every socket operation, so a server trickling one byte a second (body
  or headers) cannot hold the run. Residual: the DNS lookup itself (`getaddrinfo`) cannot be
  interrupted and is bounded only by the system resolver's own timeouts.
- Size is capped on the decoded body (a gzip bomb stops at `max_bytes`, plus at most one decoded
  network read); a Content-Length above the cap is refused before reading. Only gzip and deflate
  are offered in Accept-Encoding, whose expansion per 64 KiB read is bounded.

Webhook deliveries (`veille.watch.webhook`) go through the same check and pinning: `resolve`,
`host_refusal`, `pinned_backend` and `pinned_client` are shared for that.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

FETCH_REASONS: dict[str, str] = {
    "fetch_refused": "the URL is not http(s), or its host is a private, loopback or otherwise "
    "non-public address (pass --allow-private to fetch from private networks)",
    "fetch_failed": "the URL could not be fetched: DNS, connection or TLS failure, or an HTTP "
    "error status (400 and above)",
    "fetch_timeout": "the server was too slow: a connect or read timed out, or the whole fetch "
    "ran past its deadline",
    "too_large": "the response body is larger than --max-bytes",
    "too_many_redirects": "the URL redirected more times than allowed (a redirect loop, often)",
}

DEFAULT_USER_AGENT = "veille/0.1 (+https://github.com/veille)"
ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# The whole fetch (every hop, headers and body) may take this many times the per-operation timeout.
DEFAULT_DEADLINE_FACTOR = 3.0
PRIVATE_HINT = "pass --allow-private to fetch from private networks"
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052 and 8215).
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(slots=True)
class FetchResult:
    """What one fetch brought back. `redirects` lists the URLs that answered with a redirect, in
    order, so `[*redirects, url]` is the whole chain."""

    url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    redirects: list[str] = field(default_factory=list)


class FetchError(Exception):
    """A fetch that did not succeed; `reason` is one of `FETCH_REASONS`, the message names the fix."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


# -- checking addresses (pure) ---------------------------------------------------------------------


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in net for net in NAT64_PREFIXES):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_refusal(address: str | IPAddress) -> str | None:
    """Why `address` may not be fetched from without --allow-private ("a loopback address"), or None
    when it is a public address. Accepts what getaddrinfo returns, scope ids included."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            # An IPv6 form reaches the IPv4 host it embeds, so that host decides.
            return address_refusal(embedded)
    checks = (
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_private, "a private address"),
        (ip.is_reserved, "a reserved address"),
        (not ip.is_global, "not a public address"),
    )
    for failed, why in checks:
        if failed:
            return why
    return None


def host_refusal(host: str, addresses: Iterable[str]) -> str | None:
    """Why `host` may not be contacted, naming the first non-public address among `addresses` (what
    `resolve(host, …)` gave): "10.0.0.5 is a private address" for a literal address, "hook.lan
    resolves to 10.0.0.5, a private address" for a name; None when every address is public. One
    bad address is enough: the connection may go to any of them."""
    for address in addresses:
        why = address_refusal(address)
        if why is not None:
            return f"{address} is {why}" if address == host else f"{host} resolves to {address}, {why}"
    return None


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in getaddrinfo's order, without duplicates.

    Numeric forms (127.0.0.1, 2130706433, 0x7f.1) come back as the address they denote, so they go
    through the same check as names. Tests replace this function to fake DNS."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def ssl_context() -> ssl.SSLContext:
    """The system's trusted certificates, with hostname checking; tests replace it to trust their own."""
    return httpx.create_ssl_context(trust_env=False)


# -- connecting only where we checked --------------------------------------------------------------


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every operation is cut short at the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, backend: _PinnedBackend) -> None:
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._backend.bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._backend.bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        bounded = self._backend.bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded), self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _PinnedBackend(httpcore.NetworkBackend):
    """Connects `host:port` only to the addresses pinned for it after they were checked."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._pins: dict[tuple[str, int], list[str]] = {}
        self._inner = httpcore.SyncBackend()
        # Whether the last socket operation was given less than its own timeout because the
        # deadline was closer: a timeout then is the deadline's, and the message says so.
        self.cut_short = False

    def pin(self, host: str, port: int, addresses: list[str]) -> None:
        self._pins[(host, port)] = addresses

    def bounded(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self.deadline - time.monotonic()
        self.cut_short = timeout is None or remaining < timeout
        if remaining <= 0:
            raise error("the fetch ran past its total deadline")
        return remaining if timeout is None else min(timeout, remaining)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._pins.get((host, port))
        if not addresses:
            # Nothing reaches the network without going through the check first.
            raise httpcore.ConnectError(f"{host}:{port} was not checked before connecting")
        last: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address,
                    port,
                    timeout=self.bounded(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream, self)
        assert last is not None
        raise last


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (exception mapping, streaming) over `_PinnedBackend`.

    httpx does not take a network backend, so the connection pool it builds is replaced with one
    that uses ours; tests against a local server cover this seam if httpx changes."""

    def __init__(self, backend: _PinnedBackend, context: ssl.SSLContext | None = None) -> None:
        super().__init__(trust_env=False, retries=0)
        self._pool = httpcore.ConnectionPool(
            ssl_context=context or ssl_context(),
            max_connections=4,
            retries=0,
            network_backend=backend,
        )


def pinned_client(
    backend: _PinnedBackend,
    timeout: float,
    headers: dict[str, str],
    context: ssl.SSLContext | None = None,
) -> httpx.Client:
    """A client that reaches only what was pinned on `backend` (see `pinned_backend`), follows no
    redirect, and takes no proxy, cookie jar or credentials from the environment. `context`: the
    TLS settings, `ssl_context()` by default."""
    return httpx.Client(
        transport=_PinnedTransport(backend, context),
        headers=headers,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        trust_env=False,
    )


def pinned_backend(host: str, port: int, addresses: list[str], deadline: float) -> _PinnedBackend:
    """A network backend that connects `host:port` only to `addresses`, already checked by the
    caller, with every socket operation cut short at `deadline` (time.monotonic())."""
    backend = _PinnedBackend(deadline)
    backend.pin(host, port, addresses)
    return backend


# -- fetching --------------------------------------------------------------------------------------


def _refused(url: str, why: str) -> FetchError:
    return FetchError("fetch_refused", f"refused to fetch {url}: {why}")


def _check_target(url: str, allow_private: bool) -> tuple[httpx.URL, str, int, list[str]]:
    """Parse, check and resolve one hop: (url, host as connected, port, checked addresses)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise _refused(url, f"not a valid URL ({exc}); check it for typos") from exc
    if not parsed.scheme:
        raise _refused(url, "it has no scheme; write it as https://host/path")
    if parsed.scheme not in ALLOWED_SCHEMES:
        hint = (
            "give the file's path without file:// to read a local file"
            if parsed.scheme == "file"
            else "download it first and ingest the file's path"
        )
        raise _refused(url, f"only http and https URLs are fetched, not {parsed.scheme}; {hint}")
    if not parsed.raw_host:
        raise _refused(url, "the URL has no host; write it as https://host/path")
    if parsed.userinfo:
        raise _refused(url, "the URL carries a user name or password; veille does not send credentials")
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(
            "fetch_failed",
            f"could not fetch {url}: cannot resolve {host} ({exc}); check the host name and your network",
        ) from exc
    if not allow_private:
        where = host_refusal(host, addresses)
        if where is not None:
            raise _refused(url, f"{where}; {PRIVATE_HINT}")
    return parsed, host, port, addresses


@contextmanager
def _errors_mapped(url: str, timeout: float, total: float, backend: _PinnedBackend) -> Iterator[None]:
    """Turn httpx's exceptions into FetchErrors whose message says what to do."""
    try:
        yield
    except httpx.TimeoutException as exc:
        if backend.cut_short or time.monotonic() >= backend.deadline:
            why = f"the whole fetch took longer than {total:g} s"
        else:
            why = f"the server did not answer within {timeout:g} s ({type(exc).__name__})"
        raise FetchError(
            "fetch_timeout", f"gave up on {url}: {why}; retry later or raise the timeout"
        ) from exc
    except (httpx.TransportError, httpx.DecodingError) as exc:
        raise FetchError(
            "fetch_failed",
            f"could not fetch {url}: {type(exc).__name__}: {exc or 'no detail'}; "
            "check the URL in a browser and your network",
        ) from exc


def _read_capped(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    too_large = FetchError(
        "too_large",
        f"refused {url}: the body is larger than {max_bytes} bytes; raise --max-bytes to fetch it",
    )
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(response: httpx.Response) -> tuple[str | None, str | None]:
    raw = response.headers.get("content-type")
    if raw is None:
        return None, None
    media = raw.split(";", 1)[0].strip().lower() or None
    charset = response.charset_encoding
    return media, charset.strip().lower() if charset else None


def fetch(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 50_000_000,
    max_redirects: int = 5,
    allow_private: bool = False,
    user_agent: str = DEFAULT_USER_AGENT,
    total_timeout: float | None = None,
) -> FetchResult:
    """GET `url`, following up to `max_redirects` redirects, each hop checked before it is contacted.

    `timeout` bounds each connect, read and write; `total_timeout` (default 3 × timeout) bounds the
    whole fetch. Raises `FetchError` with a `reason` from `FETCH_REASONS`."""
    total = total_timeout if total_timeout is not None else DEFAULT_DEADLINE_FACTOR * timeout
    deadline = time.monotonic() + total
    backend = _PinnedBackend(deadline)
    headers = {
        "User-Agent": user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,*/*;q=0.8",
        "Accept-Encoding": "gzip, deflate",
    }
    redirects: list[str] = []
    current = url
    with pinned_client(backend, timeout, headers) as client:
        while True:
            target, host, port, addresses = _check_target(current, allow_private)
            backend.pin(host, port, addresses)
            with _errors_mapped(current, timeout, total, backend):
                # No state travels between hops: a cookie set by one site is not sent to the next.
                client.cookies.clear()
                request = client.build_request("GET", target)
                response = client.send(request, stream=True)
                try:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        if len(redirects) >= max_redirects:
                            raise FetchError(
                                "too_many_redirects",
                                f"gave up on {url} after {max_redirects} redirects (the last one from "
                                f"{current} to {location}); open it in a browser to see where it leads",
                            )
                        redirects.append(str(target))
                        current = _join(target, location, current)
                        continue
                    if response.status_code >= 300:
                        raise FetchError(
                            "fetch_failed",
                            f"could not fetch {current}: the server answered HTTP {response.status_code} "
                            f"{response.reason_phrase}; check the URL in a browser",
                        )
                    body = _read_capped(response, str(target), max_bytes)
                    media, charset = _content_type(response)
                    return FetchResult(str(target), response.status_code, media, charset, body, redirects)
                finally:
                    response.close()


def _join(base: httpx.URL, location: str, current: str) -> str:
    try:
        return str(base.join(location))
    except httpx.InvalidURL as exc:
        raise FetchError(
            "fetch_failed",
            f"could not fetch {current}: it redirects to an invalid URL {location!r} ({exc})",
        ) from exc
