"""Who may write through the JSON API's user-content routes (watchlists, rubrique overrides).

An analyst or admin signed in (session cookie plus the `X-CSRF-Token` header), or the API token
(`Authorization: Bearer …`), as `veille.accounts.deps.require_role` decides. The role is checked
before CSRF so that a signed-out client hears 401, not 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from veille.accounts.deps import User, require_role, verify_csrf

_analyst = require_role("analyst")


def analyst_writer(
    user: Annotated[User, Depends(_analyst)], _csrf: Annotated[None, Depends(verify_csrf)]
) -> User:
    return user


Writer = Annotated[User, Depends(analyst_writer)]
