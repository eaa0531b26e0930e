from __future__ import annotations

from pathlib import Path

import pytest

from veille.clean import LINE_REASONS, CleanResult, CleanStage, clean_page
from veille.model import REJECTED, Article, RawDoc
from veille.pipeline import Pipeline, Stage

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"
SEED_000 = SEEDS / "000_2c3758c6a7c524fe.txt"
SEED_004 = SEEDS / "004_dadb0c7cacfdfb7b.txt"

FORBIDDEN = (
    "Vous devez être membre",
    "Devenez membre",
    "Aucun commentaire",
    "Captcha",
    "Connexion",
    "Répondre à",
    "Lire la suite",
    "VIDEO.",
    "Le souhait fin 2015",
    "mis à jour",
    "GBelan",
)


def _article(text: str | None, *, title: str | None = None, lead: str | None = None) -> Article:
    raw = RawDoc(source_file="a.txt", source_id="", text=text, title=title, lead=lead)
    return Article(id="a", source_file="a.txt", source_id="", raw=raw)


def _paragraphs(result: CleanResult) -> list[str]:
    return result.text.split("\n\n")


def test_stage_seed_000_keeps_every_paragraph_and_drops_widgets() -> None:
    result = clean_page(SEED_000.read_text(encoding="utf-8"))
    assert result.title == "Le «Conseil de guerre» de la coalition se félicite d'un «recul» de Daech"
    assert [p[:30] for p in _paragraphs(result)] == [
        "La coalition militaire interna",
        "A l'issue de leur réunion, les",
        "La Russie à nouveau accusée d'",
        "Trois objectifs clé ont été dé",
        "Très impliquée militairement e",
    ]
    for text in FORBIDDEN:
        assert text not in result.text
    assert [d.reason for d in result.dropped_lines] == [
        "boilerplate:date_stamp",
        "boilerplate:counter",
        "boilerplate:related",
        "boilerplate:related",
        "boilerplate:teaser",
        "boilerplate:read_more",
        "boilerplate:comment_prompt",
        "boilerplate:login_prompt",
        "boilerplate:comment_prompt",
    ]


def test_stage_seed_004_keeps_every_paragraph_and_drops_widgets() -> None:
    result = clean_page(SEED_004.read_text(encoding="utf-8"))
    assert result.title == "Lutte contre Daech : La France à l’initiative"
    assert [p[:30] for p in _paragraphs(result)] == [
        "Résultat des attentas qui ont ",
        "Cette semaine une réunion inéd",
        "Aujourd’hui, les résultats de ",
        "Les résultats sont là, Daech a",
    ]
    for text in FORBIDDEN:
        assert text not in result.text
    assert [(d.text, d.reason) for d in result.dropped_lines] == [
        ("0", "boilerplate:counter"),
        ("Défense", "boilerplate:section_label"),
        ("| GBelan", "boilerplate:author_widget"),
        ("Répondre à () :", "boilerplate:comment_prompt"),
        ("Captcha", "boilerplate:captcha"),
        ("| | Connexion | Inscription", "boilerplate:login_prompt"),
    ]


def test_stage_seed_typography_survives() -> None:
    result = clean_page(SEED_004.read_text(encoding="utf-8"))
    assert "« c'est l'objectif a atteindre »" in result.text.replace("\u00a0", " ")
    assert "l’Italie" in result.text


def test_stage_given_title_is_kept_and_lead_comes_first() -> None:
    result = clean_page("Le corps.Un second paragraphe.", title=" Mon  titre ", lead="Le chapô.")
    assert result.title == "Mon titre"
    assert _paragraphs(result) == ["Le chapô.", "Le corps.", "Un second paragraphe."]
    assert result.repairs == 1


def test_stage_drops_boilerplate_in_a_jsonl_body() -> None:
    result = clean_page("Le corps de l'article.\nLire aussi : autre chose", title="T")
    assert result.text == "Le corps de l'article."
    assert [d.reason for d in result.dropped_lines] == ["boilerplate:related"]


def test_stage_fills_article_fields() -> None:
    stage = CleanStage()
    [article] = stage([_article("Un titre court\nPublicité\nLe texte.Le suite.")])
    assert article.title == "Un titre court"
    assert article.text == "Le texte.\n\nLe suite."
    assert [d.reason for d in article.dropped_lines] == ["boilerplate:advertising"]
    assert stage.counters == {"boilerplate:advertising": 1, "repairs": 1}


@pytest.mark.parametrize("text", [None, "", "  \n\u00a0\t", "\u200b\ufeff"])
def test_stage_rejects_empty_text_as_empty(text: str | None) -> None:
    stage = CleanStage()
    [article] = stage([_article(text, title="Un titre")])
    assert (article.status, article.reason) == (REJECTED, "empty")
    assert stage.counters == {"rejected:empty": 1}


def test_stage_lead_alone_is_not_empty() -> None:
    [article] = CleanStage()([_article("", title="T", lead="Le chapô seul.")])
    assert article.status != REJECTED
    assert article.text == "Le chapô seul."


def test_stage_rejects_all_boilerplate_as_no_content_and_keeps_drops() -> None:
    [article] = CleanStage()([_article("Publicité\n\nPartager\n© AFP")])
    assert (article.status, article.reason) == (REJECTED, "no_content")
    assert [d.reason for d in article.dropped_lines] == [
        "boilerplate:advertising",
        "boilerplate:share_widget",
        "boilerplate:copyright",
    ]


def test_stage_skips_articles_already_rejected() -> None:
    article = _article("Du texte.")
    article.status, article.reason = REJECTED, "binary"
    [out] = CleanStage()([article])
    assert (out.text, out.reason) == ("", "binary")


def test_stage_survives_odd_strings() -> None:
    odd = ["\x00\x01", "\ud800 texte", "." * 5000, '«»“”"' * 100, "A." * 2000, "\r\r\n\u2028\u2029"]
    stage = CleanStage()
    out = stage([_article(text) for text in odd])
    assert len(out) == len(odd)


def test_stage_follows_the_stage_contract() -> None:
    stage = CleanStage()
    assert isinstance(stage, Stage)
    assert Pipeline([stage]).names == ["clean"]
    assert {"title", "text", "dropped_lines"} <= Pipeline([stage]).fields


def test_stage_dropped_reasons_are_in_the_closed_list() -> None:
    result = clean_page(SEED_000.read_text(encoding="utf-8") + "\n" + SEED_004.read_text(encoding="utf-8"))
    assert {d.reason for d in result.dropped_lines} <= set(LINE_REASONS)
