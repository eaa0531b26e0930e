"""The rule layer and the classifier on hand-built articles (real embedding calls: the shipped model
is small and fast)."""

from __future__ import annotations

import pytest

from veille.rubriques import NAMES, RUBRIQUES, RubriqueClassifier, RubriqueInput, check_names
from veille.rubriques.classifier import fold, keyword_pattern, softmax, url_sections

SPORT = RubriqueInput(
    "Football : les Lions du Sénégal qualifiés pour la Coupe d'Afrique des nations",
    "L'équipe nationale a battu le Bénin 2-0. L'attaquant a marqué deux buts et le sélectionneur "
    "a salué ses joueurs avant le prochain match du tournoi.",
)
HEALTH = RubriqueInput(
    "Paludisme : un nouveau vaccin testé sur des enfants",
    "Les médecins de l'hôpital ont vacciné 500 patients. La maladie tue encore des milliers "
    "d'enfants, selon l'OMS, qui salue ce traitement.",
)


def evidence_of(classifier: RubriqueClassifier, item: RubriqueInput) -> dict[str, float]:
    return dict(zip(classifier.names, classifier.rule_evidence(item), strict=True))


def test_taxonomy_rubriques_have_codes_descriptions_and_unique_names() -> None:
    assert len(set(NAMES)) == len(NAMES) >= 11
    for rubrique in RUBRIQUES:
        assert rubrique.iptc and all(len(code) == 8 and code.isdigit() for code in rubrique.iptc)
        assert rubrique.description and len(rubrique.prototypes) >= 3 and rubrique.keywords
    assert {
        "politique",
        "défense et conflits",
        "économie",
        "société",
        "justice",
        "santé",
        "sport",
        "culture",
        "sciences et technologies",
        "environnement",
        "international",
    } <= set(NAMES)


def test_taxonomy_check_names_refuses_unknown_names() -> None:
    assert check_names(["sport", "santé", "sport"]) == ["sport", "santé"]
    with pytest.raises(ValueError, match=r"unknown rubrique.*'cuisine'.*choose among"):
        check_names(["sport", "cuisine"])


def test_classifier_keyword_pattern_matches_whole_words_and_endings() -> None:
    pattern = keyword_pattern(["minist*", "but", "coupe d'afrique"])
    assert [m.group() for m in pattern.finditer(fold("Le Ministère et les ministres"))] == [
        "ministere",
        "ministres",
    ]
    assert pattern.search(fold("un but superbe")) and not pattern.search(fold("début, butte, buts"))
    assert pattern.search(fold("la Coupe d’Afrique"))  # typographic apostrophe folded


def test_classifier_rules_count_title_words_more_and_cap_repeats() -> None:
    classifier = RubriqueClassifier(parts={"rules": 1.0})
    in_title = evidence_of(classifier, RubriqueInput("Le vaccin arrive", "Rien d'autre."))
    in_body = evidence_of(classifier, RubriqueInput("Rien", "Le vaccin arrive."))
    assert in_title["santé"] == 3 * in_body["santé"] > 0
    repeated = evidence_of(classifier, RubriqueInput("", "vaccin " * 20))
    assert repeated["santé"] == 9  # capped: one word cannot decide alone


def test_classifier_entity_types_add_evidence() -> None:
    classifier = RubriqueClassifier(parts={"rules": 1.0})
    plain = RubriqueInput("Déclaration", "Il a parlé hier.")
    armed = RubriqueInput("Déclaration", "Il a parlé hier.", entity_types=["armed_group", "city"])
    assert evidence_of(classifier, plain)["défense et conflits"] == 0
    assert evidence_of(classifier, armed)["défense et conflits"] > 0
    assert classifier.classify([armed])[0][0][0] == "défense et conflits"


def test_classifier_url_sections_read_path_slug_and_subdomain() -> None:
    assert url_sections("https://www.bbc.com/afrique/sports-60123456") == ["sport"]
    assert url_sections("https://sport.example.fr/article/123") == ["sport"]
    assert url_sections("https://www.example.fr/Santé/2016/01/20/un-vaccin_123.html") == ["santé"]
    assert url_sections("https://www.example.fr/faits-divers/vol.php") == ["justice"]
    # the set's order, each once
    assert url_sections("https://www.example.fr/sport/economie/sport") == ["économie", "sport"]
    # article slugs, queries, fragments, world and multimedia sections say nothing
    assert url_sections("https://www.example.fr/2016/la-sante-des-ministres_42.html") == []
    assert url_sections("https://www.example.fr/a?rubrique=sport#sante") == []
    assert url_sections("https://www.bbc.com/afrique/monde-63182609") == []
    assert url_sections("https://www.bbc.com/afrique/media-63182609") == []
    assert url_sections("https://www.example.fr/sport.example") == []
    assert url_sections(None) == url_sections("") == url_sections("http://[::1") == []


def test_classifier_url_section_weighs_as_much_as_a_capped_keyword() -> None:
    classifier = RubriqueClassifier(parts={"rules": 1.0})
    title, text = "Le vaccin arrive dans les stades", "Les supporters seront vaccinés avant le match."
    plain = RubriqueInput(title, text)
    filed = RubriqueInput(title, text, url="https://www.example.fr/sport/2021/01/vaccin-stades")
    assert evidence_of(classifier, filed)["sport"] == evidence_of(classifier, plain)["sport"] + 9
    assert {k: v for k, v in evidence_of(classifier, filed).items() if k != "sport"} == {
        k: v for k, v in evidence_of(classifier, plain).items() if k != "sport"
    }
    assert classifier.classify([plain])[0][0][0] == "santé"
    assert classifier.classify([filed])[0][0][0] == "sport"


def test_classifier_rules_alone_pick_sport_and_health() -> None:
    classifier = RubriqueClassifier(parts={"rules": 1.0})
    sport, health = classifier.classify([SPORT, HEALTH])
    assert sport[0][0] == "sport" and health[0][0] == "santé"


def test_classifier_with_embedding_is_multilabel_primary_first() -> None:
    classifier = RubriqueClassifier()
    both = RubriqueInput(
        "Le ministre de la Santé limogé après le scandale des vaccins",
        "Le président a limogé le ministre de la Santé. L'opposition au parlement dénonce la gestion "
        "de l'épidémie et des vaccins dans les hôpitaux.",
    )
    results = classifier.classify([SPORT, HEALTH, both])
    assert [r[0][0] for r in results[:2]] == ["sport", "santé"]
    names = [name for name, _ in results[2]]
    assert {"santé", "politique"} <= set(names)
    scores = [score for _, score in results[2]]
    assert scores == sorted(scores, reverse=True)


def test_classifier_embedding_decides_without_keywords() -> None:
    classifier = RubriqueClassifier()
    # No keyword of any rubrique: the embedding alone decides.
    item = RubriqueInput(
        "Les Éléphants s'imposent face aux Super Eagles", "Victoire 3-1 à Abidjan, doublé de Haller."
    )
    assert sum(classifier.rule_evidence(item)) == 0
    assert classifier.classify([item])[0]  # never empty for a French article


def test_classifier_unsupported_language_gets_nothing() -> None:
    classifier = RubriqueClassifier()
    english = RubriqueInput("Football: Senegal qualify", "The national team won.", language="en")
    unknown = RubriqueInput("???", "…", language=None)
    assert classifier.classify([english, unknown, SPORT])[:2] == [[], []]


def test_classifier_softmax_is_a_distribution() -> None:
    values = softmax([0.1, 0.3, 0.2], 0.1)
    assert abs(sum(values) - 1) < 1e-9 and values[1] == max(values)


def test_taxonomy_docs_list_every_rubrique_with_its_codes() -> None:
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "rubriques.md").read_text(encoding="utf-8")
    doc = doc.split("## The set", 1)[1].split("\n## ", 1)[0]  # other tables (the API's) are not the set
    rows = dict(re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", doc, flags=re.MULTILINE))
    assert list(rows) == list(NAMES)
    for rubrique in RUBRIQUES:
        assert rows[rubrique.name].strip() == ", ".join(f"medtop:{code}" for code in rubrique.iptc)


def test_classifier_refuses_unknown_parts_and_embedding_kinds() -> None:
    with pytest.raises(ValueError, match=r"parts must give a positive weight to some of"):
        RubriqueClassifier(parts={"rules": 1.0, "oracle": 1.0})
    with pytest.raises(ValueError, match=r"parts must give a positive weight"):
        RubriqueClassifier(parts={})
    with pytest.raises(ValueError, match=r"embedding must be 'learned' or 'phrases'"):
        RubriqueClassifier(embedding="centroids")


def test_classifier_parts_are_averaged_and_rules_count_only_when_they_fire() -> None:
    both = RubriqueClassifier(parts={"rules": 1.0, "lexical": 1.0})
    rules, lexical = both.scores([SPORT])[0], RubriqueClassifier(parts={"lexical": 1.0}).scores([SPORT])[0]
    evidence = both.rule_evidence(SPORT)
    expected = [(e / sum(evidence) + p) / 2 for e, p in zip(evidence, lexical, strict=True)]
    assert rules == pytest.approx(expected) and sum(rules) == pytest.approx(1.0)
    silent = RubriqueInput("Les Éléphants s'imposent face aux Super Eagles", "Victoire 3-1 à Abidjan.")
    assert sum(both.rule_evidence(silent)) == 0
    assert both.scores([silent]) == RubriqueClassifier(parts={"lexical": 1.0}).scores([silent])
