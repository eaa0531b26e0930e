"""Quote or term, direct or partial, and whose: the decisions made for each quotation span.

Works on an `ArticleView` (text, Doc, mentions, entities) and returns `Found` records; writing them
back as `Quote` objects is the stage's job. The rules, in order, for one quotation:

1. an incise after the closing mark («…», a plaidé X / «…» confie t-on / «…», a-t-il dit) → direct;
2. a colon before the opening mark, after a cue verb or a speaker ("détaillés par X :", "X :"),
   after "selon X," at the start of the sentence, or right after the previous quote's incise → direct;
3. a speech verb of the same sentence governing it or nearest to it → partial (direct when the quote
   starts the sentence), unless the quote is a term: a short verbless phrase right after a
   determiner (le «Conseil de guerre», un «recul»), which is never a quote;
4. a long quote (≥ 5 words, sentence punctuation, or a first/second person word) that starts its
   sentence continues the speaker of the quote just before it (follow-on);
5. anything else is a term (scare quotes, titles, slogans with no source) and is not kept.
"""

from __future__ import annotations

from typing import Any

from veille.quotes.clauses import AUXILIARIES as _AUXILIARIES
from veille.quotes.clauses import Found, is_labelled_term
from veille.quotes.clauses import clause_floor as _floor
from veille.quotes.clauses import governing_verb as _governing_verb
from veille.quotes.clauses import speech_verbs as _speech_verbs
from veille.quotes.clauses import token_cue as _cue
from veille.quotes.clauses import token_end as _end
from veille.quotes.clauses import verb_cue as _verb_cue
from veille.quotes.clauses import window_end as _window_end
from veille.quotes.clauses import words as _words
from veille.quotes.cues import (
    EUPHONIC_T,
    FIRST_SECOND_PERSON,
    STRESSED_PRONOUNS,
    cue_preposition_at,
    incise_pronoun,
    is_speech_token,
    speech_lemma,
    table,
)
from veille.quotes.fragments import (
    continued_fragment,
    governed_fragment,
    prev_token,
    selon_fragment,
    subject_fragment,
)
from veille.quotes.marks import QuotationSpan
from veille.quotes.sources import credited_after
from veille.quotes.speakers import describe
from veille.quotes.subjects import speaker_for_verb, speaker_in_next_sentence
from veille.quotes.view import ArticleView, MentionRef, Speaker

__all__ = ["Found", "decide", "incise_verb", "internal_incise", "split_incise"]

_DETERMINERS = table("le la les l' l’ un une des du au aux ce cet cette ces son sa ses leur leurs notre")
_OPEN_ADP = table("à de d' d’")
_CLAUSE_OPENERS = frozenset({"-", "—", "–", "(", "\n"})


def incise_verb(view: ArticleView, close: Any) -> tuple[Any, bool] | None:
    """The cue verb of an incise right after a closing mark (", a plaidé", " confie t-on") and
    whether words sat between the mark and the incise ("» en Syrie, a dénoncé")."""
    doc = view.doc
    end = _window_end(doc, close.i, 14)
    i = close.i + 1
    # A short gap may sit between the quote and the comma: «…» en Syrie, a dénoncé X.
    gap = i
    while gap < end and gap - i < 6 and doc[gap].text != "," and not doc[gap].is_punct:
        if doc[gap].pos_ in {"VERB", "AUX"} and not is_speech_token(doc[gap]):
            break
        gap += 1
    gapped = False
    if gap < end and doc[gap].text == ",":
        gapped, i = gap > i, gap + 1
    k = i
    inverted = False
    while k < end and k - i < 5:
        token = doc[k]
        word = token.text.lower()
        if incise_pronoun(word) or word in EUPHONIC_T:
            inverted = True
        elif word in _AUXILIARIES or token.pos_ == "ADV" or word in {"fait", "faisait"}:
            pass
        elif k == i and not gapped and token.text[:1].isupper():
            return None  # «…» Interrogé par X, …: a new sentence the text lost its full stop before
        elif is_speech_token(token) or (inverted and token.pos_ in {"VERB", "ADJ", "NOUN"}):
            return token, gapped
        elif k == i and speech_lemma(token.text) is not None:
            return token, gapped  # "», soupire X": the tagger took the verb for a noun
        else:
            return None
        k += 1
    return None


def _clause_start(view: ArticleView, open_token: Any) -> bool:
    """The quote opens its clause: first in its sentence, or after a dash or a parenthesis."""
    before = [t for t in view.doc[_floor(view, open_token.i) : open_token.i] if not t.is_space]
    # The parser sometimes keeps the end of the previous sentence with the quote: a full stop
    # right before the mark still opens a clause.
    return not before or before[-1].text in _CLAUSE_OPENERS or before[-1].text in {".", "!", "?", "…"}


def _is_term(view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any) -> bool:
    """A short verbless phrase right after a determiner: le «Conseil de guerre», un «recul»."""
    inner = _words(view.doc, open_token.i + 1, close_token.i)
    if len(inner) > 4 or any(t.pos_ in {"VERB", "AUX"} for t in inner):
        return False
    previous = prev_token(view, open_token)
    if previous is None or previous.text.lower() in _DETERMINERS:
        return True
    if inner and inner[0].text[:1].isupper() and len(inner) <= 4:
        return True  # a title or a name: «L'Affaire du siècle», «Rousseau»
    return len(inner) <= 1 and previous.pos_ in {"ADP", "DET"} and previous.text.lower() not in _OPEN_ADP


def _before_colon(view: ArticleView, colon: Any, last: Found | None) -> tuple[Speaker | None, Any | None]:
    """The speaker of a quote after a colon: the cue verb's subject, the passive agent, or "X :"."""
    doc = view.doc
    floor = _floor(view, colon.i)
    verbs = _speech_verbs(view, floor, colon.i)
    if verbs:
        verb = verbs[-1]
        if verb.text.lower().endswith("ant"):
            # "X n'a pas souhaité répondre, répondant : «…»": the subject of the clause it hangs
            # on; else the last speaker goes on ("«…», a dénoncé X, ajoutant : «…»").
            subject = speaker_for_verb(view, verb, inverted_first=False)
            named = subject is not None and view.mentions_in(subject.start, subject.end)
            if subject is not None and named and subject.kind in {"person", "organisation"}:
                return subject, verb
            if last is not None and last.speaker is not None:
                return last.speaker, verb
            return subject, verb
        after = verb.i + 1
        if after < colon.i and doc[after].text.lower() == "par":
            return describe(view, after + 1, colon.i), verb
        return speaker_for_verb(view, verb, inverted_first=False), verb
    # "X :" — a named speaker right before the colon.
    first = colon.i
    while first > floor and not doc[first - 1].is_punct:
        first -= 1
    clause = any(t.pos_ in {"VERB", "AUX"} for t in doc[first : colon.i])
    if first < colon.i and not clause and view.mentions_in(doc[first].idx, colon.idx):
        speaker = describe(view, first, colon.i)
        if speaker.kind in {"person", "organisation"}:
            return speaker, None
    return None, None


def _announced_by_colon(view: ArticleView, colon: Any) -> Speaker | None:
    """A long quote after a colon that closes a clause whose main verb has a named person or
    organisation for subject: "X a publié un message sur Twitter : «…»" — the clause announces
    what X wrote, though its verb is no speech verb."""
    doc = view.doc
    floor = _floor(view, colon.i)
    if any(view.in_quote(t.idx) for t in doc[floor : colon.i]):
        return None
    verbs = [t for t in doc[floor : colon.i] if t.pos_ == "VERB" and "Fin" in t.morph.get("VerbForm")]
    verbs += [t for t in doc[floor : colon.i] if t.pos_ == "VERB" and "Part" in t.morph.get("VerbForm")]
    for verb in verbs:
        if not any(c.dep_.startswith("nsubj") for c in verb.children):
            continue
        speaker = speaker_for_verb(view, verb, inverted_first=False)
        if speaker is None or speaker.kind not in {"person", "organisation"}:
            continue
        # Named in the clause, or a description resolved to a person named before ("L'animateur").
        resolved = speaker.kind == "person" and speaker.name and speaker.name != speaker.text
        if view.mentions_in(speaker.start, speaker.end) or resolved:
            return speaker
    return _stray_subject(view, floor, colon.i)


def _stray_subject(view: ArticleView, floor: int, colon: int) -> Speaker | None:
    """The clause's subject when the parser hung it on a verb inside the quotation ("L'animateur
    qui assume … a enfoncé le clou : «… dit …»"): the subject of the clause's first words."""
    doc = view.doc
    subject = next((t for t in doc[floor:colon] if t.dep_ == "nsubj" and t.head.i > colon), None)
    if subject is None or subject.pos_ not in {"NOUN", "PROPN"} or subject.left_edge.i != floor:
        return None
    speaker = describe(view, floor, subject.i + 1)
    named = view.mentions_in(speaker.start, speaker.end)
    resolved = speaker.kind == "person" and speaker.name and speaker.name != speaker.text
    return speaker if speaker.kind in {"person", "organisation"} and (named or resolved) else None


def _preposition_intro(view: ArticleView, open_token: Any) -> tuple[Speaker, tuple[str, int, int]] | None:
    """ "Selon X, «…»" / "Pour X, «…»" at the start of the sentence."""
    doc = view.doc
    floor = _floor(view, open_token.i)
    words = [t.text for t in doc[floor : open_token.i]]
    size = cue_preposition_at(words, 0)
    if not size:
        return None
    first, last = floor + size, open_token.i - (1 if words[-1] == "," else 0)
    if last - first == 1 and doc[first].text.lower() in STRESSED_PRONOUNS:  # "Selon lui, «…»"
        pass
    elif words[-1] != "," or first >= last or not any(t.pos_ in {"NOUN", "PROPN"} for t in doc[first:last]):
        return None
    cue_end = doc[first - 1].idx + len(doc[first - 1].text)
    cue_start = doc[floor].idx
    return describe(view, first, last), (view.text[cue_start:cue_end], cue_start, cue_end)


def _selon_after(view: ArticleView, close: Any) -> tuple[Speaker, tuple[str, int, int]] | None:
    """«…», selon X — the cue preposition right after the quote, with a named source."""
    doc = view.doc
    i = close.i + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    end = _window_end(doc, close.i, 14)
    size = cue_preposition_at([t.text for t in doc[i:end]], 0)
    if not size or doc[i].text.lower() == "pour":
        return None
    first = last = i + size
    while last < end and not doc[last].is_punct:
        last += 1
    if last - first == 1 and doc[first].text.lower() in STRESSED_PRONOUNS:
        pass  # "«…», selon elle."
    elif first >= last or not view.mentions_in(doc[first].idx, _end(doc[last - 1])):
        return None
    cue_end = doc[first - 1].idx + len(doc[first - 1].text)
    return describe(view, first, last), (view.text[doc[i].idx : cue_end], doc[i].idx, cue_end)


def _is_long(view: ArticleView, span: QuotationSpan) -> bool:
    inner = view.text[span.start : span.end]
    words = inner.replace("’", "'").lower().split()
    return (
        len(words) >= 5
        or inner.rstrip().endswith((".", "!", "?", "…"))
        or any(w in FIRST_SECOND_PERSON or w.startswith(("j'", "m'", "t'")) for w in words)
    )


def decide(view: ArticleView, span: QuotationSpan, last: Found | None) -> Found | None:
    """One quotation span → a Found quote, or None when it is a term (or has no source). A quote
    credited in parentheses right after it ("«…» (Variety)") is that source's, whatever the
    sentence's subject: the reporter names who printed those words."""
    found = _decide(view, span, last)
    if found is None:
        return None
    credited = credited_after(view, span.close)
    if credited is not None:
        found.speaker = _credited_speaker(view, credited)
    return found


def _credited_speaker(view: ArticleView, mention: MentionRef) -> Speaker:
    if mention.label == "PER":
        return describe(view, view.token_at(mention.start).i, view.token_at(mention.end - 1).i + 1)
    entity = view.entities.get(mention.entity_id or "")
    text = view.text[mention.start : mention.end]
    name = entity.name if entity else text
    return Speaker(text, mention.start, mention.end, "organisation", mention.entity_id, name)


def _decide(view: ArticleView, span: QuotationSpan, last: Found | None) -> Found | None:
    doc = view.doc
    open_token, close_token = view.token_at(span.open), view.token_at(span.close)
    if open_token.i >= close_token.i:
        return None
    clause_start = _clause_start(view, open_token)
    previous = prev_token(view, open_token)
    following = doc[close_token.i + 1] if close_token.i + 1 < len(doc) else None
    if (
        previous is not None
        and previous.text.endswith(("-", "—", "–"))
        and following is not None
        and following.text.startswith(("-", "—", "–"))
    ):
        return None  # a sub-heading quoting someone ("- "C'est l'urgence" -"), not a quote itself
    # A verbless sub-heading glued to its paragraph ("«Une décision juste»La …"), or a quoted term
    # of the reporter's sentence ("dix «gilets jaunes»", "l'affaire «…»"): not a quote.
    if (clause_start and _glued_heading(view, span, open_token, close_token)) or (
        not clause_start and is_labelled_term(view, open_token, close_token)
    ):
        return None
    after = _selon_after(view, close_token)
    if after is not None:
        return Found(span.start, span.end, "direct" if clause_start else "partial", after[0], *after[1])
    incise = incise_verb(view, close_token)
    # le «projet alternatif» souhaité par X: a bare participle after a fragment qualifies it.
    if incise is not None and (clause_start or not _bare_participle(incise[0])):
        verb, gapped = incise
        kind = "partial" if gapped and not clause_start else "direct"
        speaker = speaker_for_verb(view, verb, inverted_first=True)
        if kind == "direct" or not _is_term(view, span, open_token, close_token):
            return Found(span.start, span.end, kind, speaker, *_verb_cue(view, verb))
        return None
    if previous is not None and previous.text == ":":
        speaker, cue_verb = _before_colon(view, previous, last)
        if speaker is not None:
            cue = _verb_cue(view, cue_verb) if cue_verb is not None else _cue(previous)
            return Found(span.start, span.end, "direct", speaker, *cue)
        announced = _announced_by_colon(view, previous) if _is_long(view, span) else None
        if announced is not None:
            return Found(span.start, span.end, "direct", announced, *_cue(previous))
    intro = _preposition_intro(view, open_token)
    if intro is not None:
        return Found(span.start, span.end, "direct", intro[0], *intro[1])
    if last is not None and last.cue_end is not None and previous is not None and previous.text == ",":
        between = view.text[max(last.cue_end, last.speaker.end if last.speaker else 0) : span.open]
        if between.strip() in {",", ""} and _floor(view, open_token.i) <= view.token_at(last.start).i:
            return Found(span.start, span.end, "direct", last.speaker, last.cue, last.cue_start, last.cue_end)
    if not clause_start and _is_term(view, span, open_token, close_token):
        fragment = governed_fragment(view, span, open_token, close_token)
        fragment = fragment or selon_fragment(view, span, open_token)
        return fragment or continued_fragment(view, span, open_token, close_token, last)
    governing_found = _governing_verb(view, open_token, close_token)
    inner = _words(doc, open_token.i + 1, close_token.i)
    # A short verbless quote may be a name, unless it opens a reported clause ("soulignant
    # qu'«une enquête policière» était en cours").
    short_name = (
        len(inner) <= 3
        and not any(t.pos_ in {"VERB", "AUX"} for t in inner)
        and (previous is None or previous.text.lower() not in {"que", "qu'", "qu’"})
    )
    if governing_found is not None and (governing_found[1] or not short_name):
        governing = governing_found[0]
        speaker = speaker_for_verb(view, governing, inverted_first=governing.i > close_token.i)
        if speaker is not None and speaker.kind is not None:
            kind = "direct" if clause_start else "partial"
            return Found(span.start, span.end, kind, speaker, *_verb_cue(view, governing))
    inside = _incise_inside(view, span, open_token, close_token)
    if inside is not None:
        return inside
    if not clause_start:
        fragment = continued_fragment(view, span, open_token, close_token, last)
        fragment = fragment or subject_fragment(view, span, open_token, close_token)
        if fragment is not None:
            return fragment
    named_next = speaker_in_next_sentence(view, span.close) if clause_start and _is_long(view, span) else None
    if named_next is not None:  # "« … » A poursuivi X." — the source is named after the quote
        return Found(span.start, span.end, "direct", named_next[0], *_verb_cue(view, named_next[1]))
    if clause_start and _is_long(view, span) and last is not None and last.speaker is not None:
        # Follow-on: within the same paragraph, at most a sentence or two after the last quote.
        gap = view.text[last.end : span.open]
        if "\n\n" not in gap and len(gap) <= 300:
            return Found(span.start, span.end, "direct", last.speaker)
    if clause_start and _is_long(view, span):
        return _cue_before(view, span, open_token)
    return None


def _incise_inside(view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any) -> Found | None:
    """« …, a-t-il ajouté, … »: the incise inside the marks names the speaker."""
    inside = internal_incise(view, open_token.i + 1, close_token.i)
    if inside is None:
        return None
    speaker = speaker_for_verb(view, inside[1], inverted_first=True)
    return Found(span.start, span.end, "direct", speaker, *_verb_cue(view, inside[1]))


def _glued_heading(view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any) -> bool:
    """A capital letter right after the closing mark: the cleaned text lost the line break after a
    sub-heading. A verbless one names the section; one with a verb may still quote someone."""
    if span.close + 1 >= len(view.text) or not view.text[span.close + 1].isupper():
        return False
    inner = _words(view.doc, open_token.i + 1, close_token.i)
    return len(inner) <= 6 and not any(t.pos_ in {"VERB", "AUX"} for t in inner)


def _cue_before(view: ArticleView, span: QuotationSpan, open_token: Any) -> Found | None:
    """A long quote opening its sentence after one whose speech verb has a person or organisation
    subject: "Anne Hidalgo a réagi sur Twitter. «…»" — the quote is what that sentence announced."""
    doc = view.doc
    floor = _floor(view, open_token.i)
    if floor == 0 or "\n\n" in doc[floor - 1].text_with_ws:
        return None
    prev_floor = _floor(view, floor - 1)
    if any(view.in_quote(t.idx) for t in doc[prev_floor:floor]):
        return None  # the sentence before quotes someone itself; its quote took the cue
    for verb in reversed(_speech_verbs(view, prev_floor, floor)):
        speaker = speaker_for_verb(view, verb, inverted_first=False)
        if speaker is not None and speaker.kind in {"person", "organisation"}:
            return Found(span.start, span.end, "direct", speaker, *_verb_cue(view, verb))
    return None


def _bare_participle(verb: Any) -> bool:
    """A past participle with no auxiliary: an adjective on the noun before it, not a cue."""
    if "Part" not in verb.morph.get("VerbForm"):
        return False
    return not any(c.dep_ in {"aux", "aux:tense", "aux:pass"} for c in verb.children)


_INCISE_END = frozenset({",", ".", "!", "?", "…"})
_INCISE_AUXILIARIES = frozenset({"a", "ont", "avait", "avaient", "aurait"})


def _noun_incise(view: ArticleView, comma: Any, last: int) -> tuple[Any, int] | None:
    """ ", racontent les AaRON dans un communiqué." — a speech verb right after the comma (or after
    its auxiliary), then its inverted subject, then a comma or a full stop: (verb, closing token)."""
    doc = view.doc
    k = comma.i + 1
    if k < last and doc[k].text.lower() in _INCISE_AUXILIARIES:
        k += 1
    if k >= last or doc[k].text[:1].isupper() or not is_speech_token(doc[k]):
        return None
    verb = doc[k]
    for j in range(k + 1, min(k + 14, last + 1)):
        token = doc[j] if j < len(doc) else None
        if token is None or token.text in _INCISE_END or j == last:
            has_subject = any(t.pos_ in {"PROPN", "NOUN"} or incise_pronoun(t.text) for t in doc[k + 1 : j])
            return (verb, j) if has_subject and j > k + 1 else None
        if token.pos_ in {"VERB", "AUX"} or token.text in {"«", "»", "“", "”", '"'}:
            return None
    return None


def internal_incise(view: ArticleView, first: int, last: int) -> tuple[Any, Any, int] | None:
    """« …, a-t-il ajouté, … » inside the tokens [first, last): (comma, cue verb, closing token).

    The incise ends on a comma, or on a full stop when the quotation goes on with a new sentence
    or ends there; its subject is an inverted pronoun or, right after the verb, a noun phrase
    ("…, racontent les membres du groupe. …")."""
    doc = view.doc
    for token in doc[first:last]:
        if token.text != "," or token.i + 2 > last:
            continue
        noun = _noun_incise(view, token, last)
        if noun is not None:
            return token, noun[0], noun[1]
        for k in range(token.i + 2, min(token.i + 5, last)):
            if not incise_pronoun(doc[k].text):
                continue
            verb = next(
                (
                    t
                    for t in doc[token.i + 1 : k]
                    if t.pos_ in {"VERB", "ADJ", "NOUN"} and speech_lemma(t.text, t.lemma_)
                ),
                None,
            )
            if verb is None and k + 1 < last and speech_lemma(doc[k + 1].text, doc[k + 1].lemma_):
                verb = doc[k + 1]
            after = max(k, verb.i if verb is not None else k) + 1
            if verb is not None and (after == last or (after < last and doc[after].text in _INCISE_END)):
                return token, verb, after
            break
    return None


def split_incise(view: ArticleView, found: Found) -> list[Found]:
    """« …, a-t-il ajouté, … » → two quotes with the incise's speaker and cue."""
    if found.kind != "direct":
        return [found]
    first, last = view.token_at(found.start).i, view.token_at(found.end - 1).i + 1
    incise = internal_incise(view, first, last)
    if incise is None:
        return [found]
    comma, verb, after = incise
    speaker = found.speaker or speaker_for_verb(view, verb, inverted_first=True)
    cue = _verb_cue(view, verb)
    left = Found(found.start, comma.idx, "direct", speaker, *cue)
    if after + 1 >= last:  # the incise closes the quotation: « …, a-t-il déploré. »
        return [left]
    return [left, Found(view.doc[after + 1].idx, found.end, "direct", speaker, *cue)]
