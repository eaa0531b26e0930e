"""Resolution: mentions → one cluster per thing inside an article, then one entity id across articles.

Inside an article (`cluster_mentions`):
- mentions linked to the knowledge base or gazetteer group by that id ("Daech", "l'EI", "État
  islamique"; "Raqqa", "Raqqah");
- a person's short form joins the one full name in the article it can belong to ("Carter" →
  "Ashton Carter", "Le Drian" → "Jean-Yves Le Drian"); case and accent variants share a key;
- an acronym joins its expansion written beside it ("CPCO (centre de planification et de
  conduite des opérations)");
- anything else groups by label and name key.

Across articles (`link_clusters`), a cluster keeps the id of its knowledge-base entry, else takes
the id of an entity the store already knows under the same key, else — for people — the one known
person with the same surname and a compatible given name ("Le Drian" never meets "Le Pen": their
surnames differ), else a new id derived from its label and key.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from veille.entities.names import (
    entity_id,
    given_names_compatible,
    initials,
    is_acronym,
    name_key,
    name_words,
    person_parts,
)
from veille.model import Mention

NAME = "name"


@dataclass(slots=True)
class Cluster:
    label: str
    key: str
    mentions: list[Mention] = field(default_factory=list)
    kb_id: str | None = None  # the knowledge base / gazetteer id when linked
    kb_name: str | None = None
    type: str | None = None
    entity_id: str | None = None

    @property
    def name(self) -> str:
        if self.kb_name:
            return self.kb_name
        names = [m.text for m in self.mentions if m.kind == NAME] or [m.text for m in self.mentions]
        counts = Counter(names)
        # The fullest form wins ("Ashton Carter" over "Carter" or "M. Carter"), then the most used,
        # then the first.
        return max(names, key=lambda n: (name_words(n, self.label), counts[n], -names.index(n)))


class EntityIndex(Protocol):
    """What the store already knows, read-only: alias keys and people by surname."""

    def entity_for_alias(self, label: str, key: str) -> str | None: ...

    def people_with_surname(self, surname: str) -> list[tuple[str, str]]: ...


# Alias keys and surnames one run keeps (`RunIndex.trim`), each the most recently used. A run adds
# ≈ 7 alias keys and 2 surnames an article of the shared corpus once its first 500 are in, and asks
# the store about as many (bench/memory_growth.py: 12,209 keys and 3,553 surnames after 1,536
# articles), so the bounds bind after ≈ 6,500 and ≈ 9,000 articles: thousands of articles' names,
# the current stories' among them, at ≈ 300 bytes a key (≈ 15 MiB each for the run's keys and the
# store's answers). Before, both grew with every new name for the whole run.
RUN_ALIASES = 50_000
RUN_SURNAMES = 20_000


@dataclass
class RunIndex:
    """The store's index plus what this run has added, so articles of one run link to each other.

    Bounded when there is a store (`trim`, between batches): beyond `capacity` alias keys (and
    `capacity_people` surnames) the least recently used are forgotten, with the store's answer for
    them, so that the next lookup asks the store, which has this run's earlier batches by then (the
    engine writes a batch before the next one is linked). A long run then links like a series of
    shorter ones: where several entities share a key, the store's choice (most mentions) replaces
    the run's (first seen)."""

    base: EntityIndex | None = None
    aliases: OrderedDict[tuple[str, str], str] = field(default_factory=OrderedDict)
    surnames: OrderedDict[str, list[tuple[str, str]]] = field(default_factory=OrderedDict)
    # The store's answers, asked once per run: what changes in the store during the run is this
    # run's own writes, which the two dicts above already hold and are consulted first.
    _base_aliases: OrderedDict[tuple[str, str], str | None] = field(default_factory=OrderedDict)
    _base_people: OrderedDict[str, list[tuple[str, str]]] = field(default_factory=OrderedDict)
    capacity: int = RUN_ALIASES
    capacity_people: int = RUN_SURNAMES

    def entity_for_alias(self, label: str, key: str) -> str | None:
        found = self.aliases.get((label, key))
        if found is not None:
            self.aliases.move_to_end((label, key))
        elif self.base is not None:
            if (label, key) not in self._base_aliases:
                self._base_aliases[(label, key)] = self.base.entity_for_alias(label, key)
            else:
                self._base_aliases.move_to_end((label, key))
            found = self._base_aliases[(label, key)]
        return found

    def people_with_surname(self, surname: str) -> list[tuple[str, str]]:
        if self.base is not None:
            if surname not in self._base_people:
                self._base_people[surname] = self.base.people_with_surname(surname)
            else:
                self._base_people.move_to_end(surname)
        if surname in self.surnames:
            self.surnames.move_to_end(surname)
        people = dict(self._base_people.get(surname, []))
        people.update(dict(self.surnames.get(surname, [])))
        return sorted(people.items())

    def prefetch(self, clusters: Iterable[Cluster]) -> None:
        """Ask the store at once what linking `clusters` may ask it one name at a time: the alias
        key of every mention and the surname of every person, where the store offers the bulk
        reads (`entities_for_aliases`, `people_with_surnames`). The answers are the same as asked
        one by one: the store does not change while a batch is linked."""
        bulk_aliases = getattr(self.base, "entities_for_aliases", None)
        bulk_people = getattr(self.base, "people_with_surnames", None)
        if bulk_aliases is None or bulk_people is None:
            return
        pairs: dict[tuple[str, str], None] = {}
        surnames: dict[str, None] = {}
        for cluster in clusters:
            if cluster.kb_id is not None:
                continue
            person = cluster.label == "PER"
            for mention in cluster.mentions:
                pair = (cluster.label, name_key(mention.text, person=person))
                if pair not in self.aliases and pair not in self._base_aliases:
                    pairs[pair] = None
            if person:
                surname = person_parts(cluster.key)[1]
                if surname not in self._base_people:
                    surnames[surname] = None
        if pairs:
            self._base_aliases.update(bulk_aliases(list(pairs)))
        if surnames:
            self._base_people.update(bulk_people(list(surnames)))

    def trim(self) -> int:
        """Forget the least recently used keys beyond the capacities; how many run entries were
        forgotten. Without a store nothing is: there would be nothing to ask instead."""
        if self.base is None:
            return 0
        forgotten = 0
        while len(self.aliases) > self.capacity:
            key, _ = self.aliases.popitem(last=False)
            # Its stored answer was read before this run wrote the key: ask again.
            self._base_aliases.pop(key, None)
            forgotten += 1
        while len(self.surnames) > self.capacity_people:
            surname, _ = self.surnames.popitem(last=False)
            self._base_people.pop(surname, None)
            forgotten += 1
        while len(self._base_aliases) > self.capacity:
            self._base_aliases.popitem(last=False)
        while len(self._base_people) > self.capacity_people:
            self._base_people.popitem(last=False)
        return forgotten

    def remember(self, cluster: Cluster) -> None:
        assert cluster.entity_id is not None
        for mention in cluster.mentions:
            key = name_key(mention.text, person=cluster.label == "PER")
            self.aliases.setdefault((cluster.label, key), cluster.entity_id)
        if cluster.label == "PER":
            given, surname = person_parts(cluster.key)
            entries = self.surnames.setdefault(surname, [])
            # A bare surname linked to a known full name adds nothing: listing the entity again
            # without a given name would make it the catch-all for every later "X Surname".
            listed = any(eid == cluster.entity_id for eid, _ in entries)
            if (given or not listed) and (cluster.entity_id, given) not in entries:
                entries.append((cluster.entity_id, given))


_PAREN = re.compile(r"\(([^()]{2,120})\)")
_ELIDED = re.compile(r"[LlDd]['’]")


def acronym_pairs(text: str, mentions: Iterable[Mention]) -> list[tuple[Mention, int, int]]:
    """(acronym mention, expansion start, expansion end) for "ACR (expansion)" and "expansion (ACR)"."""
    pairs: list[tuple[Mention, int, int]] = []
    by_end = {m.end: m for m in mentions if is_acronym(m.text)}
    for match in _PAREN.finditer(text):
        inner_start, inner_end = match.start(1), match.end(1)
        inner = match.group(1).strip()
        # "CPCO (centre de planification …)": the acronym stands just before the parenthesis.
        before = text[: match.start()].rstrip()
        acronym = by_end.get(len(before))
        if acronym is not None and initials(inner) == acronym.text.replace(".", "").lower():
            offset = match.group(1).index(inner)
            pairs.append((acronym, inner_start + offset, inner_start + offset + len(inner)))
            continue
        # "… des opérations (CPCO)": the expansion is the words before, as many as the acronym has letters.
        inside = next((m for m in mentions if m.start == inner_start and m.end == inner_end), None)
        if inside is not None and is_acronym(inside.text):
            letters = inside.text.replace(".", "").lower()
            words = list(re.finditer(r"[\w'’-]+", before))
            for first in range(len(words) - 1, max(-1, len(words) - 3 * len(letters)), -1):
                start = words[first].start()
                if initials(before[start:]) == letters:
                    # "L'Agence régionale de santé (ARS)": the elided article is not the name.
                    elided = _ELIDED.match(before, start)
                    pairs.append((inside, elided.end() if elided else start, len(before)))
                    break
    return pairs


def cluster_mentions(
    text: str, mentions: list[Mention], kb_links: dict[tuple[int, int], tuple[str, str, str, str]]
) -> tuple[list[Cluster], list[Mention]]:
    """Group an article's mentions into clusters; returns the clusters and any mention added.

    `kb_links` maps a mention's (start, end) to (kb id, canonical name, label, type) for mentions
    the knowledge base or gazetteer recognised.
    """
    clusters: list[Cluster] = []
    by_kb: dict[str, Cluster] = {}
    by_key: dict[tuple[str, str], Cluster] = {}

    def cluster_for(label: str, key: str) -> Cluster:
        cluster = by_key.get((label, key))
        if cluster is None:
            cluster = by_key[(label, key)] = Cluster(label, key)
            clusters.append(cluster)
        return cluster

    _relabel_lone_surnames(mentions, kb_links)

    people: list[Mention] = []
    for mention in mentions:
        link = kb_links.get((mention.start, mention.end))
        if link is not None:
            kb_id, kb_name, label, fine = link
            mention.label = label
            cluster = by_kb.get(kb_id)
            if cluster is None:
                cluster = by_kb[kb_id] = Cluster(
                    label, name_key(kb_name), kb_id=kb_id, kb_name=kb_name, type=fine
                )
                clusters.append(cluster)
            cluster.mentions.append(mention)
        elif mention.label == "PER":
            people.append(mention)
        else:
            cluster_for(mention.label, name_key(mention.text)).mentions.append(mention)

    # Full names first, so that a short form finds the full name it belongs to.
    people.sort(key=lambda m: (-len(person_parts(name_key(m.text, person=True))[0].split()), m.start))
    person_clusters: list[Cluster] = []
    for mention in people:
        key = name_key(mention.text, person=True)
        given, surname = person_parts(key)
        same = by_key.get(("PER", key))
        if same is None:
            candidates = [
                c
                for c in person_clusters
                if person_parts(c.key)[1] == surname and given_names_compatible(given, person_parts(c.key)[0])
            ]
            if not candidates and given:
                # One article, one given name, surnames a typo apart ("Stéphane Berna" then
                # "Stéphane Bern"): the same person misspelt once.
                candidates = [
                    c
                    for c in person_clusters
                    if person_parts(c.key)[0] == given and _one_edit(surname, person_parts(c.key)[1], 4)
                ]
            # A bare surname joins the one full name it matches; a full name joins a bare surname or
            # the one full name with a compatible given name ("J.-Y. Le Drian", "Jean Yves Le Drian").
            if len(candidates) == 1:
                same = candidates[0]
        if same is None:
            same = cluster_for("PER", key)
            person_clusters.append(same)
        same.mentions.append(mention)
        if len(given.split()) > len(person_parts(same.key)[0].split()):
            same.key = key  # the cluster is known by its fullest form

    added = _join_acronyms(text, mentions, clusters)
    return clusters, added


def _relabel_lone_surnames(
    mentions: list[Mention], kb_links: dict[tuple[int, int], tuple[str, str, str, str]]
) -> None:
    # A lone surname spaCy did not call a person ("Erdogan" as LOC, "Hollande" as a place) is the
    # person when the article names that person in full.
    surnames = {
        person_parts(name_key(m.text, person=True))[1]
        for m in mentions
        if m.label == "PER" and person_parts(name_key(m.text, person=True))[0]
    }
    for mention in mentions:
        if (
            mention.label != "PER"
            and (mention.start, mention.end) not in kb_links
            and name_key(mention.text, person=True) in surnames
        ):
            mention.label = "PER"


def _join_acronyms(text: str, mentions: list[Mention], clusters: list[Cluster]) -> list[Mention]:
    """Put each acronym and its written expansion in one cluster; returns the mentions added."""
    added: list[Mention] = []
    for acronym, start, end in acronym_pairs(text, mentions):
        owner = next(c for c in clusters if acronym in c.mentions)
        # spaCy's own mention of the expansion may differ by an article at its start: same end.
        holder = next(
            (c for c in clusters if any(m.end == end and m.start >= start for m in c.mentions)), None
        )
        if holder is None:
            expansion = Mention(acronym.article_id, start, end, text[start:end], owner.label)
            owner.mentions.append(expansion)
            added.append(expansion)
        elif holder is not owner:
            # spaCy found the expansion itself: its cluster and the acronym's are one entity.
            keep, gone = (holder, owner) if holder.kb_id is not None else (owner, holder)
            keep.mentions.extend(gone.mentions)
            clusters.remove(gone)
    return added


def link_clusters(clusters: list[Cluster], index: RunIndex) -> None:
    """Give every cluster its entity id (see the module docstring), and remember it in `index`."""
    for cluster in clusters:
        if cluster.kb_id is not None:
            cluster.entity_id = entity_id("kb", cluster.kb_id)
        else:
            cluster.entity_id = _known_entity(cluster, index) or entity_id(cluster.label, cluster.key)
        for mention in cluster.mentions:
            mention.entity_id = cluster.entity_id
        index.remember(cluster)


def _known_entity(cluster: Cluster, index: RunIndex) -> str | None:
    for mention in sorted(cluster.mentions, key=lambda m: -len(m.text)):
        found = index.entity_for_alias(cluster.label, name_key(mention.text, person=cluster.label == "PER"))
        if found is not None:
            return found
    if cluster.label != "PER":
        return None
    given, surname = person_parts(cluster.key)
    people = index.people_with_surname(surname)
    full = [(eid, g) for eid, g in people if g and (given_names_compatible(given, g) or _one_typo(given, g))]
    if given:
        exact = [eid for eid, g in full if g == given]
        if len(exact) == 1:
            return exact[0]
        if len(full) == 1:
            return full[0][0]
        # Only a surname known on its own (never with a given name) can take a new full name.
        named = {eid for eid, g in people if g}
        bare = sorted({eid for eid, g in people if not g} - named)
        return bare[0] if not full and len(bare) == 1 else None
    return full[0][0] if len(full) == 1 else None


def _one_typo(a: str, b: str) -> bool:
    """Two given names of five letters or more one edit apart: "Hilary" / "Hillary"."""
    return _one_edit(a, b, 5)


def _one_edit(a: str, b: str, shortest: int) -> bool:
    """Two words of `shortest` letters or more, same first letter, one edit apart."""
    if min(len(a), len(b)) < shortest or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
