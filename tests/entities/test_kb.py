from __future__ import annotations

from pathlib import Path

import pytest

from veille.entities.kb import (
    KbEntry,
    KnowledgeBase,
    adjective_forms,
    load_wikidata_jsonl,
    loose_key,
    surface_key,
)
from veille.entities.wikidata import label_for_type
from veille.errors import ConfigError


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.builtin()


def names(entries: list[KbEntry]) -> list[str]:
    return [e.name for e in entries]


# --- keys and morphology --------------------------------------------------------------------


def test_kb_key_folds_case_apostrophes_hyphens_and_articles() -> None:
    assert surface_key("l’État-Islamique") == surface_key("État islamique") == "état islamique"
    assert surface_key("Les Russes") == "russes"
    assert loose_key("Etats-Unis") == loose_key("États-Unis")


def test_kb_key_keeps_a_name_that_is_only_an_article() -> None:
    assert surface_key("La") == "la"


@pytest.mark.parametrize(
    ("masculine", "forms"),
    [
        ("américain", ["américain", "américaine", "américains", "américaines"]),
        ("allemand", ["allemand", "allemande", "allemands", "allemandes"]),
        ("australien", ["australien", "australienne", "australiens", "australiennes"]),
        ("turc", ["turc", "turque", "turcs", "turques"]),
        ("britannique", ["britannique", "britanniques"]),
        ("néerlandais", ["néerlandais", "néerlandaise", "néerlandaises"]),
        ("letton", ["letton", "lettonne", "lettons", "lettonnes"]),
        ("sud-coréen", ["sud-coréen", "sud-coréenne", "sud-coréens", "sud-coréennes"]),
        ("national", ["national", "nationale", "nationaux", "nationales"]),
    ],
)
def test_kb_adjective_forms_follow_french_morphology(masculine: str, forms: list[str]) -> None:
    irregular = {"turc": ["turc", "turque", "turcs", "turques"]}
    assert adjective_forms(masculine, irregular) == forms


# --- the built-in base ----------------------------------------------------------------------


def test_kb_countries_have_their_french_canonical_names(kb: KnowledgeBase) -> None:
    for code, name in [("US", "États-Unis"), ("GB", "Royaume-Uni"), ("NL", "Pays-Bas"), ("DE", "Allemagne")]:
        entry = kb.get(f"iso3166:{code}")
        assert entry is not None and entry.name == name and entry.label == "LOC" and entry.type == "country"


def test_kb_no_country_name_is_left_in_inverted_iso_form(kb: KnowledgeBase) -> None:
    inverted = [e.name for e in kb.entries() if e.id.startswith("iso3166:") and ", " in e.name]
    # Two territories are really named with a comma; anything else is an "X, République de".
    assert sorted(inverted) == [
        "Bonaire, Saint-Eustache et Saba",
        "Sainte-Hélène, Ascension et Tristan da Cunha",
    ]


@pytest.mark.parametrize(
    ("surface", "code"),
    [
        ("Etats-Unis", "US"), ("USA", "US"), ("Amérique", "US"), ("Grande-Bretagne", "GB"),
        ("Hollande", "NL"), ("Russie", "RU"), ("Chine", "CN"), ("Syrie", "SY"), ("Irak", "IQ"),
        ("Iraq", "IQ"), ("l'Irak", "IQ"), ("etats-unis", "US"), ("Corée du Sud", "KR"),
    ],
)  # fmt: skip
def test_kb_lookup_finds_countries_by_their_press_names(kb: KnowledgeBase, surface: str, code: str) -> None:
    assert [e.id for e in kb.lookup(surface)] == [f"iso3166:{code}"]


def test_kb_england_is_not_the_united_kingdom(kb: KnowledgeBase) -> None:
    assert [e.id for e in kb.lookup("Angleterre")] == ["region:angleterre"]
    assert kb.lookup("Angleterre")[0].country == "iso3166:GB"


def test_kb_names_that_are_also_people_are_flagged(kb: KnowledgeBase) -> None:
    why = kb.ambiguity("Hollande")
    assert why is not None and "François Hollande" in why
    assert [e.id for e in kb.lookup("Hollande", label="LOC")] == ["iso3166:NL"]
    assert kb.ambiguity("Pays-Bas") is None


def test_kb_acronyms_match_case_sensitively(kb: KnowledgeBase) -> None:
    assert kb.lookup("usa") == []
    assert names(kb.lookup("USA")) == ["États-Unis"]


def test_kb_lookup_filters_by_label(kb: KnowledgeBase) -> None:
    assert kb.lookup("Paris", label="ORG") == []
    assert names(kb.lookup("Paris", label="LOC")) == ["Paris"]


@pytest.mark.parametrize(
    ("word", "country"),
    [
        *[(w, "États-Unis") for w in ("américain", "américaine", "américains", "américaines")],
        *[(w, "Allemagne") for w in ("allemand", "allemande", "allemands", "allemandes")],
        *[(w, "Australie") for w in ("australien", "australienne", "australiens", "australiennes")],
        *[(w, "Turquie") for w in ("turc", "turque", "turcs", "turques")],
        *[(w, "Royaume-Uni") for w in ("britannique", "britanniques")],
        *[(w, "Pays-Bas") for w in ("néerlandais", "néerlandaise", "néerlandaises", "hollandaise")],
        ("russe", "Russie"), ("nigérien", "Niger"), ("nigérianes", "Nigeria"), ("burkinabè", "Burkina Faso"),
    ],
)  # fmt: skip
def test_kb_country_for_adjective_all_forms(kb: KnowledgeBase, word: str, country: str) -> None:
    entry = kb.country_for_adjective(word)
    assert entry is not None and entry.name == country


def test_kb_country_for_adjective_without_accents(kb: KnowledgeBase) -> None:
    entry = kb.country_for_adjective("neerlandais")
    assert entry is not None and entry.name == "Pays-Bas"


def test_kb_ambiguous_adjective_names_no_country(kb: KnowledgeBase) -> None:
    assert kb.country_for_adjective("congolais") is None
    assert kb.country_for_adjective("coréen") is None
    assert kb.ambiguous_words == set()


@pytest.mark.parametrize(
    ("word", "country"),
    [
        ("les Russes", "Russie"),
        ("Américains", "États-Unis"),
        ("les Français", "France"),
        ("Suissesses", "Suisse"),
    ],
)
def test_kb_country_for_demonym(kb: KnowledgeBase, word: str, country: str) -> None:
    entry = kb.country_for_demonym(word)
    assert entry is not None and entry.name == country


@pytest.mark.parametrize(
    ("capital", "country"),
    [
        ("Moscou", "Russie"), ("Washington", "États-Unis"), ("Londres", "Royaume-Uni"),
        ("Berlin", "Allemagne"), ("Canberra", "Australie"), ("Rome", "Italie"), ("Amsterdam", "Pays-Bas"),
        ("Damas", "Syrie"), ("Ankara", "Turquie"), ("Bagdad", "Irak"), ("Kyiv", "Ukraine"),
        ("La Haye", "Pays-Bas"),
    ],
)  # fmt: skip
def test_kb_country_for_capital(kb: KnowledgeBase, capital: str, country: str) -> None:
    entry = kb.country_for_capital(capital)
    assert entry is not None and entry.name == country


def test_kb_capitals_lists_official_capitals_only(kb: KnowledgeBase) -> None:
    capitals = kb.capitals()
    assert capitals["Amsterdam"].name == "Pays-Bas"
    assert "La Haye" not in capitals
    assert len(capitals) >= 185


def test_kb_capitals_are_city_entries_linked_to_their_country(kb: KnowledgeBase) -> None:
    moscou = kb.lookup("Moscou")
    assert [(e.id, e.type, e.country) for e in moscou] == [("city:moscou", "city", "iso3166:RU")]


def test_kb_raqqa_and_raqqah_are_one_city(kb: KnowledgeBase) -> None:
    assert [e.id for e in kb.lookup("Raqqah")] == [e.id for e in kb.lookup("Raqqa")] == ["city:raqqa"]


def test_kb_wikidata_ids_only_where_certain(kb: KnowledgeBase) -> None:
    assert kb.by_wikidata("Q142") is kb.get("iso3166:FR")
    assert kb.by_wikidata("Q90") is kb.get("city:paris")
    assert kb.get("iso3166:TV") is not None and kb.get("iso3166:TV").wikidata is None  # type: ignore[union-attr]


def test_kb_data_file_uses_iso_codes_and_unique_ids() -> None:
    import pycountry

    from veille.entities.kb import load_data

    codes = {c.alpha_2 for c in pycountry.countries}
    countries = load_data("countries_fr.json")
    assert set(countries["countries"]) <= codes
    places = load_data("places_fr.json")["places"]
    assert {p["country"] for p in places} - {None} <= codes
    assert len({p["id"] for p in places}) == len(places)


def test_kb_builtin_is_cached(kb: KnowledgeBase) -> None:
    assert KnowledgeBase.builtin() is kb


def test_kb_add_refuses_a_duplicate_id() -> None:
    kb = KnowledgeBase([KbEntry("x:1", "Un", "LOC", "city", [])])
    with pytest.raises(ValueError, match="already in the knowledge base; use merge"):
        kb.add(KbEntry("x:1", "Deux", "LOC", "city", []))


# --- Wikidata import ------------------------------------------------------------------------


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "wd.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_kb_wikidata_import_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path,
        '{"id": "Q1", "label": "Exempleville", "aliases": ["Exville"], "type": "city", "country": "Q142"}',
        '{"id": "Q2", "label": ',
        '{"label": "Sans identifiant", "type": "city"}',
    )
    kb = KnowledgeBase.builtin().copy()
    report = kb.merge(load_wikidata_jsonl(path))
    assert (report.added, report.enriched) == (1, 0)
    assert [n for n, _ in report.rejected] == [2, 3]
    assert report.rejected[0][1].startswith("line 2: malformed JSON")
    assert 'line 3: missing or invalid "id"' in report.rejected[1][1]
    entry = kb.lookup("Exville")[0]
    assert (entry.id, entry.wikidata, entry.label, entry.type) == ("Q1", "Q1", "LOC", "city")
    assert entry.country == "iso3166:FR"  # the Q-id of a built-in country is mapped to its id


def test_kb_wikidata_import_enriches_a_builtin_entry(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path, '{"id": "Q90", "label": "Paris", "aliases": ["Ville Lumière"], "type": "city"}'
    )
    kb = KnowledgeBase.builtin().copy()
    report = kb.import_jsonl(path)
    assert (report.added, report.enriched, report.rejected) == (0, 1, [])
    assert [e.id for e in kb.lookup("Ville Lumière")] == ["city:paris"]
    assert KnowledgeBase.builtin().lookup("Ville Lumière") == []  # the shared base is untouched


def test_kb_wikidata_import_matches_by_name_and_type(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path, '{"id": "Q999999", "label": "Raqqa", "aliases": ["Ar-Raqqah"], "type": "city"}'
    )
    kb = KnowledgeBase.builtin().copy()
    assert kb.import_jsonl(path).enriched == 1
    raqqa = kb.get("city:raqqa")
    assert raqqa is not None and raqqa.wikidata == "Q999999" and "Ar-Raqqah" in raqqa.aliases


def test_kb_wikidata_import_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file; give the path of a Wikidata JSON-lines extract"):
        load_wikidata_jsonl(tmp_path / "absent.jsonl")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("city", ("LOC", "city")), ("human", ("PER", "person")), ("political party", ("ORG", "party")),
        ("ngo", ("ORG", "other")), ("film", ("MISC", "film")),
    ],
)  # fmt: skip
def test_kb_wikidata_types_map_to_labels(raw: str, expected: tuple[str, str]) -> None:
    assert label_for_type(raw) == expected
