"""The members' pages through the real app: sign-in, sign-out, sign-up, the admins' page, comments."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi.testclient import TestClient

from accounts.conftest import PASSWORD, MakeClient, add_user, sign_in
from veille.accounts import captcha as captcha_module
from veille.accounts.settings import AccountSettings
from veille.accounts.users import create_invitation
from veille.store import Store


def form_token(page: str) -> str:
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found, "the page has no form token"
    return found.group(1)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def post_sign_in(client: TestClient, name: str, password: str, suite: str = "/") -> httpx.Response:
    token = form_token(client.get("/connexion").text)
    data = {"name": name, "password": password, "form_token": token, "suite": suite}
    return client.post("/connexion", data=data)


def test_pages_sign_in_sets_a_session_and_goes_back(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    client = make_client()
    response = post_sign_in(client, "Alice", PASSWORD, suite="/histoire/s1")
    assert response.status_code == 303 and response.headers["location"] == "/histoire/s1"
    page = client.get("/histoire/s1").text
    assert "Alice" in page and "Déconnexion" in page


def test_pages_sign_in_never_sends_people_away(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    response = post_sign_in(make_client(), "Alice", PASSWORD, suite="//evil.example/x")
    assert response.headers["location"] == "/"


def test_pages_wrong_password_says_so(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    client = make_client()
    response = post_sign_in(client, "Alice", "not the password")
    assert response.status_code == 401 and "incorrect" in response.text
    assert "veille_session" not in client.cookies


def test_pages_sign_out_ends_the_session(make_client: MakeClient, store: Store) -> None:
    add_user(store, "Alice", "analyst")
    client = make_client()
    post_sign_in(client, "Alice", PASSWORD)
    old_cookie = client.cookies["veille_session"]
    csrf = csrf_of(client.get("/").text)
    assert client.post("/deconnexion", data={"csrf_token": csrf}).status_code == 303
    assert "Connexion" in client.get("/").text
    client.cookies.set("veille_session", old_cookie)  # a copied cookie is worthless after sign-out
    assert "Déconnexion" not in client.get("/").text


def test_pages_sign_up_through_an_invitation(make_client: MakeClient, store: Store) -> None:
    token = create_invitation(store, "analyst")
    client = make_client()
    page = client.get(f"/inscription?invitation={token}")
    assert page.status_code == 200 and "analyste" in page.text
    data = {"name": "Nadia", "password": PASSWORD, "password2": PASSWORD, "invitation": token,
            "form_token": form_token(page.text)}  # fmt: skip
    assert client.post("/inscription", data=data).status_code == 303
    assert "Nadia" in client.get("/").text
    assert make_client().get(f"/inscription?invitation={token}").status_code == 404  # used up


def test_pages_sign_up_closed_without_invitation(make_client: MakeClient) -> None:
    client = make_client()
    assert "invitation" in client.get("/inscription").text
    data = {"name": "Nadia", "password": PASSWORD, "password2": PASSWORD, "form_token": "x"}
    assert client.post("/inscription", data=data).status_code == 403


def test_pages_open_sign_up_needs_the_captcha(
    make_client: MakeClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(captcha_module, "random_code", lambda rng=None: "AK7WP")
    client = make_client(settings=AccountSettings(open_signup=True))
    page = client.get("/inscription").text
    assert "data:image/svg+xml;base64," in page
    fields = {"name": "Olga", "password": PASSWORD, "password2": PASSWORD, "form_token": form_token(page)}
    captcha_id = re.search(r'name="captcha_id" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    wrong = client.post("/inscription", data={**fields, "captcha_id": captcha_id, "captcha": "XXXXX"})
    assert wrong.status_code == 400 and "ne correspond pas" in wrong.text
    page = wrong.text  # a new captcha comes with the refusal; the first one is used up
    again = {**fields, "form_token": form_token(page), "captcha_id": captcha_id, "captcha": "AK7WP"}
    assert client.post("/inscription", data=again).status_code == 400
    fresh_id = re.search(r'name="captcha_id" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    right = {**fields, "form_token": form_token(page), "captcha_id": fresh_id, "captcha": "ak7wp"}
    done = client.post("/inscription", data=right)
    assert done.status_code == 303, re.findall(r"class=\"error\"[^<]*", done.text)
    assert "Olga" in client.get("/").text


def test_pages_admin_invites_and_changes_roles(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    csrf = sign_in(client, store, add_user(store, "Root", "admin"))
    bob = add_user(store, "Bob", "reader")
    made = client.post("/admin/invitations", data={"role": "analyst", "csrf_token": csrf})
    link = re.search(r'id="invitation-link" href="([^"]+)"', made.text)
    assert made.status_code == 200 and link and "/inscription?invitation=" in link.group(1)
    changed = client.post(f"/admin/utilisateurs/{bob.id}", data={"action": "role", "role": "analyst",
                                                                  "csrf_token": csrf})  # fmt: skip
    assert changed.status_code == 303
    assert re.search(r"Bob.*?selected>analyste", client.get("/admin/utilisateurs").text, re.S)


def test_pages_admin_page_is_for_admins(make_client: MakeClient, store: Store) -> None:
    client = make_client()
    assert client.get("/admin/utilisateurs").status_code == 303
    sign_in(client, store, add_user(store, "Anna", "analyst"))
    assert client.get("/admin/utilisateurs").status_code == 403


def test_pages_comment_and_reply_on_a_story(make_client: MakeClient, store: Store) -> None:
    alice, bob = make_client(), make_client()
    csrf_a = sign_in(alice, store, add_user(store, "Alice", "analyst"))
    csrf_b = sign_in(bob, store, add_user(store, "Bob", "reader"))
    posted = alice.post("/commentaires", data={"target_kind": "story", "target_id": "s1",
                                               "text": "Suivre Daech", "csrf_token": csrf_a})  # fmt: skip
    assert posted.status_code == 303
    comment_id = posted.headers["location"].split("#commentaire-")[1]
    data = {"target_kind": "story", "target_id": "s1", "parent_id": comment_id, "text": "D’accord",
            "csrf_token": csrf_b}  # fmt: skip
    reply = bob.post("/commentaires", data=data)
    assert reply.status_code == 303
    page = make_client().get("/histoire/s1").text  # visitors read comments on a public server
    assert re.search(r"Suivre Daech.*class=\"replies\".*D’accord", page, re.S)


@pytest.mark.parametrize(
    ("kind", "ident", "url"),
    [("article", "a1", "/article/a1"), ("entity", "ent_carter", "/entite/ent_carter")],
)
def test_pages_comments_on_articles_and_entities(
    make_client: MakeClient, store: Store, kind: str, ident: str, url: str
) -> None:
    client = make_client()
    csrf = sign_in(client, store, add_user(store, "Alice", "analyst"))
    data = {"target_kind": kind, "target_id": ident, "text": f"Note sur {kind}", "csrf_token": csrf}
    response = client.post("/commentaires", data=data)
    assert response.status_code == 303 and response.headers["location"].startswith(url + "#commentaire-")
    page = client.get(url)
    assert page.status_code == 200 and f"Note sur {kind}" in page.text
