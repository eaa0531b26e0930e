"""Entities in the store, on SQLite and PostgreSQL: names kept, aliases, roles, the linker's index."""

from __future__ import annotations

from collections.abc import Callable

from veille.entities.resolve import EntityIndex
from veille.model import Article, Entity, Mention, Role
from veille.store import Store
from veille.store.entities import EntityRow, merge_entity

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)


def _article(make_article: MakeArticle, article_id: str, *entities: Entity, **fields: object) -> Article:
    """An article whose text is its entities' aliases, each mentioned once under its entity id."""
    text, mentions = "", []
    for entity in entities:
        for alias in entity.aliases:
            mentions.append(
                Mention(article_id, len(text), len(text) + len(alias), alias, entity.label, entity.id)
            )
            text += alias + ". "
    return make_article(article_id, text, mentions=mentions, entities=list(entities), **fields)


def _carter(name: str, *aliases: str, roles: list[Role] | None = None) -> Entity:
    return Entity("ent_carter", name, "PER", aliases=list(aliases or (name,)), roles=roles or [])


def test_entities_merge_keeps_fuller_name_and_fills_missing() -> None:
    stored = EntityRow("e", "Carter", "PER")
    assert merge_entity(stored, Entity("e", "Ashton Carter", "PER", "person")).name == "Ashton Carter"
    assert merge_entity(EntityRow("e", "Ashton Carter", "PER"), Entity("e", "Carter", "PER")).name == (
        "Ashton Carter"
    )
    assert merge_entity(stored, Entity("e", "Carter", "PER", "person", kb_id="Q1")).type == "person"
    assert merge_entity(EntityRow("e", "A B", "ORG", "party", "Q2"), Entity("e", "C D", "ORG")) == (
        EntityRow("e", "A B", "ORG", "party", "Q2")
    )  # a tie keeps the stored name; type and kb id are never lost


def test_entities_upsert_keeps_the_fuller_name(store: Store, make_article: MakeArticle) -> None:
    store.upsert([_article(make_article, "a", _carter("Ashton Carter"))])
    store.upsert([_article(make_article, "b", _carter("Carter"))])
    entity = store.get_entity("ent_carter")
    assert entity is not None and entity.name == "Ashton Carter"
    store.upsert(
        [
            _article(make_article, "c", _carter("Carter")),
            _article(make_article, "d", _carter("Ash B. Carter")),
        ]
    )
    assert store.get_entity("ent_carter").name == "Ash B. Carter"  # type: ignore[union-attr]


def test_entities_knowledge_base_name_wins(store: Store, make_article: MakeArticle) -> None:
    us = Entity("ent_us", "Etats Unis d'Amérique du Nord", "LOC", aliases=["Etats Unis d'Amérique du Nord"])
    store.upsert([_article(make_article, "a", us)])
    kb = Entity("ent_us", "États-Unis", "LOC", "country", ["américain"], kb_id="iso3166:US")
    store.upsert([_article(make_article, "b", kb)])
    longer = Entity("ent_us", "les États-Unis d'Amérique", "LOC", aliases=["les États-Unis d'Amérique"])
    store.upsert([_article(make_article, "c", longer)])
    entity = store.get_entity("ent_us")
    assert entity is not None
    assert (entity.name, entity.type, entity.kb_id) == ("États-Unis", "country", "iso3166:US")


def test_entities_aliases_from_two_articles(store: Store, make_article: MakeArticle) -> None:
    store.upsert([_article(make_article, "a", _carter("Ashton Carter", "Ashton Carter", "Carter"))])
    store.upsert([_article(make_article, "b", _carter("Carter", "carter", "M. Carter", "Carter"))])
    entity = store.get_entity("ent_carter")
    assert entity is not None and entity.mention_count == 5
    # By frequency, then text; "M. Carter" and "carter" share a key with "Carter" but were mentioned.
    assert entity.aliases == ["Carter", "Ashton Carter", "M. Carter", "carter"]
    assert store.entity_for_alias("PER", "carter") == "ent_carter"
    assert store.entity_for_alias("PER", "m carter") == "ent_carter"


def test_entities_roles_replaced_on_reupsert(store: Store, make_article: MakeArticle) -> None:
    def role(title: str) -> Role:
        return Role(title, "Pentagone", "États-Unis", "ent_us", "a", "2016-01-20", 0, 13)

    first = _carter("Ashton Carter", roles=[role("secrétaire à la Défense"), role("ministre")])
    store.upsert([_article(make_article, "a", first, published="2016-01-20")])
    store.upsert(
        [_article(make_article, "b", _carter("Carter", roles=[role("patron")]), published="2015-05-01")]
    )
    store.upsert([_article(make_article, "a", _carter("Ashton Carter", roles=[role("chef du Pentagone")]))])
    entity = store.get_entity("ent_carter")
    assert entity is not None
    assert [(r.title, r.article_id) for r in entity.roles] == [("chef du Pentagone", "a"), ("patron", "b")]
    store.upsert([_article(make_article, "a", _carter("Ashton Carter"))])
    assert [r.title for r in store.get_entity("ent_carter").roles] == ["patron"]  # type: ignore[union-attr]


def test_entities_roles_sorted_by_date_then_article(store: Store, make_article: MakeArticle) -> None:
    def carter(article_id: str, date: str | None) -> Article:
        role = Role("secrétaire", date=date, start=0, end=13)
        return _article(make_article, article_id, _carter("Ashton Carter", roles=[role]))

    store.upsert(
        [carter("c", "2016-02-01"), carter("b", None), carter("a", "2016-02-01"), carter("d", "2015-01-01")]
    )
    roles = store.get_entity("ent_carter").roles  # type: ignore[union-attr]
    assert [(r.date, r.article_id) for r in roles] == [
        ("2015-01-01", "d"), ("2016-02-01", "a"), ("2016-02-01", "c"), (None, "b")
    ]  # fmt: skip


def test_entities_store_is_an_entity_index(store: Store, make_article: MakeArticle) -> None:
    index: EntityIndex = store
    drian = Entity("ent_drian", "Jean-Yves Le Drian", "PER", aliases=["Jean-Yves Le Drian"])
    pen = Entity("ent_pen", "Le Pen", "PER", aliases=["Le Pen"])
    store.upsert([_article(make_article, "a", drian, pen)])
    assert index.people_with_surname("le drian") == [("ent_drian", "jean-yves")]
    assert index.people_with_surname("le pen") == [("ent_pen", "")]
    assert index.people_with_surname("drian") == []
    assert index.entity_for_alias("PER", "jean-yves le drian") == "ent_drian"
    assert index.entity_for_alias("LOC", "jean-yves le drian") is None


def test_entities_alias_shared_by_two_goes_to_the_most_mentioned(
    store: Store, make_article: MakeArticle
) -> None:
    one = Entity("ent_b", "Marine", "MISC", aliases=["Marine"])
    two = Entity("ent_a", "marine", "MISC", aliases=["marine"])
    store.upsert([_article(make_article, "x", one), _article(make_article, "y", two)])
    assert store.entity_for_alias("MISC", "marine") == "ent_a"  # one mention each: smallest id
    store.upsert([_article(make_article, "z", one)])  # the cache is cleared by the write
    assert store.entity_for_alias("MISC", "marine") == "ent_b"


def test_entities_bulk_reads_answer_as_one_by_one(store: Store, make_article: MakeArticle) -> None:
    drian = Entity("ent_drian", "Jean-Yves Le Drian", "PER", aliases=["Jean-Yves Le Drian"])
    pen = Entity("ent_pen", "Le Pen", "PER", aliases=["Le Pen"])
    one, two = (
        Entity("ent_b", "Marine", "MISC", aliases=["Marine"]),
        Entity("ent_a", "marine", "MISC", aliases=["marine"]),
    )
    store.upsert([_article(make_article, "a", drian, pen, one), _article(make_article, "b", two, one)])
    pairs = [
        ("PER", "jean-yves le drian"),
        ("LOC", "jean-yves le drian"),
        ("MISC", "marine"),
        ("PER", "nobody"),
    ]
    surnames = ["le drian", "le pen", "drian"]
    bulk_aliases, bulk_people = store.entities_for_aliases(pairs), store.people_with_surnames(surnames)
    store._clear_entity_cache()  # the one-by-one answers, read afresh
    assert bulk_aliases == {pair: store.entity_for_alias(*pair) for pair in pairs}
    assert bulk_aliases[("MISC", "marine")] == "ent_b"  # two mentions against one
    assert bulk_people == {surname: store.people_with_surname(surname) for surname in surnames}


def test_entities_find_by_query_label_and_type(store: Store, make_article: MakeArticle) -> None:
    store.upsert(
        [
            _article(
                make_article,
                "a",
                Entity("e1", "État islamique", "ORG", "armed_group", ["État islamique", "EI"]),
            ),
            _article(make_article, "b", Entity("e2", "Islamabad", "LOC", "city", ["Islamabad"])),
            _article(make_article, "c", Entity("e3", "Nouvel État", "ORG", None, ["Nouvel État"])),
        ]
    )
    assert [e.id for e in store.find_entities("l'Etat islamique")] == ["e1"]
    assert [e.id for e in store.find_entities("isla")] == ["e2", "e1"]  # prefix before contains
    assert [e.id for e in store.find_entities("etat")] == ["e1", "e3"]
    assert [e.id for e in store.find_entities("isla", label="ORG")] == ["e1"]
    assert [e.id for e in store.find_entities(None, type="city")] == ["e2"]
    assert [e.id for e in store.find_entities("ei")] == ["e1"]
    assert len(store.find_entities(None, limit=2)) == 2
    assert store.find_entities("e_%") == []  # LIKE wildcards are matched literally


def test_entities_articles_and_cooccurring(store: Store, make_article: MakeArticle) -> None:
    carter = _carter("Ashton Carter", "Ashton Carter", "Carter")
    paris = Entity("ent_paris", "Paris", "LOC", "city", ["Paris"])
    daech = Entity("ent_ei", "Daech", "ORG", aliases=["Daech"])
    store.upsert(
        [
            _article(make_article, "a", carter, paris, daech, title="A", published="2016-01-20"),
            _article(make_article, "b", carter, paris, title="B"),
            _article(make_article, "c", paris, daech, title="C", published="2016-01-01"),
        ]
    )
    assert store.entity_articles("ent_carter") == [("a", "A", "2016-01-20", 2), ("b", "B", None, 2)]
    assert store.cooccurring("ent_carter") == [
        ("ent_paris", "Paris", "LOC", 2),
        ("ent_ei", "Daech", "ORG", 1),
    ]
    assert store.cooccurring("ent_carter", limit=1) == [("ent_paris", "Paris", "LOC", 2)]


def test_entities_counts_by_label(store: Store, make_article: MakeArticle) -> None:
    paris = Entity("ent_paris", "Paris", "LOC", "city", ["Paris"])
    store.upsert([_article(make_article, "a", _carter("Ashton Carter"), paris)])
    counts = store.counts()
    assert counts["entities"] == 2 and counts["entities_by_label"] == {"LOC": 1, "PER": 1}


def test_entities_mention_kind_round_trip(store: Store, make_article: MakeArticle) -> None:
    mention = Mention("a", 0, 9, "américain", "LOC", "ent_us", kind="adjective")
    store.upsert([make_article("a", "américain.", mentions=[mention])])
    got = store.get_article("a")
    assert got is not None and [m.kind for m in got.mentions] == ["adjective"]


def test_entities_iter_streams_every_entity_by_id(store: Store, make_article: MakeArticle) -> None:
    entities = [Entity(f"e{i}", f"Nom {i}", "MISC", aliases=[f"Nom {i}"]) for i in range(5)]
    store.upsert([_article(make_article, "a", *entities)])
    assert [e.id for e in store.iter_entities(batch_size=2)] == [f"e{i}" for i in range(5)]


def test_entities_kb_entries_round_trip(store: Store) -> None:
    paris = {"id": "Q90", "name": "Paris", "label": "LOC", "type": "city", "aliases": ["Ville Lumière"]}
    store.save_kb_entries([paris, {"id": "Q142", "name": "France", "label": "LOC", "type": "country"}])
    store.save_kb_entries([{**paris, "aliases": ["Lutèce"]}])  # the same id again replaces it
    assert store.kb_imports() == [
        {"id": "Q142", "name": "France", "label": "LOC", "type": "country"},
        {**paris, "aliases": ["Lutèce"]},
    ]
