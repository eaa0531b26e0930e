"""The words roles are read with: head nouns by family, qualifiers, domains, and countries.

`HEADS` lists each family of role head nouns under its key, the masculine singular ("chancelier"
for "chancelière"); `match_head` finds the longest form written at a token. Countries come from a
`CountryResolver`: the knowledge base in production (`KbCountryResolver`), a tiny fake in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from spacy.tokens import Doc


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Head nouns of roles, by family: the key (masculine singular) and the forms it is written in.
# Plurals are added by `_with_plurals`; multiword titles are written with one space per token.
HEADS: dict[str, tuple[str, ...]] = {
    "ministre": ("ministre",),
    "premier ministre": ("premier ministre", "première ministre"),
    "secrétaire": ("secrétaire",),
    "secrétaire d'état": ("secrétaire d' état",),
    "secrétaire général": ("secrétaire général", "secrétaire générale"),
    "président": ("président", "présidente"),
    "vice-président": ("vice-président", "vice-présidente"),
    "chancelier": ("chancelier", "chancelière"),
    "porte-parole": ("porte-parole",),
    "directeur": ("directeur", "directrice"),
    "directeur général": ("directeur général", "directrice générale"),
    "patron": ("patron", "patronne"),
    "chef": ("chef", "cheffe"),
    "chef d'état-major": ("chef d' état-major", "chef d' état - major"),
    "chef de l'état": ("chef de l' état",),
    "chef du gouvernement": ("chef du gouvernement",),
    "général": ("général", "généraux"),
    "ambassadeur": ("ambassadeur", "ambassadrice"),
    "député": ("député", "députée"),
    "sénateur": ("sénateur", "sénatrice"),
    "maire": ("maire",),
    "procureur": ("procureur", "procureure"),
    "juge": ("juge",),
    "pdg": ("pdg", "p-dg", "président-directeur général", "présidente-directrice générale"),
    "commissaire": ("commissaire",),
    "conseiller": ("conseiller", "conseillère"),
    "gouverneur": ("gouverneur", "gouverneure"),
    "fondateur": ("fondateur", "fondatrice"),
    "roi": ("roi", "reine"),
}

# Words before a head that say when the role was held ("l'ancien Premier ministre").
QUALIFIERS: dict[str, str] = {
    "ancien": "ancien",
    "ancienne": "ancien",
    "ex": "ex",
    "futur": "futur",
    "future": "futur",
    "nouveau": "nouveau",
    "nouvel": "nouveau",
    "nouvelle": "nouveau",
}

# Nouns that make a "de la …" complement part of the title ("ministre de la Défense"), not an
# organisation or a country.
DOMAINS = _words(
    """
    défense armées intérieur justice économie finances budget affaires europe santé éducation
    travail emploi agriculture culture écologie environnement transports logement industrie
    commerce recherche enseignement sports numérique solidarités outre-mer république marine
    comptes énergie immigration coopération développement famille jeunesse
    """
)

# Lowercase nouns that name an organisation in a complement ("porte-parole du gouvernement");
# a capitalised complement is an organisation anyway ("patron d'Amazon").
ORG_NOUNS = _words(
    """
    gouvernement ministère parti groupe syndicat association fédération conseil commission
    assemblée sénat mairie région département banque entreprise société armée opposition
    majorité club équipe cour tribunal parquet fondation institut agence comité mouvement
    collectif union coalition alliance entreprise
    """
)

DETERMINERS = frozenset({"le", "la", "l'", "les"})
PREPOSITIONS = frozenset({"de", "d'", "du", "des", "à", "au", "aux"})


class CountryResolver(Protocol):
    """Tells a country from an adjective of nationality or a country name: (id, French name)."""

    def country_for_adjective(self, word: str) -> tuple[str, str] | None: ...

    def country_for_name(self, name: str) -> tuple[str, str] | None: ...


class KbCountryResolver:
    """A `CountryResolver` over `veille.entities.kb.KnowledgeBase` (imported only when used)."""

    def __init__(self, kb: Any) -> None:
        self.kb = kb

    @classmethod
    def builtin(cls) -> KbCountryResolver:
        from veille.entities.kb import KnowledgeBase

        return cls(KnowledgeBase.builtin())

    def country_for_adjective(self, word: str) -> tuple[str, str] | None:
        return _as_country(self.kb.country_for_adjective(word), require_type=False)

    def country_for_name(self, name: str) -> tuple[str, str] | None:
        found = self.kb.lookup(name)
        entries = found if isinstance(found, list | tuple) else [found]
        for entry in entries:
            country = _as_country(entry, require_type=True)
            if country is not None:
                return country
        return None


def _as_country(entry: Any, *, require_type: bool) -> tuple[str, str] | None:
    if entry is None:
        return None
    if require_type and str(getattr(entry, "type", "")).lower() != "country":
        return None
    return str(entry.id), str(entry.name)


@dataclass(slots=True)
class Head:
    length: int  # tokens
    key: str
    plural: bool
    qualifier: str | None = None  # from a glued "ex-ministre"


def norm(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'")


def _with_plurals(form: str) -> list[str]:
    words = form.split(" ")
    if words[0].endswith(("s", "x")):
        return [form]
    return [form, " ".join([words[0] + "s", *words[1:]])]


def _build_head_index() -> dict[str, list[tuple[tuple[str, ...], str, bool]]]:
    index: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
    for key, forms in HEADS.items():
        for form in forms:
            for i, written in enumerate(_with_plurals(form)):
                words = tuple(written.split(" "))
                plural = i == 1 or written == "généraux"
                index.setdefault(words[0], []).append((words, key, plural))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


HEAD_INDEX = _build_head_index()


def match_head(doc: Doc, i: int) -> Head | None:
    """The role head noun starting at token i, the longest multiword form first."""
    first = norm(doc[i].text)
    qualifier = None
    if first.startswith("ex-") and len(first) > 3:
        first, qualifier = first[3:], "ex"
    for words, key, plural in HEAD_INDEX.get(first, []):
        rest = words[1:]
        if i + len(words) > len(doc):
            continue
        if all(norm(doc[i + 1 + k].text) == word for k, word in enumerate(rest)):
            return Head(len(words), key, plural, qualifier)
    return None


def _adjective_forms(word: str) -> list[str]:
    """The word, then guesses at its masculine singular: the KB lists "allemand", not "allemandes"."""
    forms = [word]
    singular = word[:-1] if word.endswith(("s", "x")) and len(word) > 3 else word
    for base in dict.fromkeys([word, singular]):
        if base.endswith(("enne", "onne")):
            forms.append(base[:-2])
        if base.endswith("que"):
            forms.append(base[:-3] + "c")
        if base.endswith("e"):
            forms.append(base[:-1])
        forms.append(base)
    return list(dict.fromkeys(forms))


def country_by_adjective(resolver: CountryResolver, word: str) -> tuple[str, str] | None:
    """The country an adjective of nationality names, in any gender or number ("hollandaises")."""
    if not word.isalpha() or not word.islower():
        return None
    for form in _adjective_forms(word):
        country = resolver.country_for_adjective(form)
        if country is not None:
            return country
    return None


def country_by_name(resolver: CountryResolver, name: str) -> tuple[str, str] | None:
    """The country a name names; a capital E is also tried as É ("Etats-Unis", "Egypte")."""
    candidates = [name]
    if name.startswith("E"):
        candidates.append("É" + name[1:])
    for candidate in candidates:
        country = resolver.country_for_name(candidate)
        if country is not None:
            return country
    return None
