"""What is not a time expression, and what a span covers."""

from __future__ import annotations

import itertools

from veille.temporal.recognise import recognise


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in recognise(text)]


def test_recognise_boundaries_ete_participle_is_not_summer() -> None:
    assert texts("Il a été arrêté.") == []


def test_recognise_boundaries_summer_after_en_and_l() -> None:
    assert texts("en été") == ["été"]
    assert texts("pendant l'hiver") == ["hiver"]


def test_recognise_boundaries_season_adjective_is_not_a_time() -> None:
    assert texts("les Jeux olympiques d'hiver") == []


def test_recognise_boundaries_article_le_is_in_a_date_span() -> None:
    assert texts("Il est né le 6 mars 1941.") == ["le 6 mars 1941"]


def test_recognise_boundaries_midi_inside_apres_midi_is_not_noon() -> None:
    assert texts("dimanche après-midi") == ["dimanche après-midi"]


def test_recognise_boundaries_no_overlaps() -> None:
    specs = recognise("Le lundi 17 février 2003 au soir, vers 20 h, il y a deux ans, chaque lundi.")
    for first, second in itertools.pairwise(specs):
        assert first.end <= second.start
