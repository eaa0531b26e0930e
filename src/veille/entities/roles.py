"""People's roles: person, title, organisation or country, read from appositions and patterns.

Three shapes are read, each by one function over the spaCy Doc's tokens and PER entities:

- title before the name: "le ministre français de la Défense Jean-Yves Le Drian", "l'ancien
  Premier ministre Édouard Philippe", "le ministre de l'Intérieur du Mali, Moussa Traoré, a …";
- apposition after the name: "Marise Payne, ministre de la défense australien";
- a list introduced by a plural role: "les 7 ministres de la défense …, à savoir : Ashton Carter
  pour les Etats-Unis, …, Roberta Pinotti pour l'Italie": every person listed inherits the role,
  and takes the country from "pour …" or from an apposition of their own.

The rules read surface tokens and parts of speech rather than the dependency parse: the parser
attaches enumerations and appositions inconsistently (in the seed list it makes one person the
apposition of another), while the token order of these shapes is stable.

A country comes only from the text (an adjective of nationality, a "du Mali" complement, "pour
l'Italie"), never from the person's name. Titles are lowercased with typographic apostrophes
made straight; `title` keeps the form as written (feminine, modifiers such as "fédérale"), while
`title_key` is the masculine singular head plus its domain ("ministre de la défense"), the form to
group roles by. Finding is kept apart from writing back: `find_roles` only reads the Doc and
`role_records` turns what it found into export rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from veille.entities.role_words import (
    DETERMINERS,
    DOMAINS,
    HEADS,
    ORG_NOUNS,
    PREPOSITIONS,
    QUALIFIERS,
    CountryResolver,
    KbCountryResolver,
    country_by_adjective,
    country_by_name,
    match_head,
    norm,
)

__all__ = [
    "HEADS",
    "CountryResolver",
    "KbCountryResolver",
    "RoleMention",
    "country_by_adjective",
    "country_by_name",
    "find_roles",
    "role_records",
]

# A PER entity that starts with one of these is a title spaCy took for a name ("Premier ministre").
_NOT_A_NAME = frozenset({"premier", "première", "ministre", "président", "présidente"})
_LIST_OPENERS = frozenset({":"})
_MAX_TITLE_TOKENS = 15
_MAX_STRETCH = 120  # tokens: a list of seven ministers with their titles is about 60


@dataclass(slots=True)
class RoleMention:
    """A person's role read from one place of one article; offsets are Doc character offsets."""

    person_start: int
    person_end: int
    person_text: str
    title: str  # lowercase, as written: "ministre fédérale de la défense"
    organisation: str | None
    country_id: str | None
    country_name: str | None
    evidence_start: int  # the span the role was read from
    evidence_end: int
    pattern: str  # the rule that fired
    title_key: str = ""  # masculine singular head + domain: "ministre de la défense"
    qualifier: str | None = None  # ancien | ex | futur | nouveau


@dataclass(slots=True)
class _Title:
    start: int  # token index of the qualifier or head
    end: int  # token index after the last token read
    title: str
    key: str
    organisation: str | None
    country: tuple[str, str] | None
    qualifier: str | None
    plural: bool


def _is_boundary(token: Token) -> bool:
    if _breaks_paragraph(token):
        return True
    return token.is_punct and token.text not in {"(", ")", "-", "'", "’"}


def _breaks_paragraph(token: Token) -> bool:
    return "\n" in token.text or "\n" in token.whitespace_


def _skip_spaces(doc: Doc, i: int, stop: int) -> int:
    """Past space tokens ("à savoir\u00a0:" leaves a no-break space token)."""
    while i < stop and doc[i].is_space and not _breaks_paragraph(doc[i]):
        i += 1
    return i


def _stretch_end(doc: Doc, i: int) -> int:
    """Where the sentence holding token i ends: strong punctuation or a paragraph break.

    The parser's own sentence ends are not used: it sometimes cuts inside a noun phrase
    ("… et des Finances | Michel Sapin a parlé").
    """
    for j in range(i, min(len(doc), i + _MAX_STRETCH)):
        token = doc[j]
        if token.text in {".", "!", "?"} or _breaks_paragraph(token):
            return j if token.is_space else j + 1
    return min(len(doc), i + _MAX_STRETCH)


def _noun_phrase_end(doc: Doc, i: int, stop: int) -> int:
    """End of the noun phrase of a complement: names, nouns, adjectives, inner "de", "(APH)"."""
    j = i
    while j < stop:
        token = doc[j]
        text = norm(token.text)
        if token.text == "(":
            close = next((k for k in range(j + 1, min(j + 6, stop)) if doc[k].text == ")"), None)
            if close is None:
                break
            j = close + 1
            continue
        if token.pos_ in {"PROPN", "NOUN", "ADJ", "NUM", "X"} or (
            j > i and (text in PREPOSITIONS - {"à", "au", "aux"} or token.pos_ == "DET")
        ):
            j += 1
            continue
        break
    # A phrase does not end on a preposition or an article.
    while j > i and (norm(doc[j - 1].text) in PREPOSITIONS or doc[j - 1].pos_ == "DET"):
        j -= 1
    return j


def _read_complement(
    doc: Doc, i: int, stop: int, resolver: CountryResolver
) -> tuple[str, int, int, int] | None:
    """Classify the complement at token i (a preposition): (kind, np_start, np_end, end).

    kind is "domain" (part of the title), "country" or "organisation"; None when the complement
    is none of these ("des pays les plus impliqués") and so not part of the role.
    """
    j = i + 1
    if j < stop and norm(doc[j].text) in DETERMINERS:
        j += 1
    if j >= stop:
        return None
    first = doc[j]
    if norm(first.text) in DOMAINS:
        end = j + 1
        while end < stop and doc[end].pos_ == "ADJ" and doc[end].is_lower:
            if country_by_adjective(resolver, norm(doc[end].text)) is not None:
                break
            end += 1
        return "domain", j, end, end
    np_end = _noun_phrase_end(doc, j, stop)
    if np_end == j:
        return None
    text = doc[j:np_end].text
    if country_by_name(resolver, text) is not None:
        return "country", j, np_end, np_end
    name_end = j
    while name_end < np_end and (doc[name_end].pos_ == "PROPN" or doc[name_end].is_title):
        name_end += 1
    if name_end > j and country_by_name(resolver, doc[j:name_end].text) is not None:
        return "country", j, name_end, name_end
    if first.is_title or first.is_upper or first.pos_ == "PROPN" or norm(first.text) in ORG_NOUNS:
        return "organisation", j, np_end, np_end
    return None


def _is_modifier(token: Token) -> bool:
    """An adjective or past participle after a title: "fédérale", "délégué" (tagged VERB)."""
    if not token.is_lower:
        return False
    return token.pos_ == "ADJ" or (
        token.pos_ == "VERB"
        and token.morph.get("VerbForm", []) == ["Part"]
        and token.morph.get("Tense", []) == ["Past"]
    )


@dataclass(slots=True)
class _Parts:
    """What a title phrase has given so far, while it is being read."""

    title_tokens: list[int]
    key_parts: list[str]
    organisation: str | None = None
    country: tuple[str, str] | None = None


def _take_complement(doc: Doc, i: int, limit: int, resolver: CountryResolver, parts: _Parts) -> int | None:
    """Read the complement at token i ("de la Défense", "du Mali", "d'Amazon", "et des Finances").

    Returns the token after it, or None when it is not part of the role.
    """
    coordinated = norm(doc[i].text) == "et"
    complement = _read_complement(doc, i + 1 if coordinated else i, limit, resolver)
    if complement is None:
        return None
    kind, np_start, np_end, end = complement
    if kind == "domain":
        parts.title_tokens.extend(range(i, end))
        parts.key_parts.append(_tokens_text(doc, range(i, end)))
    elif coordinated:
        return None  # "et" joins two domains only: "de l'Économie et des Finances"
    elif kind == "country":
        parts.country = parts.country or country_by_name(resolver, doc[np_start:np_end].text)
    elif parts.organisation is None:
        parts.organisation = doc[np_start:np_end].text
    else:
        return None
    return end


def _read_title(doc: Doc, h: int, stop: int, resolver: CountryResolver) -> _Title | None:
    """Read a role noun phrase whose head starts at token h, no further than token `stop`."""
    head = match_head(doc, h)
    if head is None:
        return None
    start, qualifier = h, head.qualifier
    if h > 0 and norm(doc[h - 1].text) in QUALIFIERS:
        start, qualifier = h - 1, QUALIFIERS[norm(doc[h - 1].text)]
    elif h > 1 and doc[h - 1].text == "-" and norm(doc[h - 2].text) == "ex":
        start, qualifier = h - 2, "ex"
    parts = _Parts(title_tokens=list(range(h, h + head.length)), key_parts=[head.key])
    i = h + head.length
    limit = min(stop, h + _MAX_TITLE_TOKENS)
    while i < limit:
        token = doc[i]
        text = norm(token.text)
        if _is_modifier(token):
            found = country_by_adjective(resolver, text)
            if found is not None:
                parts.country = parts.country or found
            else:
                parts.title_tokens.append(i)  # a modifier kept in the title: "fédérale", "délégué"
            i += 1
            continue
        coordinated = text == "et" and i + 1 < limit and norm(doc[i + 1].text) in PREPOSITIONS
        if not (coordinated or text in PREPOSITIONS):
            break
        after = _take_complement(doc, i, limit, resolver, parts)
        if after is None:
            break
        i = after
    title = _tokens_text(doc, parts.title_tokens)
    if head.qualifier == "ex":
        title = title.removeprefix("ex-")  # "l'ex-ministre": the qualifier is its own field
    return _Title(
        start=start,
        end=i,
        title=title,
        key=" ".join(parts.key_parts),
        organisation=parts.organisation,
        country=parts.country,
        qualifier=qualifier,
        plural=head.plural,
    )


def _tokens_text(doc: Doc, indices: Any) -> str:
    parts = [norm(doc[i].text) + (" " if doc[i].whitespace_ else "") for i in indices]
    return " ".join("".join(parts).split())


def _persons(doc: Doc) -> list[Span]:
    return [
        ent
        for ent in doc.ents
        if ent.label_ == "PER" and norm(ent[0].text) not in _NOT_A_NAME and match_head(doc, ent.start) is None
    ]


def _mention(
    person: Span, title: _Title, doc: Doc, evidence: tuple[int, int], pattern: str, *, inherited: bool = False
) -> RoleMention:
    country = title.country
    return RoleMention(
        person_start=person.start_char,
        person_end=person.end_char,
        person_text=person.text,
        # A plural list head ("les ministres de la défense") gives each person the singular key.
        title=title.key if inherited or title.plural else title.title,
        organisation=title.organisation,
        country_id=country[0] if country else None,
        country_name=country[1] if country else None,
        evidence_start=doc[evidence[0]].idx,
        evidence_end=doc[evidence[1] - 1].idx + len(doc[evidence[1] - 1]),
        pattern=pattern,
        title_key=title.key,
        qualifier=title.qualifier,
    )


def _evidence_start(doc: Doc, title: _Title) -> int:
    before = title.start - 1
    return before if before >= 0 and norm(doc[before].text) in DETERMINERS else title.start


def title_before_name(doc: Doc, resolver: CountryResolver, person: Span) -> RoleMention | None:
    """ "le secrétaire américain à la Défense Ashton Carter", "le ministre …, Moussa Traoré, a"."""
    end = person.start
    with_comma = end >= 1 and doc[end - 1].text == ","
    if with_comma:
        # "le ministre de la Défense, X, a dit": the name must be closed by a comma or the end.
        after = person.end
        if after < len(doc) and doc[after].text not in {",", ".", ";", ")"} and not doc[after].is_space:
            return None
        end -= 1
    i = end - 1
    candidates: list[int] = []
    while i >= max(0, end - _MAX_TITLE_TOKENS):
        token = doc[i]
        if _is_boundary(token) or token.pos_ == "AUX" or (token.pos_ == "VERB" and not _is_modifier(token)):
            break
        if match_head(doc, i) is not None:
            candidates.append(i)
        i -= 1
    for h in reversed(candidates):
        title = _read_title(doc, h, end, resolver)
        if title is not None and title.end == end and not title.plural:
            pattern = "title_comma_name" if with_comma else "title_before_name"
            return _mention(person, title, doc, (_evidence_start(doc, title), person.end), pattern)
    return None


def _apposition_title(doc: Doc, person: Span, resolver: CountryResolver) -> _Title | None:
    i = person.end
    stop = _stretch_end(doc, i)
    if i >= stop or doc[i].text != ",":
        return None
    i += 1
    if i < stop and norm(doc[i].text) in DETERMINERS:
        i += 1
    if i < stop and norm(doc[i].text) in QUALIFIERS:
        i += 1
    if i >= stop:
        return None
    title = _read_title(doc, i, stop, resolver)
    return None if title is None or title.plural else title


def apposition(doc: Doc, resolver: CountryResolver, person: Span) -> RoleMention | None:
    """ "Marise Payne, ministre de la défense australien", "X, président d'Action praticiens …"."""
    title = _apposition_title(doc, person, resolver)
    if title is None:
        return None
    return _mention(person, title, doc, (person.start, title.end), "apposition")


def _pour_country(
    doc: Doc, i: int, stop: int, resolver: CountryResolver
) -> tuple[tuple[str, str] | None, int]:
    """ "pour les Etats-Unis", "pour la défense hollandaise": the country and the token after."""
    j = i + 1
    if j < stop and norm(doc[j].text) in DETERMINERS:
        j += 1
    end = _noun_phrase_end(doc, j, stop)
    if end == j:
        return None, i
    country = country_by_name(resolver, doc[j:end].text)
    for k in range(j, end):
        if country is None and doc[k].is_lower:
            country = country_by_adjective(resolver, norm(doc[k].text))
    return country, end


def list_members(doc: Doc, resolver: CountryResolver, persons: list[Span]) -> list[RoleMention]:
    """ "les 7 ministres de la défense …, à savoir : A pour les Etats-Unis, B, ministre …, et C"."""
    by_start = {person.start: person for person in persons}
    found: list[RoleMention] = []
    for h in range(len(doc)):
        head = match_head(doc, h)
        if head is None or not head.plural:
            continue
        stop = _stretch_end(doc, h)
        title = _read_title(doc, h, stop, resolver)
        if title is None:
            continue
        opener = next(
            (k for k in range(title.end, min(stop, title.end + 20)) if doc[k].text in _LIST_OPENERS),
            None,
        )
        if opener is None:
            continue
        i = _skip_spaces(doc, opener + 1, stop)
        while i < stop and i in by_start:
            person = by_start[i]
            i = person.end
            own = _apposition_title(doc, person, resolver)
            country: tuple[str, str] | None = None
            if own is not None:
                i = own.end
            elif i < stop and norm(doc[i].text) == "pour":
                country, i = _pour_country(doc, i, stop, resolver)
            role = own or title
            country = role.country or country or title.country
            mention = _mention(
                person,
                _Title(
                    role.start,
                    role.end,
                    role.title,
                    role.key,
                    role.organisation,
                    country,
                    role.qualifier,
                    False,
                ),
                doc,
                (_evidence_start(doc, title), i),
                "list_apposition" if own else "list",
                inherited=own is None,
            )
            found.append(mention)
            if i < stop and doc[i].text == ",":
                i += 1
            if i < stop and norm(doc[i].text) in {"et", "ainsi"}:
                i += 2 if norm(doc[i].text) == "ainsi" else 1
            i = _skip_spaces(doc, i, stop)
    return found


def find_roles(doc: Doc, resolver: CountryResolver) -> list[RoleMention]:
    """Every role a PER mention of the Doc is given, one per person mention, in text order.

    Rules run from the most specific to the least (list, apposition, title before the name); the
    first that reads a role for a person mention wins.
    """
    persons = _persons(doc)
    chosen: dict[tuple[int, int], RoleMention] = {}
    for mention in list_members(doc, resolver, persons):
        chosen.setdefault((mention.person_start, mention.person_end), mention)
    for person in persons:
        span = (person.start_char, person.end_char)
        if span in chosen:
            continue
        found = apposition(doc, resolver, person) or title_before_name(doc, resolver, person)
        if found is not None:
            chosen[span] = found
    return sorted(chosen.values(), key=lambda m: (m.person_start, m.person_end))


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def role_records(roles: list[RoleMention], article_id: str, published: str | None) -> list[dict[str, Any]]:
    """Export rows, one per role and in the same order: the role scoped by the article's date."""
    match = _DATE.match(published or "")
    date = match.group(0) if match else None
    return [
        {
            "title": role.title,
            "organisation": role.organisation,
            "country": role.country_name,
            "country_entity_id": role.country_id,
            "article_id": article_id,
            "date": date,
        }
        for role in roles
    ]
