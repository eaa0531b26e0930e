"""The French lexicon of time: the words the recogniser matches and what each one means.

Kept as plain tables (like HeidelTime's resource files) so that adding a word never touches a rule.
Regex alternations are built from the tables, longest word first, so that "après-midi" wins over
"midi" and "dix-huit" over "dix".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WEEKDAYS: dict[str, int] = {
    "lundi": 1,
    "mardi": 2,
    "mercredi": 3,
    "jeudi": 4,
    "vendredi": 5,
    "samedi": 6,
    "dimanche": 7,
}

MONTHS: dict[str, int] = {
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "janv.": 1,
    "févr.": 2,
    "fév.": 2,
    "avr.": 4,
    "juil.": 7,
    "sept.": 9,
    "oct.": 10,
    "nov.": 11,
    "déc.": 12,
}

MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1,
    "janv": 1,
    "fév": 2,
    "fev": 2,
    "févr": 2,
    "fevr": 2,
    "avr": 4,
    "juil": 7,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "déc": 12,
    "dec": 12,
    "sep.": 9,
    "jan.": 1,
    "fev.": 2,
}

# Fixed-date holidays (month, day); moveable feasts (Pâques) are left out.
HOLIDAYS: dict[str, tuple[int, int]] = {
    "noël": (12, 25),
    "noel": (12, 25),
    "toussaint": (11, 1),
    "jour de l'an": (1, 1),
    "nouvel an": (1, 1),
    "fête du travail": (5, 1),
    "saint-sylvestre": (12, 31),
    "réveillon de la saint-sylvestre": (12, 31),
    "assomption": (8, 15),
    "fête nationale": (7, 14),
    "saint-valentin": (2, 14),
    "armistice": (11, 11),
}

# TIMEX3 season codes.
SEASONS: dict[str, str] = {"printemps": "SP", "été": "SU", "ete": "SU", "automne": "FA", "hiver": "WI"}

# Parts of the day: TIMEX3 codes appended to a date ("mercredi soir" → 2016-01-20TEV).
PARTS_OF_DAY: dict[str, str] = {
    "matin": "MO",
    "matinée": "MO",
    "après-midi": "AF",
    "apres-midi": "AF",
    "soir": "EV",
    "soirée": "EV",
    "nuit": "NI",
    "journée": "DT",
}

# Duration units → (TIMEX3 unit letter, whether it belongs after the T of a duration).
UNITS: dict[str, tuple[str, bool]] = {
    "seconde": ("S", True),
    "secondes": ("S", True),
    "minute": ("M", True),
    "minutes": ("M", True),
    "heure": ("H", True),
    "heures": ("H", True),
    "jour": ("D", False),
    "jours": ("D", False),
    "journée": ("D", False),
    "journées": ("D", False),
    "semaine": ("W", False),
    "semaines": ("W", False),
    "mois": ("M", False),
    "an": ("Y", False),
    "ans": ("Y", False),
    "année": ("Y", False),
    "années": ("Y", False),
    "décennie": ("DE", False),
    "décennies": ("DE", False),
    "siècle": ("CE", False),
    "siècles": ("CE", False),
}

# Words for "several" that give an X amount (PXY, PXD).
VAGUE_AMOUNTS = ("plusieurs", "quelques", "des", "de nombreux", "de nombreuses", "nombreux", "nombreuses")

# Fuzzy position inside a period → TIMEX3 mod.
POSITION_MODS: dict[str, str] = {
    "début": "START",
    "debut": "START",
    "fin": "END",
    "milieu": "MID",
    "mi": "MID",
    "courant": "MID",
    "mi-": "MID",
}

# Words that make a value approximate or bounded.
APPROX_WORDS: dict[str, str] = {
    "vers": "APPROX",
    "environ": "APPROX",
    "près de": "APPROX",
    "aux alentours de": "APPROX",
    "autour de": "APPROX",
    "quelque": "APPROX",
    "plus de": "MORE_THAN",
    "moins de": "LESS_THAN",
    "au moins": "EQUAL_OR_MORE",
    "au plus": "EQUAL_OR_LESS",
    "pas plus de": "EQUAL_OR_LESS",
}

# Days relative to the anchor.
RELATIVE_DAYS: dict[str, int] = {
    "avant-hier": -2,
    "avant hier": -2,
    "après demain": 2,
    "apres-demain": 2,
    "hier": -1,
    "aujourd'hui": 0,
    "aujourd’hui": 0,
    "demain": 1,
    "après-demain": 2,
}

# Days relative to the date the text last spoke of ("le lendemain" of the meeting, not of the anchor).
RELATIVE_TO_REFERENCE: dict[str, int] = {
    "l'avant-veille": -2,
    "l’avant-veille": -2,
    "la veille": -1,
    "le lendemain": 1,
    "le surlendemain": 2,
    "lendemain": 1,
    "le jour suivant": 1,
    "le jour précédent": -1,
    "le jour d'après": 1,
    "le jour d’après": 1,
    "le jour d'avant": -1,
    "le jour d’avant": -1,
}

# Words TimeBank normalises to the present, past or future as a whole, not to a date.
REFERENCE_WORDS: dict[str, str] = {
    "actuellement": "PRESENT_REF",
    "maintenant": "PRESENT_REF",
    "désormais": "PRESENT_REF",
    "à présent": "PRESENT_REF",
    "en ce moment": "PRESENT_REF",
    "de nos jours": "PRESENT_REF",
    "auparavant": "PAST_REF",
    "autrefois": "PAST_REF",
    "jadis": "PAST_REF",
    "naguère": "PAST_REF",
    "récemment": "PAST_REF",
    "dernièrement": "PAST_REF",
    "à l'avenir": "FUTURE_REF",
    "à l’avenir": "FUTURE_REF",
    "prochainement": "FUTURE_REF",
    "bientôt": "FUTURE_REF",
    "dorénavant": "PRESENT_REF",
}

# "dernier"/"prochain" after a weekday, a month or a date: which way to look from the anchor.
LAST_WORDS = ("dernier", "dernière", "derniers", "dernières", "passé", "passée", "écoulé", "écoulée")
NEXT_WORDS = ("prochain", "prochaine", "prochains", "prochaines", "suivant", "suivante")

# Calendar units for "la semaine dernière", "l'an prochain", "cette année".
CALENDAR_UNITS: dict[str, str] = {
    "semaine": "W",
    "mois": "M",
    "an": "Y",
    "année": "Y",
    "week-end": "WE",
    "weekend": "WE",
    "trimestre": "Q",
    "semestre": "H",
}

NUMBER_WORDS: dict[str, int] = {
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "vingt": 20,
    "vingts": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "cent": 100,
    "cents": 100,
    "mille": 1000,
}

ORDINAL_WORDS: dict[str, int] = {
    "premier": 1,
    "première": 1,
    "1er": 1,
    "1re": 1,
    "1ère": 1,
    "deuxième": 2,
    "second": 2,
    "seconde": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
}


FLAGS = re.IGNORECASE


def bounded(body: str) -> re.Pattern[str]:
    """The pattern, matched only at word edges."""
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", FLAGS)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first so that the longer reading wins."""
    keys = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(k).replace("\\ ", r"\s+").replace("'", "['’]") for k in keys)


_NUMBER_WORD = alternation(NUMBER_WORDS)
# "dix-huit", "vingt et un", "quatre-vingt-dix": number words joined by hyphens, spaces or "et".
NUMBER_WORDS_RE = rf"(?:{_NUMBER_WORD})(?:(?:-|\s+et\s+|\s+|-et-)(?:{_NUMBER_WORD}))*"
NUMBER_RE = rf"(?:\d+(?:[,.]\d+)?|{NUMBER_WORDS_RE})"


def parse_number(text: str) -> float | None:
    """The value of a number written in digits ("30,4") or French words ("dix-huit", "vingt et un")."""
    cleaned = text.strip().lower()
    if re.fullmatch(r"\d+(?:[,.]\d+)?", cleaned):
        return float(cleaned.replace(",", "."))
    total = 0
    current = 0
    for word in re.split(r"[-\s]+", cleaned):
        if word in ("et", ""):
            continue
        value = NUMBER_WORDS.get(word)
        if value is None:
            return None
        if value in (100, 1000):
            current = max(current, 1) * value
            if value == 1000:
                total += current
                current = 0
        elif value == 20 and current in (4,):
            current *= 20  # quatre-vingt(s)
        else:
            current += value
    return float(total + current)
