"""The entities stage: corrected mentions, resolved to entities, with people's roles.

Reads the spaCy Doc of each analysed article (its entities already type-corrected by the
`veille_entities` component), links mentions to the knowledge base and gazetteer, adds the
countries named by adjectives, demonyms and capitals used as governments, clusters mentions
within the article, links clusters to entity ids across articles (through a read-only index of
what the store knows plus what this run has seen) and reads roles.
"""

from __future__ import annotations

from typing import Any, ClassVar

from veille.entities.context import country_words, is_metonymic
from veille.entities.names import entity_id
from veille.entities.resolve import Cluster, EntityIndex, RunIndex, cluster_mentions, link_clusters
from veille.model import KEPT, Article, Entity, Mention, Role
from veille.nlp.spacy_stage import trimmed_span

KbLink = tuple[str, str, str, str]  # kb id, canonical name, label, fine type


class EntitiesStage:
    name: ClassVar[str] = "entities"
    requires: ClassVar[frozenset[str]] = frozenset({"doc", "mentions", "published"})
    provides: ClassVar[frozenset[str]] = frozenset({"entities"})

    def __init__(self, index: EntityIndex | None = None) -> None:
        self.index = RunIndex(base=index)
        self.counters: dict[str, int] = {}
        self._kb: Any = None
        self._gazetteer: Any = None

    def warm_up(self) -> None:
        from veille.entities.gazetteer import Gazetteer
        from veille.entities.kb import KnowledgeBase

        if self._kb is None:
            self._kb, self._gazetteer = KnowledgeBase.builtin(), Gazetteer.builtin()
            imported = self._imported_entries()
            if imported:
                # The built-in base is shared and cached: merge a user's imports into a copy.
                self._kb = self._kb.copy()
                self._kb.merge(imported)
                self._count("kb_imported", len(imported))

    def _imported_entries(self) -> list[Any]:
        from veille.entities.kb import KbEntry

        load = getattr(self.index.base, "kb_imports", None)
        return [KbEntry(**entry) for entry in load()] if callable(load) else []

    def _count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def _entry(self, kb_id: str) -> Any:
        return self._gazetteer.get(kb_id) or self._kb.get(kb_id)

    def _link(self, text: str, label: str, kb_id: str) -> Any:
        if kb_id:
            entry = self._entry(kb_id)
            if entry is not None:
                return entry
        entry = self._gazetteer.lookup(text)
        if entry is not None:
            return entry
        if self._kb.ambiguity(text) is not None:
            return None  # "Hollande" is more often a person than the Netherlands
        matches = [e for e in self._kb.lookup(text) if label in (e.label, "MISC")]
        # A city-state is both a country and its capital (Singapour, Monaco): the country answers.
        countries = [e for e in matches if e.type == "country"]
        if len(matches) > 1 and len(countries) == 1:
            return countries[0]
        return matches[0] if len(matches) == 1 else None

    def find(self, article: Article) -> tuple[list[Cluster], list[Role]]:
        """Clusters and roles of one analysed article; writes nothing back."""
        self.warm_up()
        doc = article.doc
        mentions: list[Mention] = []
        links: dict[tuple[int, int], KbLink] = {}
        for ent in doc.ents:
            if ent.label_ not in {"PER", "ORG", "LOC", "MISC"}:
                continue
            offsets = trimmed_span(ent)
            if offsets is None:
                continue
            if all(t.lower_ in _TITLE_WORDS for t in ent):
                continue  # "le Premier ministre" tagged as an entity: a title, read by the roles finder
            if ent.label_ == "PER":
                offsets = _without_title(ent, offsets)
            mention = Mention(article.id, *offsets, article.text[offsets[0] : offsets[1]], ent.label_)
            entry = self._link(ent.text, ent.label_, ent.kb_id_)
            demonym = self._kb.country_for_demonym(ent.text) if entry is None else None
            if demonym is not None:  # "les Russes", tagged as an entity by spaCy
                mention.kind, entry = "demonym", demonym
                self._count("demonym")
            elif ent.label_ == "LOC" and (entry is None or entry.type == "city"):
                country = self._kb.country_for_capital(entry.name if entry is not None else ent.text)
                if country is not None and is_metonymic(ent):
                    mention.kind, entry = "metonym", country
                    self._count("metonym")
            if entry is not None:
                links[(mention.start, mention.end)] = (entry.id, entry.name, entry.label, entry.type)
                mention.label = entry.label
            mentions.append(mention)
        for word in country_words(doc, self._kb):
            mention = Mention(article.id, word.start, word.end, word.text, "LOC", kind=word.kind)
            country = self._kb.get(word.country_id)
            links[(word.start, word.end)] = (country.id, country.name, country.label, country.type)
            mentions.append(mention)
            self._count(word.kind)
        clusters, _ = cluster_mentions(article.text, mentions, links)
        return clusters, self._roles(article, doc)

    def _roles(self, article: Article, doc: Any) -> list[Role]:
        try:
            from veille.entities.roles import KbCountryResolver, find_roles
        except ImportError:  # roles are optional until their module lands
            return []
        date = article.published[:10] if article.published else None
        roles: list[Role] = []
        for found in find_roles(doc, KbCountryResolver(self._kb)):
            role = Role(
                title=found.title,
                organisation=found.organisation,
                country=found.country_name,
                country_entity_id=entity_id("kb", found.country_id) if found.country_id else None,
                article_id=article.id,
                date=date,
                start=found.person_start,
                end=found.person_end,
            )
            roles.append(role)
        return roles

    def _kb_ref(self, kb_id: str | None) -> str | None:
        """The id users can look up: the Wikidata id when the entry has one, else veille's own."""
        if kb_id is None:
            return None
        entry = self._entry(kb_id)
        return (getattr(entry, "wikidata", None) or kb_id) if entry is not None else kb_id

    def __call__(self, batch: list[Article]) -> list[Article]:
        found = {
            article.id: self.find(article)
            for article in batch
            if article.status == KEPT and article.doc is not None
        }
        self.index.prefetch(c for clusters, _ in found.values() for c in clusters)
        for article in batch:
            if article.id not in found:
                continue
            clusters, roles = found[article.id]
            link_clusters(clusters, self.index)
            article.mentions = sorted(
                (m for c in clusters for m in c.mentions), key=lambda m: (m.start, m.end)
            )
            article.entities = [_entity(c, roles, self._kb_ref(c.kb_id)) for c in clusters]
            self._count("articles")
        # Between batches, never inside one: the articles of a batch link to each other.
        forgotten = self.index.trim()
        if forgotten:
            self._count("run_index_forgotten", forgotten)
        return batch


def _entity(cluster: Cluster, roles: list[Role], kb_ref: str | None) -> Entity:
    assert cluster.entity_id is not None
    spans = [(m.start, m.end) for m in cluster.mentions if m.kind == "name"]
    mine = [r for r in roles if any(s <= r.start < e or r.start <= s < r.end for s, e in spans)]
    return Entity(
        id=cluster.entity_id,
        name=cluster.name,
        label=cluster.label,
        type=cluster.type,
        aliases=sorted({m.text for m in cluster.mentions}),
        kb_id=kb_ref,
        mention_count=len(cluster.mentions),
        roles=mine,
    )


def _title_words() -> frozenset[str]:
    from veille.entities.role_words import HEADS, QUALIFIERS

    words = {w for forms in HEADS.values() for form in forms for w in form.split()}
    return frozenset(words | set(QUALIFIERS)) - {"de", "d'", "du", "l'", "la", "le"}


_TITLE_WORDS = _title_words()


def _without_title(ent: Any, offsets: tuple[int, int]) -> tuple[int, int]:
    """spaCy often takes a title into a person's name ("Premier ministre Édouard Philippe"): the
    person is the name; the title is a role, read by the roles finder."""
    first = ent.start
    while first < ent.end - 1 and ent.doc[first].lower_ in _TITLE_WORDS:
        first += 1
    if first == ent.start or not ent.doc[first].text[:1].isupper():
        return offsets
    return ent.doc[first].idx, offsets[1]
