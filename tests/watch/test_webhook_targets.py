"""Where webhooks may go (issue 11): non-public targets refused at delivery and at save time,
redirects not followed, and all of it lifted by VEILLE_WEBHOOK_ALLOW_PRIVATE / --allow-private-webhooks.

No test contacts anything but 127.0.0.1: other names resolve through a monkeypatched
`fetch.resolve`, as in tests/ingest/test_fetch.py, and refused targets are refused before any
connection is made (the tests prove it by failing any attempt to build a connection)."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.sample_store import fill
from cli_runner import veille
from self_signed import self_signed
from veille import cli_watch
from veille.ingest import fetch
from veille.store import Store
from veille.store.watch import get_watchlist
from veille.watch import webhook
from veille.watch.webhook import deliver_due, target_refusal
from watch.test_webhook import SECRET, Receiver, queue_one

HINT = "set VEILLE_WEBHOOK_ALLOW_PRIVATE=1 / --allow-private-webhooks to deliver inside a private network"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(200)
    yield found
    found.close()


def fake_dns(monkeypatch: pytest.MonkeyPatch, table: dict[str, list[str]]) -> list[str]:
    """Make `fetch.resolve` answer from `table` (a missing name fails as DNS would); returns the
    hosts looked up."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    monkeypatch.setattr(fetch, "resolve", resolve)
    return asked


def no_connection(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record (and stop) any attempt to build a connection to a webhook target."""
    tried: list[str] = []

    def pinned_backend(host: str, *args: Any) -> Any:
        tried.append(host)
        raise AssertionError(f"a connection to {host} was prepared")

    monkeypatch.setattr(fetch, "pinned_backend", pinned_backend)
    return tried


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_local_receiver_is_refused_and_gets_nothing(sqlite_store: Store, receiver: Receiver) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    for url, why in [
        (receiver.url, "127.0.0.1 is a loopback address"),
        (f"http://localhost:{port}/hook", "localhost resolves to"),
        (f"http://0x7f.1:{port}/hook", "0x7f.1 resolves to 127.0.0.1, a loopback address"),
        (f"http://2130706433:{port}/hook", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ]:
        queue_one(sqlite_store, url, name=url)
        [done] = deliver_due(sqlite_store)
        assert (done.status, done.attempts, done.next_attempt_at) == ("failed", 1, None), url
        assert done.last_error is not None and why in done.last_error and HINT in done.last_error
    assert receiver.received == []
    assert deliver_due(sqlite_store) == []  # failed at once: not retried


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("10.0.0.5", "10.0.0.5 is a private address"),
        ("192.168.1.20", "192.168.1.20 is a private address"),
        ("169.254.169.254", "169.254.169.254 is a link-local address"),  # cloud metadata
        ("[::1]", "::1 is a loopback address"),
        ("[::ffff:10.0.0.5]", "::ffff:10.0.0.5 is a private address"),
        ("[fd00::1]", "fd00::1 is a private address"),
        ("0.0.0.0", "0.0.0.0 is an unspecified address"),
    ],
)
@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_private_literal_addresses_are_refused_before_connecting(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, host: str, why: str
) -> None:
    tried = no_connection(monkeypatch)
    queue_one(sqlite_store, f"http://{host}/hook")
    [done] = deliver_due(sqlite_store)
    assert (done.status, done.attempts) == ("failed", 1)
    assert done.last_error == f"webhook target {why}; {HINT}"
    assert tried == []


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_name_resolving_to_private_is_refused(
    sqlite_store: Store, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    # One public address is not enough: the connection could go to any of them.
    fake_dns(monkeypatch, {"hook.test": ["93.184.216.34", "127.0.0.1"], "meta.test": ["169.254.169.254"]})
    queue_one(sqlite_store, f"http://hook.test:{port}/hook")
    [done] = deliver_due(sqlite_store)
    assert done.status == "failed"
    assert done.last_error == f"webhook target hook.test resolves to 127.0.0.1, a loopback address; {HINT}"
    queue_one(sqlite_store, "https://meta.test/latest/meta-data/", name="meta")
    [meta] = deliver_due(sqlite_store)
    assert (
        meta.last_error is not None
        and "meta.test resolves to 169.254.169.254, a link-local" in meta.last_error
    )
    assert receiver.received == []


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_unresolvable_name_is_retried_not_failed(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_dns(monkeypatch, {})
    queue_one(sqlite_store, "https://down.test/hook")
    [done] = deliver_due(sqlite_store)
    assert (done.status, done.attempts) == ("pending", 1) and done.next_attempt_at is not None
    assert done.last_error is not None and done.last_error.startswith("cannot resolve down.test")


@pytest.mark.usefixtures("allow_private_webhooks")
def test_webhook_redirect_is_not_followed_even_when_allowed(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = Receiver(200)
    outer = Receiver(307, location=inner.url)
    metadata = Receiver(302, location="http://169.254.169.254/latest/meta-data/")
    asked: list[str] = []
    real_resolve = fetch.resolve

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return real_resolve(host, port)

    monkeypatch.setattr(fetch, "resolve", resolve)
    try:
        queue_one(sqlite_store, outer.url)
        [done] = deliver_due(sqlite_store)
        assert done.status == "pending" and done.last_error is not None
        assert f"HTTP 307 (redirect to {inner.url}); webhook redirects are not followed" in done.last_error
        assert len(outer.received) == 1 and inner.received == []
        queue_one(sqlite_store, metadata.url, name="metadata")
        [done] = deliver_due(sqlite_store)  # the first one waits for its back-off
        assert "redirect to http://169.254.169.254/latest/meta-data/" in (done.last_error or "")
        assert len(metadata.received) == 1
        assert set(asked) == {"127.0.0.1"}  # the redirect targets were never even looked up
    finally:
        for server in (inner, outer, metadata):
            server.close()


@pytest.mark.usefixtures("allow_private_webhooks")
def test_webhook_name_is_connected_to_its_checked_address(
    sqlite_store: Store, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hook.test exists only in the fake DNS: the receiver is reached because the connection goes to
    # the address that was checked, not to a second lookup of the name.
    port = receiver.url.split(":")[2].split("/")[0]
    asked = fake_dns(monkeypatch, {"hook.test": ["127.0.0.1"]})
    queue_one(sqlite_store, f"http://hook.test:{port}/hook")
    [done] = deliver_due(sqlite_store)
    assert (done.status, done.last_error) == ("delivered", None)
    assert asked == ["hook.test"] and len(receiver.received) == 1


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_private_receiver_is_delivered_when_allowed(
    sqlite_store: Store, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_one(sqlite_store, receiver.url)
    [done] = deliver_due(sqlite_store, allow_private=True)
    assert done.status == "delivered" and len(receiver.received) == 1
    monkeypatch.setenv("VEILLE_WEBHOOK_ALLOW_PRIVATE", "1")
    queue_one(sqlite_store, receiver.url, name="LAN")
    [done] = deliver_due(sqlite_store)
    assert done.status == "delivered" and len(receiver.received) == 2


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_target_refusal_at_save_time(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_dns(
        monkeypatch,
        {"hook.lan": ["192.168.1.9"], "hooks.example": ["93.184.216.34"], "10.1.2.3": ["10.1.2.3"]},
    )
    assert target_refusal("http://10.1.2.3/h") == f"webhook target 10.1.2.3 is a private address; {HINT}"
    assert target_refusal("http://hook.lan/h") == (
        f"webhook target hook.lan resolves to 192.168.1.9, a private address; {HINT}"
    )
    assert target_refusal("https://hooks.example/h") is None
    assert target_refusal("https://dns-is-down.example/h") is None  # delivery time decides
    assert target_refusal("http://10.1.2.3/h", allow_private=True) is None
    monkeypatch.setenv("VEILLE_WEBHOOK_ALLOW_PRIVATE", "1")
    assert target_refusal("http://hook.lan/h") is None


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_private_target_is_refused_by_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veille.api import create_app

    where = str(tmp_path / "api.db")
    with Store.open(where) as store:
        fill(store)
    fake_dns(monkeypatch, {"10.0.0.5": ["10.0.0.5"], "169.254.169.254": ["169.254.169.254"]})
    auth = {"Authorization": "Bearer t0ken"}
    body = {"name": "Carter", "keywords": "Daech", "webhook_secret": SECRET}
    with TestClient(create_app(where, token="t0ken")) as client:
        refused = client.post(
            "/api/watchlists", json={**body, "webhook_url": "http://10.0.0.5/h"}, headers=auth
        )
        assert refused.status_code == 422
        assert refused.json()["detail"] == f"webhook target 10.0.0.5 is a private address; {HINT}"
        assert client.get("/api/watchlists").json() == []
        # A name that does not resolve now is saved: the DNS may be down, each delivery checks again.
        made = client.post(
            "/api/watchlists", json={**body, "webhook_url": "https://later.test/h"}, headers=auth
        )
        assert made.status_code == 201, made.text
        moved = client.put(
            f"/api/watchlists/{made.json()['id']}",
            json={**body, "webhook_url": "http://169.254.169.254/latest/meta-data/"},
            headers=auth,
        )
        assert (
            moved.status_code == 422 and "169.254.169.254 is a link-local address" in moved.json()["detail"]
        )
        assert (
            client.get(f"/api/watchlists/{made.json()['id']}").json()["webhook_url"] == "https://later.test/h"
        )
        monkeypatch.setenv("VEILLE_WEBHOOK_ALLOW_PRIVATE", "1")
        allowed = client.post(
            "/api/watchlists", json={**body, "name": "LAN", "webhook_url": "http://10.0.0.5/h"}, headers=auth
        )
        assert allowed.status_code == 201, allowed.text


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_private_target_is_refused_by_watch_add(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "v.db")
    toml = tmp_path / "w.toml"
    toml.write_text(
        f'name = "Daech"\nkeywords = "Daech"\n'
        f'webhook_url = "http://127.0.0.1:9/h"\nwebhook_secret = "{SECRET}"\n',
        encoding="utf-8",
    )
    code, _, err = veille(monkeypatch, capsys, "watch", "add", str(toml), "--db", db)
    assert code == 2
    assert "watchlist 1 (Daech): webhook target 127.0.0.1 is a loopback address" in " ".join(err.split())
    with Store.open(db) as store:
        assert get_watchlist(store, "Daech") is None
    monkeypatch.setattr(cli_watch.console, "width", 250)
    code, out, _ = veille(
        monkeypatch, capsys, "watch", "add", str(toml), "--db", db, "--allow-private-webhooks"
    )
    assert code == 0 and "saved watchlist Daech" in out


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_watch_deliver_flag_allows_a_lan_receiver(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "v.db")
    with Store.open(db) as store:
        queue_one(store, receiver.url)
    monkeypatch.setattr(cli_watch.console, "width", 250)
    code, out, _ = veille(monkeypatch, capsys, "watch", "deliver", "--db", db, "--allow-private-webhooks")
    assert code == 0 and ": delivered after 1 attempt(s)" in out
    assert len(receiver.received) == 1


@pytest.mark.usefixtures("allow_private_webhooks")
def test_webhook_https_receiver_is_reached_by_name_with_its_certificate_checked(
    sqlite_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, server_side = self_signed(tmp_path, "hook.test")
    secure = Receiver(200, tls=server_side)
    try:
        port = secure.url.split(":")[2].split("/")[0]
        fake_dns(monkeypatch, {"hook.test": ["127.0.0.1"]})
        # The machine does not trust the test certificate: refused by TLS, retried later.
        queue_one(sqlite_store, f"https://hook.test:{port}/hook")
        [untrusted] = deliver_due(sqlite_store)
        assert untrusted.status == "pending" and "CERTIFICATE_VERIFY_FAILED" in (untrusted.last_error or "")
        # Trusted, it is reached by its name (SNI and certificate for hook.test) at the pinned address.
        monkeypatch.setattr(webhook, "ssl_context", lambda: ssl.create_default_context(cafile=str(cert)))
        queue_one(sqlite_store, f"https://hook.test:{port}/hook", name="TLS")
        [trusted] = deliver_due(sqlite_store)
        assert (trusted.status, trusted.last_error) == ("delivered", None)
        assert len(secure.received) == 1
    finally:
        secure.close()


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_serve_flag_allows_private_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from veille.cli_serve import serve

    where = str(tmp_path / "serve.db")
    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    token = "a-long-enough-token-123"
    body = {"name": "LAN", "keywords": "Daech", "webhook_url": "http://10.0.0.5/h", "webhook_secret": SECRET}
    answers = []
    for allow in (False, True):
        serve(db=where, host="127.0.0.1", port=8123, token=token, allow_private_webhooks=allow)
        with TestClient(seen["app"]) as client:
            answer = client.post("/api/watchlists", json=body, headers={"Authorization": f"Bearer {token}"})
            answers.append(answer.status_code)
    assert answers == [422, 201]


@pytest.mark.usefixtures("private_webhooks_refused")
def test_webhook_ingest_flag_sets_the_setting_for_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from veille import report

    during: list[bool] = []

    def run(*args: Any, **kwargs: Any) -> tuple[None, None]:
        during.append(webhook.allow_private_webhooks())
        return None, None

    monkeypatch.setattr(report, "ingest_with_progress", run)
    monkeypatch.setattr(report, "print_run_summary", lambda *args: None)
    for flag in ([], ["--allow-private-webhooks"]):
        code, _, _ = veille(
            monkeypatch, capsys, "ingest", str(tmp_path), "--db", str(tmp_path / "v.db"), *flag
        )
        assert code == 0
    assert during == [False, True]
