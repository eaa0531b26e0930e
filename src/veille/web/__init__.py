"""The web pages of `veille serve`, mounted on the API's app by `mount_web`."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from veille.web.pages import HERE, router


def mount_web(app: FastAPI) -> None:
    """Add the pages and their static files (/static) to `app`."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")


__all__ = ["mount_web"]
