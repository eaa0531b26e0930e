"""The stories scorers on hand-made clusterings, the two baselines on tiny articles, a whole run."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from pathlib import Path

import pytest

from veille.errors import VeilleError
from veille.eval.stories import (
    THRESHOLDS,
    bcubed,
    evaluate_stories,
    main,
    pairwise,
    singletons,
    stories_table,
    tfidf_agglomerative,
)
from veille.model import Article

# Story "q" holds a, b, c; story "t" holds d alone.
GOLD = {"a": "q", "b": "q", "c": "q", "d": "t"}

QUAKE = [
    (
        "Séisme aux Philippines",
        "Un séisme de magnitude 6,6 a frappé Masbate aux Philippines, faisant un mort.",
    ),
    ("Philippines: un fort séisme", "Le séisme de Masbate, aux Philippines, a fait un mort et des blessés."),
    ("Masbate après le séisme", "Aux Philippines, Masbate compte ses blessés au lendemain du séisme."),
]
TOUR = [
    (
        "Tour de France: fin des miss",
        "Le Tour de France supprime les hôtesses des podiums, annonce Prudhomme.",
    ),
    ("Podiums du Tour de France", "Christian Prudhomme annonce la fin des hôtesses sur les podiums du Tour."),
    (
        "Tour de France et podiums",
        "Plus d'hôtesses sur les podiums: le Tour de France change, dit Prudhomme.",
    ),
]


def articles() -> list[Article]:
    pairs = QUAKE + TOUR
    return [
        Article(id=str(i), source_file="t", source_id=str(i), title=t, text=x)
        for i, (t, x) in enumerate(pairs)
    ]


def approx(scores: tuple[float, float, float]) -> tuple[float, float, float]:
    return (round(scores[0], 4), round(scores[1], 4), round(scores[2], 4))


def test_stories_eval_perfect_clustering_scores_one() -> None:
    predicted = {"a": "x", "b": "x", "c": "x", "d": "y"}
    assert bcubed(GOLD, predicted) == (1.0, 1.0, 1.0)
    assert pairwise(GOLD, predicted) == (1.0, 1.0, 1.0)


def test_stories_eval_all_singletons_by_hand() -> None:
    predicted = {doc: doc for doc in GOLD}
    # precision 1 everywhere; recall 1/3 for a, b, c and 1 for d: (1/3 * 3 + 1) / 4 = 0.5.
    assert approx(bcubed(GOLD, predicted)) == (1.0, 0.5, round(2 * 0.5 / 1.5, 4))
    # no predicted pair: precision 0 by convention, and none of the 3 gold pairs is found.
    assert pairwise(GOLD, predicted) == (0.0, 0.0, 0.0)


def test_stories_eval_all_in_one_by_hand() -> None:
    predicted = dict.fromkeys(GOLD, "everything")
    # precision 3/4 for a, b, c and 1/4 for d: (2.25 + 0.25) / 4 = 0.625; recall 1.
    assert approx(bcubed(GOLD, predicted)) == (0.625, 1.0, round(2 * 0.625 / 1.625, 4))
    # 6 predicted pairs, the 3 gold pairs among them.
    assert approx(pairwise(GOLD, predicted)) == (0.5, 1.0, round(2 * 0.5 / 1.5, 4))


def test_stories_eval_missing_doc_is_a_singleton_and_extra_docs_are_ignored() -> None:
    partial = {"a": "x", "b": "x", "zz": "x"}  # c and d left out, zz not in the gold
    explicit = {"a": "x", "b": "x", "c": "own-c", "d": "own-d"}
    assert bcubed(GOLD, partial) == bcubed(GOLD, explicit)
    assert pairwise(GOLD, partial) == pairwise(GOLD, explicit)
    # a cluster id equal to a missing doc's id must not pull that doc in
    assert bcubed(GOLD, {"a": "c", "b": "c"}) == bcubed(GOLD, explicit)


def test_stories_eval_bcubed_refuses_an_empty_gold() -> None:
    with pytest.raises(VeilleError, match="the gold holds no document"):
        bcubed({}, {})


def test_stories_eval_singletons_baseline_puts_every_article_alone() -> None:
    found = singletons(articles())
    assert found == {str(i): str(i) for i in range(6)}


def test_stories_eval_tfidf_baseline_finds_two_obvious_stories() -> None:
    gold = {str(i): "quake" if i < 3 else "tour" for i in range(6)}
    best = max(bcubed(gold, tfidf_agglomerative(articles(), t))[2] for t in THRESHOLDS)
    assert best == 1.0
    # the two stories share no word (distance 1): only a threshold above 1 merges them
    assert len(set(tfidf_agglomerative(articles(), 0.999).values())) == 2
    assert len(set(tfidf_agglomerative(articles(), 1.5).values())) == 1
    assert len(set(tfidf_agglomerative(articles(), 0.001).values())) == 6


def write_corpus_and_gold(tmp_path: Path) -> tuple[Path, Path]:
    rows = [
        {
            "id": 10 + i,
            "date": "2020-08-18" if i % 2 else "2020-08-19",
            "title": t,
            "heading": "",
            "article": x,
        }
        for i, (t, x) in enumerate(QUAKE + TOUR)
    ]
    rows.append({"id": 99, "date": "2020-08-20", "title": "Autre jour", "heading": "", "article": "Rien."})
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    header = {"_about": "test", "days": ["2020-08-18", "2020-08-19"], "corpus": str(corpus)}
    stories = [
        {"story": "quake", "title": "séisme", "docs": ["10", "11", "12"], "note": ""},
        {"story": "tour", "title": "tour", "docs": ["13", "14", "15"], "note": ""},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(row) + "\n" for row in [header, *stories]), encoding="utf-8")
    return gold, corpus


def test_stories_eval_runs_a_clusterer_beside_both_baselines(tmp_path: Path) -> None:
    gold, corpus = write_corpus_and_gold(tmp_path)
    seen: list[list[str]] = []

    def by_title_word(batch: list[Article]) -> Mapping[str, str]:
        seen.append([article.id for article in batch])
        return {a.id: "quake" if "séisme" in a.text.lower() else "tour" for a in batch}

    report = evaluate_stories(gold, corpus, by_title_word, progress=False, name="mine")
    # date order, then id: the three of the 18th (odd i) first, the 20th left out
    assert seen == [["11", "13", "15", "10", "12", "14"]]
    assert [s.name for s in report.systems] == ["mine", "singletons", "tfidf_agglomerative"]
    mine, alone, tfidf = report.systems
    assert mine.bcubed == (1.0, 1.0, 1.0) and mine.clusters == 2
    assert approx(alone.bcubed)[:2] == (1.0, round(1 / 3, 4)) and alone.clusters == 6
    assert tfidf.threshold in THRESHOLDS and tfidf.bcubed[2] == 1.0
    assert (report.articles, report.stories, report.gold_singletons) == (6, 2, 0)
    assert len(report.tfidf_curve) == len(THRESHOLDS)


def test_stories_eval_table_shows_every_system(tmp_path: Path) -> None:
    from rich.console import Console

    gold, corpus = write_corpus_and_gold(tmp_path)
    report = evaluate_stories(gold, corpus, None, progress=False)
    console = Console(width=150, record=True)
    console.print(stories_table(report))
    text = console.export_text()
    assert "singletons" in text and "tfidf_agglomerative @ " in text and "oracle" in text
    assert "6 articles of 2020-08-18, 2020-08-19, 2 gold stories" in text


def test_stories_eval_main_names_what_to_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "absent.jsonl"), "--no-progress"]) == 1
    assert "no gold file at" in capsys.readouterr().err
    gold, _ = write_corpus_and_gold(tmp_path)
    assert main([str(gold), "--corpus", str(tmp_path / "absent.gz"), "--no-progress"]) == 1
    assert "corpus not found at" in capsys.readouterr().err
