"""`veille entities`, `veille entity` and `veille kb import` on a store filled by hand (no spaCy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import veille
from veille.model import Article, Entity, Mention, Role
from veille.store import Store


def _article(article_id: str, title: str, published: str | None, *entities: Entity) -> Article:
    text, mentions = "", []
    for entity in entities:
        for alias in entity.aliases:
            mentions.append(
                Mention(article_id, len(text), len(text) + len(alias), alias, entity.label, entity.id)
            )
            text += alias + ". "
    return Article(
        id=article_id, source_file=f"{article_id}.txt", source_id="", text=text, title=title,
        published=published, mentions=mentions, entities=list(entities),
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "v.db")
    role = Role("secrétaire à la Défense", None, "États-Unis", "ent_us", "a", "2016-01-20", 0, 13)
    carter = Entity("ent_carter", "Ashton Carter", "PER", "person", ["Ashton Carter", "Carter"], roles=[role])
    us = Entity("ent_us", "États-Unis", "LOC", "country", ["américain", "Washington"], kb_id="iso3166:US")
    paris = Entity("ent_paris", "Paris", "LOC", "city", ["Paris"], kb_id="city:paris")
    parisien = Entity("ent_lp", "Le Parisien", "ORG", "media", ["Le Parisien"])
    with Store.open(path) as store:
        store.upsert(
            [
                _article("a", "Le conseil de guerre", "2016-01-20", carter, us, paris),
                _article("b", "La coalition", "2016-01-21", carter, paris, parisien),
            ]
        )
    return path


def test_cli_entities_lists_most_mentioned_first(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "entities", "--db", db)
    assert code == 0
    lines = [line for line in out.splitlines() if "ent_" in line]
    assert [line.split()[1] for line in lines] == ["ent_carter", "ent_paris", "ent_us", "ent_lp"]
    assert "Washington, américain" in lines[2] and "iso3166:US" in lines[2] and "country" in lines[2]


def test_cli_entities_filters_by_label_type_and_query(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = veille(monkeypatch, capsys, "entities", "--db", db, "--label", "loc", "--type", "city")
    assert "ent_paris" in out and "ent_us" not in out
    _, out, _ = veille(monkeypatch, capsys, "entities", "--db", db, "--query", "paris", "--limit", "1")
    assert "ent_paris" in out and "ent_lp" not in out


def test_cli_entities_rejects_unknown_label(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = veille(monkeypatch, capsys, "entities", "--db", db, "--label", "GPE")
    assert code == 2
    assert "--label must be one of PER, ORG, LOC, MISC, got 'GPE'." in err


def test_cli_entity_by_name_shows_roles_articles_and_neighbours(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "entity", "carter", "--db", db)
    assert code == 0
    assert "Ashton Carter" in out and "ent_carter" in out and "person" in out
    assert "2016-01-20" in out and "secrétaire à la Défense" in out and "États-Unis" in out  # a role
    assert "Le conseil de guerre" in out and "La coalition" in out  # its articles
    neighbours = out.split("Mentioned with")[1]
    assert neighbours.index("Paris") < neighbours.index("États-Unis")  # two shared articles, then one


def test_cli_entity_by_id(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "entity", "ent_us", "--db", db)
    assert code == 0 and "États-Unis" in out and "iso3166:US" in out and "Washington" in out


def test_cli_entity_exact_key_beats_partial_matches(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = veille(monkeypatch, capsys, "entity", "PARIS", "--db", db)  # also in "Le Parisien"
    assert code == 0 and "city:paris" in out


def test_cli_entity_several_matches_asks_for_an_id(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = veille(monkeypatch, capsys, "entity", "a", "--db", db)
    assert code == 2
    assert "ent_carter" in out and "ent_us" in out  # the candidates, listed
    assert "entities match 'a'; run `veille entity ID` with one of the ids listed above." in err


def test_cli_entity_unknown_says_what_to_give(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = veille(monkeypatch, capsys, "entity", "Obama", "--db", db)
    assert code == 2
    assert (
        f"no entity 'Obama' in {db}: give an id or a name as `veille entities --query Obama` lists them."
        in (err.replace("\n", ""))
    )


def test_cli_kb_import_reports_added_enriched_and_rejected_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "wd.jsonl"
    lines = [
        {"id": "Q90", "label": "Paris", "aliases": ["Ville Lumière"], "type": "city"},  # built in
        {"id": "Q193", "label": "Hollywood Lodge", "type": "facility"},
        "not json",
        {"id": "Q7", "type": "city"},
    ]
    extract.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n")
    db = str(tmp_path / "v.db")
    code, out, _ = veille(monkeypatch, capsys, "kb", "import", str(extract), "--db", db)
    assert code == 0
    assert f"{extract}: 1 added, 1 enriched, 2 rejected" in out
    assert "line 3: malformed JSON" in out and 'line 4: missing "label"' in out
    with Store.open(db) as store:
        saved = store.kb_imports()
    assert [(e["id"], e["name"], e["aliases"]) for e in saved] == [
        ("Q193", "Hollywood Lodge", []),
        ("Q90", "Paris", ["Ville Lumière"]),
    ]
    code, out, _ = veille(monkeypatch, capsys, "kb", "import", str(extract), "--db", db)
    assert f"{extract}: 0 added, 2 enriched, 2 rejected" in out  # the first import is known now


def test_cli_kb_import_missing_file_names_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "absent.jsonl"
    code, _, err = veille(monkeypatch, capsys, "kb", "import", str(missing), "--db", str(tmp_path / "v.db"))
    assert code == 2
    assert f"{missing}: no such file; give the path of a Wikidata JSON-lines extract" in err.replace("\n", "")
