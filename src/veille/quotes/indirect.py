"""Indirect speech: reported content without quotation marks, and who reported it.

Two patterns, each a plain French reporting construction: a cue verb followed by "que"
("X a affirmé que …"), and a cue closing the sentence after a comma ("…, a indiqué X." /
"…, selon X."). Sentences holding quotation marks are left to the quotation rules.
"""

from __future__ import annotations

from typing import Any

from veille.quotes.cues import FIRST_SECOND_PERSON, INDIRECT_VERBS, cue_preposition_at, speech_lemma, table
from veille.quotes.finder import Found, _end, _verb_cue, incise_verb
from veille.quotes.speakers import ArticleView, describe, speaker_for_verb

_QUE = table("que qu' qu’")


def find_indirect(view: ArticleView, quoted_sentences: set[int]) -> list[Found]:
    """ "X a affirmé que …" and "Selon X, …" in sentences without quotation marks."""
    found: list[Found] = []
    doc = view.doc
    for sent in doc.sents:
        if sent.start in quoted_sentences:
            continue
        tokens = list(sent)
        end_token = len(tokens)
        while end_token > 0 and (tokens[end_token - 1].is_punct or tokens[end_token - 1].is_space):
            end_token -= 1
        size = cue_preposition_at([t.text for t in tokens], 0)
        if size and tokens[0].text.lower() != "pour":
            comma = next((k for k in range(size, min(len(tokens), size + 15)) if tokens[k].text == ","), None)
            if comma is not None and comma + 1 < end_token:
                source = describe(view, sent.start + size, sent.start + comma)
                named = view.mentions_in(source.start, source.end)
                if source.kind == "anonymous" or (named and source.kind in {"person", "organisation"}):
                    start, end = tokens[comma + 1].idx, _end(tokens[end_token - 1])
                    cue_end = tokens[size - 1].idx + len(tokens[size - 1].text)
                    found.append(
                        Found(
                            start,
                            end,
                            "indirect",
                            source,
                            view.text[tokens[0].idx : cue_end],
                            tokens[0].idx,
                            cue_end,
                        )
                    )
                    continue
        trailing = _trailing_incise(view, tokens, end_token)
        if trailing is not None:
            found.append(trailing)
            continue
        for k, token in enumerate(tokens):
            lemma = speech_lemma(token.text, token.lemma_)
            if (
                lemma not in INDIRECT_VERBS
                or token.pos_ not in {"VERB", "ADJ"}
                or "Inf" in token.morph.get("VerbForm")
            ):
                continue
            window = range(k + 1, min(k + 6, end_token))
            que = next((j for j in window if tokens[j].text.lower() in _QUE), None)
            if que is None or que + 1 >= end_token:
                continue
            between = tokens[k + 1 : que]
            if any(t.pos_ in {"VERB", "AUX"} and t.text.lower() not in {"a", "ont"} for t in between):
                continue
            speaker = speaker_for_verb(view, token, inverted_first=False)
            if speaker is None or speaker.kind is None:
                continue
            start, end = tokens[que + 1].idx, _end(tokens[end_token - 1])
            found.append(Found(start, end, "indirect", speaker, *_verb_cue(view, token)))
            break
    return found


def _reported_clause(tokens: list[Any]) -> bool:
    """A reported content: a finite verb, at least four words, and no first or second person
    (the reporter's own "nous" is not somebody's speech)."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if len(words) < 4 or any(t.text.lower().replace("’", "'") in FIRST_SECOND_PERSON for t in words):
        return False
    return any(t.pos_ in {"VERB", "AUX"} and "Inf" not in t.morph.get("VerbForm") for t in words)


def _trailing_incise(view: ArticleView, tokens: list[Any], end_token: int) -> Found | None:
    """ "…, a indiqué X." / "…, selon X." / "…, rapporte X." closing a sentence without quotation
    marks: the part of the sentence before the comma is what X said."""
    for k in range(4, end_token - 1):
        if tokens[k].text != ",":
            continue
        content = tokens[:k]
        if not _reported_clause(content):
            continue
        start, end = tokens[0].idx, _end(tokens[k - 1])
        size = cue_preposition_at([t.text for t in tokens[k + 1 : end_token]], 0)
        if size and tokens[k + 1].text.lower() != "pour":
            first = k + 1 + size
            last = first
            while last < end_token and not tokens[last].is_punct:
                last += 1
            if first >= last:
                continue
            source = describe(view, tokens[first].i, tokens[last - 1].i + 1)
            named = view.mentions_in(source.start, source.end)
            if source.kind == "anonymous" or (source.kind in {"person", "organisation"} and named):
                cue_start, cue_end = tokens[k + 1].idx, _end(tokens[first - 1])
                return Found(start, end, "indirect", source, view.text[cue_start:cue_end], cue_start, cue_end)
            continue
        incise = incise_verb(view, tokens[k - 1])
        if incise is None or incise[1]:
            continue
        verb = incise[0]
        if verb.i >= tokens[0].i + end_token or "Inf" in verb.morph.get("VerbForm"):
            continue
        if verb.text.lower().endswith("ant"):
            continue  # "…, ajoutant …" continues the subject's own sentence
        speaker = speaker_for_verb(view, verb, inverted_first=True)
        if speaker is None or speaker.kind is None:
            continue
        return Found(start, end, "indirect", speaker, *_verb_cue(view, verb))
    return None
