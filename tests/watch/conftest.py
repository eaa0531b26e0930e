"""Hand-built articles, stories and stores for the watchlist tests (no spaCy), on SQLite and, where
reachable, PostgreSQL (tests/pg_store.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_store import wipe_store
from veille.model import Article, Entity, Event, Mention
from veille.store import Store
from veille.stories.state import StoryState
from veille.watch.webhook import ALLOW_PRIVATE_ENV


def article(
    ident: str,
    text: str,
    *,
    title: str = "",
    source: str = "Le Monde",
    published: str | None = "2016-01-20T10:00:00+00:00",
    story: str | None = "s1",
    language: str = "fr",
    entities: dict[str, str] | None = None,
    events: list[str] | None = None,
    rubriques: list[str] | None = None,
) -> Article:
    """An article; `entities` maps a surface form in `text` to the entity id it was resolved to."""
    made = Article(
        id=ident, source_file=f"t/{ident}.txt", source_id="", title=title, text=text, language=language,
        published=published, source_name=source, content_hash=f"h_{ident}", story_id=story,
    )  # fmt: skip
    for words, entity_id in (entities or {}).items():
        start = text.index(words)
        made.mentions.append(Mention(ident, start, start + len(words), words, "ORG", entity_id))
        made.entities.append(Entity(entity_id, words, "ORG", None, [words]))
    made.events = [Event(f"ev_{ident}_{t}", t, "00", t) for t in events or []]
    made.rubriques = list(rubriques or [])
    return made


def save_story(store: Store, story_id: str, sources: dict[str, str]) -> None:
    """A story of the given articles (article id → source name)."""
    state = StoryState(story_id, article_ids=list(sources), article_sources=dict(sources))
    store.save([state], [])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        where = str(tmp_path / "watch.db")
    else:
        where = str(request.getfixturevalue("pg_url"))
    with Store.open(where) as opened:
        if request.param == "postgresql":
            wipe_store(opened)
        yield opened


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "watch.db")) as opened:
        yield opened


@pytest.fixture
def allow_private_webhooks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test receivers listen on 127.0.0.1, where deliveries go only when private targets are
    allowed, as a self-hoster with a receiver on the LAN would allow them."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")


@pytest.fixture
def private_webhooks_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default, whatever the environment running the tests says. Set to "0" rather than
    deleted, so that monkeypatch also undoes what a CLI flag under test writes there."""
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "0")
