"""The window: a story is a candidate only while its dates reach the article's."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from veille.model import Article
from veille.stories import StoriesStage

TEXT = "Alexandre Loukachenko a dénoncé les manifestations de l'opposition à Minsk après la présidentielle."


def test_clusterer_window_bounds_the_candidates(make_article: Callable[..., Article]) -> None:
    names = ("Alexandre Loukachenko",)
    first = make_article("a1", "Bélarus: Loukachenko", TEXT, published="2020-08-01", names=names)
    close = make_article("a2", "Bélarus: Loukachenko", TEXT, published="2020-08-05", names=names)
    late = make_article("a3", "Bélarus: Loukachenko", TEXT, published="2020-09-20", names=names)
    stage = StoriesStage(embedding=False, window_days=7)
    stage([first, close, late])
    assert first.story_id == close.story_id != late.story_id
    assert stage.assignments["a3"].candidates == 0
    wide = [
        make_article(a.id, str(a.title), a.text, published=a.published, names=names)
        for a in (first, close, late)
    ]
    StoriesStage(embedding=False, window_days=60)(wide)
    assert len({a.story_id for a in wide}) == 1


def test_clusterer_window_options_are_checked() -> None:
    with pytest.raises(ValueError, match="threshold must lie strictly between 0 and 1"):
        StoriesStage(embedding=False, threshold=1.5)
    with pytest.raises(ValueError, match="window_days must be 0 or more"):
        StoriesStage(embedding=False, window_days=-1)
