"""Tables of time expressions and events, for `veille show`, `veille events` and the demo."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table
from rich.text import Text

from veille.model import Article, Event, EventEvidence


def _participants(event: Event) -> str:
    by_role: dict[str, list[str]] = {}
    for p in event.participants:
        by_role.setdefault(p.role, []).append(p.name)
    return "; ".join(f"{role}: {', '.join(names)}" for role, names in sorted(by_role.items()))


def events_table(
    events: Sequence[Event], headers: Mapping[str, tuple[str | None, str | None]], title: str = "Events"
) -> Table:
    """One row per event: date, type (CAMEO), trigger, who, where, and each article's telling."""
    table = Table(title=title, title_justify="left")
    for column in ("date", "type", "trigger", "participants", "place", "told by"):
        table.add_column(column, no_wrap=column in ("date", "type"))
    for event in events:
        told = []
        for proof in event.evidence:
            article_title, published = headers.get(proof.article_id, (None, None))
            name = article_title or proof.article_id
            name = name if len(name) <= 40 else name[:39] + "…"
            told.append(f"{proof.modality} — {name} ({published or 'undated'})")
        place = event.location.name if event.location else ""
        table.add_row(
            event.date or "", f"{event.type} ({event.cameo})", event.trigger, _participants(event), place,
            "\n".join(told),
        )  # fmt: skip
    return table


def article_events_table(article: Article) -> Table:
    """The events an article tells, with how it tells each (its own evidence's modality)."""
    table = Table(title="Events", title_justify="left")
    for column in ("type", "trigger", "modality", "date", "participants", "place", "other articles"):
        table.add_column(column, no_wrap=column in ("type", "modality", "date"))
    for event in article.events:
        mine: list[EventEvidence | None] = [e for e in event.evidence if e.article_id == article.id]
        others = len({e.article_id for e in event.evidence} - {article.id})
        for proof in mine or [None]:
            trigger = article.text[proof.start : proof.end] if proof else event.trigger
            table.add_row(
                event.type, trigger, proof.modality if proof else "", event.date or "", _participants(event),
                event.location.name if event.location else "", str(others) if others else "",
            )  # fmt: skip
    return table


def timexes_table(article: Article) -> Table:
    """Each time expression with its TIMEX3 type, value and modifier."""
    table = Table(title="Time expressions", title_justify="left")
    for column in ("text", "type", "value", "mod"):
        table.add_column(column)
    for timex in sorted(article.timexes, key=lambda t: t.start):
        table.add_row(Text(timex.text), timex.type, timex.value or "?", timex.mod or "")
    return table
