"""The offline knowledge base: countries, capitals, cities and regions, with their French names.

Nothing here downloads anything. The built-in base is made, once and lazily, from pycountry's
ISO 3166-1 list (French names from its `iso3166-1` translations) and two data files shipped in
the package: `data/countries_fr.json` (adjectives, demonyms, capitals and the names the press
uses) and `data/places_fr.json` (cities and regions that matter in the news). A Wikidata extract
can be merged in (`veille kb import FILE`, see `veille.entities.wikidata`).

Names are compared through keys (`surface_key`): case, apostrophes, hyphens and a leading French
article do not count, and accents only count when an accent-insensitive fallback is not needed.
Acronyms ("USA", "RDC") compare case-sensitively, so that a lower-case word is never taken for one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

LABELS = frozenset({"PER", "ORG", "LOC", "MISC"})
TYPES = frozenset(
    {
        "country", "city", "region", "facility", "armed_group", "party", "company", "media",
        "institution", "international_org", "person", "other",
    }
)  # fmt: skip


@dataclass(slots=True)
class KbEntry:
    id: str  # veille's stable id ("iso3166:FR", "city:raqqa") or a Wikidata Q-id for imports
    name: str  # canonical French name
    label: str  # PER | ORG | LOC | MISC
    type: str  # finer type, see TYPES (imports may carry Wikidata's own)
    aliases: list[str]
    country: str | None = None  # id of the country the entry belongs to
    capital: str | None = None  # French name of a country's capital
    adjectives: list[str] = field(default_factory=list)  # all four forms, lower case
    demonyms: list[str] = field(default_factory=list)  # as nouns, capitalised
    wikidata: str | None = None  # a Q-id, only when certain


# --- keys -----------------------------------------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_HYPHENS = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2212-]")
_SPACES = re.compile(r"\s+")
# Stripped once, case-insensitively: "l'État islamique" and "État islamique" are one name.
_ARTICLE = re.compile(r"^(?:l'\s*|(?:le|la|les)\s+)", re.IGNORECASE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _SPACES.sub(" ", _HYPHENS.sub(" ", text)).strip(' .,;:!?"«»()')
    stripped = _ARTICLE.sub("", text)
    return stripped if stripped else text


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def surface_key(text: str) -> str:
    """Case-folded key, accents kept: "l’Etat-Islamique" → "etat islamique"."""
    return _fold(text).casefold()


def loose_key(text: str) -> str:
    """`surface_key` without accents, the fallback when the exact spelling is not known."""
    return strip_accents(surface_key(text))


def exact_key(text: str) -> str:
    """Key for case-sensitive names (acronyms): only apostrophes, spaces and articles fold."""
    return _fold(text)


def is_acronym(alias: str) -> bool:
    """One word with two capitals or more ("EI", "USA", "MoDem", "TF1"): compared case-sensitively."""
    return " " not in alias and "-" not in alias and alias.isalnum() and sum(c.isupper() for c in alias) >= 2


class NameIndex:
    """Surface forms → ids, with a case-sensitive side for acronyms and an accent-free fallback."""

    def __init__(self) -> None:
        self._keys: dict[str, list[str]] = {}
        self._loose: dict[str, list[str]] = {}
        self._exact: dict[str, list[str]] = {}

    @staticmethod
    def _put(table: dict[str, list[str]], key: str, ident: str) -> None:
        if key:
            ids = table.setdefault(key, [])
            if ident not in ids:
                ids.append(ident)

    def add(self, surface: str, ident: str, *, case_sensitive: bool | None = None) -> None:
        if case_sensitive is None:
            case_sensitive = is_acronym(surface)
        if case_sensitive:
            self._put(self._exact, exact_key(surface), ident)
        else:
            self._put(self._keys, surface_key(surface), ident)
            self._put(self._loose, loose_key(surface), ident)

    def find(self, surface: str) -> list[str]:
        found = list(self._keys.get(surface_key(surface), []))
        found += [i for i in self._exact.get(exact_key(surface), []) if i not in found]
        if not found:
            found = list(self._loose.get(loose_key(surface), []))
        return found


# --- French adjectives ----------------------------------------------------------------------


def adjective_forms(masculine: str, irregular: Mapping[str, list[str]] | None = None) -> list[str]:
    """The four forms (masc. sing., fem. sing., masc. plur., fem. plur.) of a French adjective.

    Regular French morphology, applied to the end of the word (so compounds like "sud-africain"
    inflect their last part): a final unaccented -e is invariant in gender ("russe", "belge");
    -al → -ale, -aux, -ales; -en and -on double the n ("australienne", "coréenne", "lettonne");
    -s, -x, -z do not change in the masculine plural ("français", "kirghiz"); anything else takes
    -e / -s / -es ("américaine", "allemande", "afghane"). Irregular words ("turc" → "turque",
    "grec" → "grecque", "ouzbek" → "ouzbèke", invariant "burkinabè") are listed in the data file.
    """
    if irregular and masculine in irregular:
        forms = irregular[masculine]
    elif masculine.endswith("e"):
        forms = [masculine, masculine, masculine + "s", masculine + "s"]
    elif masculine.endswith("al"):
        forms = [masculine, masculine + "e", masculine[:-2] + "aux", masculine + "es"]
    elif masculine.endswith(("en", "on")):
        forms = [masculine, masculine + "ne", masculine + "s", masculine + "nes"]
    elif masculine.endswith(("s", "x", "z")):
        forms = [masculine, masculine + "e", masculine, masculine + "es"]
    else:
        forms = [masculine, masculine + "e", masculine + "s", masculine + "es"]
    return list(dict.fromkeys(forms))


def demonym_of(adjective: str) -> str:
    """The noun for a people from its adjective: "sud-africaine" → "Sud-Africaine"."""
    return "-".join(part[:1].upper() + part[1:] for part in adjective.split("-"))


def slug(name: str) -> str:
    """An id-safe form of a name: "Deir ez-Zor" → "deir-ez-zor"."""
    text = strip_accents(name.casefold()).translate(_APOSTROPHES).replace("'", "-")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# --- the knowledge base ---------------------------------------------------------------------


@dataclass(slots=True)
class MergeReport:
    added: int = 0
    enriched: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line number, why)


class WordTable:
    """Words (adjectives, demonyms, capitals) → one country id; a word two countries claim names neither."""

    def __init__(self) -> None:
        self._keys: dict[str, str] = {}
        self._loose: dict[str, str] = {}
        self._ambiguous: set[str] = set()

    @staticmethod
    def _claim(table: dict[str, str], ambiguous: set[str], key: str, ident: str) -> None:
        # Better no answer than a wrong one: "congolais" could be either Congo.
        if key in ambiguous:
            return
        if table.get(key, ident) != ident:
            del table[key]
            ambiguous.add(key)
            return
        table[key] = ident

    def claim(self, word: str, ident: str) -> None:
        self._claim(self._keys, self._ambiguous, surface_key(word), ident)
        self._claim(self._loose, self._ambiguous, "\x00" + loose_key(word), ident)

    def find(self, word: str) -> str | None:
        return self._keys.get(surface_key(word)) or self._loose.get("\x00" + loose_key(word))

    @property
    def ambiguous(self) -> set[str]:
        return {k.lstrip("\x00") for k in self._ambiguous}

    def copy(self) -> WordTable:
        table = WordTable()
        table._keys, table._loose = dict(self._keys), dict(self._loose)
        table._ambiguous = set(self._ambiguous)
        return table


class KnowledgeBase:
    """Entries by id, looked up by any of their names; country adjectives, demonyms and capitals."""

    def __init__(self, entries: Iterable[KbEntry] = ()) -> None:
        self._entries: dict[str, KbEntry] = {}
        self._names = NameIndex()
        self._by_wikidata: dict[str, str] = {}
        self._adjectives = WordTable()
        self._demonyms = WordTable()
        self._capitals = WordTable()  # capitals, their spellings, seats of government
        self._capital_names: dict[str, str] = {}  # official capital name → country id
        self._ambiguous_names: dict[str, str] = {}  # surface key → what else the name means
        for entry in entries:
            self.add(entry)

    @classmethod
    def builtin(cls) -> KnowledgeBase:
        """The shipped base, built on first use and shared: `copy()` it before merging into it."""
        return _builtin()

    def copy(self) -> KnowledgeBase:
        kb = KnowledgeBase()
        for entry in self._entries.values():
            kb.add(replace(entry, aliases=list(entry.aliases)))
        kb._adjectives, kb._demonyms = self._adjectives.copy(), self._demonyms.copy()
        kb._capitals = self._capitals.copy()
        kb._ambiguous_names = dict(self._ambiguous_names)
        return kb

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[KbEntry]:
        return list(self._entries.values())

    @property
    def ambiguous_words(self) -> set[str]:
        """Adjective, demonym and capital keys that two countries claim (so that none answers)."""
        return self._adjectives.ambiguous | self._demonyms.ambiguous | self._capitals.ambiguous

    def add(self, entry: KbEntry) -> None:
        if entry.label not in LABELS:
            raise ValueError(f"entry {entry.id!r} has label {entry.label!r}; use one of {sorted(LABELS)}")
        if entry.id in self._entries:
            raise ValueError(
                f"entry id {entry.id!r} is already in the knowledge base; use merge() to enrich it"
            )
        self._entries[entry.id] = entry
        for surface in (entry.name, *entry.aliases):
            self._names.add(surface, entry.id)
        if entry.wikidata:
            self._by_wikidata.setdefault(entry.wikidata, entry.id)
        for word in entry.adjectives:
            self._adjectives.claim(word, entry.id)
        for word in entry.demonyms:
            self._demonyms.claim(word, entry.id)
        if entry.capital:
            self._capitals.claim(entry.capital, entry.id)
            self._capital_names[entry.capital] = entry.id

    def add_capital_alias(self, name: str, country_id: str) -> None:
        """Another name that stands for a country's government (a spelling, a seat of government)."""
        self._capitals.claim(name, country_id)

    def get(self, ident: str) -> KbEntry | None:
        return self._entries.get(ident)

    def mark_ambiguous(self, name: str, why: str) -> None:
        """Record that `name` often means something else (a person, a club, another place)."""
        self._ambiguous_names[surface_key(name)] = why

    def ambiguity(self, surface: str) -> str | None:
        """What else `surface` often means ("Hollande": François Hollande), or None.

        Lookup still answers such names (filter by label); a component that matches place
        names in running text should not take them for places on their own.
        """
        return self._ambiguous_names.get(surface_key(surface))

    def by_wikidata(self, qid: str) -> KbEntry | None:
        ident = self._by_wikidata.get(qid)
        return self._entries[ident] if ident else None

    def lookup(self, surface: str, label: str | None = None) -> list[KbEntry]:
        """Entries one of whose names matches `surface` (see the module docstring for how)."""
        found = [self._entries[i] for i in self._names.find(surface)]
        return [e for e in found if label is None or e.label == label]

    def _country(self, table: WordTable, word: str) -> KbEntry | None:
        ident = table.find(word)
        return self._entries.get(ident) if ident else None

    def country_for_adjective(self, word: str) -> KbEntry | None:
        """ "américaines" → États-Unis; None for an unknown or ambiguous adjective ("congolais")."""
        return self._country(self._adjectives, word)

    def country_for_demonym(self, word: str) -> KbEntry | None:
        """ "les Russes" → Russie."""
        return self._country(self._demonyms, word)

    def country_for_capital(self, name: str) -> KbEntry | None:
        """ "Moscou" → Russie; also a seat of government ("La Haye" → Pays-Bas)."""
        return self._country(self._capitals, name)

    def capitals(self) -> dict[str, KbEntry]:
        """Official capital (French name) → its country."""
        return {name: self._entries[i] for name, i in self._capital_names.items()}

    # --- merging imports ------------------------------------------------------------------

    def _match(self, entry: KbEntry) -> KbEntry | None:
        if entry.id in self._entries:
            return self._entries[entry.id]
        if entry.wikidata and entry.wikidata in self._by_wikidata:
            return self._entries[self._by_wikidata[entry.wikidata]]
        key = surface_key(entry.name)
        for ident in self._names.find(entry.name):
            known = self._entries[ident]
            if known.type == entry.type and surface_key(known.name) == key:
                return known
        return None

    def merge(self, entries: Iterable[KbEntry]) -> MergeReport:
        """Add imported entries; one that is already known enriches it instead of duplicating it.

        Known means: the same id, a built-in entry with the same Wikidata id, or the same name
        and fine type. Enriching adds the new names as aliases and fills a missing Wikidata id or
        country. Rejected lines of a `WikidataLines` source are carried into the report.
        """
        report = MergeReport()
        for entry in entries:
            if entry.country and entry.country in self._by_wikidata:
                entry.country = self._by_wikidata[entry.country]
            known = self._match(entry)
            if known is None:
                self.add(entry)
                report.added += 1
                continue
            self._enrich(known, entry)
            report.enriched += 1
        report.rejected.extend(getattr(entries, "rejected", []))
        return report

    def import_jsonl(self, path: str | Path) -> MergeReport:
        """Merge a Wikidata JSON-lines extract; bad lines are in the report, the good ones merged."""
        return self.merge(load_wikidata_jsonl(path))

    def _enrich(self, known: KbEntry, new: KbEntry) -> None:
        have = {surface_key(n) for n in (known.name, *known.aliases)}
        for surface in (new.name, *new.aliases):
            if surface_key(surface) not in have:
                known.aliases.append(surface)
                have.add(surface_key(surface))
                self._names.add(surface, known.id)
        if new.wikidata and known.wikidata is None:
            known.wikidata = new.wikidata
            self._by_wikidata.setdefault(new.wikidata, known.id)
        if new.country and known.country is None:
            known.country = new.country


# --- the built-in base ----------------------------------------------------------------------


def load_data(name: str) -> Any:
    """A JSON data file shipped in `veille/entities/data/`."""
    with resources.files("veille.entities").joinpath("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)


def _add_unique(names: list[str], extra: Iterable[str]) -> None:
    keys = {surface_key(n) for n in names}
    for name in extra:
        if name and surface_key(name) not in keys:
            names.append(name)
            keys.add(surface_key(name))


def country_entries(data: Mapping[str, Any]) -> list[KbEntry]:
    """Every ISO 3166-1 country or territory, in French, with what `data` knows of it."""
    import gettext

    import pycountry

    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    irregular: dict[str, list[str]] = data.get("irregular_adjectives", {})
    known: dict[str, dict[str, Any]] = data["countries"]
    overrides: dict[str, str] = data.get("names", {})
    entries = []
    for country in pycountry.countries:
        code = country.alpha_2
        info = known.get(code, {})
        translated = french.gettext(country.name)
        name = info.get("name") or overrides.get(code) or translated
        aliases = [name]
        official = getattr(country, "official_name", None)
        _add_unique(aliases, [translated] if "," not in translated else [])
        if official and french.gettext(official) != official:
            _add_unique(aliases, [french.gettext(official)])
        _add_unique(aliases, info.get("aliases", []))
        # The press writes capitals without their accent ("Etats-Unis"): add that spelling.
        _add_unique(aliases, [strip_accents(a[:1]) + a[1:] for a in list(aliases) if a[:1] in "ÉÈÊÎ"])
        adjectives: list[str] = []
        raw = info.get("adj", [])
        for masculine in [raw] if isinstance(raw, str) else raw:
            adjectives += adjective_forms(masculine, irregular)
        demonyms = info.get("demonyms") or [demonym_of(a) for a in adjectives]
        entries.append(
            KbEntry(
                id=f"iso3166:{code}",
                name=name,
                label="LOC",
                type="country" if code in known else "region",
                aliases=aliases[1:],
                capital=info.get("capital"),
                adjectives=adjectives,
                demonyms=list(dict.fromkeys(demonyms)),
                wikidata=info.get("wikidata"),
            )
        )
    return entries


def capital_entries(data: Mapping[str, Any]) -> list[KbEntry]:
    """One city entry per capital, linked to its country."""
    entries = []
    for code, info in data["countries"].items():
        if info.get("capital"):
            entries.append(
                KbEntry(
                    id=f"city:{slug(info['capital'])}",
                    name=info["capital"],
                    label="LOC",
                    type="city",
                    aliases=list(info.get("capital_aliases", [])),
                    country=f"iso3166:{code}",
                    wikidata=info.get("capital_wikidata"),
                )
            )
    return entries


def place_entries(data: Mapping[str, Any]) -> list[KbEntry]:
    return [
        KbEntry(
            id=p["id"],
            name=p["name"],
            label="LOC",
            type=p["type"],
            aliases=list(p.get("aliases", [])),
            country=f"iso3166:{p['country']}" if p.get("country") else None,
            wikidata=p.get("wikidata"),
        )
        for p in data["places"]
    ]


@cache
def _builtin() -> KnowledgeBase:
    countries = load_data("countries_fr.json")
    kb = KnowledgeBase([*country_entries(countries), *capital_entries(countries)])
    for entry in place_entries(load_data("places_fr.json")):
        kb.add(entry)
    for name, why in countries.get("ambiguous_names", {}).items():
        kb.mark_ambiguous(name, why)
    for code, info in countries["countries"].items():
        for name in (*info.get("capital_aliases", []), *([info["seat"]] if "seat" in info else [])):
            kb.add_capital_alias(name, f"iso3166:{code}")
    return kb


def load_wikidata_jsonl(path: str | Path) -> Iterator[KbEntry]:
    """The entries of a Wikidata JSON-lines extract (`veille.entities.wikidata` has the format).

    The returned iterator collects bad lines in its `rejected` list, which `merge` reports.
    """
    from veille.entities.wikidata import load_wikidata_jsonl as load

    return load(path)
