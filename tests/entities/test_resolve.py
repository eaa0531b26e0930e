from __future__ import annotations

from veille.entities.resolve import RunIndex, acronym_pairs, cluster_mentions, link_clusters
from veille.model import Mention


def mention(text: str, doc: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = doc.index(text, start + 1)
    return Mention("a1", start, start + len(text), text, label)


def names(clusters: list) -> list[list[str]]:
    return sorted(sorted(m.text for m in c.mentions) for c in clusters)


def test_resolve_short_form_joins_the_full_name() -> None:
    doc = "Ashton Carter est à Paris. Selon Carter, Jean-Yves Le Drian et Le Drian sont d'accord."
    ms = [mention("Ashton Carter", doc, "PER"), mention("Carter", doc, "PER", 1),
          mention("Jean-Yves Le Drian", doc, "PER"), mention("Le Drian", doc, "PER", 1)]  # fmt: skip
    clusters, _ = cluster_mentions(doc, ms, {})
    assert names(clusters) == [["Ashton Carter", "Carter"], ["Jean-Yves Le Drian", "Le Drian"]]


def test_resolve_case_variants_merge_and_different_surnames_do_not() -> None:
    doc = "Jean-Yves Le Drian, puis Jean-yves Le Drian, face à Marine Le Pen."
    ms = [mention("Jean-Yves Le Drian", doc, "PER"), mention("Jean-yves Le Drian", doc, "PER"),
          mention("Marine Le Pen", doc, "PER")]  # fmt: skip
    clusters, _ = cluster_mentions(doc, ms, {})
    assert names(clusters) == [["Jean-Yves Le Drian", "Jean-yves Le Drian"], ["Marine Le Pen"]]


def test_resolve_ambiguous_surname_stays_apart() -> None:
    doc = "Jimmy Carter et Ashton Carter ; Carter a parlé."
    ms = [
        mention("Jimmy Carter", doc, "PER"),
        mention("Ashton Carter", doc, "PER"),
        mention("Carter", doc, "PER", 2),
    ]
    clusters, _ = cluster_mentions(doc, ms, {})
    assert len(clusters) == 3


def test_resolve_kb_links_group_aliases() -> None:
    doc = "Daech recule ; l'EI perd Raqqa, que d'autres écrivent Raqqah."
    ms = [mention("Daech", doc, "LOC"), mention("EI", doc, "ORG"), mention("Raqqa", doc, "LOC"),
          mention("Raqqah", doc, "MISC")]  # fmt: skip
    links = {
        (ms[0].start, ms[0].end): ("gaz:ei", "État islamique", "ORG", "armed_group"),
        (ms[1].start, ms[1].end): ("gaz:ei", "État islamique", "ORG", "armed_group"),
        (ms[2].start, ms[2].end): ("city:raqqa", "Raqqa", "LOC", "city"),
        (ms[3].start, ms[3].end): ("city:raqqa", "Raqqa", "LOC", "city"),
    }
    clusters, _ = cluster_mentions(doc, ms, links)
    assert names(clusters) == [["Daech", "EI"], ["Raqqa", "Raqqah"]]
    assert {c.name for c in clusters} == {"État islamique", "Raqqa"}
    assert all(m.label in {"ORG", "LOC"} for c in clusters for m in c.mentions)


def test_resolve_acronym_joins_its_expansion() -> None:
    doc = "Il visitera le CPCO (centre de planification et de conduite des opérations) mercredi."
    acronym = mention("CPCO", doc, "ORG")
    pairs = acronym_pairs(doc, [acronym])
    assert [(a.text, doc[s:e]) for a, s, e in pairs] == [
        ("CPCO", "centre de planification et de conduite des opérations")
    ]
    clusters, added = cluster_mentions(doc, [acronym], {})
    assert [m.text for m in added] == ["centre de planification et de conduite des opérations"]
    assert len(clusters) == 1 and len(clusters[0].mentions) == 2


def test_resolve_links_across_articles_by_key_and_surname() -> None:
    index = RunIndex()
    first = "Jean-Yves Le Drian a parlé."
    c1, _ = cluster_mentions(first, [mention("Jean-Yves Le Drian", first, "PER")], {})
    link_clusters(c1, index)
    second = "Le Drian a répondu, pas Le Pen."
    c2, _ = cluster_mentions(
        second, [mention("Le Drian", second, "PER"), mention("Le Pen", second, "PER")], {}
    )
    link_clusters(c2, index)
    by_text = {m.text: m.entity_id for c in c1 + c2 for m in c.mentions}
    assert by_text["Le Drian"] == by_text["Jean-Yves Le Drian"]
    assert by_text["Le Pen"] != by_text["Le Drian"]


def test_resolve_other_person_with_same_surname_is_not_merged_across_articles() -> None:
    index = RunIndex()
    a = "Ashton Carter parle."
    b = "Jimmy Carter parle."
    ca, _ = cluster_mentions(a, [mention("Ashton Carter", a, "PER")], {})
    link_clusters(ca, index)
    cb, _ = cluster_mentions(b, [mention("Jimmy Carter", b, "PER")], {})
    link_clusters(cb, index)
    assert ca[0].entity_id != cb[0].entity_id


def test_resolve_bare_surname_does_not_become_a_catch_all() -> None:
    index = RunIndex()
    for doc, name in (("Alain Juppé parle.", "Alain Juppé"), ("Juppé parle.", "Juppé"),
                      ("Isabelle Juppé parle.", "Isabelle Juppé")):  # fmt: skip
        clusters, _ = cluster_mentions(doc, [mention(name, doc, "PER")], {})
        link_clusters(clusters, index)
        if name == "Alain Juppé":
            alain = clusters[0].entity_id
        elif name == "Juppé":
            assert clusters[0].entity_id == alain
        else:
            assert clusters[0].entity_id != alain


def test_resolve_acronym_joins_the_expansion_spacy_found() -> None:
    doc = "La Direction générale de la santé (DGS) a publié ses chiffres."
    expansion = mention("Direction générale de la santé", doc, "ORG")
    acronym = mention("DGS", doc, "ORG")
    clusters, added = cluster_mentions(doc, [expansion, acronym], {})
    assert added == []
    assert len(clusters) == 1 and len(clusters[0].mentions) == 2


def test_resolve_monsieur_is_an_honorific_and_hyphens_do_not_split_given_names() -> None:
    doc = "Jean-Luc Mélenchon, puis Monsieur Mélenchon ; Jean Yves Le Drian et Jean-Yves Le Drian."
    ms = [mention("Jean-Luc Mélenchon", doc, "PER"), mention("Monsieur Mélenchon", doc, "PER"),
          mention("Jean Yves Le Drian", doc, "PER"), mention("Jean-Yves Le Drian", doc, "PER")]  # fmt: skip
    clusters, _ = cluster_mentions(doc, ms, {})
    assert len(clusters) == 2


def test_resolve_lone_surname_tagged_as_place_joins_the_person() -> None:
    doc = "Recep Tayyip Erdogan a parlé ; Erdogan a ensuite quitté Ankara."
    person, lone = mention("Recep Tayyip Erdogan", doc, "PER"), mention("Erdogan", doc, "LOC", 1)
    clusters, _ = cluster_mentions(doc, [person, lone], {})
    assert names(clusters) == [["Erdogan", "Recep Tayyip Erdogan"]]
    assert lone.label == "PER"


def test_resolve_one_typo_in_a_given_name_links_across_articles() -> None:
    index = RunIndex()
    a, b = "Hillary Clinton parle.", "Hilary Clinton parle."
    ca, _ = cluster_mentions(a, [mention("Hillary Clinton", a, "PER")], {})
    link_clusters(ca, index)
    cb, _ = cluster_mentions(b, [mention("Hilary Clinton", b, "PER")], {})
    link_clusters(cb, index)
    assert ca[0].entity_id == cb[0].entity_id


def test_resolve_acronym_expansion_without_its_elided_article() -> None:
    doc = "L'Agence régionale de santé (ARS) a confirmé."
    expansion, acronym = mention("Agence régionale de santé", doc, "ORG"), mention("ARS", doc, "ORG")
    clusters, added = cluster_mentions(doc, [expansion, acronym], {})
    assert added == [] and len(clusters) == 1


def test_resolve_surname_typo_with_the_same_given_name_merges_within_an_article() -> None:
    doc = "Stéphane Berna a déploré l'incendie. Stéphane Bern a ajouté. Stéphane Guérin était là."
    ms = [mention("Stéphane Berna", doc, "PER"), mention("Stéphane Bern", doc, "PER"),
          mention("Stéphane Guérin", doc, "PER")]  # fmt: skip
    clusters, _ = cluster_mentions(doc, ms, {})
    assert names(clusters) == [["Stéphane Bern", "Stéphane Berna"], ["Stéphane Guérin"]]


class StoredNames:
    """A store's `EntityIndex` over a plain dict, counting the questions it is asked."""

    def __init__(self, aliases: dict[tuple[str, str], str]) -> None:
        self.aliases = aliases
        self.asked = 0

    def entity_for_alias(self, label: str, key: str) -> str | None:
        self.asked += 1
        return self.aliases.get((label, key))

    def people_with_surname(self, surname: str) -> list[tuple[str, str]]:
        return []


def _link(index: RunIndex, name: str, label: str = "ORG") -> str | None:
    doc = f"{name} a parlé."
    clusters, _ = cluster_mentions(doc, [mention(name, doc, label)], {})
    link_clusters(clusters, index)
    return clusters[0].entity_id


def test_resolve_run_index_stops_growing_at_its_capacity() -> None:
    index = RunIndex(base=StoredNames({}), capacity=3, capacity_people=2)
    for n in range(10):
        _link(index, f"Société{n}")
        _link(index, f"Jean Nom{n}", "PER")
        index.trim()
        assert len(index.aliases) <= 3 and len(index._base_aliases) <= 3
        assert len(index.surnames) <= 2 and len(index._base_people) <= 2
    assert len(index.aliases) == 3


def test_resolve_run_index_asks_the_store_for_a_forgotten_alias() -> None:
    stored = StoredNames({})
    index = RunIndex(base=stored, capacity=1)
    first = _link(index, "Airbus")
    _link(index, "Thales")
    index.trim()  # "Airbus" is the least recently used: forgotten, with the store's stale answer
    assert ("ORG", "airbus") not in index.aliases and ("ORG", "airbus") not in index._base_aliases
    stored.aliases[("ORG", "airbus")] = "stored-airbus"  # what the engine wrote meanwhile
    asked = stored.asked
    assert _link(index, "Airbus") == "stored-airbus" != first
    assert stored.asked == asked + 1


def test_resolve_run_index_without_a_store_forgets_nothing() -> None:
    index = RunIndex(capacity=1)
    ids = [_link(index, name) for name in ("Airbus", "Thales", "Safran")]
    assert index.trim() == 0
    assert len(index.aliases) == 3
    assert [_link(index, name) for name in ("Airbus", "Thales", "Safran")] == ids


class BulkStoredNames(StoredNames):
    """`StoredNames` with the store's bulk reads, counting calls of each kind."""

    def __init__(self, aliases: dict[tuple[str, str], str], people: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(aliases)
        self.people = people
        self.asked_people = 0
        self.bulk_calls = 0

    def people_with_surname(self, surname: str) -> list[tuple[str, str]]:
        self.asked_people += 1
        return list(self.people.get(surname, []))

    def entities_for_aliases(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
        self.bulk_calls += 1
        return {pair: self.aliases.get(pair) for pair in pairs}

    def people_with_surnames(self, surnames: list[str]) -> dict[str, list[tuple[str, str]]]:
        self.bulk_calls += 1
        return {surname: list(self.people.get(surname, [])) for surname in surnames}


def _batch_clusters() -> list[list]:
    texts = [
        ("Jean-Yves Le Drian a reçu Ashton Carter.",
         [("Jean-Yves Le Drian", "PER"), ("Ashton Carter", "PER")]),
        ("Le Drian et l'OTAN, puis Carter.", [("Le Drian", "PER"), ("OTAN", "ORG"), ("Carter", "PER")]),
        ("Michel Fallon et Airbus.", [("Michel Fallon", "PER"), ("Airbus", "ORG")]),
    ]  # fmt: skip
    return [
        cluster_mentions(doc, [mention(t, doc, label) for t, label in found], {})[0] for doc, found in texts
    ]


def test_resolve_prefetch_links_as_one_by_one_with_two_store_reads() -> None:
    aliases = {("ORG", "otan"): "stored-otan", ("PER", "ashton carter"): "stored-carter"}
    people = {"le drian": [("stored-drian", "jean-yves")], "carter": [("stored-carter", "ashton")]}
    lazy_store, eager_store = BulkStoredNames(aliases, people), BulkStoredNames(aliases, people)
    lazy, eager = RunIndex(base=lazy_store), RunIndex(base=eager_store)
    lazy_batch, eager_batch = _batch_clusters(), _batch_clusters()
    for clusters in lazy_batch:
        link_clusters(clusters, lazy)
    eager.prefetch(c for clusters in eager_batch for c in clusters)
    assert eager_store.bulk_calls == 2 and eager_store.asked == eager_store.asked_people == 0
    for clusters in eager_batch:
        link_clusters(clusters, eager)
    ids = [[c.entity_id for c in clusters] for clusters in eager_batch]
    assert ids == [[c.entity_id for c in clusters] for clusters in lazy_batch]
    assert ids[0] == ["stored-drian", "stored-carter"]
    assert {"stored-drian", "stored-otan", "stored-carter"} <= set(ids[1])
    assert eager_store.asked == eager_store.asked_people == 0  # every question was answered ahead
    assert lazy_store.asked > 0 and lazy_store.asked_people > 0
