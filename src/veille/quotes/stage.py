"""The quotes stage and the `veille_quotes` spaCy component.

`find_quotes(article)` is pure: it reads the text, the Doc, the mentions and the entities and
returns `Quote` objects; `QuotesStage` only calls it and sets `Article.quotes`. The spaCy component
runs the same finder on a bare Doc (its `doc.ents` as mentions, no entity ids) and sets
`doc._.quotes`, so that `import veille.quotes; nlp.add_pipe("veille_quotes")` works in any French
pipeline with a parser.
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from veille.model import KEPT, Article, Entity, Mention, Quote
from veille.quotes.finder import Found, decide, split_incise
from veille.quotes.indirect import find_indirect
from veille.quotes.marks import find_quotations
from veille.quotes.view import ArticleView, EntityRef, MentionRef


def quote_id(article_id: str, start: int, end: int) -> str:
    digest = hashlib.sha256(f"{article_id}\x1f{start}\x1f{end}".encode()).hexdigest()
    return "q_" + digest[:20]


def find_in_doc(
    text: str,
    doc: Any,
    mentions: list[MentionRef],
    entities: dict[str, EntityRef] | None = None,
    *,
    indirect: bool = True,
) -> list[Found]:
    """Every quote of one analysed text, in order: quotation spans decided, then indirect speech."""
    spans = find_quotations(text)
    view = ArticleView(text, doc, list(mentions), entities or {}, [(s.open, s.close + 1) for s in spans])
    found: list[Found] = []
    last: Found | None = None
    for span in spans:
        decided = decide(view, span, last)
        if decided is None:
            continue
        parts = split_incise(view, decided)
        found.extend(parts)
        last = parts[-1]
        _remember_speaker(view, last)
    if indirect:
        quoted = {view.token_at(s.open).sent.start for s in spans}
        quoted |= {view.token_at(s.close).sent.start for s in spans}
        found.extend(find_indirect(view, quoted))
    found.sort(key=lambda f: (f.start, f.end))
    return found


def _remember_speaker(view: ArticleView, found: Found) -> None:
    speaker = found.speaker
    if speaker is None:
        return
    if speaker.kind == "person" and (speaker.entity_id or speaker.name):
        view.speakers.add(speaker.entity_id or str(speaker.name))
        view.last_person = speaker
        return
    pronoun = speaker.text.lower().lstrip("-") in {"ils", "elles"}
    if speaker.kind in {"organisation", "collective"} and not pronoun:
        view.last_group = speaker


def _to_quote(article_id: str, text: str, found: Found) -> Quote:
    speaker = found.speaker
    return Quote(
        id=quote_id(article_id, found.start, found.end),
        article_id=article_id,
        start=found.start,
        end=found.end,
        text=text[found.start : found.end],
        kind=found.kind,
        speaker_text=speaker.text if speaker else None,
        speaker_start=speaker.start if speaker else None,
        speaker_end=speaker.end if speaker else None,
        speaker_entity_id=speaker.entity_id if speaker else None,
        speaker_name=speaker.name if speaker else None,
        speaker_kind=speaker.kind if speaker else None,
        cue=found.cue,
        cue_start=found.cue_start,
        cue_end=found.cue_end,
    )


def _mention_refs(mentions: list[Mention]) -> list[MentionRef]:
    return [MentionRef(m.start, m.end, m.label, m.entity_id) for m in mentions if m.kind != "adjective"]


def _entity_refs(entities: list[Entity]) -> dict[str, EntityRef]:
    return {e.id: EntityRef(e.id, e.name, e.label, [r.title for r in e.roles]) for e in entities}


def find_quotes(article: Article) -> list[Quote]:
    """The quotes of one analysed article (it needs `doc`); writes nothing back."""
    if article.doc is None:
        return []
    found = find_in_doc(
        article.text, article.doc, _mention_refs(article.mentions), _entity_refs(article.entities)
    )
    return [_to_quote(article.id, article.text, f) for f in found]


class QuotesStage:
    name: ClassVar[str] = "quotes"
    requires: ClassVar[frozenset[str]] = frozenset({"doc", "mentions", "entities"})
    provides: ClassVar[frozenset[str]] = frozenset({"quotes"})
    per_article: ClassVar[bool] = True  # see veille.pipeline: a failure costs one article

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def _count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def __call__(self, batch: list[Article]) -> list[Article]:
        for article in batch:
            if article.status != KEPT or article.doc is None:
                continue
            article.quotes = find_quotes(article)
            self._count("articles")
            for quote in article.quotes:
                self._count(quote.kind)
        return batch


if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)


class QuotesComponent:
    """spaCy component: `doc._.quotes` = a list of `Quote` (article_id "", entity ids None)."""

    def __init__(self, indirect: bool) -> None:
        self.indirect = indirect

    def __call__(self, doc: Doc) -> Doc:
        labels = {"PER", "ORG", "LOC"}
        mentions = [MentionRef(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in labels]
        found = find_in_doc(doc.text, doc, mentions, None, indirect=self.indirect)
        doc._.quotes = [_to_quote("", doc.text, f) for f in found]
        return doc


@Language.factory(
    "veille_quotes",
    assigns=["doc._.quotes"],
    requires=["token.dep", "token.pos", "doc.sents", "doc.ents"],
    default_config={"indirect": True},
)
def make_quotes_component(nlp: Language, name: str, indirect: bool) -> QuotesComponent:
    return QuotesComponent(indirect)
