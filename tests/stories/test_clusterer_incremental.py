"""Incremental clustering: batches give the partition one batch gives; merges keep the older id."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import Article
from veille.stories import ClusterConfig, MemoryStories, StoriesStage, StoryClusterer, story_id
from veille.stories.features import ArticleFeatures

TEXTS = [
    ("Bélarus: Loukachenko face à la rue", "Alexandre Loukachenko a dénoncé les manifestations à Minsk.",
     ("Alexandre Loukachenko",)),
    ("Séisme aux Philippines", "Un séisme de magnitude 6,7 a frappé les Philippines, un mort.", ()),
    ("Bélarus: l'opposition défile à Minsk", "L'opposition manifeste à Minsk contre Alexandre Loukachenko.",
     ("Alexandre Loukachenko",)),
    ("Philippines: le bilan du séisme s'alourdit", "Le séisme de magnitude 6,7 aux Philippines a fait "
     "deux morts.", ()),
    ("Biden investi par les démocrates", "Joe Biden a été investi candidat des démocrates.", ("Joe Biden",)),
    ("Bélarus: l'UE rejette le résultat", "L'Union européenne rejette la réélection d'Alexandre Loukachenko "
     "à Minsk.", ("Alexandre Loukachenko",)),
]


def articles(make_article: Callable[..., Article]) -> list[Article]:
    days = ["2020-08-18", "2020-08-18", "2020-08-19", "2020-08-19", "2020-08-19", "2020-08-20"]
    return [
        make_article(f"a{i}", title, text, published=day, names=names)
        for i, ((title, text, names), day) in enumerate(zip(TEXTS, days, strict=True))
    ]


def partition(batch: list[Article]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article in batch:
        groups.setdefault(str(article.story_id), set()).add(article.id)
    return {frozenset(g) for g in groups.values()}


def test_clusterer_two_batches_give_the_one_batch_partition(make_article: Callable[..., Article]) -> None:
    whole = articles(make_article)
    StoriesStage(embedding=False)(whole)
    split = articles(make_article)
    stage = StoriesStage(embedding=False)
    stage(split[:3])
    stage(split[3:])
    assert partition(split) == partition(whole)
    assert len(partition(whole)) == 3
    # Articles of earlier batches keep their ids; follow the recorded merges to compare.
    redirect = dict(stage.merges())
    assert {redirect.get(str(a.story_id), a.story_id) for a in split} == {a.story_id for a in whole}


def test_clusterer_rerun_keeps_the_stories(make_article: Callable[..., Article]) -> None:
    backend = MemoryStories()
    first = articles(make_article)
    StoriesStage(backend, embedding=False)(first)
    again = articles(make_article)
    stage = StoriesStage(backend, embedding=False)
    stage(again)
    assert [a.story_id for a in again] == [a.story_id for a in first]
    assert set(stage.counters) >= {"known"} and "new" not in stage.counters


def test_clusterer_merge_keeps_the_older_id(make_features: Callable[..., ArticleFeatures]) -> None:
    backend = MemoryStories()
    # Bias -3, tfidf 6: an article at cosine 0.71 to two stories scores 0.78 with both.
    config = ClusterConfig(threshold=0.5, merge_threshold=0.7, weights={"bias": -3.0, "tfidf": 6.0})
    clusterer = StoryClusterer(backend, lambda term: 10.0, config)
    # The younger story has the smaller id, so that the test fails if ids decided.
    older, younger = ("zz_old", "2020-01-01"), ("aa_new", "2020-01-02")
    clusterer.add_batch([make_features(older[0], {"x": 1.0}, older[1])])
    clusterer.add_batch([make_features(younger[0], {"y": 1.0}, younger[1])])
    [bridge] = clusterer.add_batch([make_features("bridge", {"x": 0.7071, "y": 0.7071}, "2020-01-02")])
    assert bridge.story_id == story_id("zz_old")
    assert clusterer.all_merges == [(story_id("aa_new"), story_id("zz_old"))]
    assert backend.stories_of(["aa_new"]) == {"aa_new": story_id("zz_old")}
    [absorbed] = backend.get([story_id("aa_new")])
    assert absorbed.merged_into == story_id("zz_old")
    [survivor] = backend.stories()
    assert set(survivor.article_ids) == {"zz_old", "aa_new", "bridge"}
