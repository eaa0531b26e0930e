"""Context rules: countries named by an adjective, a demonym or their capital.

- "le ministre français", "le secrétaire américain", "la frontière turque": an adjective of
  nationality is a mention of its country (kind "adjective").
- "les Russes", "les Américains": a capitalised demonym noun is a mention of its country (kind
  "demonym").
- "Paris et Washington ont appelé Moscou à …", "Moscou est accusé": a capital that speaks, acts
  or is acted upon politically stands for its government (kind "metonym"), while "une réunion à
  Paris" stays the city. The test is syntactic: the capital is the subject or object of a verb
  of saying or of political action, or is coordinated with a capital that is.

Each finder only reads the Doc and returns what it found; the stage writes the mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

# Verbs whose subject or object, when a capital, is a government (lemmas). Verbs of force
# (bombarder, frapper) are left out: "frapper Damas" is about the city.
POLITICAL_VERBS = frozenset(
    {
        "accuser",
        "adopter",
        "annuler",
        "autoriser",
        "interdire",
        "lancer",
        "ordonner",
        "retirer",
        "saluer",
        "féliciter",
        "exclure",
        "prolonger",
        "affirmer",
        "annoncer",
        "appeler",
        "approuver",
        "assurer",
        "avertir",
        "condamner",
        "confirmer",
        "considérer",
        "contester",
        "critiquer",
        "déclarer",
        "décider",
        "demander",
        "démentir",
        "dénoncer",
        "déplorer",
        "dire",
        "engager",
        "envoyer",
        "estimer",
        "exhorter",
        "exiger",
        "expulser",
        "imposer",
        "indiquer",
        "insister",
        "juger",
        "menacer",
        "négocier",
        "nier",
        "plaider",
        "prévenir",
        "promettre",
        "proposer",
        "protester",
        "rappeler",
        "réagir",
        "réclamer",
        "reconnaître",
        "refuser",
        "rejeter",
        "répliquer",
        "répondre",
        "reprocher",
        "sanctionner",
        "signer",
        "soutenir",
        "souhaiter",
        "suspendre",
        "vouloir",
        "riposter",
    }
)
SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass", "obj", "iobj", "obl:agent"})


@dataclass(slots=True)
class CountryWord:
    start: int  # character offsets
    end: int
    text: str
    kind: str  # "adjective" | "demonym"
    country_id: str
    country_name: str


def _political_head(token: Token) -> bool:
    head = token.head
    return (
        token.dep_ in SUBJECT_DEPS and head.pos_ in {"VERB", "AUX"} and head.lemma_.lower() in POLITICAL_VERBS
    )


def _is_political_verb(token: Token) -> bool:
    return token.pos_ in {"VERB", "AUX"} and token.lemma_.lower() in POLITICAL_VERBS


# Words that may stand between a capital and its verb: "Paris et Washington ont de nouveau appelé",
# "ont annoncé mercredi Paris et Washington".
_BRIDGE_POS = frozenset({"AUX", "ADV", "CCONJ", "PROPN", "PRON", "PART"})
_TIME_WORDS = frozenset(
    {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui"}
    | {"soir", "matin", "encore", "aussi"}
)


def _window_says_actor(span: Span) -> bool:
    doc = span.doc
    # Forward: a subject before its verb ("Moscou a démenti", "Paris et Washington ont appelé").
    for token in doc[span.end : min(len(doc), span.end + 7)]:
        if _is_political_verb(token) and token.pos_ == "VERB":
            return True
        if token.pos_ not in _BRIDGE_POS and token.lower_ not in {"de", "nouveau"}:
            break
    # Backward: an object or inverted subject after its verb ("appelé Moscou", "ont annoncé mercredi
    # Paris et Washington"); a preposition in between ("annoncé à Paris") means a place, so it stops.
    for token in reversed(doc[max(0, span.start - 5) : span.start]):
        if _is_political_verb(token) and token.pos_ == "VERB":
            return True
        if token.pos_ == "ADP" or (token.pos_ not in _BRIDGE_POS and token.lower_ not in _TIME_WORDS):
            break
    return False


def is_metonymic(span: Span) -> bool:
    """True when a place span is used as an actor: subject or object of a political verb, or
    coordinated with such a place ("Paris et Washington ont annoncé"). The parse decides first; a
    token window catches the inversions and coordinations the parser gets wrong."""
    root = span.root
    if _political_head(root):
        return True
    # "Paris et Washington ont annoncé": the second conjunct hangs on the first.
    if root.dep_ == "conj" and _political_head(root.head):
        return True
    if any(child.dep_ == "conj" for child in root.children) and _political_head(root):
        return True
    return _window_says_actor(span)


def country_words(doc: Doc, kb: Any) -> list[CountryWord]:
    """Adjectives and demonyms of nationality in `doc`, with the country each one names."""
    found: list[CountryWord] = []
    in_entity = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    for token in doc:
        if token.i in in_entity or not token.is_alpha:
            continue
        word = token.text
        if word[:1].isupper() and token.pos_ in {"NOUN", "PROPN"} and token.i > 0:
            entry = kb.country_for_demonym(word)
            if entry is not None and doc[token.i - 1].lower_ in {"les", "des", "aux", "un", "une", "deux"}:
                found.append(
                    CountryWord(token.idx, token.idx + len(word), word, "demonym", entry.id, entry.name)
                )
            continue
        if word.islower() and token.pos_ in {"ADJ", "NOUN", "PROPN"}:
            entry = kb.country_for_adjective(word)
            if entry is not None:
                found.append(
                    CountryWord(token.idx, token.idx + len(word), word, "adjective", entry.id, entry.name)
                )
    return found
