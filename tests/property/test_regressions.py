"""Regressions for the bugs the malformed-input run and hypothesis found (issue 11), one per cause."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from veille.clean import CleanStage, normalize_text
from veille.engines.local import to_article
from veille.ingest import ReadOptions, ReadReport, article_id, iter_records
from veille.model import REJECTED, RawDoc
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
