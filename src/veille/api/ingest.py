"""Ingest over HTTP: POST a page, get the stored article back. Only with the server's API token.

The token rule: a server started without a token is read-only, and POST /api/ingest answers 403
saying how to turn it on; with a token, a request without `Authorization: Bearer …` gets 401 and one
with another token 403. Tokens are compared in constant time.

A posted page goes through the same stage list as `veille ingest` (the models load on the first
post, not at start-up, so a read-only server starts in a second) and is stored as
`api/<name>` (its `name`, else the hash of its text), so posting the same page again upserts it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from veille.api.models import IngestIn, IngestOut, summary_of
from veille.api.routes import StoreDep
from veille.engines.local import fingerprint, to_article
from veille.ingest.storable import storable
from veille.model import Article, RawDoc
from veille.store import Store
from veille.watch.evaluate import evaluate_batch
from veille.watch.webhook import after_batch

Analyse = Callable[[list[Article]], list[Article]]
# The raw body of POST /api/ingest/text, as OpenAPI describes it (FastAPI cannot infer it).
TEXT_SCHEMA = {"schema": {"type": "string"}}

router = APIRouter(prefix="/api")


def require_token(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    """Let the request through only with the server's token (see the module's token rule)."""
    token: str | None = request.app.state.token
    if token is None:
        raise HTTPException(
            status_code=403,
            detail="this server is read-only: restart `veille serve` with --token TOKEN (or "
            "VEILLE_API_TOKEN) to accept ingestion, and send `Authorization: Bearer TOKEN`",
        )
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise HTTPException(
            status_code=401,
            detail="missing API token: send the header `Authorization: Bearer TOKEN`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not secrets.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(status_code=403, detail="wrong API token: use the token `veille serve` was given")


def get_pipeline(request: Request) -> Analyse:
    """The ingest stage list, built on the first post and kept (models load once)."""
    with request.app.state.pipeline_lock:
        pipeline: Analyse | None = getattr(request.app.state, "pipeline", None)
        if pipeline is None:
            from veille.pipeline import default_pipeline

            built = default_pipeline(request.app.state.store, progress=False)
            request.app.state.pipeline = pipeline = built
        return pipeline


def raw_doc(page: IngestIn) -> RawDoc:
    name = page.name or hashlib.sha256(page.text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return storable(RawDoc(
        source_file=f"api/{name}", source_id="", text=page.text, title=page.title, url=page.url,
        source_name=page.source_name, published=page.published,
    ))  # fmt: skip


def ingest_page(page: IngestIn, store: Store, analyse: Analyse) -> Article:
    """Run one page through `analyse` and store it; the stored article, as stored, back."""
    raw = raw_doc(page)
    article = to_article(raw)
    batch = analyse([article])
    store.upsert(batch, {a.id: fingerprint(raw) for a in batch})
    # Watchlists see pages posted here as they see files ingested (veille.engines.local).
    after_batch(store, evaluate_batch(store, batch))
    stored = store.get_article(article.id)
    if stored is None:  # upsert is one transaction: the row is there unless the store failed
        raise HTTPException(status_code=500, detail=f"article {article.id} was not stored; check the store")
    return stored


@router.post(
    "/ingest", response_model=IngestOut, status_code=201, tags=["ingest"],
    dependencies=[Depends(require_token)],
    responses={401: {"description": "no token sent"},
               403: {"description": "read-only server, or wrong token"}},
)  # fmt: skip
def ingest(
    page: IngestIn, request: Request, store: StoreDep, analyse: Annotated[Analyse, Depends(get_pipeline)]
) -> IngestOut:
    """Ingest one page (JSON: its raw text and metadata) through the full pipeline; needs the token."""
    # One page at a time: the spaCy pipeline and the stages' indexes are not shared across threads.
    with request.app.state.ingest_lock:
        stored = ingest_page(page, store, analyse)
    return IngestOut(
        article=summary_of(stored), mentions=len(stored.mentions), quotes=len(stored.quotes),
        events=len(stored.events),
    )  # fmt: skip


@router.post(
    "/ingest/text", response_model=IngestOut, status_code=201, tags=["ingest"],
    dependencies=[Depends(require_token)],
    openapi_extra={"requestBody": {"required": True, "content": {"text/plain": TEXT_SCHEMA}}},
)  # fmt: skip
async def ingest_text(
    *,
    request: Request,
    store: StoreDep,
    analyse: Annotated[Analyse, Depends(get_pipeline)],
    name: Annotated[str | None, Query(max_length=200)] = None,
    title: str | None = None,
    url: str | None = None,
    source_name: str | None = None,
    published: str | None = None,
) -> IngestOut:
    """Ingest one page sent as the raw body (text/plain, UTF-8); its metadata as query parameters."""
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(
            status_code=422, detail=f"the body is not UTF-8 text ({exc.reason}); send UTF-8"
        ) from exc
    try:
        page = IngestIn(
            text=text, name=name, title=title, url=url, source_name=source_name, published=published
        )
    except ValidationError as exc:
        raise HTTPException(status_code=422, detail=exc.errors(include_url=False)) from exc
    return await run_in_threadpool(ingest, page, request, store, analyse)
