"""The HIPE-2022 TSV reader on a hand-made sample: text rebuilt from tokens, exact gold offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.eval.hipe import GoldEntity, HipeDocument, HipeFormatError, read_hipe

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "hipe_sample.tsv"
COLUMNS = (
    "TOKEN NE-COARSE-LIT NE-COARSE-METO NE-FINE-LIT NE-FINE-METO NE-FINE-COMP NE-NESTED NEL-LIT NEL-METO MISC"
)
HEADER = "\t".join(COLUMNS.split())


def _docs() -> list[HipeDocument]:
    return list(read_hipe(SAMPLE))


def _line(token: str, tag: str = "O", misc: str = "_") -> str:
    return "\t".join([token, tag, "_", "_", "_", "_", "_", "_", "_", misc])


def test_hipe_reads_documents_with_metadata() -> None:
    docs = _docs()
    assert [(d.id, d.date, d.dataset) for d in docs] == [
        ("sample-1", "1890-05-01", "sample"),
        ("sample-2", "1905-11-12", "sample"),
    ]


def test_hipe_rebuilds_text_with_no_space_after_and_end_of_line() -> None:
    assert _docs()[0].text == "M. Jean Dupont, à Paris.\nLe mini¬\nftre arrive."


def test_hipe_multi_token_entity_has_exact_offsets() -> None:
    doc = _docs()[0]
    assert doc.entities[0] == GoldEntity(0, 14, "M. Jean Dupont", "PER")
    assert doc.text[0:14] == "M" + "." + " " + "Jean" + " " + "Dupont"  # the tokens joined


def test_hipe_entity_at_document_end_is_closed() -> None:
    doc = _docs()[1]
    assert doc.entities[-1] == GoldEntity(24, 39, "Conseil fédéral", "ORG")
    assert doc.text.endswith("Conseil fédéral")


def test_hipe_inside_tag_without_begin_starts_an_entity() -> None:
    assert _docs()[1].entities[0] == GoldEntity(0, 6, "Genève", "LOC")


def test_hipe_unscored_types_are_kept_lower_cased() -> None:
    assert [e.label for e in _docs()[1].entities] == ["LOC", "time", "ORG"]


def test_hipe_comment_inside_document_is_ignored() -> None:
    assert "comment" not in _docs()[0].text


def test_hipe_reads_a_file_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.tsv"
    body = "\r\n".join([HEADER, "# hipe2022:document_id = d1", _line("Lyon", "B-loc"), ""])
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    (doc,) = read_hipe(path)
    assert doc.entities == [GoldEntity(0, 4, "Lyon", "LOC")]


def test_hipe_two_begins_make_two_entities(tmp_path: Path) -> None:
    path = tmp_path / "two.tsv"
    lines = [HEADER, "# hipe2022:document_id = d1", _line("Paris", "B-loc"), _line("Lyon", "B-loc")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (doc,) = read_hipe(path)
    assert [e.text for e in doc.entities] == ["Paris", "Lyon"]


def test_hipe_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    lines = [HEADER, "# hipe2022:document_id = d1", _line("Paris"), "Lyon B-loc _ _"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(
        HipeFormatError, match=r"bad\.tsv:4: 1 tab-separated column\(s\), expected at least 10"
    ):
        list(read_hipe(path))


def test_hipe_bad_tag_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "tag.tsv"
    path.write_text("\n".join([HEADER, _line("Paris", "X-loc")]) + "\n", encoding="utf-8")
    with pytest.raises(HipeFormatError, match=r"tag\.tsv:2: NE-COARSE-LIT tag 'X-loc'"):
        list(read_hipe(path))


def test_hipe_token_before_header_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "noheader.tsv"
    path.write_text(_line("Paris") + "\n", encoding="utf-8")
    with pytest.raises(HipeFormatError, match="before the header line"):
        list(read_hipe(path))


def test_hipe_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(HipeFormatError, match="cannot open HIPE file"):
        list(read_hipe(tmp_path / "absent.tsv"))


def test_hipe_real_dev_file_offsets_match_tokens(shared_data: Path) -> None:
    path = shared_data / "ner" / "HIPE-2022-v2.1-hipe2020-dev-fr.tsv"
    docs = list(read_hipe(path))
    assert len(docs) == 43
    assert all(
        d.text[e.start : e.end] == e.text and e.text.strip() == e.text for d in docs for e in d.entities
    )


def test_hipe_sentence_end_glued_to_a_word_gets_a_space(tmp_path: Path) -> None:
    path = tmp_path / "gap.tsv"
    gap = "EndOfSentence|NoSpaceAfter"
    lines = [HEADER, _line("GENÈVE", "B-loc", "NoSpaceAfter"), _line(".", "O", gap), _line("Par")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (doc,) = read_hipe(path)
    assert doc.text == "GENÈVE. Par"


def test_hipe_sentence_end_before_punctuation_stays_glued(tmp_path: Path) -> None:
    path = tmp_path / "punct.tsv"
    lines = [
        HEADER,
        _line("fin", "O", "NoSpaceAfter"),
        _line(".", "O", "EndOfSentence|NoSpaceAfter"),
        _line("»"),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (doc,) = read_hipe(path)
    assert doc.text == "fin.»"
