"""The events gold set: its reader's checks on tiny files, the dev file's shape and its texts."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from veille.errors import VeilleError
from veille.eval.events_gold import (
    EVENT_TYPES,
    MODALITIES,
    RARE_TYPE_WORDS,
    ROLES,
    choose,
    choose_dev,
    gold_texts,
    quotes_gold_docs,
    read_events_gold,
)
from veille.eval.quotes_gold import clean_record, sha256

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "tests" / "data" / "events_dev.jsonl"
QUOTES_DEV = REPO / "tests" / "data" / "quotes_dev.jsonl"
CORPUS = Path("corpus") / "orangesum_parsed_all.jsonl.gz"

TEXT = "Emmanuel Macron a rencontré mercredi Angela Merkel à Berlin. La réunion a duré une heure."


def event(trigger: str = "rencontré", **extra: Any) -> dict[str, Any]:
    start = TEXT.index(trigger)
    row: dict[str, Any] = {
        "start": start, "end": start + len(trigger), "trigger": trigger, "type": "meeting",
        "modality": "happened", "date": "2020-07-01", "place": {"text": "Berlin", "name": "Berlin"},
        "participants": [
            {"text": "Emmanuel Macron", "name": "Emmanuel Macron", "role": "attendee"},
            {"text": "Angela Merkel", "name": "Angela Merkel", "role": "attendee"},
        ],
        "same_as": None, "uncertain": False, "note": "",
    }  # fmt: skip
    row.update(extra)
    return row


def article(doc: str = "1", *events: dict[str, Any]) -> dict[str, Any]:
    return {
        "doc": doc,
        "date": "2020-07-02",
        "text_sha256": sha256(TEXT),
        "events": list(events) or [event()],
    }


def write_gold(tmp_path: Path, *rows: dict[str, Any]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return path


def test_events_gold_reads_a_valid_line(tmp_path: Path) -> None:
    second = event("réunion", same_as=0, participants=[], place=None, date="2020-07-01")
    [gold] = read_events_gold(write_gold(tmp_path, article("1", event(), second)), {"1": TEXT})
    first, again = gold.events
    assert (first.trigger, first.type, first.date) == ("rencontré", "meeting", "2020-07-01")
    assert first.place is not None and first.place.name == "Berlin"
    assert [p.role for p in first.participants] == ["attendee", "attendee"]
    assert again.same_as == 0 and gold.date == "2020-07-02"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "battle"}, r"gold\.jsonl:1: event 0: type 'battle' is not one of meeting"),
        ({"modality": "maybe"}, "modality 'maybe' is not one of planned, happened, negated, claimed"),
        ({"date": "mercredi"}, "date 'mercredi' is not a TIMEX3 value"),
        ({"uncertain": "no"}, "'uncertain' must be true or false"),
        ({"end": 99}, r"end - start must equal len\(trigger\)"),
        ({"same_as": 0}, "same_as 0 must be the index of an earlier event"),
    ],
)
def test_events_gold_rejects_a_malformed_event(tmp_path: Path, change: dict[str, Any], message: str) -> None:
    with pytest.raises(VeilleError, match=message):
        read_events_gold(write_gold(tmp_path, article("1", event(**change))))


def test_events_gold_rejects_an_unknown_role(tmp_path: Path) -> None:
    bad = event(participants=[{"text": "Angela Merkel", "name": "Angela Merkel", "role": "host"}])
    with pytest.raises(VeilleError, match="participant 0: role 'host' is not one of agent, target"):
        read_events_gold(write_gold(tmp_path, article("1", bad)))


def test_events_gold_rejects_a_same_as_of_another_type(tmp_path: Path) -> None:
    second = event("réunion", type="vote", same_as=0)
    with pytest.raises(
        VeilleError, match="event 1: same_as 0 points at a meeting event but this one is a vote"
    ):
        read_events_gold(write_gold(tmp_path, article("1", event(), second)))


def test_events_gold_rejects_offsets_that_miss_the_trigger(tmp_path: Path) -> None:
    shifted = event()
    shifted.update(start=shifted["start"] + 1, end=shifted["end"] + 1)
    with pytest.raises(VeilleError, match=r"event 0: text\[\d+:\d+\] is 'encontré ', .*fix the offsets"):
        read_events_gold(write_gold(tmp_path, article("1", shifted)), {"1": TEXT})


def test_events_gold_rejects_a_participant_absent_from_the_text(tmp_path: Path) -> None:
    absent = event(participants=[{"text": "Olaf Scholz", "name": "Olaf Scholz", "role": "attendee"}])
    with pytest.raises(VeilleError, match="'Olaf Scholz' is not in the text"):
        read_events_gold(write_gold(tmp_path, article("1", absent)), {"1": TEXT})


def test_events_gold_rejects_a_changed_text_by_its_hash(tmp_path: Path) -> None:
    with pytest.raises(VeilleError, match="cleaned text no longer matches the gold's text_sha256"):
        read_events_gold(write_gold(tmp_path, article()), {"1": TEXT + " Fin."})


def test_events_gold_rejects_a_doc_annotated_twice(tmp_path: Path) -> None:
    with pytest.raises(VeilleError, match=r"gold\.jsonl:2: doc 1 is annotated twice"):
        read_events_gold(write_gold(tmp_path, article(), article()))


def test_events_gold_rejects_a_publication_date_that_is_not_a_day(tmp_path: Path) -> None:
    row = article()
    row["date"] = "02/07/2020"
    with pytest.raises(VeilleError, match="'date' must be the record's publication date as YYYY-MM-DD"):
        read_events_gold(write_gold(tmp_path, row))


def write_corpus(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "corpus.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def record(ident: int, body: str, date: str = "2020-07-02") -> dict[str, Any]:
    return {"id": ident, "title": "Titre", "heading": "Chapeau.", "article": body, "date": date}


def test_events_gold_texts_rebuilds_and_checks_the_cleaned_text(tmp_path: Path) -> None:
    rec = record(7, "Il a manifesté jeudi.Le cortège est parti.")
    text = clean_record(rec)
    start = text.index("manifesté")
    row = {"doc": "7", "date": "2020-07-02", "text_sha256": sha256(text), "events": [
        {"start": start, "end": start + 9, "trigger": "manifesté", "type": "protest", "modality": "happened"},
    ]}  # fmt: skip
    gold = read_events_gold(write_gold(tmp_path, row))
    assert gold_texts(gold, write_corpus(tmp_path, [rec])) == {"7": text}
    with pytest.raises(VeilleError, match="doc 7: the cleaned text no longer matches"):
        gold_texts(gold, write_corpus(tmp_path, [record(7, "Il a manifesté vendredi.")]))


def test_events_gold_choose_is_seeded_spread_and_excludes(tmp_path: Path) -> None:
    records = [record(i, f"Il a parlé le jour {i}.", f"2020-07-{1 + i:02d}") for i in range(20)]
    records.append(record(99, "Trop long. " * 400))
    corpus = write_corpus(tmp_path, records)
    first = choose(corpus, n=4, seed=3, exclude=frozenset({"0", "1", "2", "3", "4"}))
    assert first == choose(corpus, n=4, seed=3, exclude=frozenset({"0", "1", "2", "3", "4"}))
    assert len(first) == 4 and "99" not in first and not {"0", "1", "2", "3", "4"} & set(first)
    # One draw per date slice: the 15 kept records in slices of 3.75, in date order.
    assert [int(doc) for doc in first] == sorted(int(doc) for doc in first)


def test_events_gold_dev_file_is_well_formed() -> None:
    gold = read_events_gold(DEV)
    events = [e for a in gold for e in a.events]
    assert len(gold) >= 50 and len(events) >= 200
    assert set(Counter(e.type for e in events)) == set(EVENT_TYPES)
    assert set(Counter(e.modality for e in events)) == set(MODALITIES)
    assert {p.role for e in events for p in e.participants} <= set(ROLES)
    assert sum(not a.events for a in gold) >= 4  # articles with no event of the eleven types
    assert any(e.same_as is not None for e in events) and any(e.uncertain for e in events)
    assert not {a.doc for a in gold} & quotes_gold_docs(QUOTES_DEV)


def test_events_gold_dev_offsets_match_the_rebuilt_corpus_texts(shared_data: Path) -> None:
    gold = read_events_gold(DEV)
    texts = gold_texts(gold, shared_data / CORPUS)
    assert len(read_events_gold(DEV, texts)) == len(gold)
    assert all(len(text) <= 2000 for text in texts.values())


@pytest.mark.slow
def test_events_gold_dev_documents_are_the_documented_draw(shared_data: Path) -> None:
    drawn = choose_dev(shared_data / CORPUS, QUOTES_DEV)
    assert [a.doc for a in read_events_gold(DEV)] == drawn


def test_events_gold_choose_keeps_only_texts_the_pattern_matches(tmp_path: Path) -> None:
    records = [record(i, "Ils se sont rencontrés hier." if i % 2 else "Il pleut.") for i in range(10)]
    drawn = choose(write_corpus(tmp_path, records), n=3, seed=1, pattern=RARE_TYPE_WORDS)
    assert len(drawn) == 3 and all(int(doc) % 2 for doc in drawn)
