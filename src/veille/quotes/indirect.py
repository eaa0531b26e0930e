"""Indirect speech: reported content without quotation marks, and who reported it.

Two patterns, each a plain French reporting construction: a cue verb followed by "que"
("X a affirmé que …"), and a cue closing the sentence after a comma ("…, a indiqué X." /
"…, selon X."). Sentences holding quotation marks are left to the quotation rules.
"""

from __future__ import annotations

import re
from typing import Any

from veille.quotes.clauses import Found
from veille.quotes.clauses import token_end as _end
from veille.quotes.clauses import verb_cue as _verb_cue
from veille.quotes.cues import FIRST_SECOND_PERSON, INDIRECT_VERBS, cue_preposition_at, speech_lemma, table
from veille.quotes.finder import incise_verb
from veille.quotes.speakers import describe
from veille.quotes.subjects import speaker_for_verb
from veille.quotes.view import ArticleView, Speaker

_QUE = table("que qu' qu’")
# Subjects that name no source: the impersonal "on", and time phrases the parser takes for a
# subject ("une nouvelle fois", "ce matin").
_NO_SOURCE = table("on je j' j’ nous vous tu")
_TIME_NOUNS = table("fois jour jours matin soir semaine semaines mois an ans année années heure heures")


def _names_a_source(speaker: Speaker | None) -> bool:
    if speaker is None or speaker.kind is None:
        return False
    words = speaker.text.lower().replace("’", "'").split()
    return bool(words) and not (len(words) == 1 and words[0] in _NO_SOURCE) and words[-1] not in _TIME_NOUNS


def _names_someone(view: ArticleView, source: Speaker) -> bool:
    """A source that names who speaks: a mention inside, or an organisation named by its noun
    inside a longer phrase ("une fiche du ministère de l'Agriculture")."""
    if view.mentions_in(source.start, source.end):
        return True
    return source.kind == "organisation" and bool(source.name) and source.name != source.text


def _first_person(tokens: list[Any]) -> bool:
    """The reported content speaks in the first or second person: the reporter's own statement,
    or a quotation without marks, not a report."""
    return any(t.text.lower().replace("’", "'") in FIRST_SECOND_PERSON for t in tokens)


def find_indirect(view: ArticleView, quoted_sentences: set[int]) -> list[Found]:
    """ "X a affirmé que …" and "Selon X, …" in sentences without quotation marks."""
    found: list[Found] = []
    for tokens in _sentences(view):
        end_token = len(tokens)
        while end_token > 0 and (tokens[end_token - 1].is_punct or tokens[end_token - 1].is_space):
            end_token -= 1
        leading = _leading_source(view, tokens, end_token)
        if _holds_quotation(view, tokens):
            # A reporter's sentence with quoted words inside, sourced by "selon X": the whole
            # sentence is X's report ("Selon la RATP, le trafic sera «très perturbé»"). One that
            # opens with a quotation mark is a direct quote and left to the quotation rules.
            if tokens and tokens[0].text not in _OPENING_MARKS:
                sourced = leading or _trailing_incise(view, tokens, end_token, prepositions_only=True)
                if sourced is None:
                    sourced = _report_around_quote(view, tokens, end_token)
                if sourced is None:
                    sourced = _incise_around_quote(view, tokens, end_token)
                if sourced is not None:
                    found.append(sourced)
            continue
        if leading is not None:
            found.append(leading)
            continue
        as_said = _as_said(view, tokens, end_token)
        if as_said is not None:
            found.append(as_said)
            continue
        trailing = _trailing_incise(view, tokens, end_token)
        if trailing is not None:
            found.append(trailing)
            continue
        report = _verb_report(view, tokens, end_token)
        if report is not None:
            found.append(report)
    return found


_OPENING_MARKS = frozenset({"«", "“", '"', "‹", "„"})


def _sentences(view: ArticleView) -> list[list[Any]]:
    """The text's sentences as token lists, cut at full stops outside quotations and at paragraph
    breaks rather than at the parser's `doc.sents`, which splits "…, ont annoncé les autorités."
    off its sentence and joins short ones."""
    doc = view.doc
    sentences: list[list[Any]] = []
    current: list[Any] = []
    for token in doc:
        if token.is_space and not current:
            continue
        current.append(token)
        stop = token.text in {".", "!", "?"} and not view.in_quote(token.idx)
        if stop or "\n\n" in token.text_with_ws:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _holds_quotation(view: ArticleView, tokens: list[Any]) -> bool:
    start, end = tokens[0].idx, _end(tokens[-1])
    return view.overlaps_quote(start, end)


def _leading_source(view: ArticleView, tokens: list[Any], end_token: int) -> Found | None:
    """ "Selon X, …" / "D'après X, …" opening the sentence: the rest is X's report."""
    size = cue_preposition_at([t.text for t in tokens], 0)
    if not size or tokens[0].text.lower() == "pour":
        return None
    first = size + 1 if size < len(tokens) and tokens[size].text == "," else size  # "Selon, X, …": a typo
    comma = next((k for k in range(first, min(len(tokens), first + 15)) if tokens[k].text == ","), None)
    if comma is None or comma == first or comma + 1 >= end_token:
        return None
    source = describe(view, tokens[first].i, tokens[comma].i)
    named = _names_someone(view, source)
    if not (source.kind == "anonymous" or (named and source.kind in {"person", "organisation"})):
        return None
    start, end = tokens[comma + 1].idx, _end(tokens[end_token - 1])
    cue_end = tokens[size - 1].idx + len(tokens[size - 1].text)
    return Found(start, end, "indirect", source, view.text[tokens[0].idx : cue_end], tokens[0].idx, cue_end)


def _verb_report(view: ArticleView, tokens: list[Any], end_token: int) -> Found | None:
    """ "X a affirmé que …" / "X a déploré ne pas avoir …": a report verb and its content clause."""
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
        if que is None:
            infinitive = _infinitive_report(tokens, k, end_token)
            if infinitive is None:
                continue
            speaker = speaker_for_verb(view, token, inverted_first=False)
            if (
                speaker is None
                or speaker.kind not in {"person", "organisation"}
                or not _names_a_source(speaker)
            ):
                continue
            if _first_person(tokens[infinitive:end_token]):
                continue
            start, end = tokens[infinitive].idx, _end(tokens[end_token - 1])
            return Found(start, end, "indirect", speaker, *_verb_cue(view, token))
        if que + 1 >= end_token:
            continue
        between = tokens[k + 1 : que]
        if any(t.pos_ in {"VERB", "AUX"} and t.text.lower() not in {"a", "ont"} for t in between):
            continue
        speaker = speaker_for_verb(view, token, inverted_first=False)
        if speaker is None or not _names_a_source(speaker) or _first_person(tokens[que + 1 : end_token]):
            continue
        start, end = tokens[que + 1].idx, _end(tokens[end_token - 1])
        return Found(start, end, "indirect", speaker, *_verb_cue(view, token))
    return None


def _report_around_quote(view: ArticleView, tokens: list[Any], end_token: int) -> Found | None:
    """ "X a indiqué que la mairie pourrait «venir en soutien»": a report whose content holds a
    partial quote is still indirect speech, when the report verb is the reporter's and the content
    opens with the reporter's words, not with the quotation."""
    report = _verb_report(view, tokens, end_token)
    if report is None or report.cue_start is None or view.in_quote(report.cue_start):
        return None
    if view.text[report.start] in _OPENING_MARKS or not _mostly_reporter(view, report):
        return None
    # Only "que" clauses: an infinitive around a quotation ("a assuré adopter «…»") is the quote.
    first = view.token_at(report.start)
    if first.i == 0 or view.doc[first.i - 1].text.lower() not in _QUE:
        return None
    return report


def _incise_around_quote(view: ArticleView, tokens: list[Any], end_token: int) -> Found | None:
    """ "La coalition doit «concentrer» ses frappes, ont annoncé Paris et Washington": a sentence
    holding partial quotes and closed by a verb incise is that source's report as a whole."""
    trailing = _trailing_incise(view, tokens, end_token)
    if trailing is None or trailing.cue_start is None or view.in_quote(trailing.cue_start):
        return None
    return trailing if _mostly_reporter(view, trailing) else None


def _mostly_reporter(view: ArticleView, found: Found) -> bool:
    """The content is the reporter's words with whole quotations inside, not the tail of a
    quotation the sentence splitter cut: no quotation straddles its bounds and no mark in it is
    left unpaired."""
    end = found.end
    if end < len(view.text) and view.text[end] in _CLOSING_MARKS:
        end += 1  # the content was trimmed of its final punctuation, the closing mark included
    marks: set[int] = set()
    for s, e in view.quoted:
        if s < found.start < e or s < end < e:
            return False
        if found.start <= s and e <= end:
            marks.update((s, e - 1))
    inside = view.text[found.start : end]
    if _SENTENCE_BREAK.search(inside):
        return False  # two sentences the parser left joined: the quotation opens the second
    stray = (k for k, c in enumerate(inside) if c in _CLOSING_MARKS | _OPENING_MARKS)
    return all(found.start + k in marks for k in stray)


_CLOSING_MARKS = frozenset({"»", "”", '"'})
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+[«“\"]?\s*[A-ZÀÂÉÈÊÎÔÛÇ]")


def _reported_clause(tokens: list[Any]) -> bool:
    """A reported content: a finite verb, at least four words, and no first or second person
    (the reporter's own "nous" is not somebody's speech)."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if len(words) < 4 or any(t.text.lower().replace("’", "'") in FIRST_SECOND_PERSON for t in words):
        return False
    return any(t.pos_ in {"VERB", "AUX"} and "Inf" not in t.morph.get("VerbForm") for t in words)


def _trailing_incise(
    view: ArticleView, tokens: list[Any], end_token: int, *, prepositions_only: bool = False
) -> Found | None:
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
            named = _names_someone(view, source)
            if source.kind == "anonymous" or (source.kind in {"person", "organisation"} and named):
                cue_start, cue_end = tokens[k + 1].idx, _end(tokens[first - 1])
                return Found(start, end, "indirect", source, view.text[cue_start:cue_end], cue_start, cue_end)
            continue
        if prepositions_only:
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
        if speaker is None or not _names_a_source(speaker):
            continue
        if start <= speaker.start < end:
            continue  # "…, la ville, qui craint …, a appelé": the subject opens the clause, no incise
        return Found(start, end, "indirect", speaker, *_verb_cue(view, verb))
    return None


_NEGATION = table("ne n' n’ pas plus jamais")


def _infinitive_report(tokens: list[Any], k: int, end_token: int) -> int | None:
    """ "X a déploré ne pas avoir été consulté" / "X a indiqué suspendre ses activités": a report verb
    followed right away by an infinitive clause; the clause (negation included) is what X said.
    Modal and motion verbs are not in the report lexicon, so "X a dit vouloir" still reads as a
    report of intent, which it is."""
    j = k + 1
    while j < end_token and tokens[j].text.lower() in _NEGATION:
        j += 1
    if j >= end_token or j - k > 3:
        return None
    verb = tokens[j]
    if verb.pos_ not in {"VERB", "AUX"} or "Inf" not in verb.morph.get("VerbForm"):
        return None
    if end_token - j < 3:
        return None  # too short to be a statement ("a dit attendre")
    return k + 1


_AS = table("comme ainsi")


def _as_said(view: ArticleView, tokens: list[Any], end_token: int) -> Found | None:
    """ "Comme l'a expliqué X, …" / "Ainsi que l'a rappelé X, …" opening the sentence: the clause
    after the comma is what X said."""
    i = 0
    if not tokens or tokens[0].text.lower() not in _AS:
        return None
    i = 1
    if tokens[0].text.lower() == "ainsi":
        if i >= end_token or tokens[i].text.lower() not in _QUE:
            return None
        i += 1
    if i + 2 >= end_token or tokens[i].text.lower() not in {"l'", "l’", "le"}:
        return None
    verb = next((t for t in tokens[i + 1 : i + 4] if speech_lemma(t.text, t.lemma_) in INDIRECT_VERBS), None)
    if verb is None:
        return None
    comma = next((j for j in range(verb.i - tokens[0].i + 1, end_token) if tokens[j].text == ","), None)
    if comma is None or not _reported_clause(tokens[comma + 1 : end_token]):
        return None
    first = verb.i + 1
    last = tokens[comma].i
    if first >= last:
        return None
    source = describe(view, first, last)
    if source.kind not in {"person", "organisation", "anonymous"}:
        return None
    start, end = tokens[comma + 1].idx, _end(tokens[end_token - 1])
    return Found(start, end, "indirect", source, *_verb_cue(view, verb))
