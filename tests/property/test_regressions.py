"""Regressions for the bugs the malformed-input run and hypothesis found (issue 11), one per cause."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_runner import veille
from veille.clean import CleanStage, normalize, normalize_text
from veille.engines.local import ingest_paths, to_article
from veille.errors import REASONS
from veille.ingest import ReadOptions, ReadReport, article_id, iter_records
from veille.model import REJECTED, RawDoc
from veille.pipeline import default_pipeline
from veille.store import Store
from veille.stories.clusterer import window


def read(path: Path) -> tuple[list[RawDoc], ReadReport]:
    report = ReadReport()
    return list(iter_records([path], ReadOptions(), report)), report


def test_identity_non_utf8_file_name_gets_a_stable_escaped_name(tmp_path: Path) -> None:
    # A name that is not UTF-8 reached hashlib and SQLite as lone surrogates and stopped the run.
    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    path.write_text("Titre\n\nLe ministre a parlé mercredi à Paris devant les députés.\n", encoding="utf-8")
    (doc,) = read(path)[0]
    assert doc.source_file == "caf\\xe9.txt"
    assert len(article_id(doc.source_file, doc.source_id)) == 20
    assert read(path)[0][0].source_file == doc.source_file  # the same name, so the same id, next run


def test_jsonl_file_holding_only_a_bom_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf\n")
    (doc,) = read(path)[0]
    assert (doc.reason, doc.reason_detail) == ("empty", "1 blank lines, no records")


def test_jsonl_bom_before_the_first_record_is_still_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": 1, "article": "Texte."}\n')
    (doc,) = read(path)[0]
    assert (doc.reason, doc.text) == (None, "Texte.")


def test_warc_with_no_complete_record_is_rejected_not_dropped(tmp_path: Path) -> None:
    # A header block cut before its end: warcio yields nothing and used to leave no trace at all.
    path = tmp_path / "cut.warc"
    path.write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:6ee4d2493870ce2c17841fda8229dfc4>\r\n"
        b"WARC-Target-URI: https://example.org/765310\r\nWARC-Date: 2016-01-20T10:00:00Z\r\nContent-Type: ap"
    )
    (doc,), report = read(path)
    assert doc.reason == "malformed_warc"
    assert "no complete WARC record" in (doc.reason_detail or "")
    assert report.rejected == {"malformed_warc": 1}


@pytest.mark.parametrize("mark", ["\u061c", "\u180e"])
def test_clean_page_of_invisible_marks_only_is_empty(mark: str) -> None:
    # The Arabic letter mark and the Mongolian vowel separator are invisible too: a page of them
    # alone was kept as an article of nothing.
    assert normalize_text(f"a{mark}b") == "ab"
    article = to_article(RawDoc(source_file="x.txt", source_id="", text=mark * 40 + "\u200b"))
    CleanStage()([article])
    assert (article.status, article.reason) == (REJECTED, "empty")


def test_stories_window_stays_inside_the_calendar() -> None:
    # A record dated 9999-12-31 (a valid ISO date) raised OverflowError in the stories stage and
    # stopped the whole run.
    assert window("9999-12-31", 3) == ("9999-12-28", "9999-12-31")
    assert window("0001-01-02", 3) == ("0001-01-01", "0001-01-05")
    assert window("2016-01-20", 3) == ("2016-01-17", "2016-01-23")


def test_clean_stage_text_over_the_bound_is_rejected_too_long_not_cut() -> None:
    # A 1.5-million-character page gave no result in 300 s: the analysis stages had no bound on
    # an article's length. Over the bound it is rejected whole, its length said; at it, kept.
    text = "Le conseil municipal s'est réuni hier soir."  # 43 characters once cleaned
    over = to_article(RawDoc(source_file="x.txt", source_id="", text=text))
    at = to_article(RawDoc(source_file="y.txt", source_id="", text=text))
    CleanStage(max_article_chars=42)([over])
    CleanStage(max_article_chars=43)([at])
    assert (over.status, over.reason) == (REJECTED, "too_long")
    assert over.text == text  # neither cut nor emptied
    assert "43 characters" in (over.reason_detail or "") and "42" in (over.reason_detail or "")
    assert "--max-article-chars" in (over.reason_detail or "")
    assert (at.status, at.reason) == ("kept", None)
    assert "too_long" in REASONS


def test_pipeline_too_long_article_is_accounted_for_and_not_analysed(tmp_path: Path) -> None:
    page = tmp_path / "long.txt"
    page.write_text("Titre\n\n" + "Paris a voté. " * 20 + "\n", encoding="utf-8")
    with Store.open(str(tmp_path / "v.db")) as store:
        summary = ingest_paths([page], store, default_pipeline(store, progress=False, max_article_chars=100))
    assert summary.rejected == {"too_long": 1} and summary.kept == 0 and not summary.stage_failures


def test_cli_max_article_chars_below_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = veille(monkeypatch, capsys, "ingest", str(tmp_path), "--db", str(tmp_path / "v.db"),
                          "--max-article-chars", "0")  # fmt: skip
    assert code == 2 and "--max-article-chars must be at least 1, got 0" in err


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([".", "!", "?", "…", "»", '"', "«", " ", "\u00a0", "A", "É", "a", "M", "w"]),
                max_size=40).map("".join))  # fmt: skip
def test_normalize_glue_matches_only_from_the_first_mark_of_a_run(text: str) -> None:
    # A run of 150,000 "." (a generated long line) took most of an hour in repair_glued_paragraphs:
    # the glue pattern was tried from every mark of the run. It now starts only at a run's first
    # mark; the sentence ends it finds are the ones the unanchored pattern found.
    unanchored = re.compile(normalize._GLUE.pattern.replace("(?<![.!?…])", "", 1))
    assert unanchored.pattern != normalize._GLUE.pattern
    assert [m.span() for m in normalize._GLUE.finditer(text)] == [m.span() for m in unanchored.finditer(text)]
