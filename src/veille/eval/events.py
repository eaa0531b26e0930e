"""Score extracted events against the events gold (`tests/data/events_dev.jsonl`).

The gold (rules in `docs/events_guidelines.md`, read by `veille.eval.events_gold`) lists each
article's event mentions. A prediction is an `Event` of the article; each of its `evidence`
entries for that article is one predicted mention (trigger span and modality), carrying the
event's type, participants, location and date.

Figures (`docs/events_evaluation.md` defines them in words):

- trigger P/R/F1: gold and predicted mentions paired one to one when their trigger spans overlap
  (greedy by largest overlap, `veille.eval.spans.match_spans`, fuzzy regime), whatever the type;
- type P/R/F1: the same pairing, but a pair needs the same type; also per type;
- argument P/R/F1, with and without role: over type-correct pairs, a predicted participant is
  right when its name, as a name key (`veille.entities.names.name_key`: case, accents, leading
  article, punctuation ignored), equals the key of a gold participant's canonical name or
  as-written text (and, with role, the roles agree); the participants of unpaired gold mentions
  are misses and those of unpaired predictions false positives;
- place and date accuracy over type-correct pairs (none = none counts as right), and the same
  over the pairs whose gold gives a place (a date); modality accuracy over trigger pairs.

`evaluate_events(gold_path, corpus_path, extract)` rebuilds the gold's articles from the corpus
the way the JSON-lines reader does (published = the record's date), cleans them, hands them to
`extract` (any pipeline callable) and scores what comes back.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.clean.stage import CleanStage
from veille.entities.names import name_key
from veille.errors import VeilleError
from veille.eval.events_gold import (
    DEFAULT_GOLD,
    EVENT_TYPES,
    GoldEvent,
    GoldEventArticle,
    GoldParticipant,
    read_events_gold,
)
from veille.eval.metrics import progress_bar, report_console
from veille.eval.quotes_gold import DEFAULT_CORPUS, _records
from veille.eval.spans import Counts, match_spans
from veille.model import KEPT, Article, Event, EventArgument, EventEvidence, RawDoc

BATCH = 32
_ANY_TYPE = ""
__all__ = [
    "BASELINE_TRIGGERS", "DEFAULT_CORPUS", "DEFAULT_GOLD", "EventScores", "PredictedMention",
    "baseline_events", "baseline_extract", "evaluate_events", "events_table", "gold_articles", "main",
    "predicted_mentions", "score_events",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class PredictedMention:
    """One evidence of one predicted event, in the article being scored."""

    start: int
    end: int
    modality: str
    event: Event


@dataclass
class EventScores:
    articles: int = 0
    trigger: Counts = field(default_factory=Counts)
    type: Counts = field(default_factory=Counts)
    by_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in EVENT_TYPES})
    arguments: Counts = field(default_factory=Counts)
    arguments_no_role: Counts = field(default_factory=Counts)
    place_right: int = 0
    date_right: int = 0
    typed_pairs: int = 0  # the denominator of place and date accuracy
    # The same over the typed pairs whose gold gives a place (a date): predicting none is right on
    # most pairs, so these say how often a place or date the article gives is found.
    place_given_right: int = 0
    place_given: int = 0
    date_given_right: int = 0
    date_given: int = 0
    modality_right: int = 0

    @property
    def place_accuracy(self) -> float:
        return self.place_right / self.typed_pairs if self.typed_pairs else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_right / self.typed_pairs if self.typed_pairs else 0.0

    @property
    def modality_accuracy(self) -> float:
        pairs = self.trigger.tp
        return self.modality_right / pairs if pairs else 0.0


# ---- matching (pure) -----------------------------------------------------------------------------


def predicted_mentions(events: Iterable[Event], article_id: str) -> list[PredictedMention]:
    """Every evidence of `events` that lies in `article_id`, in text order."""
    found = [
        PredictedMention(evidence.start, evidence.end, evidence.modality, event)
        for event in events
        for evidence in event.evidence
        if evidence.article_id == article_id
    ]
    return sorted(found, key=lambda m: (m.start, m.end))


def _keys(*names: str | None) -> set[str]:
    return {key for name in names if name and (key := name_key(name))}


def _match_arguments(
    gold: Sequence[GoldParticipant], predicted: Sequence[EventArgument], with_role: bool
) -> int:
    """How many predicted arguments find a gold participant, each gold one used once."""
    used: set[int] = set()
    found = 0
    for argument in predicted:
        key = name_key(argument.name)
        for index, participant in enumerate(gold):
            if index in used or key not in _keys(participant.name, participant.text):
                continue
            if with_role and argument.role != participant.role:
                continue
            used.add(index)
            found += 1
            break
    return found


def _place_right(gold: GoldEvent, predicted: Event) -> bool:
    if gold.place is None or predicted.location is None:
        return gold.place is None and predicted.location is None
    return name_key(predicted.location.name) in _keys(gold.place.name, gold.place.text)


def _count_arguments(
    scores: EventScores, gold: Sequence[GoldParticipant], predicted: Sequence[EventArgument]
) -> None:
    for counts, with_role in ((scores.arguments, True), (scores.arguments_no_role, False)):
        right = _match_arguments(gold, predicted, with_role)
        counts.tp += right
        counts.fp += len(predicted) - right
        counts.fn += len(gold) - right


def score_article(gold: GoldEventArticle, predicted: Sequence[PredictedMention], scores: EventScores) -> None:
    """Add one article's counts to `scores` (module docstring)."""
    scores.articles += 1
    gold_events = gold.events
    untyped = match_spans(
        [(e.start, e.end, _ANY_TYPE) for e in gold_events],
        [(m.start, m.end, _ANY_TYPE) for m in predicted],
        "fuzzy",
    )
    scores.trigger.tp += len(untyped)
    scores.trigger.fp += len(predicted) - len(untyped)
    scores.trigger.fn += len(gold_events) - len(untyped)
    scores.modality_right += sum(gold_events[g].modality == predicted[p].modality for g, p in untyped)

    typed = match_spans(
        [(e.start, e.end, e.type) for e in gold_events],
        [(m.start, m.end, m.event.type) for m in predicted],
        "fuzzy",
    )
    paired_gold = {g for g, _ in typed}
    paired_pred = {p for _, p in typed}
    scores.type.tp += len(typed)
    scores.type.fp += len(predicted) - len(typed)
    scores.type.fn += len(gold_events) - len(typed)
    for g, event in enumerate(gold_events):
        per_type = scores.by_type.setdefault(event.type, Counts())
        if g in paired_gold:
            per_type.tp += 1
        else:
            per_type.fn += 1
    for p, mention in enumerate(predicted):
        if p not in paired_pred:
            scores.by_type.setdefault(mention.event.type, Counts()).fp += 1

    for g, p in typed:
        wanted, found = gold_events[g], predicted[p].event
        scores.typed_pairs += 1
        place_right, date_right = _place_right(wanted, found), wanted.date == found.date
        scores.place_right += place_right
        scores.date_right += date_right
        if wanted.place is not None:
            scores.place_given += 1
            scores.place_given_right += place_right
        if wanted.date is not None:
            scores.date_given += 1
            scores.date_given_right += date_right
        _count_arguments(scores, wanted.participants, found.participants)
    for g, event in enumerate(gold_events):
        if g not in paired_gold:
            _count_arguments(scores, event.participants, ())
    for p, mention in enumerate(predicted):
        if p not in paired_pred:
            _count_arguments(scores, (), mention.event.participants)


def score_events(
    gold: Sequence[GoldEventArticle],
    predicted: Mapping[str, Sequence[Event]],
    texts: Mapping[str, str] | None = None,
    article_ids: Mapping[str, str] | None = None,
) -> EventScores:
    """Score `predicted` (gold doc → that article's events) against `gold`.

    An event's evidence counts for a doc when its `article_id` is `article_ids[doc]` (the id veille
    gave the article), else the doc itself. With `texts` (doc → cleaned text), every article's
    text is checked against the gold's hash and offsets first; a doc missing from `predicted`
    counts as an article where nothing was found.
    """
    scores = EventScores()
    for article in gold:
        if texts is not None:
            if article.doc not in texts:
                raise VeilleError(f"no text was given for gold doc {article.doc}; pass every gold doc's text")
            article.check_text(texts[article.doc])
        article_id = (article_ids or {}).get(article.doc, article.doc)
        score_article(article, predicted_mentions(predicted.get(article.doc, ()), article_id), scores)
    return scores


# ---- baseline: the guidelines' trigger words, nothing else -------------------------------------

# Word starts per type, copied from the trigger table of docs/events_guidelines.md (written before
# the gold was annotated, never adjusted to it). A word is a trigger when it starts with one of them.
BASELINE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "meeting": ("rencontr", "réuni", "sommet", "s'entret", "négociation", "pourparler"),
    "statement": (
        "déclar", "annonc", "affirm", "assur", "indiqu", "expliqu", "précis", "ajout", "confi",
        "répond", "réagi", "démenti", "confirm", "promis", "promet", "discours", "communiqué",
        "interview", "tweet",
    ),
    "accusation": ("accus", "dénon", "reproch", "fustig", "critiqu", "plainte"),
    "appeal": ("appel", "demand", "exhort", "réclam", "exig", "plaid", "revendic", "pétition"),
    "visit": ("visit", "déplacement", "voyage", "tournée"),
    "attack": ("attaqu", "frappe", "bombard", "attentat", "assaut", "offensive", "agress", "tirs"),
    "agreement": ("accord", "signé", "signat", "traité", "compromis", "cessez-le-feu", "pacte"),
    "vote": ("élection", "élu", "réélu", "scrutin", "vote", "voté", "référendum", "primaire", "législatives"),
    "arrest": (
        "arrêté", "arrestation", "interpell", "garde à vue", "mis en examen", "inculp", "écrou",
        "procès", "condamn", "jugé",
    ),
    "protest": ("manifest", "grève", "gréviste", "rassembl", "mobilis", "cortège", "défil", "émeute"),
    "death": ("mort", "décès", "décéd", "succomb", "tué", "tuée", "tuant"),
}  # fmt: skip
_BASELINE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        re.escape(start).replace(r"\ ", r"\s+")
        for start in sorted(
            {s for starts in BASELINE_TRIGGERS.values() for s in starts}, key=len, reverse=True
        )
    )
    + r")[\w-]*",
    re.IGNORECASE,
)
_TYPE_OF = {start: event_type for event_type, starts in BASELINE_TRIGGERS.items() for start in starts}


def baseline_events(text: str, article_id: str) -> list[Event]:
    """Every word of `text` that starts like a trigger of the guidelines' table, as a `happened`
    event of that table's type, with no participant, place or date: the floor a system must beat."""
    events: list[Event] = []
    for match in _BASELINE.finditer(text):
        word = " ".join(match.group(0).casefold().split())  # "garde\nà vue" → "garde à vue"
        start = max((s for s in _TYPE_OF if word.startswith(s)), key=len, default=None)
        if start is None:
            continue
        evidence = EventEvidence(article_id, match.start(), match.end(), "happened")
        events.append(
            Event(f"baseline-{match.start()}", _TYPE_OF[start], "", match.group(0), evidence=[evidence])
        )
    return events


def baseline_extract(batch: list[Article]) -> list[Article]:
    """A pipeline callable that sets each kept article's `events` to `baseline_events`."""
    for article in batch:
        if article.status == KEPT:
            article.events = baseline_events(article.text, article.id)
    return batch


# ---- running an extractor on the gold's documents ------------------------------------------------


def gold_articles(gold: Sequence[GoldEventArticle], corpus_path: Path) -> list[Article]:
    """The gold's documents as cleaned Articles, in gold order: built from the corpus records as
    the JSON-lines reader builds them (`source_id` = the doc, `published` = the record's date)."""
    from veille.engines.local import to_article  # the engine pulls in the store: load it on use

    if not corpus_path.is_file():
        raise VeilleError(
            f"corpus not found at {corpus_path}; pass the path of orangesum_parsed_all.jsonl.gz "
            f"(default {DEFAULT_CORPUS}, relative to the repository root)"
        )
    wanted = {article.doc for article in gold}
    raws: dict[str, RawDoc] = {}
    for record in _records(corpus_path):
        doc = str(record.get("id"))
        if doc in wanted and doc not in raws:
            raws[doc] = RawDoc(
                source_file="events_dev", source_id=doc, text=record.get("article"),
                title=record.get("title"), lead=record.get("heading"), published=record.get("date"),
            )  # fmt: skip
    missing = sorted(wanted - raws.keys())
    if missing:
        raise VeilleError(f"docs {', '.join(missing)} are not in {corpus_path}; is it the right corpus?")
    return CleanStage()([to_article(raws[article.doc]) for article in gold])


def evaluate_events(
    gold_path: Path,
    corpus_path: Path,
    extract: Callable[[list[Article]], list[Article]],
    *,
    progress: bool = True,
) -> EventScores:
    """Run `extract` on the gold's cleaned articles, in batches, and score their `events`.

    `extract` is any pipeline callable (`veille.pipeline.Pipeline` is one) and must return the
    articles it was given; a gold article it drops or rejects stops the run, naming the doc.
    """
    if not gold_path.is_file():
        raise VeilleError(
            f"no gold file at {gold_path}: pass the events gold (default {DEFAULT_GOLD}, relative to "
            "the repository root)"
        )
    gold = read_events_gold(gold_path)
    articles = gold_articles(gold, corpus_path)
    done: dict[str, Article] = {}
    bar: Any = progress_bar() if progress else None
    task = bar.add_task("extracting events from gold documents", total=len(articles)) if bar else None
    try:
        for start in range(0, len(articles), BATCH):
            batch = articles[start : start + BATCH]
            for article in extract(batch):
                article.doc = None  # the spaCy Doc is not needed for scoring and weighs a lot
                done[article.source_id] = article
            if bar is not None:
                bar.update(task, advance=len(batch))
    finally:
        if bar is not None:
            bar.stop()
    for item in gold:
        result = done.get(item.doc)
        if result is None or result.status != KEPT:
            why = "not returned by the extractor" if result is None else f"{result.status}: {result.reason}"
            raise VeilleError(
                f"gold doc {item.doc} was not analysed ({why}); every gold article must be kept to be scored"
            )
    return score_events(
        gold,
        {doc: article.events for doc, article in done.items()},
        {doc: article.text for doc, article in done.items()},
        {doc: article.id for doc, article in done.items()},
    )


# ---- output --------------------------------------------------------------------------------------


def events_table(scores: EventScores, title: str = "Events") -> Any:
    """The figures as a rich Table: P/R/F1 rows, then per type, then accuracies."""
    from rich.table import Table

    table = Table(
        title=f"{title}: {scores.articles} articles, {scores.trigger.tp + scores.trigger.fn} gold mentions"
    )
    for column in ("figure", "gold", "pred", "right", "P", "R", "F1 / acc."):
        table.add_column(column, justify="left" if column == "figure" else "right")

    def row(name: str, counts: Counts) -> None:
        table.add_row(
            name, str(counts.tp + counts.fn), str(counts.tp + counts.fp), str(counts.tp),
            f"{counts.precision:.3f}", f"{counts.recall:.3f}", f"{counts.f1:.3f}",
        )  # fmt: skip

    row("trigger (overlap)", scores.trigger)
    row("type (overlap + type)", scores.type)
    row("arguments, with role", scores.arguments)
    row("arguments, role-free", scores.arguments_no_role)
    for event_type in sorted(scores.by_type):
        counts = scores.by_type[event_type]
        if counts.tp + counts.fp + counts.fn:
            row(f"  type {event_type}", counts)
    for name, right, total in (
        ("place accuracy (typed pairs)", scores.place_right, scores.typed_pairs),
        ("  where the gold gives a place", scores.place_given_right, scores.place_given),
        ("date accuracy (typed pairs)", scores.date_right, scores.typed_pairs),
        ("  where the gold gives a date", scores.date_given_right, scores.date_given),
        ("modality accuracy (trigger pairs)", scores.modality_right, scores.trigger.tp),
    ):
        table.add_row(name, str(total), "", str(right), "", "", f"{right / total if total else 0.0:.3f}")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    """Score the baseline on the gold (veille's own extractor is run by `veille eval events`)."""
    parser = argparse.ArgumentParser(
        prog="python -m veille.eval.events",
        description="Score the trigger-word baseline against the events gold.",
    )
    parser.add_argument("gold", nargs="?", type=Path, default=DEFAULT_GOLD, help=f"default {DEFAULT_GOLD}")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"default {DEFAULT_CORPUS}")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    try:
        scores = evaluate_events(args.gold, args.corpus, baseline_extract, progress=not args.no_progress)
    except (VeilleError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    console = report_console()
    console.print(events_table(scores, f"Events, trigger-word baseline ({args.gold})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
