"""Schemathesis against the app's own OpenAPI schema, in process (ASGI), on the hand-built sample
store (tests/api/sample_store.py), on SQLite and, with the token, on PostgreSQL (a fresh database;
skipped where no server is reachable, unless VEILLE_REQUIRE_PG=1).

Every operation of /openapi.json is called with generated requests (valid and invalid), three ways:
with the server's API token (so ingestion and the watchlist and rubrique writes run, and the store
changes under the reads), with no credentials on a server that has a token (401 on writes), and on a
read-only server (403 on ingestion). Checks: no 5xx (`not_a_server_error`), and where the schema
states it, the response body, content type and headers conform. Status codes are not checked
against the schema: FastAPI documents only 200 and 422, and the 401/403/404/409 the routes answer
on purpose (tested in test_app_reads.py, test_ingest_token.py, tests/watch/test_api.py) would all
count as failures.

Ingestion runs the cheap real stages (cleaning, language, content hash, exact and near copies) on
the generated text, not spaCy: loading the models would take most of the time budget.
`VEILLE_SCHEMATHESIS_EXAMPLES` raises the number of examples per operation and mode (default 12);
`VEILLE_SCHEMATHESIS_RANDOM=1` draws new examples each run (by default the same ones, so that a
failure reproduces). The 5xx found so far have plain regression tests at the end of this file.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)
from sqlalchemy import select

from api.sample_store import fill
from api.test_story_list import _state
from pg_store import fresh_database
from veille.api import create_app
from veille.api.ingest import get_pipeline
from veille.api.routes import MAX_OFFSET
from veille.model import Article
from veille.pipeline import Pipeline
from veille.store import Store
from veille.store.schema_workspace import article_rubriques
from veille.store.watch import list_watchlists

TOKEN = "schemathesis-token-0123456789"
EXAMPLES = int(os.environ.get("VEILLE_SCHEMATHESIS_EXAMPLES", "12"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance,
          response_headers_conformance]  # fmt: skip
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first ingest builds the stage list; timing is not what this checks
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    database=None,  # no example database left in the working tree; runs stay independent
    derandomize=os.environ.get("VEILLE_SCHEMATHESIS_RANDOM") != "1",
)


def light_pipeline(store: Store) -> Pipeline:
    """The stages of `default_pipeline` before spaCy, on the real store."""
    from veille.clean import CleanStage
    from veille.clean.language import LanguageStage
    from veille.dedup.exact import ContentHashStage, ExactCopiesStage
    from veille.dedup.near import NearCopiesStage

    return Pipeline([CleanStage(), LanguageStage(), ContentHashStage(), ExactCopiesStage(store),
                     NearCopiesStage(store, progress=False)])  # fmt: skip


def _app(where: str, token: str | None, *, clustered: bool) -> FastAPI:
    """The app over a store filled with the sample (`where`: a path or a database URL)."""
    with Store.open(where) as store:
        fill(store)
        if clustered:  # stories then come from the stories table, not from articles.story_id
            store.save([_state("s_table", "2016-01-20", "2016-01-21", 2)], [])
    app = create_app(where, token=token)
    stages = light_pipeline(app.state.store)

    def analyse(batch: list[Article]) -> list[Article]:
        return stages(batch)

    app.dependency_overrides[get_pipeline] = lambda: analyse
    return app


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def token_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The app with the token over the sample store, on SQLite and on a fresh PostgreSQL database,
    whose SQL differs (full-text search, upserts, integer ranges)."""
    with contextlib.ExitStack() as stack:
        if request.param == "postgresql":
            where = stack.enter_context(fresh_database("veille_schemathesis_"))
        else:
            where = str(tmp_path_factory.mktemp("schemathesis-token") / "s.db")
        app = _app(where, TOKEN, clustered=True)
        stack.callback(app.state.store.close)
        assert app.state.store.engine.dialect.name == request.param
        yield app


@pytest.fixture(scope="module")
def read_only_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    app = _app(str(tmp_path_factory.mktemp("schemathesis-ro") / "s.db"), None, clustered=False)
    yield app
    app.state.store.close()


def fuzz(app: FastAPI, headers: dict[str, str], *, refuse_writes: bool) -> tuple[int, int, list[str]]:
    """Every operation of the app's schema, valid then invalid requests: (operations, requests, failures).

    `refuse_writes`: only the writes (any method but GET), each of which must be answered 4xx."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    if refuse_writes:  # reads are the same with or without credentials on a public server
        operations = [operation for operation in operations if operation.method.upper() != "GET"]
    failures: list[str] = []
    sent = 0
    for operation in operations:
        # Path parameters are free strings: only a query or a body can be made invalid.
        negative = [GenerationMode.NEGATIVE] if len(operation.query) or len(operation.body) else []
        for mode in [GenerationMode.POSITIVE, *negative]:

            @given(case=operation.as_strategy(mode))
            @BOUNDED
            def run(case: Any) -> None:
                nonlocal sent
                sent += 1
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                if refuse_writes and case.method != "GET":
                    assert 400 <= response.status_code < 500, f"{response.status_code}: {response.text[:200]}"

            try:
                run()
            except Unsatisfiable:
                pass  # no invalid request exists (a body whose every value is valid)
            except Exception as failure:  # keep going: one report of every operation that fails
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {failure}")
    print(f"schemathesis: {len(operations)} operations, {sent} requests, {len(failures)} failing")
    return len(operations), sent, failures


def test_schemathesis_with_the_token_no_5xx(token_app: FastAPI) -> None:
    operations, sent, failures = fuzz(token_app, {"Authorization": f"Bearer {TOKEN}"}, refuse_writes=False)
    assert failures == []
    assert operations >= 25 and sent >= operations  # every operation was called


def _contents(store: Store) -> tuple[Any, ...]:
    """What a write could change: the counts, the watchlists, the rubriques (overrides included)."""
    with store.engine.connect() as conn:
        rubriques = sorted(conn.execute(select(article_rubriques)).all())
    return store.counts(), [w.id for w in list_watchlists(store)], rubriques


def test_schemathesis_without_credentials_no_5xx_and_no_write(token_app: FastAPI) -> None:
    # A server with a token, a request without it: every write is refused and the store stays as it was.
    before = _contents(token_app.state.store)
    operations, sent, failures = fuzz(token_app, {}, refuse_writes=True)
    assert failures == []
    assert operations >= 7 and sent >= operations
    assert _contents(token_app.state.store) == before


def test_schemathesis_read_only_server_no_5xx_and_no_write(read_only_app: FastAPI) -> None:
    # No token configured: a request sending one is still refused every write.
    before = _contents(read_only_app.state.store)
    operations, sent, failures = fuzz(read_only_app, {"Authorization": f"Bearer {TOKEN}"}, refuse_writes=True)
    assert failures == []
    assert operations >= 7 and sent >= operations
    assert _contents(read_only_app.state.store) == before


# -- what schemathesis found ----------------------------------------------------------------------


def test_schemathesis_found_huge_offsets_are_422_not_500(sqlite_store: str) -> None:
    # An offset past SQLite's 64-bit integers raised OverflowError in the SQL driver: a 500.
    huge = str(2**64)
    with TestClient(create_app(sqlite_store)) as client:
        for url in ("/api/articles", "/api/entities", "/api/quotes", "/api/events", "/api/timexes",
                    "/api/stories", "/api/search"):  # fmt: skip
            response = client.get(url, params={"q": "Carter", "offset": huge})
            assert response.status_code == 422, (url, response.text)
            assert "offset" in response.text and str(MAX_OFFSET) in response.text
            assert client.get(url, params={"q": "Carter", "offset": MAX_OFFSET}).status_code == 200, url


def test_schemathesis_found_huge_story_page_is_shown_not_500(tmp_path: Path) -> None:
    where = str(tmp_path / "stories.db")
    with Store.open(where) as store:  # a stories table: the page number reaches SQL as an offset
        store.save([_state("s_one", "2020-06-01", "2020-06-03", 2)], [])
    with TestClient(create_app(where)) as client:
        assert "s_one" not in client.get("/", params={"page": str(2**64)}).text
        assert client.get("/", params={"page": str(2**64)}).status_code == 200
        assert "s_one" in client.get("/", params={"page": "1"}).text


def test_schemathesis_found_422_schema_allows_a_message(sqlite_store: str) -> None:
    # Routes refuse what field types cannot see with a sentence; the schema said only a list.
    with TestClient(create_app(sqlite_store, token=TOKEN)) as client:
        detail = client.get("/openapi.json").json()["components"]["schemas"]["HTTPValidationError"]
        refused = client.post("/api/watchlists", json={"name": "x", "keywords": "(Daech"},
                              headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    kinds = [option.get("type") for option in detail["properties"]["detail"]["anyOf"]]
    assert kinds == ["array", "string"]
    assert refused.status_code == 422 and isinstance(refused.json()["detail"], str)
