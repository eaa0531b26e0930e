"""The Atom feed of a watchlist (RFC 4287): one entry per matched article, newest first.

Built with ElementTree, which escapes every text node, so titles from articles cannot inject
markup. Entry ids are stable tag URIs (`urn:veille:…`), so a feed reader shows each match once
however often it polls.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from veille.store import Store
from veille.store.watch import article_briefs, list_matches, watchlist_times
from veille.watch.query import Watchlist

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50


def why_text(why: dict[str, object]) -> str:
    """A match's reasons in a line of French, for feeds and digests."""
    parts = []
    labels = {
        "entities": "entités", "keywords": "mots-clés", "source": "source", "language": "langue",
        "rubriques": "rubriques", "event_types": "événements", "independent_sources": "sources indépendantes",
        "story_growth": "suite de l'histoire",
    }  # fmt: skip
    for key, label in labels.items():
        if key in why:
            # Matches recorded before entity_names existed only have the ids.
            value = why.get("entity_names", why[key]) if key == "entities" else why[key]
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            parts.append(f"{label} : {shown}")
    return " ; ".join(parts)


def _rfc3339(text: str | None, default: str) -> str:
    for candidate in (text, default):
        if not candidate:
            continue
        try:
            when = datetime.fromisoformat(candidate.replace("Z", "+00:00"))
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.isoformat(timespec="seconds")
    return datetime.now(UTC).isoformat(timespec="seconds")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(store: Store, watchlist: Watchlist, base_url: str, limit: int = FEED_ENTRIES) -> bytes:
    """The feed as UTF-8 XML; `base_url` (e.g. "http://host:8000") makes the links absolute."""
    base = base_url.rstrip("/")
    wid = watchlist.id
    matches = list_matches(store, wid, limit=limit)
    briefs = article_briefs(store, [m.article_id for m in matches])
    times = watchlist_times(store, wid)
    created = times[0] if times else ""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", f"urn:veille:watchlist:{wid}")
    _sub(feed, "title", f"Veille : {watchlist.name}")
    _sub(feed, "updated", _rfc3339(matches[0].matched_at if matches else None, created))
    _sub(feed, "link", rel="self", href=f"{base}/veilles/{wid}/atom.xml", type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=f"{base}/veilles/{wid}", type="text/html")
    author = _sub(feed, "author")
    _sub(author, "name", "veille")
    _sub(feed, "generator", "veille")
    for match in matches:
        brief = briefs.get(match.article_id)
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"urn:veille:match:{wid}:{match.article_id}")
        _sub(entry, "title", (brief.title if brief and brief.title else None) or match.article_id)
        _sub(entry, "updated", _rfc3339(match.matched_at, created))
        if brief is not None and brief.published:
            _sub(entry, "published", _rfc3339(brief.published, match.matched_at))
        _sub(entry, "link", rel="alternate", href=f"{base}/article/{match.article_id}", type="text/html")
        if brief is not None and brief.url:
            _sub(entry, "link", rel="via", href=brief.url)
        if match.story_id:
            _sub(entry, "link", rel="related", href=f"{base}/histoire/{match.story_id}", type="text/html")
        if brief is not None and brief.source_name:
            source_author = _sub(entry, "author")
            _sub(source_author, "name", brief.source_name)
        _sub(entry, "summary", why_text(match.why), type="text")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


__all__ = ["atom_feed", "why_text"]
