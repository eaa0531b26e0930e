"""Read and check the stories gold (rules in `docs/stories_guidelines.md`).

The gold groups every corpus article of a few consecutive days into stories. Its first line
names the days and the corpus; each following line is one story:
`{"story": "s001", "title": "…", "docs": ["32036", …], "note": ""}`.

`read_stories_gold` checks what the file alone can tell (a header, unique story ids, each doc in
one story only); `check_gold_docs` checks it against the corpus records of its days: every
article of those days present exactly once, none from elsewhere. A gold that silently misses an
article would score a clusterer on a different set than the one annotated, so both are errors.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veille.errors import VeilleError
from veille.eval.quotes_gold import DEFAULT_CORPUS, _records

DEFAULT_GOLD = Path("tests/data/stories_dev.jsonl")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

__all__ = [
    "DEFAULT_CORPUS",
    "DEFAULT_GOLD",
    "GoldStory",
    "StoriesGold",
    "check_gold_docs",
    "day_records",
    "read_stories_gold",
]


@dataclass(frozen=True, slots=True)
class GoldStory:
    story: str
    title: str
    docs: tuple[str, ...]
    note: str = ""
    line: int = 0  # where it was read, for error messages


@dataclass(frozen=True, slots=True)
class StoriesGold:
    days: tuple[str, ...]
    corpus: str  # the corpus the annotator read, as the header names it
    stories: tuple[GoldStory, ...]

    def assignment(self) -> dict[str, str]:
        """doc → story id, the mapping the scorers take."""
        return {doc: story.story for story in self.stories for doc in story.docs}

    @property
    def docs(self) -> int:
        return sum(len(story.docs) for story in self.stories)


def _header(row: Any, where: str) -> tuple[tuple[str, ...], str]:
    if not isinstance(row, dict) or "_about" not in row:
        raise VeilleError(
            f"{where}: the first line must be the header "
            '{"_about": "…", "days": ["YYYY-MM-DD", …], "corpus": "…"}; add it above the stories'
        )
    days, corpus = row.get("days"), row.get("corpus", "")
    if (
        not isinstance(days, list)
        or not days
        or not all(isinstance(day, str) and _DAY.fullmatch(day) for day in days)
    ):
        raise VeilleError(f"{where}: 'days' must be a non-empty list of YYYY-MM-DD dates, got {days!r}")
    if len(set(days)) != len(days):
        raise VeilleError(f"{where}: 'days' lists a day twice: {days!r}")
    if not isinstance(corpus, str):
        raise VeilleError(f"{where}: 'corpus' must be the path of the corpus read, as a string")
    return tuple(days), corpus


def parse_story(row: Any, where: str, number: int = 0) -> GoldStory:
    """One story line, already decoded; a malformed one raises an error naming `where`."""
    if not isinstance(row, dict) or "story" not in row:
        raise VeilleError(f"{where}: a story needs 'story', 'title' and 'docs' (and an optional 'note')")
    story, title, docs, note = row.get("story"), row.get("title"), row.get("docs"), row.get("note", "")
    if not isinstance(story, str) or not story:
        raise VeilleError(f"{where}: 'story' must be a non-empty string id such as \"s001\"")
    if not isinstance(title, str) or not title.strip():
        raise VeilleError(f"{where}: story {story}: 'title' must be a short description of the story")
    if not isinstance(docs, list) or not docs:
        raise VeilleError(f"{where}: story {story}: 'docs' must be a non-empty list of corpus ids")
    if not all(isinstance(doc, str) and doc for doc in docs):
        raise VeilleError(
            f"{where}: story {story}: every doc must be a corpus id written as a string "
            f'("32036", not 32036), got {docs!r}'
        )
    if len(set(docs)) != len(docs):
        raise VeilleError(f"{where}: story {story} lists a doc twice: {docs!r}")
    if note is not None and not isinstance(note, str):
        raise VeilleError(f"{where}: story {story}: 'note' must be a string")
    return GoldStory(story, title, tuple(docs), note or "", number)


def read_stories_gold(path: Path) -> StoriesGold:
    """The header and stories of a gold file, checked on their own (not against the corpus)."""
    if not path.is_file():
        raise VeilleError(
            f"no gold file at {path}: pass the stories gold (default {DEFAULT_GOLD}, relative to the "
            "repository root)"
        )
    header: tuple[tuple[str, ...], str] | None = None
    stories: list[GoldStory] = []
    story_line: dict[str, int] = {}
    doc_story: dict[str, GoldStory] = {}
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise VeilleError(f"{where}: not JSON ({error}); each line holds one object") from error
            if header is None:
                header = _header(row, where)
                continue
            story = parse_story(row, where, number)
            if story.story in story_line:
                raise VeilleError(
                    f"{where}: story id {story.story} is already used on line {story_line[story.story]}; "
                    "give each story its own id"
                )
            story_line[story.story] = number
            for doc in story.docs:
                if doc in doc_story:
                    other = doc_story[doc]
                    raise VeilleError(
                        f"{where}: doc {doc} is in story {story.story} and in story {other.story} "
                        f"(line {other.line}); an article belongs to exactly one story"
                    )
                doc_story[doc] = story
            stories.append(story)
    if header is None:
        raise VeilleError(f"{path}: the file is empty; it needs a header line and one line per story")
    if not stories:
        raise VeilleError(f"{path}: the header is followed by no story")
    days, corpus = header
    return StoriesGold(days, corpus, tuple(stories))


def day_records(corpus_path: Path, days: Iterable[str]) -> list[dict[str, Any]]:
    """The corpus records published on `days`, in date order, then id order (numeric ids by value)."""
    if not corpus_path.is_file():
        raise VeilleError(
            f"corpus not found at {corpus_path}; pass the path of orangesum_parsed_all.jsonl.gz "
            f"(default {DEFAULT_CORPUS}, relative to the repository root)"
        )
    wanted = set(days)
    found = [r for r in _records(corpus_path) if str(r.get("date") or "")[:10] in wanted]
    return sorted(found, key=_record_order)


def _record_order(record: Mapping[str, Any]) -> tuple[str, int, str]:
    doc = str(record.get("id"))
    return (str(record.get("date") or "")[:10], int(doc) if doc.isdigit() else -1, doc)


def check_gold_docs(gold: StoriesGold, records: Sequence[Mapping[str, Any]]) -> None:
    """Raise unless the gold holds exactly the ids of `records` (the corpus articles of its days)."""
    expected = [str(record.get("id")) for record in records]
    repeated = sorted(doc for doc, seen in Counter(expected).items() if seen > 1)
    if repeated:
        raise VeilleError(
            f"the corpus holds ids {', '.join(repeated)} more than once on the gold's days; "
            "a story gold needs unique corpus ids"
        )
    assigned = gold.assignment()
    missing = [doc for doc in expected if doc not in assigned]
    if missing:
        raise VeilleError(
            f"{len(missing)} article(s) of {', '.join(gold.days)} are in no story: {', '.join(missing)}; "
            "put each one in a story (a story of one article is fine)"
        )
    unknown = sorted(set(assigned) - set(expected))
    if unknown:
        raise VeilleError(
            f"doc(s) {', '.join(unknown)} are not corpus articles of {', '.join(gold.days)}; "
            "remove them or fix their ids"
        )
