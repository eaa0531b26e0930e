"""The in-memory store: candidates come from the index, within the window, capped."""

from __future__ import annotations

import json

from veille.stories.backend import MemoryStories
from veille.stories.state import StoryState


def state(sid: str, first: str | None, last: str | None, keys: list[str]) -> StoryState:
    return StoryState(id=sid, article_ids=[sid + "_a"], first_seen=first, last_seen=last, keys=keys)


def test_backend_candidates_respect_the_window() -> None:
    store = MemoryStories()
    store.save(
        [
            state("old", "2020-05-01", "2020-05-03", ["e:x"]),
            state("near", "2020-08-10", "2020-08-16", ["e:x"]),
            state("later", "2020-09-01", "2020-09-02", ["e:x"]),
            state("undated", None, None, ["e:x"]),
            state("other", "2020-08-15", "2020-08-15", ["e:y"]),
        ],
        [],
    )
    found = {s.id for s in store.candidates(["e:x"], "2020-08-11", "2020-08-25", 10)}
    assert found == {"near", "undated"}
    assert {s.id for s in store.candidates(["e:x"], None, None, 10)} == {"old", "near", "later", "undated"}


def test_backend_candidates_are_capped_most_shared_keys_first() -> None:
    store = MemoryStories()
    store.save([state(f"s{i}", "2020-08-18", "2020-08-18", ["e:x"]) for i in range(20)], [])
    store.save([state("both", "2020-08-18", "2020-08-18", ["e:x", "t:rare"])], [])
    found = store.candidates(["e:x", "t:rare"], "2020-08-10", "2020-08-20", 5)
    assert len(found) == 5
    assert found[0].id == "both"


def test_backend_merged_stories_leave_the_index_and_redirect_their_articles() -> None:
    store = MemoryStories()
    survivor, absorbed = state("s1", "2020-08-18", "2020-08-18", ["e:x"]), state(
        "s2", "2020-08-19", "2020-08-19", ["e:x"]
    )
    store.save([survivor, absorbed], [])
    survivor.absorb(absorbed)
    store.save([survivor, absorbed], [("s2", "s1")])
    assert [s.id for s in store.candidates(["e:x"], None, None, 10)] == ["s1"]
    assert store.stories_of(["s2_a"]) == {"s2_a": "s1"}
    assert store.merges == [("s2", "s1")]


def test_backend_rows_are_json_and_round_trip() -> None:
    original = state("s1", "2020-08-18", "2020-08-19", ["e:x"])
    original.terms = {"loukachenko": 0.8}
    original.embedding = [0.1, 0.2]
    row = json.loads(json.dumps(original.to_row()))
    copy = StoryState.from_row(row)
    assert copy == original
    copy.terms["minsk"] = 1.0
    assert "minsk" not in row["terms"]
