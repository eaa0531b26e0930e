"""The stories gold: its reader's checks on tiny files, the check against the corpus, the dev file."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from veille.errors import VeilleError
from veille.eval.stories_gold import check_gold_docs, day_records, read_stories_gold

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "tests" / "data" / "stories_dev.jsonl"
CORPUS = Path("corpus") / "orangesum_parsed_all.jsonl.gz"
HEADER = {"_about": "test", "days": ["2020-08-18"], "corpus": "corpus.jsonl"}


def story(story_id: str = "s1", docs: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "story": story_id,
        "title": "a story",
        "docs": ["1"] if docs is None else docs,
        "note": "",
    }
    row.update(extra)
    return row


def write_gold(tmp_path: Path, *rows: dict[str, Any], header: dict[str, Any] | None = HEADER) -> Path:
    path = tmp_path / "gold.jsonl"
    lines = ([header] if header is not None else []) + list(rows)
    path.write_text("".join(json.dumps(row) + "\n" for row in lines), encoding="utf-8")
    return path


def records(*pairs: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": int(doc), "date": day, "title": "t", "heading": "", "article": "x"} for doc, day in pairs]


def test_stories_gold_reads_header_and_stories(tmp_path: Path) -> None:
    gold = read_stories_gold(write_gold(tmp_path, story("s1", ["1", "2"]), story("s2", ["3"], note="alone")))
    assert gold.days == ("2020-08-18",)
    assert [s.story for s in gold.stories] == ["s1", "s2"]
    assert gold.assignment() == {"1": "s1", "2": "s1", "3": "s2"}
    assert gold.docs == 3 and gold.stories[1].note == "alone"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"title": "x", "docs": ["1"]}, "a story needs 'story', 'title' and 'docs'"),
        (story("s1", title=""), "'title' must be a short description"),
        (story("s1", docs=[]), "'docs' must be a non-empty list of corpus ids"),
        (story("s1", docs=[1]), r'written as a string \("32036", not 32036\)'),
        (story("s1", docs=["1", "1"]), "story s1 lists a doc twice"),
        (story("s1", note=3), "'note' must be a string"),
    ],
)
def test_stories_gold_rejects_a_malformed_story(tmp_path: Path, row: dict[str, Any], message: str) -> None:
    with pytest.raises(VeilleError, match=message):
        read_stories_gold(write_gold(tmp_path, row))


def test_stories_gold_rejects_a_reused_story_id(tmp_path: Path) -> None:
    path = write_gold(tmp_path, story("s1", ["1"]), story("s1", ["2"]))
    with pytest.raises(VeilleError, match=r"gold\.jsonl:3: story id s1 is already used on line 2"):
        read_stories_gold(path)


def test_stories_gold_rejects_a_doc_in_two_stories(tmp_path: Path) -> None:
    path = write_gold(tmp_path, story("s1", ["1", "2"]), story("s2", ["2"]))
    with pytest.raises(
        VeilleError, match=r"doc 2 is in story s2 and in story s1 \(line 2\); an article belongs"
    ):
        read_stories_gold(path)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "the first line must be the header"),
        ({"_about": "x", "days": []}, "'days' must be a non-empty list of YYYY-MM-DD dates"),
        ({"_about": "x", "days": ["18 août"]}, "'days' must be a non-empty list of YYYY-MM-DD dates"),
        ({"_about": "x", "days": ["2020-08-18", "2020-08-18"]}, "'days' lists a day twice"),
    ],
)
def test_stories_gold_rejects_a_bad_header(
    tmp_path: Path, header: dict[str, Any] | None, message: str
) -> None:
    with pytest.raises(VeilleError, match=message):
        read_stories_gold(write_gold(tmp_path, story(), header=header))


def test_stories_gold_rejects_a_missing_or_storyless_file(tmp_path: Path) -> None:
    with pytest.raises(VeilleError, match=r"no gold file at .*pass the stories gold"):
        read_stories_gold(tmp_path / "absent.jsonl")
    with pytest.raises(VeilleError, match="the header is followed by no story"):
        read_stories_gold(write_gold(tmp_path))


def test_stories_gold_rejects_an_article_of_the_days_left_out() -> None:
    gold = _gold_of(["1"], ["2"])
    check_gold_docs(gold, records(("1", "2020-08-18"), ("2", "2020-08-18")))  # complete: no error
    with pytest.raises(VeilleError, match=r"1 article\(s\) of 2020-08-18 are in no story: 3; put each one"):
        check_gold_docs(gold, records(("1", "2020-08-18"), ("2", "2020-08-18"), ("3", "2020-08-18")))


def test_stories_gold_rejects_an_unknown_doc() -> None:
    with pytest.raises(VeilleError, match=r"doc\(s\) 9 are not corpus articles of 2020-08-18"):
        check_gold_docs(_gold_of(["1", "9"]), records(("1", "2020-08-18")))


def test_stories_gold_day_records_keeps_the_days_in_date_then_id_order(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = records(("10", "2020-08-19"), ("9", "2020-08-18"), ("2", "2020-08-19"), ("5", "2020-08-20"))
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    found = day_records(corpus, ["2020-08-18", "2020-08-19"])
    assert [row["id"] for row in found] == [9, 2, 10]
    with pytest.raises(VeilleError, match=r"corpus not found at .*orangesum_parsed_all"):
        day_records(tmp_path / "absent.jsonl.gz", ["2020-08-18"])


def _gold_of(*groups: list[str]) -> Any:
    from veille.eval.stories_gold import GoldStory, StoriesGold

    stories = tuple(GoldStory(f"s{i}", "t", tuple(docs)) for i, docs in enumerate(groups, start=1))
    return StoriesGold(("2020-08-18",), "corpus", stories)


def test_stories_gold_dev_file_is_well_formed() -> None:
    gold = read_stories_gold(DEV)
    assert gold.days == ("2020-08-18", "2020-08-19")
    sizes = Counter(len(s.docs) for s in gold.stories)
    assert gold.docs == 160 and sizes[1] < len(gold.stories)  # some stories group several articles
    assert all(s.title.strip() for s in gold.stories)


def test_stories_gold_dev_file_holds_every_article_of_its_days(shared_data: Path) -> None:
    gold = read_stories_gold(DEV)
    found = day_records(shared_data / CORPUS, gold.days)
    check_gold_docs(gold, found)
    assert len(found) == gold.docs == 160
