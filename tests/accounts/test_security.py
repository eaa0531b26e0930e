"""Security of the members' features: no write without a session, CSRF on every form, sign-in rate
limiting, authors alone edit their comments, admins alone moderate, cookie flags, untrusted text
escaped, password hashes never served nor exported."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from accounts.conftest import PASSWORD, MakeClient, add_user, sign_in
from accounts.test_pages import csrf_of, form_token, post_sign_in
from veille.accounts.comments import add_comment, thread
from veille.accounts.ratelimit import SIGN_IN
from veille.store import Store
from veille.store.export import export
from veille.store.schema_workspace import users

COMMENT = {"target_kind": "story", "target_id": "s1", "text": "Bonjour"}


def test_security_no_write_without_a_session(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    alice = add_user(store, "Alice", "analyst")
    theirs = add_comment(store, alice, "story", "s1", "Texte")
    for url, data in [
        ("/commentaires", COMMENT),
        (f"/commentaires/{theirs.id}/modifier", {"text": "x"}),
        (f"/commentaires/{theirs.id}/supprimer", {}),
        (f"/commentaires/{theirs.id}/masquer", {}),
        ("/admin/invitations", {"role": "admin"}),
        (f"/admin/utilisateurs/{alice.id}", {"action": "role", "role": "admin"}),
        ("/deconnexion", {}),
    ]:
        assert client.post(url, data={**data, "csrf_token": "guess"}).status_code == 403, url
    assert [c.text for c in thread(store, "story", "s1")] == ["Texte"]


def test_security_csrf_token_required_on_every_form(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    root = add_user(store, "Root", "admin")
    csrf = sign_in(client, store, root)
    mine = add_comment(store, root, "story", "s1", "Texte")
    for url, data in [
        ("/commentaires", COMMENT),
        (f"/commentaires/{mine.id}/modifier", {"text": "x"}),
        (f"/commentaires/{mine.id}/supprimer", {}),
        (f"/commentaires/{mine.id}/masquer", {}),
        ("/admin/invitations", {"role": "admin"}),
        ("/deconnexion", {}),
    ]:
        assert client.post(url, data=data).status_code == 403, url
        assert client.post(url, data={**data, "csrf_token": csrf + "x"}).status_code == 403, url
    assert [c.text for c in thread(store, "story", "s1")] == ["Texte"]
    assert client.post("/commentaires", data={**COMMENT, "csrf_token": csrf}).status_code == 303


def test_security_sign_in_form_needs_its_form_token(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    client = make_client()
    client.get("/connexion")
    data = {"name": "Alice", "password": PASSWORD, "form_token": "forged"}
    assert client.post("/connexion", data=data).status_code == 403
    assert "veille_session" not in client.cookies


def test_security_wrong_passwords_are_rate_limited(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    client = make_client()
    for _ in range(SIGN_IN.attempts):
        assert post_sign_in(client, "Alice", "guess-guess").status_code == 401
    blocked = post_sign_in(client, "Alice", PASSWORD)  # even the right password, for now
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= SIGN_IN.window.total_seconds()
    assert "Trop d’essais" in blocked.text
    # The client's address is blocked too, whatever name it tries next.
    add_user(store, "Bob", "reader")
    assert post_sign_in(client, "Bob", PASSWORD).status_code == 429


def test_security_another_users_comment_not_editable(make_client: MakeClient, store: Store) -> None:
    alice = add_user(store, "Alice", "analyst")
    theirs = add_comment(store, alice, "story", "s1", "Texte d’Alice")
    mallory = make_client()
    csrf = sign_in(mallory, store, add_user(store, "Mallory", "admin"))
    edit = mallory.post(f"/commentaires/{theirs.id}/modifier", data={"text": "Pirate", "csrf_token": csrf})
    assert edit.status_code == 403
    assert mallory.post(f"/commentaires/{theirs.id}/supprimer", data={"csrf_token": csrf}).status_code == 403
    assert [c.text for c in thread(store, "story", "s1")] == ["Texte d’Alice"]


def test_security_only_admins_moderate(make_client: MakeClient, store: Store) -> None:
    bob = add_user(store, "Bob", "reader")
    rude = add_comment(store, bob, "story", "s1", "Grossier")
    analyst = make_client()
    csrf = sign_in(analyst, store, add_user(store, "Anna", "analyst"))
    assert analyst.post(f"/commentaires/{rude.id}/masquer", data={"csrf_token": csrf}).status_code == 403
    admin = make_client()
    csrf = sign_in(admin, store, add_user(store, "Root", "admin"))
    assert admin.post(f"/commentaires/{rude.id}/masquer", data={"csrf_token": csrf}).status_code == 303
    assert "Grossier" not in make_client().get("/histoire/s1").text
    assert "Grossier" in admin.get("/histoire/s1").text


def test_security_session_cookie_flags(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    response = post_sign_in(make_client(), "Alice", PASSWORD)
    cookie = response.headers["set-cookie"].lower()
    assert "veille_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie.split("veille_form")[0]  # plain http on loopback
    https = make_client()
    https.base_url = https.base_url.copy_with(scheme="https")
    page = https.get("/connexion")
    data = {"name": "Alice", "password": PASSWORD, "form_token": form_token(page.text)}
    secure = https.post("/connexion", data=data).headers["set-cookie"].lower()
    assert "veille_session=" in secure and "; secure" in secure


def test_security_comment_text_is_escaped(make_client: MakeClient, store: Store) -> None:
    alice = add_user(store, "Alice", "analyst")
    add_comment(store, alice, "story", "s1", '<script>alert("x")</script><img src=x onerror=alert(1)>')
    page = make_client().get("/histoire/s1").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_security_password_hashes_never_served_or_exported(
    make_client: MakeClient, store: Store, tmp_path: Path
) -> None:
    root = add_user(store, "Root", "admin")
    client: TestClient = make_client()
    csrf = sign_in(client, store, root)
    client.post("/commentaires", data={**COMMENT, "csrf_token": csrf})
    with store.engine.connect() as conn:
        (stored,) = conn.execute(select(users.c.password_hash)).scalars().all()
    salt_and_key = stored.split("$", 4)[4]
    pages = ["/", "/histoire/s1", "/article/a1", "/entite/ent_carter", "/admin/utilisateurs", "/connexion",
             "/api/stories", "/api/articles", "/openapi.json"]  # fmt: skip
    for url in pages:
        body = client.get(url).text
        assert "scrypt$" not in body and salt_and_key not in body, url
    assert csrf_of(client.get("/histoire/s1").text) == csrf
    export(store, tmp_path / "out")
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"scrypt$" not in data and salt_and_key.encode() not in data, path
    assert not re.search("password", "".join(p.name for p in (tmp_path / "out").rglob("*")))
