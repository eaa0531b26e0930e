"""Reading a Wikidata extract in JSON lines, for `veille kb import FILE`.

One entity a line::

    {"id": "Q90", "label": "Paris", "aliases": ["Ville Lumière"], "type": "city", "country": "Q142"}

`id` (a Q-id) and `label` (the French name) are required; `aliases` (a list of strings), `type`
(a string) and `country` (a Q-id) are optional; other keys are ignored. A bad line does not stop
the import: it is collected with its line number and the reason, and the good lines go on.
Imported entries take the Q-id as both `id` and `wikidata`; `KnowledgeBase.merge` folds those
that match a known entry into it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veille.entities.kb import KbEntry
from veille.errors import ConfigError

_QID = re.compile(r"^Q[1-9][0-9]*$")

# Wikidata-ish type names → veille's fine type; the label follows from the fine type.
_FINE_TYPES: dict[str, str] = {
    "human": "person", "person": "person",
    "city": "city", "town": "city", "village": "city", "capital": "city", "municipality": "city",
    "commune": "city", "big city": "city",
    "country": "country", "sovereign state": "country", "state": "country",
    "region": "region", "province": "region", "department": "region", "territory": "region",
    "continent": "region", "island": "region", "river": "region", "mountain": "region",
    "facility": "facility", "building": "facility", "airport": "facility", "military base": "facility",
    "armed_group": "armed_group", "armed group": "armed_group", "militia": "armed_group",
    "terrorist organization": "armed_group", "terrorist organisation": "armed_group",
    "party": "party", "political party": "party", "political_party": "party",
    "company": "company", "business": "company", "enterprise": "company",
    "media": "media", "newspaper": "media", "news agency": "media", "television channel": "media",
    "radio station": "media",
    "institution": "institution", "government agency": "institution", "ministry": "institution",
    "court": "institution", "parliament": "institution", "legislature": "institution",
    "international_org": "international_org", "international organization": "international_org",
    "international organisation": "international_org",
    "organization": "other", "organisation": "other", "ngo": "other", "association": "other",
}  # fmt: skip
_LOC = frozenset({"country", "city", "region", "facility"})
_ORG = frozenset({"armed_group", "party", "company", "media", "institution", "international_org"})
# Raw types that are organisations without a finer veille type.
_ORG_RAW = frozenset({"organization", "organisation", "ngo", "association"})


def label_for_type(raw_type: str) -> tuple[str, str]:
    """(label, fine type) for a raw Wikidata type: "city" → (LOC, city), "ngo" → (ORG, other).

    A type veille does not know keeps its own name as the fine type, under MISC.
    """
    raw = raw_type.strip().casefold().replace("_", " ")
    fine = _FINE_TYPES.get(raw) or _FINE_TYPES.get(raw.replace(" ", "_"))
    if fine is None:
        return "MISC", raw_type.strip()
    if fine in _LOC:
        return "LOC", fine
    if fine in _ORG or raw in _ORG_RAW:
        return "ORG", fine
    if fine == "person":
        return "PER", fine
    return "MISC", fine


def parse_line(text: str) -> KbEntry:
    """One line → an entry; ValueError with the reason when the line is not one."""
    try:
        record: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    qid = record.get("id")
    if not isinstance(qid, str) or not _QID.match(qid):
        raise ValueError('missing or invalid "id": expected a Wikidata Q-id such as "Q90"')
    name = record.get("label")
    if not isinstance(name, str) or not name.strip():
        raise ValueError('missing "label": expected the entity\'s name as a non-empty string')
    aliases = record.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValueError('"aliases" must be a list of strings')
    raw_type = record.get("type", "")
    if not isinstance(raw_type, str):
        raise ValueError('"type" must be a string')
    country = record.get("country")
    if country is not None and (not isinstance(country, str) or not _QID.match(country)):
        raise ValueError('"country" must be a Wikidata Q-id such as "Q142"')
    label, fine = label_for_type(raw_type) if raw_type else ("MISC", "other")
    return KbEntry(
        id=qid,
        name=name.strip(),
        label=label,
        type=fine,
        aliases=[a.strip() for a in aliases if a.strip()],
        country=country,
        wikidata=qid,
    )


class WikidataLines(Iterator[KbEntry]):
    """The good entries of a Wikidata JSON-lines file; bad lines land in `rejected`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rejected: list[tuple[int, str]] = []  # (line number, "line N: why; what to do")
        try:
            self._lines = iter(path.read_text(encoding="utf-8").splitlines())
        except FileNotFoundError:
            raise ConfigError(
                f"{path}: no such file; give the path of a Wikidata JSON-lines extract"
            ) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason}); convert it to UTF-8") from None
        self._number = 0

    def __next__(self) -> KbEntry:
        for text in self._lines:
            self._number += 1
            if not text.strip():
                continue  # a blank line holds no entity: nothing is lost
            try:
                return parse_line(text)
            except ValueError as exc:
                self.rejected.append((self._number, f"line {self._number}: {exc}; fix or remove the line"))
        raise StopIteration


def load_wikidata_jsonl(path: str | Path) -> WikidataLines:
    """Iterate the entries of a Wikidata extract; see the module docstring for the format."""
    return WikidataLines(Path(path))
