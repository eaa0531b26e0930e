"""Read and check the quotes gold (rules in `docs/quotes_guidelines.md`).

A gold line names one article (a corpus record id, or a seed file name), the sha256 of the cleaned
text its offsets point into, its quotes and the quoted words that are not quotes. The offsets are
only meaningful against that exact text, so `corpus_texts` rebuilds the cleaned texts the way
veille cleans a record and refuses, naming the article, when a hash differs: a change to cleaning
must show up as an error, not as a silently lower score.

Run `python -m veille.eval.quotes_gold choose` to print the draw the dev set was made from.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from veille.clean import clean_page
from veille.errors import VeilleError

KINDS = ("direct", "partial", "indirect")
SPEAKER_KINDS = ("person", "organisation", "anonymous", "collective")
NOT_QUOTE_WHY = ("scare quote", "title", "name", "mention", "other")
QUOTE_MARKS = ("«", "»", "“", "”", '"')
DEFAULT_SEED = 20260523
DEFAULT_CORPUS = Path("../shared/data/corpus/orangesum_parsed_all.jsonl.gz")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    start: int
    end: int
    text: str
    kind: str
    speaker_text: str | None = None
    speaker_name: str | None = None
    speaker_kind: str | None = None
    uncertain: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class NotQuote:
    start: int
    end: int
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    doc: str
    text_sha256: str
    quotes: list[GoldQuote] = field(default_factory=list)
    not_quotes: list[NotQuote] = field(default_factory=list)
    line: int = 0  # where it was read, for error messages

    def check_text(self, text: str, where: str = "") -> None:
        """Raise if `text` is not the text this article's offsets were written against."""
        where = where or f"line {self.line}"
        if sha256(text) != self.text_sha256:
            raise VeilleError(
                f"{where}: doc {self.doc}: the cleaned text no longer matches the gold's text_sha256 "
                "(cleaning changed since the gold was written); re-annotate the offsets of this "
                "article against the new text, or restore the cleaning"
            )
        spans: list[GoldQuote | NotQuote] = [*self.quotes, *self.not_quotes]
        for span in spans:
            if text[span.start : span.end] != span.text:
                raise VeilleError(
                    f"{where}: doc {self.doc}: text[{span.start}:{span.end}] is "
                    f"{text[span.start : span.end]!r}, the gold says {span.text!r}; fix the offsets"
                )
        for quote in self.quotes:
            if quote.speaker_text is not None and quote.speaker_text not in text:
                raise VeilleError(
                    f"{where}: doc {self.doc}: speaker_text {quote.speaker_text!r} is not in the text; "
                    "write the speaker as the article spells it"
                )


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _span(row: Any, where: str) -> tuple[int, int, str]:
    if not isinstance(row, dict):
        raise VeilleError(f"{where}: expected an object with start, end and text, got {row!r}")
    start, end, text = row.get("start"), row.get("end"), row.get("text")
    if not isinstance(start, int) or not isinstance(end, int) or not isinstance(text, str):
        raise VeilleError(f"{where}: 'start' and 'end' must be integers and 'text' a string")
    if not 0 <= start < end or end - start != len(text):
        raise VeilleError(
            f"{where}: span [{start}:{end}] does not fit its text of {len(text)} characters; "
            "end - start must equal len(text)"
        )
    return start, end, text


def _optional_str(row: Mapping[str, Any], key: str, where: str) -> str | None:
    value = row.get(key)
    if value is not None and not isinstance(value, str):
        raise VeilleError(f"{where}: {key!r} must be a string or null, got {value!r}")
    return value


def _quote(row: Any, where: str) -> GoldQuote:
    start, end, text = _span(row, where)
    kind = row.get("kind")
    if kind not in KINDS:
        raise VeilleError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
    speaker_kind = row.get("speaker_kind")
    if speaker_kind is not None and speaker_kind not in SPEAKER_KINDS:
        raise VeilleError(
            f"{where}: speaker_kind {speaker_kind!r} is not one of {', '.join(SPEAKER_KINDS)} or null"
        )
    uncertain = row.get("uncertain", False)
    if not isinstance(uncertain, bool):
        raise VeilleError(f"{where}: 'uncertain' must be true or false")
    return GoldQuote(
        start,
        end,
        text,
        kind,
        _optional_str(row, "speaker_text", where),
        _optional_str(row, "speaker_name", where),
        speaker_kind,
        uncertain,
        str(row.get("note") or ""),
    )


def _not_quote(row: Any, where: str) -> NotQuote:
    start, end, text = _span(row, where)
    why = row.get("why")
    if why not in NOT_QUOTE_WHY:
        raise VeilleError(f"{where}: why {why!r} is not one of {', '.join(NOT_QUOTE_WHY)}")
    return NotQuote(start, end, text, why)


def parse_line(line: str, where: str, number: int = 0) -> GoldArticle:
    """One gold line; a malformed line raises an error naming `where`."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise VeilleError(f"{where}: not JSON ({error}); each line holds one article object") from error
    if not isinstance(row, dict) or "doc" not in row:
        raise VeilleError(f"{where}: an article needs 'doc', 'text_sha256', 'quotes' and 'not_quotes'")
    digest = row.get("text_sha256")
    if not isinstance(digest, str) or len(digest) != 64:
        raise VeilleError(f"{where}: 'text_sha256' must be the 64-hex sha256 of the cleaned text")
    quotes, not_quotes = row.get("quotes", []), row.get("not_quotes", [])
    if not isinstance(quotes, list) or not isinstance(not_quotes, list):
        raise VeilleError(f"{where}: 'quotes' and 'not_quotes' must be lists")
    return GoldArticle(
        str(row["doc"]),
        digest,
        [_quote(q, f"{where}: quote {i}") for i, q in enumerate(quotes)],
        [_not_quote(q, f"{where}: not_quote {i}") for i, q in enumerate(not_quotes)],
        number,
    )


class GoldDoc(Protocol):
    """What any gold file's article offers the shared readers: its doc id and a text check."""

    @property
    def doc(self) -> str: ...

    def check_text(self, text: str, where: str = "") -> None: ...


G = TypeVar("G", bound=GoldDoc)


def read_gold_lines(
    path: Path, parse: Callable[[str, str, int], G], texts: Mapping[str, str] | None = None
) -> list[G]:
    """The articles of a JSON-lines gold file, one per line, each doc once; with `texts` (doc →
    cleaned text) each article checks its offsets against its text."""
    articles: list[G] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            article = parse(line, where, number)
            if article.doc in seen:
                raise VeilleError(f"{where}: doc {article.doc} is annotated twice; merge the two lines")
            seen.add(article.doc)
            if texts is not None:
                if article.doc not in texts:
                    raise VeilleError(f"{where}: no text was given for doc {article.doc}")
                article.check_text(texts[article.doc], where)
            articles.append(article)
    return articles


def read_quotes_gold(path: Path, texts: Mapping[str, str] | None = None) -> list[GoldArticle]:
    """The articles of a gold file; with `texts` (doc → cleaned text) the offsets are checked too."""
    return read_gold_lines(path, parse_line, texts)


def clean_record(record: Mapping[str, Any]) -> str:
    """The cleaned text veille analyses for one corpus record."""
    return clean_page(
        str(record.get("article") or ""), title=record.get("title"), lead=record.get("heading")
    ).text


def _records(corpus_path: Path) -> Iterable[dict[str, Any]]:
    opener = gzip.open if corpus_path.suffix == ".gz" else open
    with opener(corpus_path, "rt", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                yield json.loads(line)


def corpus_texts(gold: Iterable[GoldDoc], corpus_path: Path) -> dict[str, str]:
    """Rebuild the cleaned texts of the gold's documents from the corpus, checking each hash."""
    wanted = {article.doc: article for article in gold}
    if not corpus_path.is_file():
        raise VeilleError(
            f"corpus not found at {corpus_path}; pass the path of orangesum_parsed_all.jsonl.gz"
        )
    texts: dict[str, str] = {}
    for record in _records(corpus_path):
        doc = str(record.get("id"))
        if doc in wanted and doc not in texts:
            texts[doc] = clean_record(record)
            wanted[doc].check_text(texts[doc])
    missing = sorted(set(wanted) - set(texts))
    if missing:
        raise VeilleError(f"docs {', '.join(missing)} are not in {corpus_path}; is it the right corpus?")
    return texts


def choose(corpus_path: Path, n: int = 40, negatives: int = 4, seed: int = DEFAULT_SEED) -> list[str]:
    """The draw the dev set was made from: one quoted record per date slice, then a few negatives."""
    quoted: list[tuple[str, str]] = []
    plain: list[tuple[str, str]] = []
    for record in _records(corpus_path):
        text = clean_record(record)
        if not record.get("article") or len(text) > 3500:
            continue
        bucket = quoted if any(mark in text for mark in QUOTE_MARKS) else plain
        bucket.append((str(record.get("date")), str(record.get("id"))))
    rng = random.Random(seed)
    picks: list[str] = []
    for pool, count in ((sorted(quoted), n), (sorted(plain), negatives)):
        size = len(pool) / count
        picks.extend(pool[rng.randrange(int(i * size), int((i + 1) * size))][1] for i in range(count))
    return picks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m veille.eval.quotes_gold")
    parser.add_argument("command", choices=["choose"])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    for doc in choose(args.corpus, seed=args.seed):
        print(doc)


if __name__ == "__main__":
    main()
