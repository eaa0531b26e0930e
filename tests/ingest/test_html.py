from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from veille.clean import CleanStage
from veille.engines.local import to_article
from veille.ingest import ReadReport
from veille.ingest.html import (
    MAX_ELEMENTS,
    PageTooComplex,
    declared_charset,
    decode_html,
    extract_html,
    without_title,
)
from veille.ingest.sandbox import default_sandbox
from veille.model import RawDoc

# The `ingest` fixture (conftest.py): `ingest(paths, **ReadOptions fields) -> (docs, report)`.
Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]

BODY = [
    "Les syndicats de cheminots ont appelé à une grève nationale jeudi pour protester contre la "
    "réforme du statut, a annoncé mercredi la direction de la SNCF.",
    "Selon la direction, seul un TGV sur trois circulera sur les grandes lignes, et les trains "
    "régionaux seront fortement touchés dans plusieurs régions du pays.",
    "« Nous ne céderons pas sur l'essentiel », a déclaré le secrétaire général de la CGT-Cheminots "
    "lors d'une conférence de presse à Paris.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Grève à la SNCF : le trafic perturbé jeudi - Le Quotidien</title>
<meta property="og:title" content="Grève à la SNCF : le trafic perturbé jeudi">
<meta property="og:site_name" content="Le Quotidien">
<meta name="author" content="Marie Dupont">
<meta property="article:published_time" content="2021-03-04T08:30:00+01:00">
<link rel="canonical" href="https://www.lequotidien.example/economie/greve-sncf.html">
</head><body>
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/economie">Économie</a></li></ul></nav></header>
<main><article>
<h1>Grève à la SNCF : le trafic perturbé jeudi</h1>
<div class="share"><a href="#">Partager sur Facebook</a> <a href="#">Partager sur Twitter</a></div>
{"".join(f"<p>{p}</p>" for p in BODY)}
</article>
<section id="comments"><h2>Commentaires</h2><div class="comment"><p>Encore une grève, ça suffit
vraiment cette fois, je prends la voiture demain matin.</p></div></section>
</main>
<footer><p>© 2021 Le Quotidien - Tous droits réservés</p><a href="/mentions">Mentions légales</a></footer>
</body></html>
"""
NO_ARTICLE = "<html><head><title>Accueil</title></head><body><nav><a href='/'>Accueil</a></nav></body></html>"


@pytest.fixture(scope="module", autouse=True)
def _stop_worker() -> Iterator[None]:
    yield
    default_sandbox().close()  # no worker left behind by this module


def _one(docs: list[RawDoc]) -> RawDoc:
    assert len(docs) == 1
    return docs[0]


def test_html_extract_keeps_main_text_one_paragraph_a_line() -> None:
    assert extract_html(PAGE).text.split("\n") == BODY


def test_html_extract_leaves_out_navigation_share_comments_footer() -> None:
    text = extract_html(PAGE).text
    for boilerplate in ("Accueil", "Partager", "Encore une grève", "droits réservés", "Mentions légales"):
        assert boilerplate not in text


def test_html_extract_reads_metadata() -> None:
    page = extract_html(PAGE)
    assert (page.title, page.author, page.published, page.url, page.source_name) == (
        "Grève à la SNCF : le trafic perturbé jeudi",
        "Marie Dupont",
        "2021-03-04",
        "https://www.lequotidien.example/economie/greve-sncf.html",
        "Le Quotidien",
    )


def test_html_extract_page_without_article_has_no_text() -> None:
    assert extract_html(NO_ARTICLE).text == ""


def test_html_extract_refuses_a_page_with_too_many_elements() -> None:
    with pytest.raises(PageTooComplex, match="HTML elements"):
        extract_html("<html><body>" + "<p>x</p>" * (MAX_ELEMENTS + 1) + "</body></html>")


def test_html_without_title_drops_the_repeated_heading_only() -> None:
    assert without_title("Le  Titre\nCorps.", "le titre") == "Corps."
    assert without_title("Autre chose\nCorps.", "Le titre") == "Autre chose\nCorps."


def test_html_declared_charset_latin1_reads_as_cp1252() -> None:
    assert declared_charset(b'<meta charset="ISO-8859-1">') == "cp1252"
    assert declared_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">') == "utf-8"
    assert declared_charset(b"<p>rien</p>") is None


def test_html_decode_ignores_a_declared_charset_the_bytes_break() -> None:
    data = '<meta charset="utf-8"><p>Élève déçu</p>'.encode("cp1252")
    assert decode_html(data) == ('<meta charset="utf-8"><p>Élève déçu</p>', None, None)


def test_html_reader_fills_rawdoc(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.html").write_text(PAGE, encoding="utf-8")
    doc = _one(ingest(tmp_path / "p.html")[0])
    assert doc == RawDoc(
        source_file="p.html",
        source_id="",
        text="\n".join(BODY),
        title="Grève à la SNCF : le trafic perturbé jeudi",
        url="https://www.lequotidien.example/economie/greve-sncf.html",
        source_name="Le Quotidien",
        published="2021-03-04",
        author="Marie Dupont",
    )


def test_html_clean_stage_keeps_the_title_and_body(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.htm").write_text(PAGE, encoding="utf-8")
    article = CleanStage()([to_article(_one(ingest(tmp_path / "p.htm")[0]))])[0]
    assert (article.title, article.text) == ("Grève à la SNCF : le trafic perturbé jeudi", "\n\n".join(BODY))


def test_html_sidecar_overrides_page_date_and_url(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.html").write_text(PAGE, encoding="utf-8")
    sidecar = {"published": "2021-03-05", "url": "https://exemple.fr/a", "source": "Agence"}
    (tmp_path / "p.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")
    doc = _one(ingest(tmp_path / "p.html")[0])
    assert (doc.published, doc.url, doc.source_name) == ("2021-03-05", "https://exemple.fr/a", "Agence")


def test_html_cli_overrides_sidecar_and_page(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "p.meta.json").write_text(json.dumps({"published": "2021-03-05"}), encoding="utf-8")
    doc = _one(ingest(tmp_path / "p.html", published="2021-03-06", source="CLI")[0])
    assert (doc.published, doc.source_name) == ("2021-03-06", "CLI")


def test_html_gzipped_page(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    doc = _one(ingest(tmp_path / "p.html.gz")[0])
    assert (doc.source_file, doc.text) == ("p.html.gz", "\n".join(BODY))


def test_html_whitespace_page_is_rejected_empty(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.html").write_bytes(b"  \n\t\n")
    docs, report = ingest(tmp_path / "p.html")
    assert (_one(docs).reason, report.rejected) == ("empty", {"empty": 1})


def test_html_page_without_article_is_rejected_empty_by_the_cleaner(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "p.html").write_text(NO_ARTICLE, encoding="utf-8")
    doc = _one(ingest(tmp_path / "p.html")[0])
    assert (doc.text, doc.reason) == ("", None)
    assert CleanStage()([to_article(doc)])[0].reason == "empty"


def test_html_declared_latin1_page_is_decoded(tmp_path: Path, ingest: Ingest) -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Grève", "Grève – l’été €")
    (tmp_path / "p.html").write_bytes(page.encode("cp1252"))
    doc = _one(ingest(tmp_path / "p.html")[0])
    assert doc.title == "Grève – l’été € à la SNCF : le trafic perturbé jeudi"
    assert doc.text == "\n".join(BODY)


def test_html_page_too_large_to_parse_is_rejected_and_the_run_goes_on(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.html").write_text(
        "<html><body>" + "<div>" * 100 + "<p>x</p>" * MAX_ELEMENTS + "</div>" * 100 + "</body></html>"
    )
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    docs, report = ingest(tmp_path)
    assert [(Path(d.source_file).name, d.reason) for d in docs] == [
        ("a.html", "parse_error"),
        ("b.html", None),
    ]
    assert docs[1].text == "\n".join(BODY)
    assert report.rejected == {"parse_error": 1}


def test_html_page_that_hangs_is_rejected_timeout_and_the_run_goes_on(tmp_path: Path, ingest: Ingest) -> None:
    # 150,000 paragraphs: under the element cap, and several seconds of work for trafilatura.
    (tmp_path / "a.html").write_text("<html><body>" + "<p>mot</p>" * 150_000 + "</body></html>")
    (tmp_path / "b.html").write_text(PAGE, encoding="utf-8")
    docs, _ = ingest(tmp_path, doc_timeout=0.2)
    assert [(Path(d.source_file).name, d.reason) for d in docs] == [("a.html", "timeout"), ("b.html", None)]
    assert "--doc-timeout" in (docs[0].reason_detail or "")
    assert docs[1].title == "Grève à la SNCF : le trafic perturbé jeudi"


def test_html_orangesum_pages_give_titles_text_and_dates(shared_data: Path, ingest: Ingest) -> None:
    folder = shared_data / "boilerplate" / "orangesum_html_dev"
    gold = [json.loads(line) for line in (folder / "gold.jsonl").open(encoding="utf-8")][:20]
    docs, report = ingest([folder / item["file"] for item in gold])
    assert report.rejected == {}
    assert all(d.title and len(d.text or "") > 200 for d in docs)
    assert sum(d.published == item["date"] for d, item in zip(docs, gold, strict=True)) >= 19
