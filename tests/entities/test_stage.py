"""The seed pages through the whole pipeline up to entities: the demo of the entities issue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from veille.engines.local import to_article
from veille.ingest import ReadOptions, ReadReport, iter_records
from veille.model import Article, Entity
from veille.pipeline import default_pipeline

MINISTERS = {
    "Ashton Carter": "États-Unis",
    "Jean-Yves Le Drian": "France",
    "Marise Payne": "Australie",
    "Michael Fallon": "Royaume-Uni",
    "Roberta Pinotti": "Italie",
    "Ursula Von der Leyen": "Allemagne",
    "Jeanine Hennis-Plasschaert": "Pays-Bas",
}


@pytest.fixture(scope="module")
def seeds(nlp: Any, seeds_dir: Path) -> list[Article]:
    articles = [to_article(r) for r in iter_records([seeds_dir], ReadOptions(), ReadReport())]
    return default_pipeline(None, progress=False)(articles)


def by_name(articles: list[Article]) -> dict[str, list[Entity]]:
    found: dict[str, list[Entity]] = {}
    for article in articles:
        for entity in article.entities:
            found.setdefault(entity.name, []).append(entity)
    return found


def test_stage_seven_ministers_with_country_and_defence_role(seeds: list[Article]) -> None:
    entities = by_name(seeds)
    for person, country in MINISTERS.items():
        roles = [r for e in entities[person] for r in e.roles]
        assert any(r.country == country and "défense" in r.title for r in roles), (person, roles)


def test_stage_aliases_merge_into_one_entity_per_thing(seeds: list[Article]) -> None:
    entities = by_name(seeds)
    aliases = {name: {a for e in group for a in e.aliases} for name, group in entities.items()}
    assert {"Daech", "EI"} <= aliases["État islamique"]
    assert {"Raqqa", "Raqqah"} <= aliases["Raqqa"]
    assert {"Moscou", "Russie", "Russes"} <= aliases["Russie"]
    assert {"Etats-Unis", "américain", "Washington"} <= aliases["États-Unis"]
    assert {"Jean-Yves Le Drian", "Jean-yves Le Drian"} <= aliases["Jean-Yves Le Drian"]
    assert len({e.id for e in entities["État islamique"]}) == 1  # one id across both pages


def test_stage_no_person_for_balard_or_cpco(seeds: list[Article]) -> None:
    people = {a for group in by_name(seeds).values() for e in group if e.label == "PER" for a in e.aliases}
    assert "Balard" not in people and "CPCO" not in people


def test_stage_mentions_point_at_their_entities(seeds: list[Article]) -> None:
    for article in seeds:
        ids = {e.id for e in article.entities}
        assert article.mentions
        for mention in article.mentions:
            assert mention.entity_id in ids
            assert article.text[mention.start : mention.end] == mention.text


def test_stage_titles_are_not_part_of_names_nor_entities(nlp: Any) -> None:
    from veille.model import RawDoc

    raw = RawDoc(
        source_file="x",
        source_id="1",
        text="Le Premier ministre Édouard Philippe a annoncé un plan. Le Premier ministre a insisté.",
        title="t",
    )
    (article,) = default_pipeline(None, progress=False)([to_article(raw)])
    texts = {m.text for m in article.mentions}
    assert "Édouard Philippe" in texts
    assert not any("ministre" in t for t in texts)
