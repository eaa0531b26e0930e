"""Quoted fragments inside the reporter's own sentence: whose words they are.

A short lowercase fragment ("un «recul»", "sera «très perturbé»") is a partial quote when a
speech verb with a speaking subject governs it, when the clause's subject is a named person, or
when it continues a statement whose source was given just before (the sentence before, or a few
sentences back across one paragraph break with no other source in between). Anything else stays
a term.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from veille.quotes.clauses import Found
from veille.quotes.clauses import clause_ceiling as _ceiling
from veille.quotes.clauses import clause_floor as _floor
from veille.quotes.clauses import governing_verb as _governing_verb
from veille.quotes.clauses import speech_verbs as _speech_verbs
from veille.quotes.clauses import token_end as _end
from veille.quotes.clauses import verb_cue as _verb_cue
from veille.quotes.clauses import words as _words
from veille.quotes.cues import STRESSED_PRONOUNS, table
from veille.quotes.marks import QuotationSpan
from veille.quotes.speakers import describe
from veille.quotes.subjects import speaker_for_verb
from veille.quotes.view import ArticleView, Speaker

__all__ = [
    "WORK_NOUNS",
    "continued_fragment",
    "governed_fragment",
    "prev_token",
    "selon_fragment",
    "subject_fragment",
]

# Nouns before a title of a work or a name ("le film «…»", "sa chanson «…»"): never a quote.
WORK_NOUNS = table(
    "film livre chanson titre album single série émission roman ouvrage spectacle clip opération "
    "mouvement slogan hashtag mot terme expression surnom baptisé intitulé"
)


def prev_token(view: ArticleView, token: Any) -> Any | None:
    i = token.i - 1
    while i >= 0 and view.doc[i].is_space:
        i -= 1
    return view.doc[i] if i >= 0 else None


def governed_fragment(
    view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any
) -> Found | None:
    """A short lowercase fragment after a determiner is still a partial quote when a speech verb
    governs it in the parse and that verb has a person or organisation for subject: "X a exprimé
    son «infinie tristesse»", "X a dénoncé un «recul»". A capitalised fragment stays a title or a
    name, and one with no speaking subject stays a term ("le «Conseil de guerre»")."""
    inner = _words(view.doc, open_token.i + 1, close_token.i)
    if not inner or not inner[0].text[:1].islower():
        return None
    previous = prev_token(view, open_token)
    if previous is not None and previous.text.lower() in WORK_NOUNS:
        return None
    governing = _governing_verb(view, open_token, close_token)
    if governing is None or not governing[1]:
        return None
    verb = governing[0]
    speaker = speaker_for_verb(view, verb, inverted_first=verb.i > close_token.i)
    if speaker is None or speaker.kind not in {"person", "organisation"}:
        return None
    if view.quote_opens_in(speaker.start, speaker.end):
        return None  # the subject is itself a quoted term: le «Conseil de guerre» se félicite …
    return Found(span.start, span.end, "partial", speaker, *_verb_cue(view, verb))


def subject_fragment(
    view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any
) -> Found | None:
    """Words a named person is reported to use, with no speech verb: "Il a fixé «trois
    rendez-vous nouveaux»", "X a balayé les «spéculations sur son avenir»". The fragment is
    lowercase, of two words or more, inside the clause of a verb whose subject is a person named
    outside quotation marks (or a pronoun standing for one); a bare noun in quotation marks stays
    a term."""
    doc = view.doc
    inner = _words(doc, open_token.i + 1, close_token.i)
    if len(inner) < 2 or not inner[0].text[:1].islower():
        return None
    floor = _floor(view, open_token.i)
    verbs = [t for t in inner[0].ancestors if t.pos_ in {"VERB", "AUX"} and floor <= t.i < open_token.i]
    # The first verb up the tree with a subject: "X veut agir «…»" is X's, through "veut".
    # A relative clause's "qui" stands for its antecedent, not a speaker: "X a rendu hommage à Y,
    # qui fut «…»" is X's fragment, read on the verb above.
    verb = next((v for v in verbs if _subject_of(v) is not None), None)
    if verb is None:
        return None
    subject = _subject_of(verb)
    if subject is None or view.in_quote(subject.idx):
        return None
    speaker = speaker_for_verb(view, verb, inverted_first=False)
    if speaker is None or speaker.kind != "person" or not speaker.name:
        return None
    return Found(span.start, span.end, "partial", speaker, *_verb_cue(view, verb))


def selon_fragment(view: ArticleView, span: QuotationSpan, open_token: Any) -> Found | None:
    """A fragment in a clause sourced by "selon X" before it: "les orientations, qui constituent
    selon elles une «attaque»" — X's word, whatever the verb."""
    doc = view.doc
    floor = _floor(view, open_token.i)
    for k in range(open_token.i - 1, floor - 1, -1):
        if doc[k].text in {",", ";", ":"} and k < open_token.i - 1:
            break  # the source must be in the fragment's own clause
        if doc[k].text.lower() != "selon" or k + 1 >= open_token.i:
            continue
        last = (
            k + 2 if doc[k + 1].text.lower() in STRESSED_PRONOUNS else _source_end(view, k + 1, open_token.i)
        )
        speaker = describe(view, k + 1, last)
        if speaker.kind is None:
            return None
        cue_end = doc[k].idx + len(doc[k].text)
        return Found(span.start, span.end, "partial", speaker, doc[k].text, doc[k].idx, cue_end)
    return None


def _source_end(view: ArticleView, first: int, limit: int) -> int:
    """One past the noun phrase after "selon" ("selon le ministère de la Santé, …")."""
    doc = view.doc
    k = first
    while k < limit and not doc[k].is_punct and doc[k].pos_ in {"DET", "NOUN", "PROPN", "ADJ", "ADP"}:
        k += 1
    return max(k, first + 1)


def _subject_of(verb: Any) -> Any | None:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}]
    if not subjects or subjects[0].text.lower() in {"qui", "que", "dont"}:
        return None
    return subjects[0]


def _sentence_speakers(view: ArticleView, first: int, last: int) -> list[Any]:
    """Tokens of [first, last) with a person subject: a named PER mention or a personal pronoun."""
    doc = view.doc
    found = []
    for token in doc[first:last]:
        if not token.dep_.startswith("nsubj") or view.in_quote(token.idx):
            continue
        pronoun = token.pos_ == "PRON" and token.text.lower() in {"il", "elle", "ils", "elles"}
        # A name's head token is its first word ("Jean" of "Jean Dupont"); a role's holder is named
        # in its phrase ("La maire de Rennes Nathalie Appéré"): a mention in the subject's words.
        first, last = token.left_edge.idx, _end(token.right_edge)
        named = bisect_left(view.people_starts, first) < bisect_left(view.people_starts, last)
        if pronoun or named:
            found.append(token)
    return found


def continued_fragment(
    view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any, last: Found | None
) -> Found | None:
    """A lowercase fragment continuing a reported statement: the sentence before (same paragraph)
    has a speech verb with a person or organisation subject, and no other person is subject here.
    "La RATP a détaillé ses prévisions. Le RER A sera «fermé» et la ligne 1 «perturbée»." """
    doc = view.doc
    inner = _words(doc, open_token.i + 1, close_token.i)
    if not inner or not inner[0].text[:1].islower():
        return None
    previous = prev_token(view, open_token)
    if previous is not None and previous.text.lower() in WORK_NOUNS:
        return None
    floor = _floor(view, open_token.i)
    if floor == 0 or "\n\n" in doc[floor - 1].text_with_ws:
        return _statement_goes_on(view, span, open_token, close_token, last)
    prev_floor = _floor(view, floor - 1)
    verbs = _speech_verbs(view, prev_floor, floor)
    for verb in reversed(verbs):
        speaker = speaker_for_verb(view, verb, inverted_first=False)
        if speaker is None or speaker.kind not in {"person", "organisation"}:
            continue
        if view.quote_opens_in(speaker.start, speaker.end):
            return None
        others = [
            t
            for t in _sentence_speakers(view, floor, _ceiling(view, close_token.i))
            if not (speaker.start <= t.idx < speaker.end)
            and t.pos_ != "PRON"
            and not _same_person(view, t, speaker)
        ]
        if others:
            return None
        return Found(span.start, span.end, "partial", speaker, *_verb_cue(view, verb))
    if verbs:
        return None
    return _statement_goes_on(view, span, open_token, close_token, last)


# How far (characters) a source's statement may run on, quote to quote, without a new cue: a
# few sentences, across at most one paragraph break (a list of forecasts, of figures, of demands).
STATEMENT_REACH = 400


def _statement_goes_on(
    view: ArticleView, span: QuotationSpan, open_token: Any, close_token: Any, last: Found | None
) -> Found | None:
    """A fragment in a run of paraphrased sentences after one cue: the last quote's source still
    speaks when it came at most a few sentences before (one paragraph break at most), and nothing
    since has named another source: no speech verb, no person as subject."""
    if last is None or last.speaker is None or last.speaker.kind not in {"person", "organisation"}:
        return None
    gap = view.text[last.end : span.open]
    if len(gap) > STATEMENT_REACH or gap.count("\n\n") > 1:
        return None
    previous = prev_token(view, open_token)
    if "\n\n" in gap and previous is not None and previous.pos_ == "DET":
        return None  # "les «gilets jaunes» ont prévu", a new paragraph on: a name, no more the source's
    # The last quote's own cue ("«…», a détaillé la RATP.") is no new source.
    since = view.token_at(max(last.end, last.cue_end or 0)).i + 1
    if _speech_verbs(view, since, open_token.i):
        return None
    subjects = _sentence_speakers(view, since, _ceiling(view, close_token.i))
    if any(not _same_person(view, token, last.speaker) for token in subjects):
        return None
    return Found(span.start, span.end, "partial", last.speaker, last.cue, last.cue_start, last.cue_end)


def _same_person(view: ArticleView, token: Any, speaker: Speaker) -> bool:
    """The subject token names the speaker again ("M. Philippe a pointé la «sensibilité»")."""
    if speaker.entity_id is None:
        return False
    return any(m.entity_id == speaker.entity_id and m.start <= token.idx < m.end for m in view.mentions)
