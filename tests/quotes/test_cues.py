"""The cue lexicon: every table and matcher on plain strings."""

from __future__ import annotations

from veille.quotes.cues import (
    ANONYMOUS_WORDS,
    INDIRECT_VERBS,
    SPEECH_VERBS,
    cue_preposition_at,
    form_table,
    incise_pronoun,
    speech_lemma,
)


def test_cues_regular_forms_of_er_verbs() -> None:
    for form in ("déclare", "déclaré", "déclarait", "déclarant", "plaidé", "confie", "ajoutant"):
        assert speech_lemma(form) is not None, form


def test_cues_irregular_forms() -> None:
    expected = {
        "dit": "dire",
        "reconnaît": "reconnaître",
        "martèle": "marteler",
        "lança": "lancer",
        "prévient": "prévenir",
        "conclut": "conclure",
        "souvient": "souvenir",
    }
    assert {form: speech_lemma(form) for form in expected} == expected


def test_cues_lemma_from_spacy_is_trusted() -> None:
    assert speech_lemma("xyz", "affirmer") == "affirmer"


def test_cues_non_speech_words_are_not_cues() -> None:
    for word in ("mange", "maison", "observé", "repris", "le"):
        assert speech_lemma(word) is None, word


def test_cues_indirect_verbs_are_speech_verbs() -> None:
    assert set(INDIRECT_VERBS) <= set(SPEECH_VERBS)


def test_cues_the_brief_verbs_are_all_listed() -> None:
    brief = "déclarer affirmer ajouter estimer plaider dénoncer confier réagir tonner glisser démentir nier"
    assert set(brief.split()) <= set(SPEECH_VERBS)


def test_cues_incise_pronouns() -> None:
    assert [incise_pronoun(w) for w in ("-il", "-elle", "t-on", "-on", "il", "-t")] == [
        "il",
        "elle",
        "on",
        "on",
        None,
        None,
    ]


def test_cues_cue_prepositions() -> None:
    assert cue_preposition_at(["Selon", "le", "ministre"], 0) == 1
    assert cue_preposition_at(["d'", "après", "lui"], 0) == 2
    assert cue_preposition_at(["aux", "yeux", "de", "Paris"], 0) == 3
    assert cue_preposition_at(["contre", "lui"], 0) == 0


def test_cues_anonymous_words() -> None:
    assert {"source", "entourage", "proche", "on"} <= ANONYMOUS_WORDS


def test_cues_form_table_maps_forms_to_lemmas() -> None:
    assert form_table()["affirmé"] == "affirmer"
