"""The digest of a watchlist: new and growing stories since a time, in Markdown or HTML.

A story is *new* when the watchlist's first match in it came after `since`, *growing* when it was
matched before and got new matching articles since. An article matched outside any story is
listed as its own entry. Breaking stories (see `breaking.py`) are flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from markupsafe import Markup, escape

from veille.store import Store
from veille.store.watch import ArticleBrief, article_briefs, list_matches, stamp
from veille.watch.atom import why_text
from veille.watch.breaking import watchlist_bursts
from veille.watch.query import Watchlist

_SPAN = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, now: datetime | None = None) -> str:
    """ "1d", "12h", "30m", "2w" back from now, or an ISO 8601 date/date-time, as ISO 8601 UTC."""
    now = now or datetime.now(UTC)
    span = _SPAN.match(text)
    if span:
        delta = timedelta(**{_UNITS[span.group(2)]: int(span.group(1))})
        return stamp(now - delta)
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--since {text!r} is neither a span (30m, 12h, 1d, 2w) nor an ISO 8601 date (2026-11-20)"
        ) from None
    return stamp(when if when.tzinfo else when.replace(tzinfo=UTC))


@dataclass(slots=True)
class DigestItem:
    story_id: str | None
    title: str
    state: str  # "new" | "growing"
    independent_sources: int
    breaking: bool
    articles: list[tuple[ArticleBrief, str]] = field(default_factory=list)  # (article, why)


@dataclass(slots=True)
class Digest:
    watchlist: Watchlist
    since: str
    until: str
    items: list[DigestItem]


def build_digest(store: Store, watchlist: Watchlist, since: str, now: datetime | None = None) -> Digest:
    wid = watchlist.id
    until = stamp(now or datetime.now(UTC))
    everything = list_matches(store, wid)
    recent = [m for m in everything if since <= m.matched_at < until]
    earlier = {m.story_id for m in everything if m.matched_at < since and m.story_id}
    briefs = article_briefs(store, [m.article_id for m in recent])
    breaking = {b.story_id for b in watchlist_bursts(store, wid) if b.breaking} if recent else set()
    groups: dict[str, DigestItem] = {}
    for match in sorted(recent, key=lambda m: (m.matched_at, m.article_id)):
        brief = briefs.get(match.article_id) or ArticleBrief(match.article_id, None, None, None, None, "")
        key = match.story_id or f"article:{match.article_id}"
        item = groups.get(key)
        if item is None:
            story = store.get_story(match.story_id) if match.story_id else None
            title = (story.title if story else None) or brief.title or match.article_id
            item = DigestItem(
                story.id if story else match.story_id, title,
                "growing" if match.story_id in earlier else "new",
                story.independent_sources if story else 1,
                bool(story and story.id in breaking),
            )  # fmt: skip
            groups[key] = item
        item.articles.append((brief, why_text(match.why)))
    items = sorted(
        groups.values(), key=lambda i: (not i.breaking, i.state != "new", -len(i.articles), i.title)
    )
    return Digest(watchlist, since, until, items)


_STATES = {"new": "Nouvelle", "growing": "En croissance"}


def _md(text: str) -> str:
    """Markdown-inert text: article titles are untrusted and must not become links or markup."""
    return re.sub(r"([\\`*_{}\[\]()<>#+!|])", r"\\\1", " ".join(text.split()))


def to_markdown(digest: Digest, base_url: str = "") -> str:
    base = base_url.rstrip("/")
    lines = [
        f"# Veille « {_md(digest.watchlist.name)} »", "",
        f"Du {digest.since} au {digest.until} : {len(digest.items)} histoire(s).", "",
    ]  # fmt: skip
    if not digest.items:
        lines.append("Rien de nouveau.")
    for item in digest.items:
        flag = " — **à chaud**" if item.breaking else ""
        link = f" ({base}/histoire/{item.story_id})" if item.story_id else ""
        lines.append(f"## {_STATES[item.state]} : {_md(item.title)}{flag}")
        lines.append(f"{item.independent_sources} source(s) indépendante(s){link}")
        lines.append("")
        for brief, why in item.articles:
            source = f" — {_md(brief.source_name)}" if brief.source_name else ""
            when = f" ({brief.published})" if brief.published else ""
            lines.append(f"- {_md(brief.title or brief.id)}{source}{when} : {_md(why)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_html(digest: Digest, base_url: str = "") -> str:
    base = base_url.rstrip("/")
    name = escape(digest.watchlist.name)
    out = [
        '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">',
        f"<title>Veille « {name} »</title></head><body>",
        f"<h1>Veille « {name} »</h1>",
        f"<p>Du {escape(digest.since)} au {escape(digest.until)} : {len(digest.items)} histoire(s).</p>",
    ]
    if not digest.items:
        out.append("<p>Rien de nouveau.</p>")
    for item in digest.items:
        title = escape(item.title)
        if item.story_id:
            title = Markup('<a href="{}">{}</a>').format(f"{base}/histoire/{item.story_id}", item.title)
        flag = ' <strong class="breaking">à chaud</strong>' if item.breaking else ""
        out.append(f'<section class="{item.state}"><h2>{_STATES[item.state]} : {title}{flag}</h2>')
        out.append(f"<p>{item.independent_sources} source(s) indépendante(s)</p><ul>")
        for brief, why in item.articles:
            source = f" — {escape(brief.source_name)}" if brief.source_name else ""
            out.append(f"<li>{escape(brief.title or brief.id)}{source} : {escape(why)}</li>")
        out.append("</ul></section>")
    out.append("</body></html>\n")
    return "\n".join(out)


__all__ = ["Digest", "DigestItem", "build_digest", "parse_since", "to_html", "to_markdown"]
