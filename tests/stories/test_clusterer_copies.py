"""Copies join their original's story; undated articles are placed by content alone and flagged."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import DUPLICATE, Article
from veille.stories import StoriesStage

BELARUS = (
    "Alexandre Loukachenko a dénoncé mardi les manifestations de l'opposition à Minsk, où des "
    "dizaines de milliers de Biélorusses réclament son départ après la présidentielle contestée."
)
BELARUS_FOLLOW = (
    "Des milliers de manifestants de l'opposition ont de nouveau défilé à Minsk contre Alexandre "
    "Loukachenko, dont la réélection à la présidentielle est contestée."
)
HEADLINE = "Bélarus: Loukachenko face à la rue"
QUAKE = "Un séisme de magnitude 6,7 a frappé les Philippines, faisant un mort et des dizaines de blessés."


def test_clusterer_copies_join_the_original_story(make_article: Callable[..., Article]) -> None:
    original = make_article("a1", HEADLINE, BELARUS, names=("Alexandre Loukachenko",))
    exact = make_article("a2", "Bélarus", BELARUS, source="autre", status=DUPLICATE, duplicate_of="a1")
    near = make_article("a3", "Séisme aux Philippines", QUAKE, source="relais")
    near.near_copies = [("a1", 0.85)]  # a near copy by its edge, whatever its text says
    stage = StoriesStage(embedding=False)
    stage([original, exact, near])
    assert original.story_id == exact.story_id == near.story_id
    assert {stage.assignments[a].how for a in ("a2", "a3")} == {"copy"}
    [story] = stage.touched()
    assert story.sources == ["agence", "autre", "relais"]
    assert story.independent_sources == 1  # two copies confirm nothing on their own


def test_clusterer_copy_in_a_later_batch_finds_the_story(make_article: Callable[..., Article]) -> None:
    stage = StoriesStage(embedding=False)
    original = make_article("a1", "Bélarus", BELARUS)
    stage([original])
    copy = make_article("a2", "Bélarus", BELARUS, published="2020-08-20", status=DUPLICATE, duplicate_of="a1")
    stage([copy])
    assert copy.story_id == original.story_id


def test_clusterer_undated_placed_by_content_and_flagged(make_article: Callable[..., Article]) -> None:
    dated = make_article("a1", HEADLINE, BELARUS, names=("Alexandre Loukachenko",))
    undated = make_article(
        "a2", "Loukachenko contesté", BELARUS_FOLLOW, published=None, names=("Alexandre Loukachenko",)
    )
    other = make_article("a3", "Séisme aux Philippines", QUAKE)
    stage = StoriesStage(embedding=False)
    stage([undated, other, dated])
    assert undated.story_id == dated.story_id != other.story_id
    assert stage.assignments["a2"].undated and not stage.assignments["a1"].undated
    assert stage.counters["undated"] == 1
    [state] = [s for s in stage.touched_states() if s.id == dated.story_id]
    assert state.undated == ["a2"]
    assert state.first_seen == state.last_seen == "2020-08-18"  # the undated article moves no date


def test_clusterer_touched_is_the_last_batch_and_holds_no_state(make_article: Callable[..., Article]) -> None:
    stage = StoriesStage(embedding=False)
    first = make_article("a1", HEADLINE, BELARUS, names=("Alexandre Loukachenko",))
    second = make_article("a3", "Séisme aux Philippines", QUAKE)
    stage([first])
    stage([second])
    # A long ingest never asks: what the stage keeps between batches is ids, not parsed states.
    assert stage._touched == {second.story_id}
    assert [s.id for s in stage.touched()] == [second.story_id]
    assert stage.touched() == []  # drained
