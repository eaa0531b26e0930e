"""Stories: online clustering of articles into stories that grow, merge and keep their ids.

`features_of` (features.py) reads one analysed article into `ArticleFeatures` (TF-IDF terms,
entities, events, embedding, index keys); `similarities` and `Scorer` (scorer.py) say how likely
an article continues a `StoryState` (state.py); `StoryClusterer` (clusterer.py) assigns each
article to its best candidate story from a `StoryBackend` (backend.py: the protocol and the
in-memory `MemoryStories`); `StoriesStage` and `cluster_articles` (stage.py) run it on Articles.
"""

from veille.stories.backend import MemoryStories, StoryBackend
from veille.stories.clusterer import Assignment, ClusterConfig, StoryClusterer
from veille.stories.features import ArticleFeatures, Idf, TimelineEntry, default_idf, features_of, terms_of
from veille.stories.scorer import DEFAULT_WEIGHTS, Scorer, similarities
from veille.stories.stage import StoriesStage, cluster_articles
from veille.stories.state import StoryState, story_id

__all__ = [
    "DEFAULT_WEIGHTS",
    "ArticleFeatures",
    "Assignment",
    "ClusterConfig",
    "Idf",
    "MemoryStories",
    "Scorer",
    "StoriesStage",
    "StoryBackend",
    "StoryClusterer",
    "StoryState",
    "TimelineEntry",
    "cluster_articles",
    "default_idf",
    "features_of",
    "similarities",
    "story_id",
    "terms_of",
]
