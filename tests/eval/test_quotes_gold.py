"""The quotes gold set: its reader's checks on tiny files, the dev and seed files' shape and texts."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from veille.clean import clean_page
from veille.errors import VeilleError
from veille.eval.quotes_gold import (
    KINDS,
    SPEAKER_KINDS,
    choose,
    clean_record,
    corpus_texts,
    read_quotes_gold,
    sha256,
)

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "tests" / "data" / "quotes_dev.jsonl"
SEEDS_GOLD = REPO / "tests" / "data" / "quotes_seeds.jsonl"
CORPUS = Path("corpus") / "orangesum_parsed_all.jsonl.gz"

TEXT = "« Nous irons », a dit Marie Curie. Le «recul» est net."


def quote(start: int, end: int, **extra: Any) -> dict[str, Any]:
    row = {"start": start, "end": end, "text": TEXT[start:end], "kind": "direct"}
    row.update(speaker_text="Marie Curie", speaker_name="Marie Curie", speaker_kind="person")
    row.update(extra)
    return row


def write_gold(tmp_path: Path, *rows: dict[str, Any]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def article(doc: str = "1", **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"doc": doc, "text_sha256": sha256(TEXT), "quotes": [quote(2, 12)]}
    row["not_quotes"] = [{"start": 39, "end": 44, "text": "recul", "why": "scare quote"}]
    row.update(extra)
    return row


def test_quotes_gold_reads_a_valid_line(tmp_path: Path) -> None:
    [gold] = read_quotes_gold(write_gold(tmp_path, article()), {"1": TEXT})
    assert gold.quotes[0].text == "Nous irons"
    assert gold.not_quotes[0].why == "scare quote"


def test_quotes_gold_rejects_an_unknown_kind_naming_the_line(tmp_path: Path) -> None:
    path = write_gold(tmp_path, article(), article("2", quotes=[quote(2, 12, kind="reported")]))
    with pytest.raises(VeilleError, match=r"gold\.jsonl:2: quote 0: kind 'reported' is not one of direct"):
        read_quotes_gold(path)


def test_quotes_gold_rejects_an_unknown_speaker_kind(tmp_path: Path) -> None:
    path = write_gold(tmp_path, article(quotes=[quote(2, 12, speaker_kind="people")]))
    with pytest.raises(VeilleError, match="speaker_kind 'people' is not one of person"):
        read_quotes_gold(path)


def test_quotes_gold_rejects_a_span_whose_length_differs_from_its_text(tmp_path: Path) -> None:
    bad = quote(2, 12)
    bad["end"] = 13
    with pytest.raises(VeilleError, match=r"end - start must equal len\(text\)"):
        read_quotes_gold(write_gold(tmp_path, article(quotes=[bad])))


def test_quotes_gold_rejects_offsets_that_miss_the_text(tmp_path: Path) -> None:
    shifted = quote(2, 12)
    shifted.update(start=3, end=13)
    with pytest.raises(VeilleError, match=r"text\[3:13\] is 'ous irons '.*fix the offsets"):
        read_quotes_gold(write_gold(tmp_path, article(quotes=[shifted])), {"1": TEXT})


def test_quotes_gold_rejects_a_changed_text_by_its_hash(tmp_path: Path) -> None:
    path = write_gold(tmp_path, article())
    with pytest.raises(VeilleError, match="cleaned text no longer matches the gold's text_sha256"):
        read_quotes_gold(path, {"1": TEXT + " Fin."})


def test_quotes_gold_rejects_a_speaker_absent_from_the_text(tmp_path: Path) -> None:
    path = write_gold(tmp_path, article(quotes=[quote(2, 12, speaker_text="Pierre Curie")]))
    with pytest.raises(VeilleError, match="speaker_text 'Pierre Curie' is not in the text"):
        read_quotes_gold(path, {"1": TEXT})


def test_quotes_gold_rejects_a_doc_annotated_twice(tmp_path: Path) -> None:
    with pytest.raises(VeilleError, match=r"gold\.jsonl:2: doc 1 is annotated twice"):
        read_quotes_gold(write_gold(tmp_path, article(), article()))


def test_quotes_gold_rejects_a_line_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(VeilleError, match=r"gold\.jsonl:1: not JSON"):
        read_quotes_gold(path)


def write_corpus(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def record(ident: int, body: str) -> dict[str, Any]:
    return {"id": ident, "title": "Titre", "heading": "Chapeau.", "article": body, "date": "2020-01-01"}


def test_quotes_gold_corpus_texts_rebuilds_the_cleaned_text(tmp_path: Path) -> None:
    rec = record(7, "Il a parlé jeudi.Le «recul» est net.")
    text = clean_record(rec)
    assert "jeudi.\n\nLe" in text  # the glued paragraphs are split, so offsets point into this text
    start = text.index("recul")
    row: dict[str, Any] = {"doc": "7", "text_sha256": sha256(text), "quotes": []}
    row["not_quotes"] = [{"start": start, "end": start + 5, "text": "recul", "why": "scare quote"}]
    gold = read_quotes_gold(write_gold(tmp_path, row))
    assert corpus_texts(gold, write_corpus(tmp_path, [rec])) == {"7": text}


def test_quotes_gold_corpus_texts_names_a_doc_missing_from_the_corpus(tmp_path: Path) -> None:
    gold = read_quotes_gold(write_gold(tmp_path, article("99")))
    with pytest.raises(VeilleError, match="docs 99 are not in"):
        corpus_texts(gold, write_corpus(tmp_path, [record(1, "Un texte.")]))


def test_quotes_gold_choose_draws_the_same_records_for_a_seed(tmp_path: Path) -> None:
    records = [record(i, f"Il a dit « oui {i} ».") for i in range(10)]
    records += [record(100 + i, f"Rien à citer {i}.") for i in range(5)]
    corpus = write_corpus(tmp_path, records)
    first = choose(corpus, n=3, negatives=1, seed=1)
    assert first == choose(corpus, n=3, negatives=1, seed=1)
    assert len(first) == 4 and int(first[-1]) >= 100


def test_quotes_gold_dev_file_is_well_formed() -> None:
    gold = read_quotes_gold(DEV)
    quotes = [q for article in gold for q in article.quotes]
    assert len(gold) >= 40 and len(quotes) >= 150
    assert set(Counter(q.kind for q in quotes)) == set(KINDS)
    assert set(SPEAKER_KINDS) <= {q.speaker_kind for q in quotes}
    assert sum(len(article.not_quotes) for article in gold) >= 20
    assert any(not article.quotes or all(q.kind == "indirect" for q in article.quotes) for article in gold)


def test_quotes_gold_dev_offsets_match_the_rebuilt_corpus_texts(shared_data: Path) -> None:
    gold = read_quotes_gold(DEV)
    texts = corpus_texts(gold, shared_data / CORPUS)
    assert len(read_quotes_gold(DEV, texts)) == len(gold)


def seed_texts(seeds_dir: Path) -> dict[str, str]:
    return {p.name: clean_page(p.read_text(encoding="utf-8")).text for p in sorted(seeds_dir.glob("*.txt"))}


def test_quotes_gold_seeds_match_the_seed_texts(seeds_dir: Path) -> None:
    texts = seed_texts(seeds_dir)
    assert {a.doc for a in read_quotes_gold(SEEDS_GOLD, texts)} == set(texts)


def test_quotes_gold_seeds_hold_the_issue_expectations() -> None:
    gold = read_quotes_gold(SEEDS_GOLD)
    quotes = [q for article in gold for q in article.quotes]
    direct = Counter(q.speaker_name for q in quotes if q.kind == "direct")
    assert direct == {"Jean-Yves Le Drian": 1, "Ashton Carter": 3, "dans l'entourage du ministre": 1}
    partial = {q.text: (q.speaker_name, q.speaker_kind) for q in quotes if q.kind == "partial"}
    assert set(partial.values()) == {("Paris et Washington", "collective")}
    assert {"concentrer", "ses centres de pouvoir"} <= set(partial)
    scare = {n.text for article in gold for n in article.not_quotes}
    assert scare == {"recul", "conseil de guerre", "mauvaise voie"}
