"""The `veille serve` application: the JSON API under /api, its docs, and the web pages, one server.

Everything it serves is local: FastAPI's default /docs loads swagger-ui from a CDN, which an offline
machine cannot reach, so /docs is built here on the swagger-ui files that the `fastapi-offline`
package ships (served under /docs-assets), and the pages' CSS and JS come from `veille/web/static`.

The store is opened once, when the app is created (so a wrong --db fails before the server
listens), and closed when the server stops.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError

from veille import __version__
from veille.accounts.deps import read_access
from veille.accounts.settings import AccountSettings
from veille.api import ingest, routes, rubriques_routes, watch_routes
from veille.errors import ConfigError
from veille.store import Store
from veille.store.search import ensure_search_index

DOCS_ASSETS = "/docs-assets"


def swagger_assets() -> Path:
    """The folder of swagger-ui's JS and CSS as the `fastapi-offline` package ships them."""
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def create_app(
    store_url: str, *, token: str | None = None, settings: AccountSettings | None = None
) -> FastAPI:
    """The API and web UI over the store at `store_url` (a path or a database URL).

    Read-only unless `token` is given: then POST /api/ingest accepts pages sent with
    `Authorization: Bearer <token>`. `settings`: open sign-up, private reading (default: neither).
    Raises `StoreError` when the store cannot be opened.
    """
    if token is not None and not token.strip():
        raise ValueError("the API token is empty: give a non-empty token, or none for a read-only server")
    store = Store.open(store_url)
    ensure_search_index(store.engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="veille",
        version=__version__,
        description="Articles, stories, entities, quotes, events and time expressions of a veille store.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = token
    app.state.settings = settings or AccountSettings()
    app.state.ingest_lock = threading.Lock()
    app.state.pipeline_lock = threading.Lock()
    app.include_router(routes.router, dependencies=[Depends(read_access)])
    app.include_router(ingest.router)
    app.include_router(watch_routes.router)
    app.include_router(rubriques_routes.router)
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_assets()), name="docs-assets")
    _describe_422_as_sent(app)
    _refuse_unstorable_text(app)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="veille — API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )

    from veille.web import mount_web

    mount_web(app)
    return app


UNSTORABLE = (
    "the request holds a NUL character (U+0000) or an unpaired UTF-16 surrogate, which no text "
    "field can hold: remove it and send the request again"
)


def _refuse_unstorable_text(app: FastAPI) -> None:
    """Answer 422, not 500, to text the store cannot hold (see `veille.ingest.storable`).

    A NUL in the URL is refused before any route runs (`%00`: no path or query value needs one;
    400 in the path, 422 in the query);
    in a JSON or form body it reaches the store, where PostgreSQL refuses NUL and every UTF-8
    encoder a lone surrogate: those errors are answered here, after the write was rolled back."""

    @app.middleware("http")
    async def refuse_nul_in_url(request: Request, call_next: Any) -> Response:
        # In the path it names no resource (400, as other malformed paths get); in the query it is
        # an invalid parameter value (422, as FastAPI answers those).
        if b"%00" in request.scope.get("raw_path", b""):
            return JSONResponse({"detail": UNSTORABLE}, status_code=400)
        if b"%00" in request.scope.get("query_string", b""):
            return JSONResponse({"detail": UNSTORABLE}, status_code=422)
        response: Response = await call_next(request)
        return response

    @app.exception_handler(DataError)
    async def data_error(request: Request, error: DataError) -> Response:
        if "NUL" not in str(error.orig):
            raise error
        return JSONResponse({"detail": UNSTORABLE}, status_code=422)

    @app.exception_handler(UnicodeEncodeError)
    async def unpaired_surrogate(request: Request, error: UnicodeEncodeError) -> Response:
        if "surrogate" not in error.reason:
            raise error
        return JSONResponse({"detail": UNSTORABLE}, status_code=422)


def _describe_422_as_sent(app: FastAPI) -> None:
    """Let the schema say what a 422 carries: FastAPI's list of field errors, or one sentence.

    Routes refuse a value the field types cannot see (a watchlist query that does not parse, an
    unknown rubrique) with a 422 whose `detail` is a message naming the fix; FastAPI's generated
    schema allows only the list, so clients generated from it (and schemathesis) rejected those.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            error = schema.get("components", {}).get("schemas", {}).get("HTTPValidationError")
            if error is not None:
                listed = error["properties"]["detail"]
                error["properties"]["detail"] = {
                    "title": "Detail", "anyOf": [{k: v for k, v in listed.items() if k != "title"},
                                                 {"type": "string"}],
                }  # fmt: skip
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_environment() -> FastAPI:
    """`create_app` with the options `veille serve --workers N` put in the environment: the app
    factory each uvicorn worker process imports by name (`veille.cli_serve.APP_FACTORY`)."""
    from veille.cli_serve import SERVE_ENV, TOKEN_ENV

    db = os.environ.get(SERVE_ENV["db"])
    if not db:
        raise ConfigError(
            f"{SERVE_ENV['db']} is not set: start the server with `veille serve --db STORE --workers N`, "
            "which sets it, rather than with uvicorn directly"
        )
    settings = AccountSettings(
        open_signup=os.environ.get(SERVE_ENV["open_signup"]) == "1",
        private=os.environ.get(SERVE_ENV["private"]) == "1",
    )
    return create_app(db, token=os.environ.get(TOKEN_ENV) or None, settings=settings)
