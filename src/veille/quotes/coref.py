"""Coreference for speakers: which person "il", "elle" or "le ministre" stands for.

Gender comes from agreement, read in spaCy's morphology: the determiner, title or adjective before
a name ("la ministre X", "Mme X"), and a participle agreeing through "être" ("X a été élue"); it is
voted over all the mentions of one person, so "Mme Dupont" early on makes a later "Dupont"
feminine. A role ("le secrétaire d'Etat") goes to the person it is written next to. Persons named
only inside quotations are never candidates: they are spoken about, not speaking.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from veille.quotes.cues import DOCUMENT_NOUNS, ORGANISATION_NOUNS, table

if TYPE_CHECKING:
    from veille.quotes.view import ArticleView, MentionRef

# Nouns of agents ("l'animateur", "la chroniqueuse", "le militant"): a person, even when an
# organisation follows ("l'animateur du 13 Heures de TF1" speaks, not TF1).
_AGENT_SUFFIXES = ("eur", "euse", "trice", "iste", "logue")
# Definite singular nouns that speak in no French news sentence: not a person to resolve.
NOT_SPEAKERS = table("fait cas trafic bilan nombre temps secteur moteur projet point problème")
NAME_TITLES = table("dr dr. pr pr. me docteur professeur maître")
# Nouns for people that the role list and the agent endings miss.
_PEOPLE_NOUNS = table("dj comédien comédienne mannequin cinéaste photographe styliste musicien musicienne")
# People described by their tie to someone else ("son père", "la mère de X"): never that someone.
RELATIVE_NOUNS = table(
    "père mère fils fille frère sœur soeur mari épouse femme compagne compagnon oncle tante cousin "
    "cousine grand-père grand-mère veuve veuf voisin voisine ami amie proche"
)
# Places: "la capitale chinoise a annoncé" is its government, not a person to resolve.
_PLACE_NOUNS = table("capitale ville pays région commune département village métropole île")
_STOP_TEXT = frozenset(',.;:!?()[]«»“”"—–')


def _is_stop(token: object) -> bool:
    text = getattr(token, "text", "")
    return text in _STOP_TEXT or bool(getattr(token, "is_space", False) or getattr(token, "is_punct", False))


def mention_gender(view: ArticleView, mention: MentionRef) -> str | None:
    """The gender the words around one mention agree in: "Mme", "la ministre", "elle a été élue"."""
    doc = view.doc
    first = view.token_at(mention.start)
    # Before: the determiner, title or adjective of the noun phrase ("la ministre française X").
    noun_gender: str | None = None
    for k in range(first.i - 1, max(-1, first.i - 5), -1):
        token = doc[k]
        word = token.text.lower()
        if word in {"mme", "madame", "mlle", "mademoiselle"}:
            return "Fem"
        if word in {"m.", "monsieur", "m"}:
            return "Masc"
        if _is_stop(token) or token.pos_ in {"VERB", "AUX", "ADP", "PRON"}:
            break
        if token.pos_ == "DET" and k > 0 and doc[k - 1].text.lower() in {"de", "d'", "d’"}:
            break  # "le secrétaire général de la CGT X": that article is the union's, not X's
        gender = token.morph.get("Gender")
        if gender and token.pos_ == "DET":  # "la ministre": the article tells an epicene title
            return str(gender[0])
        if gender and token.pos_ in {"NOUN", "ADJ"}:
            # A noun's masculine is often only the default ("ministre"); a feminine is marked.
            noun_gender = "Fem" if "Fem" in gender or noun_gender == "Fem" else noun_gender or "Masc"
    if noun_gender is not None:
        return noun_gender
    # After: a participle or adjective agreeing through "être" ("X a été élue", "X est née").
    last = view.token_at(mention.end - 1)
    k = last.i + 1
    seen_etre = False
    while k < min(len(doc), last.i + 5):
        token = doc[k]
        if token.lemma_ == "être" or token.text.lower() in {"été", "a", "avait", "ne", "n'", "n’"}:
            seen_etre = seen_etre or token.lemma_ == "être"
            k += 1
            continue
        if seen_etre and token.pos_ in {"VERB", "ADJ"}:
            return _agreement(token)
        break
    return None


def _agreement(token: Any) -> str | None:
    """The gender a participle or adjective shows in its ending: the tagger's guess alone is noisy
    ("reparti" tagged feminine), so it must agree with the written "-e"."""
    word = token.text.lower()
    feminine_form = word.endswith(("e", "es"))
    if "Part" in token.morph.get("VerbForm"):
        return "Fem" if feminine_form else "Masc"
    gender = token.morph.get("Gender")
    if "Fem" in gender and feminine_form:
        return "Fem"
    if "Masc" in gender and not feminine_form:
        return "Masc"
    return None


def entity_gender(view: ArticleView, mention: MentionRef) -> str | None:
    """The gender of the person behind a mention, voted over all its mentions in the article:
    "Mme Dupont" early on makes a later bare "Dupont" feminine."""
    key = mention.entity_id or view.text[mention.start : mention.end]
    if key not in view.genders:
        votes: dict[str, int] = {}
        for other in _persons_by_key(view).get(key, []):
            gender = mention_gender(view, other)
            if gender is not None:
                votes[gender] = votes.get(gender, 0) + 1
        view.genders[key] = max(votes, key=lambda g: votes[g]) if votes else None
    return view.genders[key]


def _persons_by_key(view: ArticleView) -> dict[str, list[MentionRef]]:
    """Every PER mention grouped by person (entity id, else the name as written), in text order;
    built once per view, so that each person's vote does not rescan all mentions."""
    grouped = view.memo.get("persons_by_key")
    if grouped is None:
        grouped = view.memo["persons_by_key"] = {}
        for other in view.mentions:
            if other.label == "PER":
                grouped.setdefault(other.entity_id or view.text[other.start : other.end], []).append(other)
    return grouped


# How far back a preferred person (`prefer`) may be passed over for the last one named.
PREFER_WINDOW = 3


def recent_person(
    view: ArticleView,
    before: int,
    gender: str | None = None,
    *,
    salient: int = 1,
    prefer: Callable[[ArticleView, MentionRef], bool] | None = None,
) -> MentionRef | None:
    """The last person mention before `before`, outside quotations, of a compatible gender.

    With `salient` > 1, the most mentioned of the last `salient` compatible persons: a role
    ("le chef du gouvernement") names the article's protagonist more often than whoever was
    named last. With `prefer`, the last of the last `PREFER_WINDOW` persons it accepts, else the
    last one. With no person before, the first one after (a lead naming the role first)."""
    people = view.people
    compatible, starts, ends_by_key = _compatible(view, gender)
    # Sorted by start, and a mention ends after it starts: those ending by `before` lie before
    # `cut`, those starting at or after it from `cut` on. Walking back from `cut` and stopping once
    # the few keys needed are known keeps each call short on long articles (issue 11).
    cut = bisect_left(starts, before)
    earlier = (compatible[k] for k in range(cut - 1, -1, -1) if compatible[k].end <= before)
    keys: list[str] = []
    wanted = max(salient, PREFER_WINDOW if prefer is not None else 0)
    last: MentionRef | None = None
    for mention in earlier:
        last = last or mention
        key = _key(view, mention)
        if key not in keys:
            keys.append(key)
            if len(keys) >= wanted:
                break
    if last is None:
        if cut < len(compatible):
            return compatible[cut]
        cut = bisect_left(view.people_starts, before)
        return next((people[k] for k in range(cut - 1, -1, -1) if people[k].end <= before), None)
    if prefer is not None:
        window = set(keys[:PREFER_WINDOW])
        for k in range(cut - 1, -1, -1):
            mention = compatible[k]
            if mention.end > before:
                continue
            if _key(view, mention) not in window:
                break
            if prefer(view, mention):
                return mention
    keys = keys[:salient]
    counts = {k: bisect_right(ends_by_key[k], before) for k in keys}
    best = max(keys, key=lambda k: (counts[k], -keys.index(k)))
    return next(
        compatible[k]
        for k in range(cut - 1, -1, -1)
        if compatible[k].end <= before and _key(view, compatible[k]) == best
    )


def _key(view: ArticleView, mention: MentionRef) -> str:
    return mention.entity_id or view.text[mention.start : mention.end]


def _compatible(
    view: ArticleView, gender: str | None
) -> tuple[list[MentionRef], list[int], dict[str, list[int]]]:
    """The persons outside quotations of a gender compatible with `gender`, their starts, and the
    sorted ends of each person's mentions; built once per view and gender."""
    memo = view.memo.get(("compatible", gender))
    if memo is None:
        compatible = [m for m in view.people if gender is None or entity_gender(view, m) in {None, gender}]
        ends: dict[str, list[int]] = {}
        for m in compatible:
            ends.setdefault(_key(view, m), []).append(m.end)
        for values in ends.values():
            values.sort()
        memo = view.memo[("compatible", gender)] = (compatible, [m.start for m in compatible], ends)
    return memo


def fold(text: str) -> str:
    """Lower case without accents or apostrophe variants, to match "Etat" with "État"."""
    text = unicodedata.normalize("NFD", text.lower().replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c))


def role_phrase(view: ArticleView, start: int, end: int) -> str:
    """The role as written without its determiner: "le secrétaire d'Etat" → "secrétaire d'etat"."""
    words = fold(view.text[start:end]).split()
    while words and words[0] in {"le", "la", "les", "l'", "un", "une", "ce", "cette", "son", "sa", "notre"}:
        words = words[1:]
    phrase = " ".join(words)
    return phrase[2:] if phrase.startswith("l'") else phrase


def titled(view: ArticleView, mention: MentionRef, phrase: str) -> bool:
    """Whether the role phrase is written next to a person mention: before it in its noun phrase
    ("le secrétaire d'Etat Olivier Dussopt") or in apposition after it ("X, secrétaire d'Etat")."""
    sent = view.token_at(mention.start).sent
    before = fold(view.text[max(sent.start_char, mention.start - 60) : mention.start])
    after = fold(view.text[mention.end : min(sent.end_char, mention.end + 60)])
    if phrase in before.rsplit(",", 1)[-1]:
        return True
    return after.startswith(",") and phrase in after[1:].split(",", 1)[0]


def person_noun(word: str, token: Any) -> bool:
    """A noun that names a person by what they are: a job, a relation, an agent noun."""
    return word in RELATIVE_NOUNS or agent_noun(word, token)


def introduced_unnamed(view: ArticleView, head: str, before: int) -> bool:
    """ "un photographe … le photographe": a definite description whose noun was brought in with
    an indefinite article earlier names that newcomer, not a person named elsewhere."""
    earlier = fold(view.text[:before])
    return re.search(rf"\bune? {re.escape(head)}\b", earlier) is not None


def agent_noun(word: str, token: Any) -> bool:
    if word in _PEOPLE_NOUNS:
        return True
    return (
        token.pos_ == "NOUN"
        and word.endswith(_AGENT_SUFFIXES)
        and word not in DOCUMENT_NOUNS | ORGANISATION_NOUNS | NOT_SPEAKERS
    )


def definite_singular(determiner: Any, noun: Any) -> bool:
    return (
        determiner.text.lower() in {"le", "la", "l'", "l’"}
        and noun.pos_ == "NOUN"
        and "Plur" not in noun.morph.get("Number")
        and noun.text.lower() not in ORGANISATION_NOUNS | _PLACE_NOUNS
    )


def plural_start(token: Any) -> bool:
    """A noun phrase opening on this token names several people ("les syndicats", "62 % des …")."""
    word = token.text.lower()
    return (
        word in {"les", "des", "plusieurs", "certains", "certaines", "nombre", "ces", "leurs"}
        or token.text[:1].isdigit()  # "62 % des personnes"; not like_num, which takes "Un", "Premier"
        or (token.pos_ == "NOUN" and "Plur" in token.morph.get("Number"))
    )


def det_gender(token: Any) -> str | None:
    gender = token.morph.get("Gender")
    return str(gender[0]) if gender else None
