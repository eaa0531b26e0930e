"""The accounts settings: `veille serve --open-signup --private` reach the app; open sign-up is
rate limited per address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.conftest import PASSWORD, MakeClient
from accounts.test_pages import form_token
from veille.accounts.ratelimit import SIGN_UP
from veille.accounts.settings import AccountSettings
from veille.cli_serve import serve


def test_settings_serve_options_reach_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    serve(db=str(tmp_path / "s.db"), host="127.0.0.1", port=8123, token=None, open_signup=True, private=True)
    assert seen["app"].state.settings == AccountSettings(open_signup=True, private=True)
    serve(db=str(tmp_path / "s.db"), host="127.0.0.1", port=8123, token=None)
    assert seen["app"].state.settings == AccountSettings(open_signup=False, private=False)


def test_settings_open_sign_up_is_rate_limited_per_address(make_client: MakeClient) -> None:
    client = make_client(settings=AccountSettings(open_signup=True))
    token = form_token(client.get("/inscription").text)
    data = {"name": "Olga", "password": PASSWORD, "password2": PASSWORD, "form_token": token,
            "captcha_id": "none", "captcha": "none"}  # fmt: skip
    for _ in range(SIGN_UP.attempts):
        assert client.post("/inscription", data=data).status_code == 400  # wrong captcha
    refused = client.post("/inscription", data=data)
    assert refused.status_code == 429 and "Trop d’inscriptions" in refused.text
