"""Who is speaking: the subject of a cue, read from the parse and the word order, then resolved.

A speaker is found as a span of the text (the noun phrase as written) and then described: a person
or organisation mention inside it gives the entity; "il"/"elle" and "le ministre" are resolved to
the most recent compatible person of the article; "on", "une source proche du dossier" and
"l'entourage du ministre" are anonymous; "Paris et Washington", "les syndicats" are collective.
"""

from __future__ import annotations

from typing import Any

from veille.quotes.coref import (
    NAME_TITLES,
    NOT_SPEAKERS,
    RELATIVE_NOUNS,
    agent_noun,
    definite_singular,
    det_gender,
    entity_gender,
    fold,
    introduced_unnamed,
    person_noun,
    plural_start,
    recent_person,
    role_phrase,
    titled,
)
from veille.quotes.cues import (
    ANONYMOUS_WORDS,
    DOCUMENT_NOUNS,
    ORGANISATION_NOUNS,
    ROLE_NOUNS,
    STRESSED_PRONOUNS,
    incise_pronoun,
    table,
)
from veille.quotes.sources import PLACE_NOUNS, maker_after, maker_before, place_before
from veille.quotes.view import ArticleView, EntityRef, MentionRef, Speaker

NOMINAL_SALIENT = 3
PRONOUN_SALIENT = 1
# How far (characters, same paragraph) "ils" may go back to the last group quoted.
GROUP_REACH = 600
# Demonstratives standing for a person: "résume celui qui vit …", "raconte celle qui …".
_DEMONSTRATIVES = {"celui": "Masc", "celle": "Fem"}
_PUNCT_STOPS = frozenset(',.;:!?()[]«»“”"—–')


def is_stop(token: Any) -> bool:
    return token.text in _PUNCT_STOPS or token.is_space or token.is_punct


def subtree_span(token: Any, *, skip_case: bool = False) -> tuple[int, int]:
    start, end = token.left_edge.i, token.right_edge.i + 1
    doc = token.doc
    for k in range(start, token.i):  # "De son côté, France Bleu": what precedes a comma is not it
        if doc[k].text == ",":
            start = k + 1
    if skip_case:
        while start < end and doc[start].dep_ == "case":
            start += 1
    # Keep the noun phrase, not a relative clause or an incise hanging on it.
    for k in range(token.i + 1, end):
        if doc[k].text in {",", "(", "«", '"'} or doc[k].text.lower() in {"qui", "dont"}:
            end = k
            break
    while start < end and (is_stop(doc[start]) or doc[start].pos_ == "CCONJ"):
        start += 1
    return start, max(end, start + 1)


def _person(view: ArticleView, span: tuple[int, int], mention: MentionRef | None) -> Speaker:
    text = view.text[span[0] : span[1]]
    if mention is None:
        return Speaker(text, *span, kind="person", name=None)
    entity = view.entities.get(mention.entity_id or "")
    name = entity.name if entity else view.text[mention.start : mention.end]
    return Speaker(text, *span, kind="person", entity_id=mention.entity_id, name=name)


def _whole_names(view: ArticleView, first: int, last: int) -> int:
    """The end of [first, last) stretched over a name the parse cut short ("France" of "France
    Bleu Lorraine")."""
    doc = view.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    for cut in view.mentions_from(start, end):
        if end < cut.end:
            last = max(last, view.token_at(cut.end - 1).i + 1)
    return last


def describe(view: ArticleView, first: int, last: int) -> Speaker:
    """A speaker from the token range [first, last): its kind, entity and name."""
    doc = view.doc
    last = _whole_names(view, first, last)
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    text = view.text[start:end]
    words = [t.text.lower() for t in doc[first:last]]
    inside = view.mentions_in(start, end)
    people = [m for m in inside if m.label == "PER"]
    orgs = [m for m in inside if m.label == "ORG"]
    runs = sum(
        1 for t in doc[first:last] if t.pos_ == "PROPN" and (t.i == first or doc[t.i - 1].pos_ != "PROPN")
    )
    named = max(len([m for m in inside if m.label in {"PER", "ORG", "LOC"}]), runs)
    plural = plural_start(doc[first])
    coordinated = ("et" in words or "ainsi" in words) and (named > 1 or plural)
    if words[0] in _DEMONSTRATIVES and (len(words) == 1 or words[1] in {"qui", "dont"}):
        mention = recent_person(view, start, _DEMONSTRATIVES[words[0]], salient=PRONOUN_SALIENT)
        return _person(view, (start, end), mention)
    if len(words) == 1 and (incise_pronoun(words[0]) or words[0] in {"il", "elle", "ils", "elles", "on"}):
        return pronoun_speaker(view, incise_pronoun(words[0]) or words[0], start, end)
    if len(words) == 1 and words[0] in STRESSED_PRONOUNS:  # "selon lui"
        return pronoun_speaker(view, STRESSED_PRONOUNS[words[0]], start, end)
    if not inside and all(t.text[:1].isupper() for t in doc[first:last]) and last - first <= 4:
        # A name the entity recogniser missed ("Selon Marine Le Pen").
        return Speaker(text, start, end, kind="person", name=text)
    if people and not (coordinated and len(people) + len(orgs) > 1):
        # "l'avocat de Cécile Duflot", "le frère de Kate Middleton": a name after "de" is not the
        # speaker, unless the speaker is a document of theirs ("les conclusions d'Éric Woerth").
        free = [p for p in people if not _after_de(view, p)]
        if free:
            return _person(view, (start, end), free[0])
        if words[0] in {"un", "une"}:
            return Speaker(text, start, end, kind="anonymous", name=text)
        first_noun = next((t.text.lower() for t in doc[first:last] if t.pos_ == "NOUN"), "")
        if first_noun in DOCUMENT_NOUNS:
            return _person(view, (start, end), people[0])
        return Speaker(text, start, end, kind="person", name=text)
    if ANONYMOUS_WORDS & set(words) and not people:
        return Speaker(text, start, end, kind="anonymous", name=text)
    if words[:2] == ["les", "autorités"] and not coordinated:
        # "les autorités locales": the state that governs a place, an institution, not a group.
        return Speaker(text, start, end, kind="organisation", name=text)
    if coordinated or (plural and not orgs):
        return Speaker(text, start, end, kind="collective", name=text)
    return _describe_noun_phrase(view, first, last)


def _describe_noun_phrase(view: ArticleView, first: int, last: int) -> Speaker:
    """`describe` for a noun phrase that is neither a pronoun, a bare name nor a group."""
    doc = view.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    text = view.text[start:end]
    words = [t.text.lower() for t in doc[first:last]]
    inside = view.mentions_in(start, end)
    people = [m for m in inside if m.label == "PER"]
    orgs = [m for m in inside if m.label == "ORG"]
    nouns = [t for t in doc[first:last] if t.pos_ in {"NOUN", "PROPN"}]
    head = nouns[0].text.lower() if nouns else ""
    if words[0] in {"un", "une"} and orgs and any(_after_de(view, m) for m in orgs):
        # "un communiqué de l'Élysée", "une fiche du ministère de l'Agriculture": theirs.
        owner = next(m for m in orgs if _after_de(view, m))
        entity = view.entities.get(owner.entity_id or "")
        name = entity.name if entity else view.text[owner.start : owner.end]
        return Speaker(text, start, end, kind="organisation", entity_id=owner.entity_id, name=name)
    owner_at = _owner_noun(view, first, last) if head in DOCUMENT_NOUNS and not orgs else None
    if owner_at is not None:  # "une fiche technique du ministère de l'Agriculture": the ministry's
        return Speaker(text, start, end, kind="organisation", name=view.text[owner_at:end])
    if words[0] in {"un", "une"} and head not in ORGANISATION_NOUNS:
        return Speaker(text, start, end, kind="anonymous", name=text)
    if any(w in DOCUMENT_NOUNS for w in words) and not orgs and not people:
        # "le sondage, réalisé par Ipsos", "cette enquête": the maker speaks through its document.
        maker = maker_after(view, end) or (maker_before(view, start) if head in DOCUMENT_NOUNS else None)
        if maker is not None:
            return _organisation(view, text, start, end, maker)
    if head in DOCUMENT_NOUNS:
        # "selon les informations du Parisien": the medium or organisation inside speaks.
        source = orgs[0] if orgs else None
        entity = view.entities.get(source.entity_id or "") if source else None
        name = entity.name if entity else (view.text[source.start : source.end] if source else text)
        return Speaker(
            text, start, end, kind="organisation", entity_id=source.entity_id if source else None, name=name
        )
    if nouns and agent_noun(head, nouns[0]) and orgs and all(_after_de(view, m) for m in orgs):
        definite = words[0] in {"le", "la", "l'", "l’"}
        return nominal_speaker(view, head, start, end, det_gender(doc[first]), fallback=definite)
    if inside and nouns and nouns[0].pos_ == "NOUN" and head in ROLE_NOUNS:
        # "le porte-parole du ministère": a person known by a role in an organisation.
        # A definite role names one holder ("le chef de l'État"): resolved like "le ministre".
        definite = words[0] in {"le", "la", "l'", "l’"}
        return nominal_speaker(view, head, start, end, det_gender(doc[first]), fallback=definite)
    if orgs:
        entity = view.entities.get(orgs[0].entity_id or "")
        name = entity.name if entity else view.text[orgs[0].start : orgs[0].end]
        return Speaker(text, start, end, kind="organisation", entity_id=orgs[0].entity_id, name=name)
    places = [m for m in inside if m.label == "LOC"]
    if places:  # "Moscou a démenti": a capital or country standing for its government
        entity = view.entities.get(places[0].entity_id or "")
        name = entity.name if entity else view.text[places[0].start : places[0].end]
        return Speaker(text, start, end, kind="organisation", entity_id=places[0].entity_id, name=name)
    if not nouns:
        return Speaker(text, start, end)
    if head in PLACE_NOUNS and words[0] in _DEFINITE:
        # "la ville a annoncé", "la capitale chinoise a appelé": the place named last, governed.
        place = place_before(view, start)
        if place is not None:
            return _organisation(view, text, start, end, place)
    if head in ORGANISATION_NOUNS:
        return _organisation_by_name(view, first, last)
    return _noun_speaker(view, first, last, nouns[0])


_DEFINITE = table("le la l' l’ cette ce")
_OF = table("de du des d' d’")


def _owner_noun(view: ArticleView, first: int, last: int) -> int | None:
    """Where the organisation a document belongs to starts, when it is named by an organisation
    noun after "de" ("un rapport du ministère de la Santé" → "ministère de la Santé")."""
    doc = view.doc
    for k in range(first + 1, last - 1):
        if doc[k].text.lower() in _OF and doc[k + 1].text.lower() in ORGANISATION_NOUNS:
            return int(doc[k + 1].idx)
    return None


def _organisation(view: ArticleView, text: str, start: int, end: int, mention: MentionRef) -> Speaker:
    entity = view.entities.get(mention.entity_id or "")
    name = entity.name if entity else view.text[mention.start : mention.end]
    return Speaker(text, start, end, kind="organisation", entity_id=mention.entity_id, name=name)


def _noun_speaker(view: ArticleView, first: int, last: int, noun: Any) -> Speaker:
    """A noun phrase with no name the recogniser knows: a role, a titled name, a newspaper."""
    doc = view.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    text, head, words = view.text[start:end], noun.text.lower(), [t.text.lower() for t in doc[first:last]]
    if head in RELATIVE_NOUNS:  # "son père": a person described, not the one named before
        return Speaker(text, start, end, kind="person", name=text)
    if head in ROLE_NOUNS or agent_noun(head, noun):
        return nominal_speaker(view, head, start, end, det_gender(doc[first]))
    common = noun.text[:1].islower()  # "La Voix du Nord", "Le Parisien": a title, not a noun
    if common and definite_singular(doc[first], noun) and head not in DOCUMENT_NOUNS | NOT_SPEAKERS:
        # "raconte le DJ parisien": a definite noun speaking is a person known by what they do.
        return nominal_speaker(view, head, start, end, det_gender(doc[first]))
    if len(words) > 2 and words[1] in NAME_TITLES:  # "le Dr B K Naik": a person the recogniser missed
        return Speaker(text, start, end, kind="person", name=doc[first + 2 : last].text)
    if not common and words[0] in {"le", "la", "l'", "l’"} and last - first > 1:
        return Speaker(text, start, end, kind="organisation", name=text)  # a newspaper's title
    return Speaker(text, start, end)  # "le texte", "le fait": not a source we can tell


def _organisation_by_name(view: ArticleView, first: int, last: int) -> Speaker:
    """ "l'agence de lutte contre les incendies Calfire": an organisation noun followed by its
    proper name is known by that name (a mention inside, else the trailing capitalised run)."""
    doc = view.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    text = view.text[start:end]
    named = [m for m in view.mentions_in(start, end) if m.label in {"ORG", "MISC"}]
    if named:
        mention = named[-1]
        entity = view.entities.get(mention.entity_id or "")
        name = entity.name if entity else view.text[mention.start : mention.end]
        return Speaker(text, start, end, kind="organisation", entity_id=mention.entity_id, name=name)
    k = last
    while k > first + 1 and doc[k - 1].pos_ == "PROPN" and doc[k - 1].text[:1].isupper():
        k -= 1
    if first + 1 < k < last:
        return Speaker(text, start, end, kind="organisation", name=doc[k:last].text)
    return Speaker(text, start, end, kind="organisation", name=text)


def _after_de(view: ArticleView, mention: MentionRef) -> bool:
    before = view.text[max(0, mention.start - 7) : mention.start].lower().replace("’", "'")
    return before.endswith((" de ", "d'", " du ", " des ", " de la ", " de l'"))


def pronoun_speaker(view: ArticleView, pronoun: str, start: int, end: int) -> Speaker:
    text = view.text[start:end]
    if pronoun == "on":
        return Speaker(text, start, end, kind="anonymous", name=text)
    if pronoun in {"ils", "elles"}:
        group = view.last_group
        near = group is not None and 0 <= start - group.end <= GROUP_REACH
        if group is not None and near and "\n\n" not in view.text[group.end : start]:
            return Speaker(text, start, end, kind=group.kind, entity_id=group.entity_id, name=group.name)
        return Speaker(text, start, end, kind="collective", name=text)
    gender = "Fem" if pronoun == "elle" else "Masc"
    mention = recent_person(view, start, gender, salient=PRONOUN_SALIENT, prefer=_subject_or_speaker)
    described = _recent_description(view, start, gender)
    # A person described as the subject of the clause before outranks one named since in an object
    # or after a preposition ("Le responsable syndical s'est plaint de ne pas avoir été reçu par X
    # … «…», a-t-il déploré"): the subject goes on being talked about.
    if described is not None and (
        mention is None
        or view.doc[described[0]].idx > mention.start
        or not _subject_or_speaker(view, mention)
    ):
        said = describe(view, *described)
        if said.kind == "person":
            return Speaker(text, start, end, kind="person", entity_id=said.entity_id, name=said.name)
    last = view.last_person
    if (
        last is not None
        and not last.entity_id
        and (mention is None or last.start > mention.start)
        and 0 <= start - last.end <= GROUP_REACH
        and (mention is None or "\n\n" not in view.text[last.end : start])
    ):  # the unnamed person quoted just before goes on: "son père … «…», poursuit-il"
        return Speaker(text, start, end, kind="person", name=last.name)
    return _person(view, (start, end), mention)


def _recent_description(view: ArticleView, before: int, gender: str) -> tuple[int, int] | None:
    """The last person described without a name as the subject of a clause, in this sentence or
    the one before: "le photographe incriminé a apporté sa version … «…», confie-t-il"."""
    doc = view.doc
    here = view.token_at(before)
    floor = _sentences_back(view, here.i, 2)
    for token in reversed(doc[floor : here.i]):
        if not token.dep_.startswith("nsubj") or token.pos_ != "NOUN" or view.in_quote(token.idx):
            continue
        word = token.text.lower()
        determiner = next((c for c in token.children if c.dep_ == "det"), None)
        if determiner is None or determiner.text.lower() in {"un", "une", "des", "les", "ces"}:
            continue
        if not (person_noun(word, token) or word in ROLE_NOUNS) or "Plur" in token.morph.get("Number"):
            continue
        if det_gender(determiner) not in {None, gender}:
            continue
        first, last = subtree_span(token)
        if any(m.label == "PER" for m in view.mentions_in(doc[first].idx, _end_of(doc[last - 1]))):
            return None  # named in its own phrase: the mention is the antecedent
        return first, last
    return None


def _sentences_back(view: ArticleView, i: int, count: int) -> int:
    """The first token of the sentence `count` - 1 sentences before the one holding token `i`,
    read from full stops outside quotations (the parser cuts sentences at odd places: "- oui.")."""
    doc, ends = view.doc, 0
    k = i - 1
    while k >= 0:
        token = doc[k]
        if token.text in {".", "!", "?"} and not view.in_quote(token.idx) and k < i - 1:
            ends += 1
            if ends == count:
                return k + 1
        if "\n\n" in token.text_with_ws and k < i - 1:
            return k + 1
        k -= 1
    return 0


def _end_of(token: Any) -> int:
    return int(token.idx) + len(token.text)


_THROUGH = frozenset({"flat:name", "flat", "appos", "compound", "amod", "nmod"})


def _subject_or_speaker(view: ArticleView, mention: MentionRef) -> bool:
    """A person a pronoun is likely to stand for: one already quoted, the subject of its clause, or
    a source ("selon X"), not one named in an object or after a preposition ("reçu par X")."""
    if (mention.entity_id or view.text[mention.start : mention.end]) in view.speakers:
        return True
    token = view.token_at(mention.start)
    for _ in range(4):
        if token.dep_.startswith("nsubj") or token.dep_ == "ROOT":
            return True
        if any(c.dep_ == "case" and c.text.lower() == "selon" for c in token.children):
            return True
        if token.dep_ not in _THROUGH or token.head is token:
            return False
        token = token.head
    return False


def _folded_titles(view: ArticleView, entity: EntityRef) -> tuple[str, ...]:
    """An entity's role titles folded, each once, computed once per view: the titles pile up with
    every role statement, and folding them for each candidate made long articles quadratic."""
    key = ("folded_titles", entity.id)
    titles: tuple[str, ...] | None = view.memo.get(key)
    if titles is None:
        titles = view.memo[key] = tuple(dict.fromkeys(fold(t) for t in entity.role_titles))
    return titles


def nominal_speaker(
    view: ArticleView, head: str, start: int, end: int, gender: str | None, *, fallback: bool = True
) -> Speaker:
    """ "le ministre" → the person whose role title or apposition holds the role, else (with
    `fallback`) the most recent person of a compatible gender. Persons named only inside
    quotations are never candidates: they are spoken about, not speaking."""
    people = [m for m in view.people if not (m.start >= start and m.end <= end)]
    earlier = [m for m in people if m.end <= start][::-1]
    later = [m for m in people if m.start >= end]
    phrase = role_phrase(view, start, end)
    for candidates in (earlier, later):
        for mention in candidates:
            entity = view.entities.get(mention.entity_id or "")
            titles = _folded_titles(view, entity) if entity else ()
            if any(phrase and phrase in title for title in titles) or titled(view, mention, phrase):
                return _person(view, (start, end), mention)
    if " de " in f" {phrase} " or " du " in f" {phrase} " or " d'" in phrase:
        # "le chef du gouvernement": a role with its complement is not any "chef" named before.
        return _person(view, (start, end), recent_person(view, start, gender, salient=NOMINAL_SALIENT))
    for candidates in (earlier, later):  # the role noun alone ("le ministre" for "ministre de X")
        for mention in candidates:
            entity = view.entities.get(mention.entity_id or "")
            if entity and any(fold(head) in title for title in _folded_titles(view, entity)):
                return _person(view, (start, end), mention)
            if titled(view, mention, fold(head)) and entity_gender(view, mention) in {None, gender}:
                return _person(view, (start, end), mention)
    if not fallback or introduced_unnamed(view, fold(head), start):
        return Speaker(view.text[start:end], start, end, kind="person", name=view.text[start:end])
    return _person(view, (start, end), recent_person(view, start, gender, salient=NOMINAL_SALIENT))
