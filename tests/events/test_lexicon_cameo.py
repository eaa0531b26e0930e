"""The lexicon is data: every type has triggers and a CAMEO root, and forms map back to lemmas."""

from __future__ import annotations

from veille.events.lexicon import CAMEO, EVENT_TYPES, NOUNS, VERBS, cameo_for, noun_types, verb_forms


def test_lexicon_cameo_every_type_has_triggers_and_a_root_entry() -> None:
    for kind in EVENT_TYPES:
        assert kind in CAMEO
        assert VERBS.get(kind) or NOUNS.get(kind), kind


def test_lexicon_cameo_roots_follow_the_documented_mapping() -> None:
    assert (CAMEO["meeting"], CAMEO["statement"], CAMEO["accusation"], CAMEO["appeal"]) == (
        "04",
        "01",
        "11",
        "02",
    )
    assert (CAMEO["visit"], CAMEO["attack"], CAMEO["agreement"], CAMEO["arrest"]) == ("04", "19", "05", "17")
    assert (CAMEO["protest"], CAMEO["vote"], CAMEO["death"]) == ("14", "", "")


def test_lexicon_cameo_a_terror_attack_is_an_assault() -> None:
    assert cameo_for("attack", "attentat") == "18"
    assert cameo_for("attack", "frappes") == "19"


def test_lexicon_cameo_written_forms_map_to_their_lemma() -> None:
    forms = verb_forms()
    assert forms["visitera"] == "visiter"
    assert forms["bombardés"] == "bombarder"
    assert forms["réunissant"] == "réunir"
    assert forms["appelle"] == "appeler"
    assert noun_types()["frappes"] == "attack"
    assert noun_types()["élections"] == "vote"


def test_lexicon_cameo_docs_table_lists_every_type_and_root() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "events.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in docs.splitlines() if line.startswith("| ")}
    for kind in EVENT_TYPES:
        assert kind in rows, kind
        root = CAMEO[kind]
        assert (f"| {root} " in rows[kind]) if root else ("none" in rows[kind]), kind
