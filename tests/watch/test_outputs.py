"""The Atom feed (parsed back with feedparser), the digest and the breaking rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
from sqlalchemy import update

from veille.store import Store
from veille.store.schema_workspace import watch_matches
from veille.store.watch import MatchRow, record_matches, save_watchlist
from veille.watch.atom import atom_feed, why_text
from veille.watch.breaking import breaking_stories, busiest_hour, watchlist_bursts
from veille.watch.digest import build_digest, parse_since, to_html, to_markdown
from veille.watch.evaluate import evaluate_batch
from veille.watch.query import Watchlist
from watch.conftest import article, save_story

DAECH = "ent_daech"
T0 = datetime(2016, 1, 20, 10, 0, tzinfo=UTC)


def _matched(store: Store) -> Watchlist:
    watchlist = Watchlist("Daech <b>", entities=[DAECH])
    save_watchlist(store, watchlist)
    batch = [
        article("a1", "Daech recule à Raqqa.", title="Daech recule <script>x</script>",
                entities={"Daech": DAECH}, story="s1"),
        article("a2", "La coalition avance.", title="La coalition avance", source="AFP", story="s1"),
        article("a3", "Daech menace Mossoul.", title="Mossoul menacée", entities={"Daech": DAECH},
                story="s2"),
    ]  # fmt: skip
    save_story(store, "s1", {"a1": "Le Monde", "a2": "AFP"})
    save_story(store, "s2", {"a3": "Le Monde"})
    store.upsert(batch)
    evaluate_batch(store, batch, when="2026-11-23T10:00:00+00:00")
    return watchlist


def test_outputs_atom_feed_parses_back_with_feedparser(store: Store) -> None:
    watchlist = _matched(store)
    parsed = feedparser.parse(atom_feed(store, watchlist, "http://veille.test/"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Veille : Daech <b>"
    assert parsed.feed.id == f"urn:veille:watchlist:{watchlist.id}"
    assert {e.id for e in parsed.entries} == {
        f"urn:veille:match:{watchlist.id}:{a}" for a in ("a1", "a2", "a3")
    }
    first = next(e for e in parsed.entries if e.id.endswith(":a1"))
    assert first.title == "Daech recule <script>x</script>"  # escaped in the XML, text again once parsed
    assert first.link == "http://veille.test/article/a1"
    assert "entités : Daech" in first.summary  # the name, not the id
    growth = next(e for e in parsed.entries if e.id.endswith(":a2"))
    assert "suite de l'histoire : s1" in growth.summary and growth.author == "AFP"


def test_outputs_why_text_shows_names_and_falls_back_to_ids_for_older_matches() -> None:
    named = {"entities": ["ent_daech"], "entity_names": ["EI"], "keywords": ["Raqqa"]}
    assert why_text(named) == "entités : EI ; mots-clés : Raqqa"
    assert why_text({"entities": ["ent_daech"]}) == "entités : ent_daech"


def test_outputs_digest_lists_new_and_growing_stories(store: Store) -> None:
    watchlist = _matched(store)
    # s2 was matched before the digest's start: a new article in it makes it "growing".
    with store._write() as conn:
        conn.execute(update(watch_matches).where(watch_matches.c.article_id == "a3")
                     .values(matched_at="2026-11-20T10:00:00+00:00"))  # fmt: skip
    record_matches(
        store, [MatchRow(watchlist.id, "a4", "s2", "2026-11-23T11:00:00+00:00", {"story_growth": "s2"})]
    )
    store.upsert([article("a4", "Mossoul encore.", title="Mossoul, suite", story="s2")])
    digest = build_digest(
        store, watchlist, "2026-11-22T00:00:00+00:00", now=datetime(2026, 11, 23, 12, tzinfo=UTC)
    )
    states = {item.story_id: (item.state, [b.id for b, _ in item.articles]) for item in digest.items}
    assert states == {"s1": ("new", ["a1", "a2"]), "s2": ("growing", ["a4"])}
    markdown = to_markdown(digest)
    assert "## Nouvelle : Daech recule \\<script\\>x\\</script\\>" in markdown
    assert "## En croissance : Mossoul, suite" in markdown  # an untitled story shows its article's title
    assert "2 source(s) indépendante(s)" in markdown
    html = to_html(digest, "http://veille.test")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="http://veille.test/histoire/s1">' in html
    empty = build_digest(store, watchlist, "2026-11-24T00:00:00+00:00")
    assert "Rien de nouveau." in to_markdown(empty)


def test_outputs_parse_since_spans_and_dates() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert parse_since("1d", now) == "2026-11-22T12:00:00.000000+00:00"
    assert parse_since("90m", now) == "2026-11-23T10:30:00.000000+00:00"
    assert parse_since("2026-11-20", now) == "2026-11-20T00:00:00.000000+00:00"
    try:
        parse_since("hier", now)
    except ValueError as error:
        assert "30m, 12h, 1d, 2w" in str(error)
    else:
        raise AssertionError("a bad --since must be refused")


def _arrivals(*minutes_and_sources: tuple[int, str]) -> list[tuple[datetime, str]]:
    return [(T0 + timedelta(minutes=m), s) for m, s in minutes_and_sources]


def test_outputs_breaking_rule_counts_new_sources_within_an_hour() -> None:
    # Copies from one source count once; a source counts when it first joins.
    assert busiest_hour(_arrivals((0, "A"), (5, "A"), (10, "B"), (50, "C"), (59, "D"), (200, "E")))[0] == 4
    assert (
        busiest_hour(_arrivals((0, "A"), (60, "B"), (120, "C")))[0] == 1
    )  # a 60-minute window, end excluded
    slow = {f"slow{i}": _arrivals((0, "A"), (24 * 60, "B")) for i in range(5)}
    fast = _arrivals((0, "A"), (12, "B"), (25, "C"), (40, "D"))
    bursts = {b.story_id: b for b in breaking_stories({**slow, "fast": fast})}
    assert bursts["fast"].breaking and bursts["fast"].new_sources == 4 and bursts["fast"].usual == 1.0
    assert not any(bursts[f"slow{i}"].breaking for i in range(5))
    # The same burst is not unusual for a watchlist whose stories always grow that fast.
    busy = {f"busy{i}": _arrivals((0, "A"), (10, "B"), (20, "C"), (30, "D")) for i in range(5)}
    assert not any(b.breaking for b in breaking_stories({**busy, "fast": fast}))


def test_outputs_breaking_on_a_stream_of_real_articles_given_sources_and_times(store: Store) -> None:
    """The shared corpus has one source: real seed sentences, re-dated and given several sources."""
    sentences = [
        "La coalition militaire internationale luttant contre Daech en Syrie et Irak veut profiter du recul.",
        "Daech a revendiqué l'attentat, selon un communiqué diffusé sur les réseaux sociaux.",
        "Les jihadistes de Daech ont perdu du terrain autour de Raqqa, affirme l'OSDH.",
        "Le ministre de la Défense a réuni à Paris sept pays de la coalition contre Daech.",
    ]
    watchlist = Watchlist("Daech", entities=[DAECH])
    save_watchlist(store, watchlist)
    burst = [("Le Parisien", 0), ("AFP", 10), ("Le Monde", 25), ("Reuters", 40), ("Libération", 55)]
    slow = [("Le Parisien", 0), ("AFP", 60 * 24)]
    stories = {"s_burst": burst, "s_slow1": slow, "s_slow2": slow, "s_slow3": slow}
    for sid, arrivals in stories.items():
        batch = [
            article(f"{sid}_{i}", sentences[i % 4], source=source, story=sid, entities={"Daech": DAECH},
                    published=(T0 + timedelta(minutes=minutes)).isoformat())
            for i, (source, minutes) in enumerate(arrivals)
        ]  # fmt: skip
        save_story(store, sid, {a.id: a.source_name or "" for a in batch})
        store.upsert(batch)
        evaluate_batch(store, batch)
    bursts = {b.story_id: b for b in watchlist_bursts(store, watchlist.id)}
    assert bursts["s_burst"].breaking and bursts["s_burst"].new_sources == 5
    assert not any(bursts[s].breaking for s in ("s_slow1", "s_slow2", "s_slow3"))
