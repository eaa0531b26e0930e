"""Name keys: the form under which two ways of writing one name compare equal.

"Jean-yves Le Drian" and "Jean-Yves Le Drian", "l’État islamique" and "Etat islamique",
"Hennis‐Plasschaert" (a Unicode hyphen) and "Hennis-Plasschaert" get the same key. Keys keep
hyphens (they separate a compound given name from a surname) and drop accents, case, leading
French articles and punctuation.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from veille.clean.normalize import match_key

_HYPHENS = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212-]+")
_PUNCT = re.compile(r"[^\w\s-]+")
_SPACES = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(?:l'|le |la |les |the )")
# Words that belong to a surname when they follow the given name: "Ursula von der Leyen".
SURNAME_PARTICLES = frozenset(
    {"de", "du", "des", "d", "von", "van", "der", "den", "le", "la", "al", "el", "ben", "bin"}
)
# A title written before a name is not part of it: "M. Macron", "Mme Payne".
HONORIFICS = frozenset(
    {"m", "mme", "mlle", "mr", "mrs", "ms", "dr", "me", "pr", "mgr", "sir", "lord"}
    | {"monsieur", "madame", "mademoiselle", "messieurs", "mesdames"}
)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def name_key(text: str, *, person: bool = False) -> str:
    """The comparison form of a name (see the module docstring).

    A leading article is dropped for things ("l'État islamique" = "État islamique") but kept for
    people, where it is part of the surname ("Le Drian", "Le Pen").
    """
    key = strip_accents(match_key(text))
    key = _HYPHENS.sub("-", key)
    if not person:
        key = _LEADING_ARTICLE.sub("", key)
    key = _PUNCT.sub(" ", key.replace("'", "' ")).replace("' ", " ")
    return _SPACES.sub(" ", key).strip(" -")


def person_parts(key: str) -> tuple[str, str]:
    """(given names, surname) of a person's name key; given is "" for a bare surname.

    The surname starts at the first particle after the given name ("jean-yves le drian" →
    ("jean-yves", "le drian")), else it is the last word ("ashton carter" → ("ashton", "carter")).
    """
    words = [w for w in key.split() if w not in HONORIFICS]
    if len(words) <= 1 or words[0] in SURNAME_PARTICLES:
        return "", " ".join(words)
    for i in range(1, len(words) - 1):
        if words[i] in SURNAME_PARTICLES:
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words[:-1]), words[-1]


def name_words(name: str, label: str) -> int:
    """How full a name is, in words: "Ashton Carter" (2) is fuller than "Carter" or "M. Carter" (1)."""
    person = label == "PER"
    words = name_key(name, person=person).split()
    return len([w for w in words if w not in HONORIFICS]) if person else len(words)


def given_names_compatible(a: str, b: str) -> bool:
    """True when two given-name keys can be the same person: equal, or one an initial of the other."""
    if not a or not b:
        return True
    # "jean yves" and "jean-yves" are one given name written two ways.
    a, b = a.replace("-", " "), b.replace("-", " ")
    if a == b:
        return True
    first_a, first_b = (name.split("-", maxsplit=1)[0].split(maxsplit=1)[0] for name in (a, b))
    if len(first_a) == 1 or len(first_b) == 1:
        return first_a[0] == first_b[0]
    return False


def entity_id(namespace: str, key: str) -> str:
    """Stable entity id from what identifies it (a knowledge-base id, or a label and a name key)."""
    return "ent_" + hashlib.sha256(f"{namespace}\x1f{key}".encode()).hexdigest()[:16]


_FUNCTION_WORDS = frozenset(
    {
        "de",
        "des",
        "du",
        "d",
        "la",
        "le",
        "les",
        "l",
        "et",
        "pour",
        "a",
        "à",
        "en",
        "au",
        "aux",
        "sur",
        "of",
        "the",
        "and",
    }
)


def initials(phrase: str) -> str:
    """Initials of the content words of a phrase: "centre de planification et de conduite des
    opérations" → "cpco". Hyphenated words give one initial per part ("Bas-Rhin" → "br")."""
    letters = []
    for word in re.split(r"[\s'’]+", strip_accents(phrase.lower())):
        for part in word.split("-"):
            if part and part not in _FUNCTION_WORDS and part[0].isalpha():
                letters.append(part[0])
    return "".join(letters)


def is_acronym(text: str) -> bool:
    """An acronym as the press writes it: 2–8 capitals, maybe dotted or with one lowercase letter
    (OTAN, U.E., OCLCIFF)."""
    bare = text.replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isalpha() and sum(c.isupper() for c in bare) >= max(2, len(bare) - 1)
