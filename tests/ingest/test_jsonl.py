from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from veille.ingest import ReadReport, parse_fields_option
from veille.model import RawDoc

# The `ingest` fixture (conftest.py): `ingest(paths, **ReadOptions fields) -> (docs, report)`.
Ingest = Callable[..., tuple[list[RawDoc], ReadReport]]


def write_jsonl(path: Path, records: Sequence[Any], *, gz: bool = False) -> Path:
    lines = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
    data = lines.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


# Three OrangeSum records copied by hand from orangesum_parsed_all.jsonl.gz (bodies shortened);
# the third is one of the records with an empty body.
ORANGESUM = [
    '{"id": 2, "article": "Cette décision a été annoncée à l\'issue d\'une réunion organisée avec les '
    'syndicats de la fonction publique hospitalière.", "date": "2020-07-02", "heading": "Cela porte à 7 '
    "milliards d'euros l'enveloppe dédiée aux hausses de rémunérations pour le personnel hospitalier.\", "
    '"title": "Olivier Véran : 400 millions d\'euros supplémentaires pour mieux rémunérer les soignants"}',
    '{"id": 4, "article": "Au lendemain d\'une perquisition à son domicile de Bapaume (Pas-de-Calais), '
    'M. Delevoye a été auditionné comme suspect libre.", "date": "2020-07-02", "heading": "L\'ex-haut '
    'commissaire aux retraites, Jean-Paul Delevoye, a été interrogé mercredi à Nanterre.", '
    '"title": "Déclaration d\'intérêts: Delevoye entendu mercredi en audition libre"}',
    '{"id": 30789, "article": "", "date": "2018-02-14", "heading": "Tiers-payant, lutte contre le '
    "tabac... L'État et la Caisse nationale d'assurance maladie signent jeudi 15 février une nouvelle "
    'convention.", "title": "Assurance maladie : ce qui va changer avec le nouvel accord"}',
]


def test_jsonl_default_mapping_reads_orangesum(tmp_path: Path, ingest: Ingest) -> None:
    docs, report = ingest(write_jsonl(tmp_path / "orangesum.jsonl", ORANGESUM))
    assert [d.source_id for d in docs] == ["2", "4", "30789"]
    first = docs[0]
    assert (
        first.title
        == "Olivier Véran : 400 millions d'euros supplémentaires pour mieux rémunérer les soignants"
    )
    assert first.lead is not None and first.lead.startswith("Cela porte à 7 milliards")
    assert first.text is not None and first.text.startswith("Cette décision a été annoncée")
    assert [d.published for d in docs] == ["2020-07-02", "2020-07-02", "2018-02-14"]
    assert all(d.reason is None and d.source_file == "orangesum.jsonl" for d in docs)
    assert report.warnings == []


def test_jsonl_record_without_body_keeps_title_and_empty_text(tmp_path: Path, ingest: Ingest) -> None:
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [ORANGESUM[2], {"id": 9, "title": "Seul"}]))
    assert (docs[0].text, docs[0].title, docs[0].reason) == ("", ORANGESUM_TITLE_3, None)
    assert (docs[1].text, docs[1].lead, docs[1].title) == ("", None, "Seul")


ORANGESUM_TITLE_3 = "Assurance maladie : ce qui va changer avec le nouvel accord"


def test_jsonl_malformed_line_among_good_ones(tmp_path: Path, ingest: Ingest) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [{"article": "un"}, '{"article": "deux"', {"article": "trois"}])
    docs, report = ingest(path)
    assert [d.text for d in docs] == ["un", None, "trois"]
    assert (docs[1].source_id, docs[1].reason) == ("line:2", "malformed_json")
    assert docs[1].reason_detail == "line 2: Expecting ',' delimiter: line 1 column 19 (char 18)"
    assert report.rejected == {"malformed_json": 1}


def test_jsonl_non_object_line_is_bad_record(tmp_path: Path, ingest: Ingest) -> None:
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", ['["une", "liste"]']))
    assert (docs[0].reason, docs[0].reason_detail) == (
        "bad_record",
        "line 1: expected a JSON object, got an array",
    )


def test_jsonl_object_for_text_is_bad_record(tmp_path: Path, ingest: Ingest) -> None:
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [{"id": "x1", "article": {"p": "texte"}}]))
    assert (docs[0].source_id, docs[0].text, docs[0].reason) == ("x1", None, "bad_record")
    assert docs[0].reason_detail == "line 1: field 'text' (key 'article') must be a string, got an object"


def test_jsonl_number_fields_become_strings(tmp_path: Path, ingest: Ingest) -> None:
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [{"id": 12, "title": 2020, "article": "x"}]))
    assert (docs[0].source_id, docs[0].title, docs[0].reason) == ("12", "2020", None)


def test_jsonl_blank_lines_are_not_records(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'\n{"article": "un"}\r\n   \n{"article": "deux"}\n\n')
    docs, report = ingest(tmp_path / "a.jsonl")
    assert [(d.source_id, d.text) for d in docs] == [("line:2", "un"), ("line:4", "deux")]
    assert report.records == 2


def test_jsonl_only_blank_lines_is_empty(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.jsonl").write_bytes(b"\n\n")
    docs, _ = ingest(tmp_path / "a.jsonl")
    assert [(d.reason, d.reason_detail) for d in docs] == [("empty", "2 blank lines, no records")]


def test_jsonl_empty_file_is_empty(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.jsonl").write_bytes(b"")
    docs, _ = ingest(tmp_path / "a.jsonl")
    assert [(d.source_id, d.reason, d.reason_detail) for d in docs] == [("", "empty", "0 bytes")]


def test_jsonl_record_too_large_is_skipped_and_reading_goes_on(tmp_path: Path, ingest: Ingest) -> None:
    big = {"article": "x" * 5_000}
    path = write_jsonl(tmp_path / "a.jsonl", [{"article": "avant"}, big, {"article": "après"}])
    docs, _ = ingest(path, max_record_bytes=1_000)
    assert [d.text for d in docs] == ["avant", None, "après"]
    assert (docs[1].source_id, docs[1].reason) == ("line:2", "record_too_large")
    assert docs[1].reason_detail == "line 2 (over 1000 bytes, --max-record-bytes)"


def test_jsonl_record_exactly_at_cap_is_read(tmp_path: Path, ingest: Ingest) -> None:
    line = json.dumps({"article": "x" * 50})
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [line]), max_record_bytes=len(line.encode()))
    assert docs[0].reason is None


def test_jsonl_truncated_gzip_keeps_earlier_records(tmp_path: Path, ingest: Ingest) -> None:
    records = [
        {"id": i, "article": f"Article numéro {i} : {i * 7919 % 10007} {i * 104729}"} for i in range(3000)
    ]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    docs, report = ingest(tmp_path / "cut.jsonl.gz")
    good, last = docs[:-1], docs[-1]
    assert len(good) > 100
    assert [d.source_id for d in good] == [str(i) for i in range(len(good))]
    assert all(d.reason is None for d in good)
    assert (last.text, last.reason) == (None, "truncated_gzip")
    assert last.reason_detail is not None and last.reason_detail.startswith(f"after line {len(good)}:")
    assert report.rejected == {"truncated_gzip": 1}


def test_jsonl_gzipped_and_ndjson_are_read(tmp_path: Path, ingest: Ingest) -> None:
    write_jsonl(tmp_path / "a.jsonl.gz", [{"article": "gz"}], gz=True)
    write_jsonl(tmp_path / "b.ndjson", [{"article": "nd"}])
    docs, _ = ingest(tmp_path)
    assert [d.text for d in docs] == ["gz", "nd"]


def test_jsonl_line_number_is_the_id_when_record_has_none(tmp_path: Path, ingest: Ingest) -> None:
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [{"article": "a"}, {"id": "", "article": "b"}]))
    assert [d.source_id for d in docs] == ["line:1", "line:2"]


def test_jsonl_invalid_date_is_unknown_and_noted(tmp_path: Path, ingest: Ingest) -> None:
    docs, report = ingest(write_jsonl(tmp_path / "a.jsonl", [{"article": "a", "date": "2 juillet 2020"}]))
    assert (docs[0].published, docs[0].reason) == (None, None)
    assert report.warnings == [
        "a.jsonl: line 1: published '2 juillet 2020' is not an ISO 8601 date; kept as unknown"
    ]


def test_jsonl_fields_option_maps_other_keys(tmp_path: Path, ingest: Ingest) -> None:
    record = {"uid": "u1", "headline": "T", "chapo": "L", "body": "B", "pubdate": "2020-07-02T08:00:00Z",
              "link": "https://ex.fr/1", "site": "Ex"}  # fmt: skip
    fields = parse_fields_option(
        "text=body,title=headline,id=uid,published=pubdate,lead=chapo,url=link,source=site"
    )
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [record]), fields=fields)
    assert docs[0] == RawDoc(
        source_file="a.jsonl", source_id="u1", text="B", title="T", lead="L", url="https://ex.fr/1",
        source_name="Ex", published="2020-07-02T08:00:00Z",
    )  # fmt: skip


def test_jsonl_default_mapping_falls_back_to_common_names(tmp_path: Path, ingest: Ingest) -> None:
    record = {"body": "B", "pubdate": "2020-07-02", "link": "https://ex.fr/1", "source_name": "Ex"}
    docs, _ = ingest(write_jsonl(tmp_path / "a.jsonl", [record]))
    assert (docs[0].text, docs[0].published, docs[0].url, docs[0].source_name) == (
        "B", "2020-07-02", "https://ex.fr/1", "Ex",
    )  # fmt: skip


def test_jsonl_precedence_command_line_over_sidecar_over_record(tmp_path: Path, ingest: Ingest) -> None:
    record = {"article": "a", "date": "2001-01-01", "source": "record", "url": "https://record"}
    path = write_jsonl(tmp_path / "feed.jsonl", [record])
    assert ingest(path)[0][0].published == "2001-01-01"
    (tmp_path / "feed.meta.json").write_text(
        '{"published": "2002-02-02", "source": "sidecar", "url": "https://sidecar"}'
    )
    doc = ingest(path)[0][0]
    assert (doc.published, doc.source_name, doc.url) == ("2002-02-02", "sidecar", "https://sidecar")
    doc = ingest(path, published="2003-03-03", source="cli")[0][0]
    assert (doc.published, doc.source_name, doc.url) == ("2003-03-03", "cli", "https://sidecar")


def test_jsonl_nul_bytes_reject_the_file_as_binary(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.jsonl").write_bytes(b'{"article": "a"}\n\x00\x01\x02\n')
    docs, _ = ingest(tmp_path / "a.jsonl")
    assert [(d.text, d.reason) for d in docs] == [("a", None), (None, "binary")]


def test_jsonl_cp1252_line_is_decoded(tmp_path: Path, ingest: Ingest) -> None:
    (tmp_path / "a.jsonl").write_bytes('{"article": "L’été, 5 €"}\n'.encode("cp1252"))
    assert ingest(tmp_path / "a.jsonl")[0][0].text == "L’été, 5 €"
