"""The events stage and the `veille_events` spaCy component.

`find_events(article)` is pure: it reads the text, the Doc, the mentions, the entities, the quotes,
the time expressions and the publication date, and returns the article's own `Event`s.
`EventsStage` calls it for each kept French article, then matches every event against the
events of the batch so far and against what the store knows (`KnownEvents`): a report of an
event already seen takes that event's id, and the article's `events` hold the merged event
(participants of every report, most precise date, all evidence so far). The store unions the
evidence of rows with one id.

The spaCy component runs the same finder on a bare Doc (its `doc.ents` as mentions, no entity
ids, no quotes, no time expressions) and sets `doc._.events`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from veille.events.coref import EventIndex, KnownEvents
from veille.events.finder import find_in_view
from veille.events.view import EventView
from veille.model import KEPT, Article, Event, Mention

_LANGUAGES = frozenset({"fr", None})


def article_view(article: Article) -> EventView:
    return EventView(
        text=article.text,
        doc=article.doc,
        mentions=list(article.mentions),
        entities={e.id: e for e in article.entities},
        quotes=list(article.quotes),
        timexes=list(article.timexes),
        published=article.published,
    )


def find_events(article: Article, *, keep_bare: bool = False) -> list[Event]:
    """The events one analysed article tells (it needs `doc`); writes nothing back. `keep_bare`
    also keeps events with no participant, place or date."""
    if article.doc is None:
        return []
    return find_in_view(article_view(article), article.id, keep_bare=keep_bare)


class EventsStage:
    name: ClassVar[str] = "events"
    requires: ClassVar[frozenset[str]] = frozenset(
        {"text", "doc", "mentions", "entities", "quotes", "timexes"}
    )
    provides: ClassVar[frozenset[str]] = frozenset({"events"})

    def __init__(self, known: KnownEvents | None = None, *, keep_bare: bool = False) -> None:
        self.known = known
        self.keep_bare = keep_bare
        self.index = EventIndex()  # kept across batches: one run's events meet each other
        self.counters: dict[str, int] = {}

    def _count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def __call__(self, batch: list[Article]) -> list[Article]:
        self.merge(
            (article, find_events(article, keep_bare=self.keep_bare))
            for article in batch
            if article.status == KEPT and article.doc is not None and article.language in _LANGUAGES
        )
        return batch

    def merge(self, found: Iterable[tuple[Article, Iterable[Event]]]) -> None:
        """Join each article's events with this run's and the store's (coreference), then give every
        article the final merged version of its events. `found` pairs an article with the events
        found in it (by `find_events`, here or in a Ray worker)."""
        forgotten = self.index.trim()  # between batches: this batch's events all stay while it merges
        if forgotten:
            self._count("forgotten", forgotten)
        reports: list[tuple[Article, list[str]]] = []
        for article, events in found:
            ids: list[str] = []
            for event in events:
                merged = self.index.add(event, self.known)
                self._count(event.type)
                if merged.id != event.id:
                    self._count("merged")
                if merged.id not in ids:
                    ids.append(merged.id)
            reports.append((article, ids))
            self._count("articles")
        # A later article may have enriched an event an earlier one reported: every article gets
        # the final merged version.
        for article, ids in reports:
            article.events = [copy.deepcopy(e) for e in (self.index.get(i) for i in ids) if e is not None]


if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)


class EventsComponent:
    """spaCy component: `doc._.events` = a list of `Event` (entity ids None, article_id "")."""

    def __call__(self, doc: Doc) -> Doc:
        labels = {"PER", "ORG", "LOC", "MISC"}
        mentions = [
            Mention("", e.start_char, e.end_char, e.text, e.label_) for e in doc.ents if e.label_ in labels
        ]
        doc._.events = find_in_view(EventView(doc.text, doc, mentions), "")
        return doc


@Language.factory(
    "veille_events",
    assigns=["doc._.events"],
    requires=["token.dep", "token.pos", "token.lemma", "token.morph", "doc.ents"],
)
def make_events_component(nlp: Language, name: str) -> EventsComponent:
    return EventsComponent()
