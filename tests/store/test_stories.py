"""The store as the clusterer's story backend (SQLite and PostgreSQL): the same answers as the
in-memory backend, stories that survive a reopen, merged ids that still answer, story reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veille.model import KEPT, Article, Entity, Mention
from veille.store import Store
from veille.stories import StoriesStage
from veille.stories.state import StoryState


def state(sid: str, first: str | None, last: str | None, keys: list[str]) -> StoryState:
    return StoryState(id=sid, article_ids=[sid + "_a"], first_seen=first, last_seen=last, keys=keys)


def test_stories_candidates_respect_the_window_and_the_cap(store: Store) -> None:
    store.save(
        [
            state("old", "2020-05-01", "2020-05-03", ["e:x"]),
            state("near", "2020-08-10", "2020-08-16", ["e:x"]),
            state("undated", None, None, ["e:x"]),
            state("other", "2020-08-15", "2020-08-15", ["e:y"]),
        ],
        [],
    )
    assert {s.id for s in store.candidates(["e:x"], "2020-08-11", "2020-08-25", 10)} == {"near", "undated"}
    store.save([state("both", "2020-08-18", "2020-08-18", ["e:x", "t:rare"])], [])
    found = store.candidates(["e:x", "t:rare"], "2020-08-10", "2020-08-20", 2)
    assert len(found) == 2 and found[0].id == "both"


def test_stories_candidates_read_a_story_again_once_it_is_saved_again(store: Store) -> None:
    first = state("s", "2020-08-18", "2020-08-18", ["e:x"])
    store.save([first], [])
    [seen] = store.candidates(["e:x"], None, None, 10)
    assert seen.article_ids == ["s_a"]
    seen.article_ids.append("changed_but_not_saved")  # the caller's copy, not the cached one
    assert store.candidates(["e:x"], None, None, 10)[0].article_ids == ["s_a"]
    first.article_ids.append("b")
    store.save([first], [])
    assert store.candidates(["e:x"], None, None, 10)[0].article_ids == ["s_a", "b"]


def test_stories_parsed_state_cache_is_bounded_by_json_length(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from array import array

    from veille.store import stories as store_stories

    embedded = []
    for i in range(6):
        grown = state(f"s{i}", "2020-08-18", "2020-08-18", ["e:x"])
        grown.embedding, grown.embedded = [0.1 * i, -1.0, 2.5], 1
        grown.article_ids += [f"s{i}_{n}" for n in range(20 * i)]  # later stories: longer states
        embedded.append(grown)
    store.save(embedded, [])
    everything = store.candidates(["e:x"], None, None, 10)
    assert sum(entry[2] for entry in store._parsed_states.values()) == store._parsed_chars
    bound = store._parsed_chars // 2
    monkeypatch.setattr(store_stories, "PARSED_STATE_CHARS", bound)
    store._parsed_states.clear()
    store._parsed_chars = 0
    again = store.candidates(["e:x"], None, None, 10)
    # The same states come back (those not cached are read and parsed again), as lists.
    assert [(s.id, s.article_ids, s.embedding) for s in again] == [
        (s.id, s.article_ids, s.embedding) for s in everything
    ]
    assert all(isinstance(s.embedding, list) for s in again)
    assert store._parsed_chars <= bound and 0 < len(store._parsed_states) < 6
    assert sum(entry[2] for entry in store._parsed_states.values()) == store._parsed_chars
    assert all(isinstance(entry[1]["embedding"], array) for entry in store._parsed_states.values())


def test_stories_merged_story_leaves_the_index_and_its_id_still_answers(store: Store) -> None:
    survivor, absorbed = (
        state("s1", "2020-08-18", "2020-08-18", ["e:x"]),
        state("s2", "2020-08-19", "2020-08-19", ["e:x"]),
    )
    store.save([survivor, absorbed], [])
    survivor.absorb(absorbed)
    store.save([survivor, absorbed], [("s2", "s1")])
    assert [s.id for s in store.candidates(["e:x"], None, None, 10)] == ["s1"]
    assert store.stories_of(["s2_a", "s1_a", "nope"]) == {"s2_a": "s1", "s1_a": "s1"}
    assert store.resolve_story("s2") == "s1" and store.resolve_story("nope") is None
    story = store.get_story("s2")
    assert story is not None and story.id == "s1" and set(story.article_ids) == {"s1_a", "s2_a"}
    assert store.counts()["story_merges"] == 1 and store.counts()["stories"] == 1


def _article(article_id: str, title: str, text: str, day: str, name: str | None = None) -> Article:
    article = Article(id=article_id, source_file="t", source_id=article_id, title=title, text=text,
                      published=day, source_name="agence", status=KEPT)  # fmt: skip
    if name:
        start = text.index(name)
        entity_id = "ent_" + name.lower().replace(" ", "_")
        article.mentions.append(Mention(article_id, start, start + len(name), name, "PER", entity_id))
        article.entities.append(Entity(entity_id, name, "PER"))
    return article


def _batch() -> list[Article]:
    return [
        _article("a0", "Bélarus: Loukachenko face à la rue",
                 "Alexandre Loukachenko a dénoncé les manifestations à Minsk.", "2020-08-18",
                 "Alexandre Loukachenko"),
        _article("a1", "Séisme aux Philippines", "Un séisme de magnitude 6,7 a frappé les Philippines.",
                 "2020-08-18"),
        _article("a2", "Bélarus: l'opposition défile à Minsk",
                 "L'opposition manifeste à Minsk contre Alexandre Loukachenko.", "2020-08-19",
                 "Alexandre Loukachenko"),
        _article("a3", "Philippines: le bilan du séisme s'alourdit",
                 "Le séisme de magnitude 6,7 aux Philippines a fait deux morts.", "2020-08-19"),
    ]  # fmt: skip


def _partition(batch: list[Article]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article in batch:
        groups.setdefault(str(article.story_id), set()).add(article.id)
    return {frozenset(g) for g in groups.values()}


def test_stories_clustering_goes_on_across_runs_through_the_store(
    open_store: Callable[[], Store],
) -> None:
    one_run = _batch()
    StoriesStage(embedding=False)(one_run)
    store = open_store()
    first, second = _batch()[:2], _batch()[2:]
    StoriesStage(store, embedding=False)(first)
    StoriesStage(store, embedding=False)(second)  # a new run: only the store remembers the stories
    assert _partition(first + second) == _partition(one_run)
    assert len(_partition(one_run)) == 2
    stories = store.find_stories()
    assert sorted(len(s.article_ids) for s in stories) == [2, 2]
    assert [s.id for s in store.find_stories(entity_ids=["ent_alexandre_loukachenko"])] == [first[0].story_id]
    assert store.find_stories(date_from="2020-09-01") == []
    assert {s.id for s in store.iter_stories()} == {s.id for s in stories}
