"""A story's state: representative headline, events timeline, bounded centroid, the Story it gives."""

from __future__ import annotations

from collections.abc import Callable

from veille.stories.features import ArticleFeatures, TimelineEntry
from veille.stories.state import CENTROID_TERMS, StoryState, independent_sources

FeaturesMaker = Callable[..., ArticleFeatures]


def test_state_title_is_the_most_representative_headline(
    make_features: Callable[..., ArticleFeatures],
) -> None:
    state = StoryState(id="s")
    for article_id, terms, title_terms in (
        ("a", {"seisme": 0.8, "philippine": 0.6}, {"seisme": 0.8, "philippine": 0.6}),
        ("b", {"seisme": 0.8, "philippine": 0.6}, {"bilan": 1.0}),
        ("c", {"seisme": 0.6, "philippine": 0.8}, {"philippine": 1.0}),
    ):
        features = make_features(article_id, terms)
        features.title = f"headline {article_id}"
        features.title_terms = title_terms
        state.add(features)
    assert state.title() == "headline a"
    assert state.to_story().title == "headline a"


def test_state_timeline_in_date_order_once_per_event(make_features: Callable[..., ArticleFeatures]) -> None:
    state = StoryState(id="s")
    first = make_features("a", {"x": 1.0})
    first.timeline = [
        TimelineEntry("ev2", "meeting", "2020-08-19", "réunion"),
        TimelineEntry("ev3", "vote", None, "vote"),
    ]
    second = make_features("b", {"x": 1.0})
    second.timeline = [TimelineEntry("ev1", "statement", "2020-08-18", "annoncé"), first.timeline[0]]
    state.add(first)
    state.add(second)
    assert [e.event_id for e in state.timeline()] == ["ev1", "ev2", "ev3"]
    assert state.to_story().event_ids == ["ev1", "ev2", "ev3"]


def test_state_undated_articles_are_flagged_on_the_story(make_features: FeaturesMaker) -> None:
    state = StoryState(id="s")
    undated = make_features("b", {"x": 1.0})
    undated.date = None
    state.add(make_features("a", {"x": 1.0}))
    state.add(undated)
    story = state.to_story()
    assert story.undated_article_ids == ["b"]
    assert story.first_seen == story.last_seen == "2020-01-01"  # the undated article moves no date


def test_state_independent_sources_is_a_lower_bound_with_unknown_sources() -> None:
    assert independent_sources([]) == 0
    assert independent_sources([None, None]) == 1  # at least one source, maybe more
    assert independent_sources(["AFP", None, "Le Monde", "AFP"]) == 2  # the unknown may be either
    assert independent_sources(["AFP"]) == 1


def test_state_story_of_unknown_sources_counts_one_source(make_features: FeaturesMaker) -> None:
    state = StoryState(id="s")
    for article_id in ("a", "b"):
        features = make_features(article_id, {"x": 1.0})
        features.source = None
        state.add(features)
    story = state.to_story()
    assert story.sources == [] and story.independent_sources == 1


def test_state_centroid_stays_bounded(make_features: Callable[..., ArticleFeatures]) -> None:
    state = StoryState(id="s")
    for i in range(50):
        state.add(make_features(f"a{i}", {f"term{i}_{j}": 0.1 for j in range(10)}))
    assert len(state.terms) == CENTROID_TERMS
    assert len(state.article_ids) == 50
    story = state.to_story()
    assert story.first_seen == story.last_seen == "2020-01-01"
    assert story.sources == ["agence"] and story.independent_sources == 1
