"""The entity search's trigram index over alias keys (migration 12), on SQLite and PostgreSQL: a name
containing the query anywhere is found as with a scan, short queries still work, and aliases stored
later are found (the index follows every write)."""

from __future__ import annotations

from collections.abc import Callable

from veille.model import Article, Entity, Mention
from veille.store import Store

MakeArticle = Callable[..., Article]


def naming(make_article: MakeArticle, article_id: str, entity: Entity) -> Article:
    alias = entity.aliases[0]
    mention = Mention(article_id, 0, len(alias), alias, entity.label, entity.id)
    return make_article(article_id, alias + ".", mentions=[mention], entities=[entity])


def test_entity_search_index_substrings_short_queries_and_later_aliases(
    store: Store, make_article: MakeArticle
) -> None:
    carter = Entity("ent_carter", "Ashton Carter", "PER", aliases=["Ashton Carter"])
    agence = Entity("ent_afp", "Agence France-Presse", "ORG", aliases=["Agence France-Presse"])
    store.upsert([naming(make_article, "a", carter), naming(make_article, "b", agence)])
    assert [e.id for e in store.find_entities("shton car")] == ["ent_carter"]  # inside, across words
    assert [e.id for e in store.find_entities("FRANCE-Presse")] == ["ent_afp"]  # case does not count
    assert [e.id for e in store.find_entities("ce-pr")] == ["ent_afp"]
    assert {e.id for e in store.find_entities("er")} == {"ent_carter"}  # under 3 letters: scanned
    assert store.find_entities("cartier") == []
    later = Entity("ent_france", "France", "LOC", aliases=["France"])
    store.upsert([naming(make_article, "c", later)])
    assert [e.id for e in store.find_entities("france")] == ["ent_france", "ent_afp"]  # equal key first
