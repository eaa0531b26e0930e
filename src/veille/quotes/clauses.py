"""Clause geometry and speech verbs: the token helpers shared by the quotation and indirect rules.

A clause is read from the text between full stops and paragraph breaks rather than from
`doc.sents`, which the parser cuts in odd places around quotation marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from veille.quotes.cues import EUPHONIC_T, incise_pronoun, is_speech_token, table
from veille.quotes.speakers import ArticleView, Speaker

AUXILIARIES = table("a ont avait avaient aurait auraient est sont était se s' s’ va vont")


@dataclass(slots=True)
class Found:
    start: int
    end: int
    kind: str  # direct | partial | indirect
    speaker: Speaker | None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None


SENTENCE_END = frozenset({".", "!", "?", "…"})


def clause_floor(view: ArticleView, i: int) -> int:
    """The first token of the clause holding token `i`: after the last full stop or paragraph break.

    Read from the text rather than `doc.sents`, which fr_core_news_md cuts in odd places on short
    or unusual sentences ("Selon Marine | Le Pen, «…»")."""
    doc = view.doc
    k = i - 1
    while k >= 0 and doc[k].text not in SENTENCE_END and "\n\n" not in doc[k].text_with_ws:
        k -= 1
    return k + 1


def clause_ceiling(view: ArticleView, i: int) -> int:
    """One past the last token of the clause holding token `i`."""
    doc = view.doc
    k = i + 1
    while k < len(doc) and doc[k - 1].text not in SENTENCE_END and "\n\n" not in doc[k - 1].text_with_ws:
        k += 1
    return k


def token_end(token: Any) -> int:
    return int(token.idx) + len(token.text)


def words(doc: Any, first: int, last: int) -> list[Any]:
    return [t for t in doc[first:last] if not t.is_punct and not t.is_space]


def window_end(doc: Any, i: int, size: int) -> int:
    """Up to `size` tokens after `i`, within the paragraph (the parser may cut a sentence before
    an incise: «…», | a plaidé X)."""
    end = i + 1
    while end < len(doc) and end - i <= size and "\n\n" not in doc[end - 1].text_with_ws:
        end += 1
    return end


def speech_verbs(view: ArticleView, first: int, last: int) -> list[Any]:
    doc = view.doc
    return [
        t
        for t in doc[first:last]
        if is_speech_token(t)
        and not view.in_quote(t.idx)
        and "Inf" not in t.morph.get("VerbForm")
        and not _adjectival(t)
    ]


def _adjectival(token: Any) -> bool:
    """A participle used as an adjective or a passive without agent ("l'enquête confiée à", "une
    ville menacée de"): not a cue. A passive with its agent ("détaillés par X") still is."""
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is not None and following.text.lower() == "par":
        return False
    passive = any(c.dep_ == "aux:pass" for c in token.children)
    return passive or token.dep_ in {"acl", "amod"}


def governing_verb(view: ArticleView, open_token: Any, close_token: Any) -> tuple[Any, bool] | None:
    """The speech verb of the quote's sentence that governs it in the parse (True), else the
    nearest one (False)."""
    verbs = speech_verbs(view, clause_floor(view, open_token.i), clause_ceiling(view, close_token.i))
    if not verbs:
        return None
    inner = view.doc[open_token.i + 1 : close_token.i]
    for verb in verbs:
        if any(verb in token.ancestors for token in inner):
            return verb, True
    return min(verbs, key=lambda v: min(abs(v.i - open_token.i), abs(v.i - close_token.i))), False


def token_cue(token: Any) -> tuple[str, int, int]:
    return token.text, token.idx, token.idx + len(token.text)


def verb_cue(view: ArticleView, verb: Any) -> tuple[str, int, int]:
    """The cue as written: the verb with its auxiliary and incise pronoun ("a-t-il ajouté")."""
    doc = view.doc
    first, last = verb.i, verb.i + 1
    while first > 0 and (
        doc[first - 1].text.lower() in AUXILIARIES
        or incise_pronoun(doc[first - 1].text)
        or doc[first - 1].text.lower() in EUPHONIC_T
        or doc[first - 1].text.lower() in {"fait", "faisait"}  # "a fait savoir"
    ):
        first -= 1
    while last < len(doc) and (incise_pronoun(doc[last].text) or doc[last].text.lower() in EUPHONIC_T):
        last += 1
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    return view.text[start:end], start, end
