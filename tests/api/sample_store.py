"""The hand-built sample store of the API and page tests: two stories, a copy, a rejected page and
a page full of markup, with entities, roles, quotes, time expressions and events (no spaCy)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pg_store import wipe_store
from veille.model import (
    DUPLICATE,
    REJECTED,
    Article,
    DroppedLine,
    Entity,
    Event,
    EventArgument,
    EventEvidence,
    Mention,
    Quote,
    Role,
    Timex,
)
from veille.store import Store

CARTER_TEXT = (
    "Le secrétaire américain à la Défense Ashton Carter a réuni la coalition à Paris le 20 janvier.\n\n"
    "«\u00a0Nous allons accélérer la campagne contre Daech\u00a0», a déclaré Ashton Carter."
)
RAQQA_TEXT = "Des frappes ont visé Raqqa en novembre 2015, selon Washington."
SCRIPT_TEXT = "Texte piégé <script>alert('x')</script> et <b>gras</b> & fin."


def _quote(article: Article, said: str, speaker: str, **fields: object) -> Quote:
    start = article.text.index(said)
    ident = "q_" + hashlib.sha256(f"{article.id}\x1f{start}".encode()).hexdigest()[:20]
    return Quote(ident, article.id, start, start + len(said), said, "direct", speaker_text=speaker, **fields)  # type: ignore[arg-type]


def _mention(article: Article, words: str, label: str, entity_id: str | None, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(words, start + 1)
    return Mention(article.id, start, start + len(words), words, label, entity_id)


def sample_articles() -> list[Article]:
    """Four articles in two stories, a copy, a rejected page and one full of markup."""
    carter = Entity("ent_carter", "Ashton Carter", "PER", "person", ["Ashton Carter", "Carter"])
    paris = Entity("ent_paris", "Paris", "LOC", "city", ["Paris"])
    raqqa = Entity("ent_raqqa", "Raqqa", "LOC", "city", ["Raqqa"])
    a1 = Article(
        id="a1", source_file="seeds/a1.txt", source_id="", title="Le conseil de guerre de Paris",
        text=CARTER_TEXT, language="fr", published="2016-01-20T10:00:00+01:00", source_name="Le Monde",
        content_hash="h1", story_id="s1", url="https://example.org/a1",
        dropped_lines=[DroppedLine("Partager sur Facebook", "boilerplate:share")],
    )  # fmt: skip
    a1.entities = [carter, paris]
    a1.mentions = [
        _mention(a1, "Ashton Carter", "PER", "ent_carter"),
        _mention(a1, "Paris", "LOC", "ent_paris"),
        _mention(a1, "Ashton Carter", "PER", "ent_carter", nth=1),
    ]
    carter.roles = [Role("secrétaire à la Défense", None, "États-Unis", None, "a1", "2016-01-20", 22, 50)]
    a1.quotes = [_quote(a1, "Nous allons accélérer la campagne contre Daech", "Ashton Carter",
                        speaker_entity_id="ent_carter", speaker_name="Ashton Carter", speaker_kind="person",
                        cue="a déclaré")]  # fmt: skip
    when = a1.text.index("le 20 janvier")
    a1.timexes = [Timex("a1", when, when + 13, "le 20 janvier", "DATE", "2016-01-20")]
    met = a1.text.index("a réuni")
    attendee = EventArgument("attendee", "Ashton Carter", "ent_carter")
    a1.events = [Event("ev_meeting", "meeting", "04", "réuni", [attendee],
                       EventArgument("place", "Paris", "ent_paris"), "2016-01-20",
                       [EventEvidence("a1", met, met + 7, "happened")])]  # fmt: skip
    a2 = Article(
        id="a2", source_file="seeds/a2.txt", source_id="", title="Frappes sur Raqqa", text=RAQQA_TEXT,
        language="fr", published="2015-11-16", source_name="AFP", content_hash="h2", story_id="s2",
    )  # fmt: skip
    a2.entities = [raqqa]
    a2.rubriques = ["défense et conflits", "international"]
    a2.mentions = [_mention(a2, "Raqqa", "LOC", "ent_raqqa")]
    hit = a2.text.index("frappes")
    place = EventArgument("place", "Raqqa", "ent_raqqa")
    evidence = [EventEvidence("a2", hit, hit + 7, "happened")]
    a2.events = [Event("ev_strike", "attack", "19", "frappes", [], place, "2015-11", evidence)]
    when2 = a2.text.index("novembre 2015")
    a2.timexes = [Timex("a2", when2, when2 + 13, "novembre 2015", "DATE", "2015-11")]
    copy = Article(
        id="a1copy", source_file="seeds/a1copy.txt", source_id="", title="Le conseil de guerre de Paris",
        text=CARTER_TEXT, language="fr", published="2016-01-21", source_name="Ouest-France",
        content_hash="h1", story_id="s1", status=DUPLICATE, duplicate_of="a1",
    )  # fmt: skip
    script = Article(
        id="evil", source_file="seeds/evil.txt", source_id="", title="<script>alert('titre')</script>",
        text=SCRIPT_TEXT, language="fr", published="2016-02-01", content_hash="h3",
    )  # fmt: skip
    rejected = Article(id="rej", source_file="seeds/rej.bin", source_id="", text="", status=REJECTED,
                       reason="binary", content_hash=None)  # fmt: skip
    return [a1, a2, copy, script, rejected]


def fill(store: Store) -> None:
    store.upsert(sample_articles())


def filled_store(request: pytest.FixtureRequest, sqlite_path: Path) -> str:
    """The sample articles in a fresh store for the fixture's backend parameter ("sqlite": a file
    at `sqlite_path`; "postgresql": the session's database, wiped first); its location."""
    where = str(sqlite_path) if request.param == "sqlite" else str(request.getfixturevalue("pg_url"))
    with Store.open(where) as store:
        if request.param != "sqlite":
            wipe_store(store)
        fill(store)
    return where
