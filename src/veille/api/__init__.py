"""The HTTP API of `veille serve`: `create_app(store_url, token=None)` builds it (see `app.py`)."""

from veille.api.app import create_app

__all__ = ["create_app"]
