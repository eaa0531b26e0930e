"""Curated names spaCy gets wrong or that the press writes many ways, one group per entity.

"Daech", "l'EI", "Daesh" and "groupe État islamique" are one armed group; "Balard" and "CPCO"
are not people; "Matignon" and "le Quai d'Orsay" are institutions. The groups live in
`data/gazetteer_fr.json`. `lookup()` answers a surface with the knowledge base's keys (case,
accents, apostrophes, leading article); `patterns()` gives spaCy EntityRuler/SpanRuler patterns.

Acronyms match case-sensitively (ORTH), so the lower-case "ei" is never the Islamic State. Some
matches are traps that a token pattern cannot see, because the context lies outside the match:
"la RN 7" (a road), "PS : …" (a postscript), "un fusil FN" (the arms maker), "AP-HP" (another
acronym), "le Sénat américain" (not the French one). `trap_reason()` names them, from the words
around a match, so that a component using the patterns can set them aside with a reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from veille.entities.kb import KnowledgeBase, NameIndex, is_acronym, load_data, strip_accents

# Trap codes, with what they mean (see trap_reason).
TRAPS: dict[str, str] = {
    "road_number": "a road number: 'la RN 7', 'la N 12'",
    "postscript": "a postscript: 'PS :'",
    "weapon": "the arms maker FN Herstal or one of its weapons: 'un fusil FN', 'FN Minimi'",
    "hyphenated_compound": "part of a longer hyphenated acronym: 'AP-HP', 'EI-K'",
    "foreign_counterpart": "another country's institution: 'le Sénat américain'",
}
_ARTICLES = frozenset({"le", "la", "les", "l'", "l’"})
_WEAPON_WORDS = frozenset(
    {"fusil", "fusils", "pistolet", "pistolets", "mitrailleuse", "mitrailleuses", "arme", "armes"}
)
_WEAPON_NAMES = frozenset({"Herstal", "Minimi", "SCAR", "MAG", "FAL", "P90", "F2000"})


@dataclass(slots=True)
class GazetteerEntry:
    id: str  # stable veille id: "group:etat-islamique", "party:rn", "media:afp"
    name: str  # canonical French name
    label: str  # PER | ORG | LOC | MISC
    type: str  # armed_group, international_org, institution, party, media, company, facility, other
    aliases: list[str]
    country: str | None = None  # "iso3166:FR" for a French institution
    wikidata: str | None = None
    note: str | None = None
    # Aliases that are common words in lower case; acronyms are case-sensitive without being listed.
    case_sensitive: list[str] = field(default_factory=list)
    # Aliases lookup() answers but that give no pattern (too ambiguous in running text).
    lookup_only: list[str] = field(default_factory=list)
    # Names of the building that houses an institution ("Élysée", "Palais-Bourbon", "Balard"): in
    # the text they are literally a place (LOC), which stands for the institution they link to.
    seats: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.aliases]))

    def is_case_sensitive(self, alias: str) -> bool:
        return alias in self.case_sensitive or is_acronym(alias)


def entry_from_json(group: dict[str, Any]) -> GazetteerEntry:
    return GazetteerEntry(
        id=group["id"],
        name=group["name"],
        label=group["label"],
        type=group["type"],
        aliases=list(group.get("aliases", [])),
        country=f"iso3166:{group['country']}" if group.get("country") else None,
        wikidata=group.get("wikidata"),
        note=group.get("note"),
        case_sensitive=list(group.get("case_sensitive", [])),
        lookup_only=list(group.get("lookup_only", [])),
        seats=list(group.get("seats", [])),
    )


def _capitals_unaccented(text: str) -> str:
    # The French press often drops the accent on capitals only: "Etat", "Elysée".
    return "".join(strip_accents(c) if c.isupper() else c for c in text)


def _token_pattern(word: str, case_sensitive: bool, title: bool = False) -> dict[str, Any]:
    # A party's article is lower case in running text ("chez les Républicains"); a newspaper
    # title keeps its capital ("selon Le Monde", while "le Parisien moyen" is a person).
    article = word.casefold() in _ARTICLES and not title
    attr = "ORTH" if case_sensitive and not article else "LOWER"
    value = word if attr == "ORTH" else word.casefold()
    if "'" in value or "’" in value:
        forms = sorted({value.replace("’", "'"), value.replace("'", "’")})
        return {attr: {"IN": forms}}
    return {attr: value}


@cache
def _tokenizer() -> Any:
    import spacy

    # A blank pipeline needs no model: nothing is downloaded.
    return spacy.blank("fr").tokenizer


class Gazetteer:
    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self._entries: dict[str, GazetteerEntry] = {}
        self._names = NameIndex()
        for entry in entries:
            self.add(entry)

    @classmethod
    def builtin(cls) -> Gazetteer:
        """The shipped groups, loaded on first use and shared."""
        return _builtin()

    def add(self, entry: GazetteerEntry) -> None:
        if entry.id in self._entries:
            raise ValueError(f"gazetteer id {entry.id!r} is defined twice; give each group its own id")
        self._entries[entry.id] = entry
        for alias in entry.names():
            self._names.add(alias, entry.id, case_sensitive=entry.is_case_sensitive(alias))

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[GazetteerEntry]:
        return list(self._entries.values())

    def get(self, ident: str) -> GazetteerEntry | None:
        return self._entries.get(ident)

    def lookup_all(self, surface: str) -> list[GazetteerEntry]:
        return [self._entries[i] for i in self._names.find(surface)]

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """The group one of whose names matches `surface` ("l’EI" → État islamique), else None."""
        found = self._names.find(surface)
        return self._entries[found[0]] if found else None

    def patterns(self, tokenizer: Any = None) -> list[dict[str, Any]]:
        """EntityRuler/SpanRuler patterns: `{"label", "pattern", "id"}`, the id being the group's.

        Names are cut into tokens the way spaCy's French tokenizer cuts them ("l'EI" → "l'" +
        "EI"; `tokenizer` defaults to a blank French pipeline's). Tokens match on LOWER, acronyms
        and `case_sensitive` names on ORTH (a leading article stays LOWER, except in a newspaper
        title: "Le Monde"); apostrophes match in both forms (' and ’); a variant
        without the accent on capitals ("Etat", "Elysée") is added.
        """
        tokenize = tokenizer or _tokenizer()
        out: list[dict[str, Any]] = []
        seen: set[str] = set()
        for entry in self._entries.values():
            for alias in entry.names():
                if alias in entry.lookup_only:
                    continue
                case_sensitive = entry.is_case_sensitive(alias)
                for variant in dict.fromkeys([alias, _capitals_unaccented(alias)]):
                    title = entry.type == "media"
                    pattern = [_token_pattern(t.text, case_sensitive, title) for t in tokenize(variant)]
                    key = f"{entry.id}\x1f{pattern!r}"
                    if pattern and key not in seen:
                        seen.add(key)
                        label = "LOC" if alias in entry.seats else entry.label
                        out.append({"label": label, "pattern": pattern, "id": entry.id})
        return out

    def trap_reason(self, words: Sequence[str], start: int, end: int, ident: str) -> str | None:
        """Why the match words[start:end] of group `ident` is not that group, or None if it is.

        `words` are the token texts of the sentence or document; the code is one of `TRAPS`.
        """
        entry = self._entries.get(ident)
        if entry is None or start >= end:
            return None
        matched = " ".join(words[start:end])
        after = words[end] if end < len(words) else ""
        before = words[start - 1] if start > 0 else ""
        if matched in {"RN", "N"} and (after.isdigit() or after[:1].isdigit()):
            return "road_number"
        if matched == "PS" and after in {":", ".", "-"}:
            return "postscript"
        if matched == "FN" and (before.casefold() in _WEAPON_WORDS or after in _WEAPON_NAMES):
            return "weapon"
        if is_acronym(matched) and (
            (after in {"-", "‑"} and end + 1 < len(words) and words[end + 1][:1].isalnum())
            or (before in {"-", "‑"} and start >= 2 and words[start - 2][:1].isalnum())
        ):
            return "hyphenated_compound"
        if entry.country and after.islower():
            country = KnowledgeBase.builtin().country_for_adjective(after)
            if country is not None and country.id != entry.country:
                return "foreign_counterpart"
        return None


@cache
def _builtin() -> Gazetteer:
    return Gazetteer(entry_from_json(g) for g in load_data("gazetteer_fr.json")["groups"])
