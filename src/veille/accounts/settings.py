"""The accounts settings of a server (`veille serve --open-signup --private`), kept in app.state."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """`open_signup`: anyone may sign up (as a reader), behind a captcha and rate limiting; else
    only through an admin's invitation. `private`: reading the pages and the API needs sign-in."""

    open_signup: bool = False
    private: bool = False


def settings_of(request: Request) -> AccountSettings:
    """The app's settings; an app built without any (older callers, tests) gets the defaults."""
    found = getattr(request.app.state, "settings", None)
    return found if isinstance(found, AccountSettings) else AccountSettings()
