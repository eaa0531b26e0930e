"""The web pages of `veille serve`, mounted on the API's app by `mount_web`."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from veille.accounts import comment_pages
from veille.accounts.deps import read_access
from veille.web import account_pages, rubrique_pages, watch_pages
from veille.web.pages import HERE, router


def mount_web(app: FastAPI) -> None:
    """Add the pages and their static files (/static) to `app`."""
    app.include_router(router, dependencies=[Depends(read_access)])
    app.include_router(account_pages.router)
    app.include_router(comment_pages.router)
    app.include_router(watch_pages.router)
    app.include_router(rubrique_pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


__all__ = ["mount_web"]
