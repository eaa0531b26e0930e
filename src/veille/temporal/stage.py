"""`find_timexes`, the temporal stage and the `veille_timex` spaCy component.

`find_timexes` recognises, then resolves in reading order; it is pure (a string and a Doc in,
`Timex` objects out). `TemporalStage` only calls it and sets `Article.timexes`; the anchor is the
date part of `Article.published`. The spaCy component does the same on a bare Doc, so that
`import veille.temporal; nlp.add_pipe("veille_timex")` works in any French pipeline.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from veille.errors import ConfigError
from veille.model import KEPT, Article, Timex
from veille.temporal.normalise import Spec, day_of_value, resolve
from veille.temporal.recognise import recognise
from veille.temporal.tense import tense_of

_LANGUAGES = ("fr", None)


def _needs_tense(spec: Spec) -> bool:
    """Only what leaves a week or a year open needs the tense; "hier" or "21 janvier 2016" do not."""
    if spec.offset == ("WE", 0):
        return True
    if spec.value is not None or spec.offset is not None or spec.from_reference is not None:
        return False
    if spec.lean in ("past", "future"):
        return False
    return spec.year is None and (spec.weekday is not None or spec.month is not None)


def _day_for(spec: Spec, following: list[Spec], text: str, anchor: date | None) -> date | None:
    """The day a clock time names right after it ("vers 15 h 30, hier"), if it names one."""
    if spec.clock is None or not following:
        return None
    after = following[0]
    if after.start - spec.end > 3 or text[spec.end : after.start].strip(" ,") or after.clock:
        return None
    return day_of_value(resolve(after, anchor, None, None))


def find_timexes(text: str, anchor: date | None, doc: Any = None) -> list[Timex]:
    """Every time expression of `text`, normalised against `anchor` (the publication date).

    `doc` (a spaCy Doc of the same text) lets the tense be read from the dependency parse; without
    it regex cues stand in. With no anchor, values are None or X-placeholders (XXXX-11-17) except
    for what the text fixes by itself ("21 janvier 2016"). `article_id` is left empty.
    """
    timexes: list[Timex] = []
    reference = anchor
    specs = recognise(text)
    for index, spec in enumerate(specs):
        direction = tense_of(text, spec.start, spec.end, doc) if _needs_tense(spec) and anchor else None
        value = resolve(
            spec, anchor, direction, _day_for(spec, specs[index + 1 :], text, anchor) or reference
        )
        day = day_of_value(value)
        if day is not None and spec.clock is None:
            reference = day
        timexes.append(
            Timex(
                article_id="",
                start=spec.start,
                end=spec.end,
                text=text[spec.start : spec.end],
                type=spec.type,
                value=value,
                mod=spec.mod,
            )
        )
    return timexes


def anchor_of(published: str | None) -> date | None:
    """The date part of an ISO 8601 date or date-time ("2016-01-20T08:00:00+01:00"); None if unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


class TemporalStage:
    name: ClassVar[str] = "temporal"
    requires: ClassVar[frozenset[str]] = frozenset({"text", "doc", "published"})
    provides: ClassVar[frozenset[str]] = frozenset({"timexes"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def _count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status != KEPT or article.language not in _LANGUAGES:
                continue
            anchor = anchor_of(article.published)
            timexes = find_timexes(article.text, anchor, article.doc)
            for timex in timexes:
                timex.article_id = article.id
                self._count(timex.type)
            article.timexes = timexes
            self._count("articles")
            if anchor is None:
                self._count("no_anchor")
        return batch


if not Doc.has_extension("timexes"):
    Doc.set_extension("timexes", default=None)
if not Doc.has_extension("veille_anchor"):
    Doc.set_extension("veille_anchor", default=None)


class TimexComponent:
    """spaCy component: `doc._.timexes` = a list of `Timex` (article_id "").

    The anchor is `doc._.veille_anchor` (a date or an ISO string) when set, else the configured one.
    """

    def __init__(self, anchor: date | None) -> None:
        self.anchor = anchor

    def __call__(self, doc: Doc) -> Doc:
        given = doc._.veille_anchor
        anchor = anchor_of(given) if isinstance(given, str) else given if isinstance(given, date) else None
        doc._.timexes = find_timexes(doc.text, anchor or self.anchor, doc)
        return doc


@Language.factory(
    "veille_timex",
    assigns=["doc._.timexes"],
    requires=["token.dep", "token.pos", "token.morph", "doc.sents"],
    default_config={"anchor": ""},
)
def make_timex_component(nlp: Language, name: str, anchor: str) -> TimexComponent:
    parsed = anchor_of(anchor)
    if anchor and parsed is None:
        raise ConfigError(f"veille_timex: anchor {anchor!r} is not an ISO date (YYYY-MM-DD); fix the config")
    return TimexComponent(parsed)
