"""Helpers for the events tests: one sentence through the parse, its entities as bare mentions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from veille.events.finder import find_in_view
from veille.events.view import EventView
from veille.model import Event, Mention, Timex


@pytest.fixture(scope="session")
def run(nlp: Any) -> Callable[..., list[Event]]:
    """`run(text, timexes=[(words, value)], published=...)`: the events of `text`, its spaCy
    entities standing for mentions (no entity ids); each time expression is placed on the
    first occurrence of its words."""

    def events(
        text: str, timexes: tuple[tuple[str, str], ...] = (), published: str | None = None
    ) -> list[Event]:
        doc = nlp(text)
        mentions = [Mention("t", e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
        found = []
        for words, value in timexes:
            start = text.index(words)
            found.append(Timex("t", start, start + len(words), words, "DATE", value))
        view = EventView(text, doc, mentions, timexes=found, published=published)
        return find_in_view(view, "t")

    return events
