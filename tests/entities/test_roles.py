"""Tests of people's roles: one rule shape per test, on short hand-built French sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from veille.entities.roles import (
    KbCountryResolver,
    RoleMention,
    country_by_adjective,
    find_roles,
    role_records,
)

FAKE_COUNTRIES: dict[str, tuple[str, tuple[str, ...]]] = {
    # id: (French name, masculine singular adjectives)
    "Q30": ("États-Unis", ("américain",)),
    "Q142": ("France", ("français",)),
    "Q408": ("Australie", ("australien",)),
    "Q145": ("Royaume-Uni", ("britannique", "anglais")),
    "Q38": ("Italie", ("italien",)),
    "Q183": ("Allemagne", ("allemand",)),
    "Q55": ("Pays-Bas", ("néerlandais", "hollandais")),
    "Q912": ("Mali", ("malien",)),
    "Q801": ("Israël", ("israélien",)),
    "Q159": ("Russie", ("russe",)),
}
FAKE_ALIASES = {"Grande-Bretagne": "Q145"}


class FakeResolver:
    """Ten countries, masculine singular adjectives only (as the knowledge base lists them)."""

    def country_for_adjective(self, word: str) -> tuple[str, str] | None:
        for country_id, (name, adjectives) in FAKE_COUNTRIES.items():
            if word in adjectives:
                return country_id, name
        return None

    def country_for_name(self, name: str) -> tuple[str, str] | None:
        for country_id, (canonical, _) in FAKE_COUNTRIES.items():
            if name == canonical:
                return country_id, canonical
        if name in FAKE_ALIASES:
            country_id = FAKE_ALIASES[name]
            return country_id, FAKE_COUNTRIES[country_id][0]
        return None


def roles_of(nlp: Any, text: str) -> dict[str, RoleMention]:
    return {role.person_text: role for role in find_roles(nlp(text), FakeResolver())}


def only_role(nlp: Any, text: str) -> RoleMention:
    found = find_roles(nlp(text), FakeResolver())
    assert len(found) == 1, found
    return found[0]


# Title before the name.


def test_roles_title_before_name_with_nationality_and_domain(nlp: Any) -> None:
    text = "«C'est le moment», a plaidé le ministre français de la Défense Jean-Yves Le Drian."
    role = only_role(nlp, text)
    assert (role.person_text, role.title, role.country_name) == (
        "Jean-Yves Le Drian",
        "ministre de la défense",
        "France",
    )
    assert role.pattern == "title_before_name"
    assert text[role.evidence_start : role.evidence_end] == (
        "le ministre français de la Défense Jean-Yves Le Drian"
    )


def test_roles_title_before_name_secretaire_a_la_defense(nlp: Any) -> None:
    role = only_role(nlp, "Ils ont été détaillés par le secrétaire américain à la Défense Ashton Carter.")
    assert (role.title, role.country_id, role.country_name) == (
        "secrétaire à la défense",
        "Q30",
        "États-Unis",
    )


def test_roles_title_before_name_feminine_title_and_key(nlp: Any) -> None:
    role = only_role(nlp, "La chancelière allemande Angela Merkel est arrivée.")
    assert (role.title, role.title_key, role.country_name) == ("chancelière", "chancelier", "Allemagne")


def test_roles_title_before_name_bare_title_has_no_country(nlp: Any) -> None:
    role = only_role(nlp, "Le président Emmanuel Macron a parlé.")
    assert (role.person_text, role.title, role.country_id, role.organisation) == (
        "Emmanuel Macron",
        "président",
        None,
        None,
    )


def test_roles_title_before_name_qualifier_ancien(nlp: Any) -> None:
    role = only_role(nlp, "L'ancien Premier ministre Édouard Philippe a parlé.")
    assert (role.person_text, role.title, role.qualifier) == (
        "Édouard Philippe",
        "premier ministre",
        "ancien",
    )


def test_roles_title_before_name_qualifier_glued_ex(nlp: Any) -> None:
    role = only_role(nlp, "L'ex-ministre Jean Dupont a parlé.")
    assert (role.title, role.qualifier) == ("ministre", "ex")


def test_roles_title_before_name_organisation_from_lowercase_complement(nlp: Any) -> None:
    role = only_role(nlp, "Le porte-parole du gouvernement Gabriel Attal a parlé.")
    assert (role.title, role.organisation) == ("porte-parole", "gouvernement")


def test_roles_title_before_name_organisation_from_name(nlp: Any) -> None:
    role = only_role(nlp, "Le patron d'Amazon Jeff Bezos a parlé.")
    assert (role.person_text, role.title, role.organisation) == ("Jeff Bezos", "patron", "Amazon")


def test_roles_title_before_name_country_from_complement(nlp: Any) -> None:
    role = only_role(nlp, "Le ministre de la Défense d'Israël Benny Gantz est arrivé.")
    assert (role.title, role.country_name, role.organisation) == ("ministre de la défense", "Israël", None)


def test_roles_title_comma_name_closed_by_comma(nlp: Any) -> None:
    role = only_role(nlp, "Le ministre de l'Intérieur du Mali, Moussa Traoré, a parlé.")
    assert (role.person_text, role.title, role.country_name, role.pattern) == (
        "Moussa Traoré",
        "ministre de l'intérieur",
        "Mali",
        "title_comma_name",
    )


def test_roles_title_comma_name_needs_closing_comma(nlp: Any) -> None:
    assert find_roles(nlp("Après avoir vu le président, Ashton Carter a dit non."), FakeResolver()) == []


def test_roles_title_before_name_participle_modifier(nlp: Any) -> None:
    role = only_role(nlp, "Le ministre délégué aux Affaires européennes Jean Dupont a parlé.")
    assert (role.title, role.title_key) == (
        "ministre délégué aux affaires européennes",
        "ministre aux affaires européennes",
    )


def test_roles_title_before_name_organisation_with_inner_de(nlp: Any) -> None:
    role = only_role(nlp, "Le gouverneur de la Banque de France François Villeroy de Galhau a parlé.")
    assert (role.organisation, role.country_id) == ("Banque de France", None)


def test_roles_title_before_name_coordinated_domains(nlp: Any) -> None:
    role = only_role(nlp, "Le ministre de l'Économie et des Finances Michel Sapin a parlé.")
    assert role.title == "ministre de l'économie et des finances"


# Apposition after the name.


def test_roles_apposition_adjective_after_domain_any_gender(nlp: Any) -> None:
    role = only_role(nlp, "Marise Payne, ministre de la défense australien, est venue.")
    assert (role.person_text, role.title, role.country_name, role.pattern) == (
        "Marise Payne",
        "ministre de la défense",
        "Australie",
        "apposition",
    )


def test_roles_apposition_secretaire_d_etat(nlp: Any) -> None:
    role = only_role(nlp, "Michael Fallon, secrétaire d’état à la défense britannique, est venu.")
    assert (role.title, role.title_key, role.country_name) == (
        "secrétaire d'état à la défense",
        "secrétaire d'état à la défense",
        "Royaume-Uni",
    )


def test_roles_apposition_keeps_modifier_in_title_not_key(nlp: Any) -> None:
    role = only_role(nlp, "Ursula Von der Leyen, ministre fédérale de la défense allemande, est venue.")
    assert (role.title, role.title_key, role.country_name) == (
        "ministre fédérale de la défense",
        "ministre de la défense",
        "Allemagne",
    )


def test_roles_apposition_organisation_with_acronym(nlp: Any) -> None:
    text = "Selon Jacques Trévidic, président d'Action praticiens hôpital (APH), la grève continue."
    role = only_role(nlp, text)
    assert (role.person_text, role.title, role.organisation) == (
        "Jacques Trévidic",
        "président",
        "Action praticiens hôpital (APH)",
    )
    assert text[role.evidence_start : role.evidence_end] == (
        "Jacques Trévidic, président d'Action praticiens hôpital (APH)"
    )


# A list introduced by a plural role.

LIST = (
    "Une réunion inédite réunira les 7 ministres de la défense des pays les plus impliqués, "
    "à savoir : Ashton Carter pour les Etats-Unis, Marise Payne, ministre de la défense australien, "
    "Roberta Pinotti pour l’Italie et Jeanine Hennis-Plasschaert pour la défense hollandaise."
)


def test_roles_list_member_inherits_head_role_and_pour_country(nlp: Any) -> None:
    role = roles_of(nlp, LIST)["Roberta Pinotti"]
    assert (role.title, role.country_name, role.pattern) == ("ministre de la défense", "Italie", "list")


def test_roles_list_country_name_without_accent(nlp: Any) -> None:
    assert roles_of(nlp, LIST)["Ashton Carter"].country_name == "États-Unis"


def test_roles_list_country_from_adjective_in_pour_phrase(nlp: Any) -> None:
    assert roles_of(nlp, LIST)["Jeanine Hennis-Plasschaert"].country_name == "Pays-Bas"


def test_roles_list_member_with_own_apposition(nlp: Any) -> None:
    role = roles_of(nlp, LIST)["Marise Payne"]
    assert (role.title, role.country_name, role.pattern) == (
        "ministre de la défense",
        "Australie",
        "list_apposition",
    )


# Negatives.


def test_roles_no_title_gives_no_role(nlp: Any) -> None:
    assert find_roles(nlp("Mercredi après-midi, Ashton Carter visitera Balard."), FakeResolver()) == []


def test_roles_subject_title_not_linked_to_object_name(nlp: Any) -> None:
    assert find_roles(nlp("Le ministre a rencontré Ashton Carter."), FakeResolver()) == []


def test_roles_plural_role_without_names_gives_nothing(nlp: Any) -> None:
    text = "Les ministres de la défense de la coalition se sont réunis à Paris."
    assert find_roles(nlp(text), FakeResolver()) == []


def test_roles_country_never_guessed_from_name(nlp: Any) -> None:
    role = only_role(nlp, "Le député Jean Lassalle a parlé.")
    assert (role.country_id, role.country_name) == (None, None)


# Head noun families.


@pytest.mark.parametrize(
    ("text", "title", "key"),
    [
        (
            "Le secrétaire général de l'OTAN, Jens Stoltenberg, a parlé.",
            "secrétaire général",
            "secrétaire général",
        ),
        ("La directrice du FMI Kristalina Georgieva a parlé.", "directrice", "directeur"),
        ("Le chef d'état-major des armées Pierre de Villiers a parlé.", "chef d'état-major des armées", None),
        ("Le général Pierre de Villiers a parlé.", "général", "général"),
        ("L'ambassadrice de France Sylvie Bermann a parlé.", "ambassadrice", "ambassadeur"),
        ("La sénatrice Nathalie Goulet a parlé.", "sénatrice", "sénateur"),
        ("Le maire de Bordeaux Alain Juppé a parlé.", "maire", "maire"),
        (
            "Le procureur de la République de Paris François Molins a parlé.",
            "procureur de la république",
            None,
        ),
        ("Le juge Marc Trévidic a parlé.", "juge", "juge"),
        ("Le PDG de Renault Luca de Meo a parlé.", "pdg", "pdg"),
        ("La patronne de Safran Anne Dupont a parlé.", "patronne", "patron"),
        ("Le commissaire européen Thierry Breton a parlé.", "commissaire européen", "commissaire"),
        ("La conseillère Anne Dupont a parlé.", "conseillère", "conseiller"),
        ("Le gouverneur de la Banque de France François Villeroy de Galhau a parlé.", "gouverneur", None),
        ("La fondatrice de Blablacar Anne Dupont a parlé.", "fondatrice", "fondateur"),
        ("Le roi Charles III a parlé.", "roi", "roi"),
        (
            "La directrice générale de Renault Anne Dupont a parlé.",
            "directrice générale",
            "directeur général",
        ),
        ("La Première ministre Élisabeth Borne a parlé.", "première ministre", "premier ministre"),
    ],
)
def test_roles_head_families(nlp: Any, text: str, title: str, key: str | None) -> None:
    role = only_role(nlp, text)
    assert role.title == title
    assert role.title_key == (key or title)


# The seed pages.

BLOG_PARAGRAPH = (
    "Cette semaine une réunion inédite se tiendra à Paris mercredi réunissant les 7 ministres de la "
    "défense des pays les plus impliqués dans le coalition, à savoir : Ashton Carter pour les "
    "Etats-Unis, Marise Payne, ministre de la défense australien, Michael Fallon, secrétaire d’état "
    "à la défense britannique, Roberta Pinotti pour l’Italie, Ursula Von der Leyen, ministre "
    "fédérale de la défense allemande et Jeanine Hennis-Plasschaert pour la défense hollandaise. 3 "
    "heures de réunion sont prévues afin de parler lutte contre Daech. Jean-yves Le Drian en "
    "profitera pour tenir des réunions bilatérales avec chacun d’entres eux, dont la plus "
    "importante avec le secrétaire d’état américain. Mercredi après-midi, Ashton Carter visitera "
    "Balard."
)


def test_roles_blog_paragraph_gives_the_six_ministers(nlp: Any) -> None:
    found = {
        role.person_text: (role.title, role.country_name)
        for role in find_roles(nlp(BLOG_PARAGRAPH), FakeResolver())
    }
    assert found == {
        "Ashton Carter": ("ministre de la défense", "États-Unis"),
        "Marise Payne": ("ministre de la défense", "Australie"),
        "Michael Fallon": ("secrétaire d'état à la défense", "Royaume-Uni"),
        "Roberta Pinotti": ("ministre de la défense", "Italie"),
        "Ursula Von der Leyen": ("ministre fédérale de la défense", "Allemagne"),
        "Jeanine Hennis-Plasschaert": ("ministre de la défense", "Pays-Bas"),
    }


def test_roles_parisien_seed_gives_le_drian_and_carter(nlp: Any, seeds_dir: Path) -> None:
    text = (seeds_dir / "000_2c3758c6a7c524fe.txt").read_text(encoding="utf-8")
    found = [(r.person_text, r.title, r.country_name) for r in find_roles(nlp(text), FakeResolver())]
    assert found == [
        ("Jean-Yves Le Drian", "ministre de la défense", "France"),
        ("Ashton Carter", "secrétaire à la défense", "États-Unis"),
    ]


# Pure helpers.


def test_roles_country_by_adjective_any_gender_and_number() -> None:
    resolver = FakeResolver()
    for word in ("hollandaise", "allemandes", "australienne", "américains", "britanniques"):
        assert country_by_adjective(resolver, word) is not None, word
    assert country_by_adjective(resolver, "fédérale") is None


def test_roles_role_records_export_shape_with_date_part() -> None:
    role = RoleMention(
        0, 12, "Marise Payne", "ministre de la défense", None, "Q408", "Australie", 0, 40, "apposition"
    )
    assert role_records([role], "a1", "2016-01-18T10:00:00+01:00") == [
        {
            "title": "ministre de la défense",
            "organisation": None,
            "country": "Australie",
            "country_entity_id": "Q408",
            "article_id": "a1",
            "date": "2016-01-18",
        }
    ]


def test_roles_role_records_unknown_date_is_null() -> None:
    role = RoleMention(0, 5, "X Y", "maire", "Bordeaux", None, None, 0, 10, "title_before_name")
    assert role_records([role], "a1", None)[0]["date"] is None


def test_roles_kb_country_resolver_wraps_the_knowledge_base() -> None:
    kb = pytest.importorskip(
        "veille.entities.kb", reason="veille.entities.kb has not landed yet: KbCountryResolver is untested"
    )
    resolver = KbCountryResolver(kb.KnowledgeBase.builtin())
    assert resolver.country_for_adjective("américain") is not None
    found = resolver.country_for_name("France")
    assert found is not None
    assert found[1] == "France"
    assert country_by_adjective(resolver, "allemande") == resolver.country_for_name("Allemagne")
