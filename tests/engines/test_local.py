from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from veille.engines.local import ingest_paths
from veille.model import DUPLICATE, KEPT, REJECTED
from veille.pipeline import default_pipeline
from veille.store import Store

RECORDS = [
    {
        "id": 1,
        "title": "Un",
        "heading": "Chapeau un.",
        "article": "Le Conseil a voté jeudi à Paris.",
        "date": "2020-08-18",
    },
    {
        "id": 2,
        "title": "Deux",
        "heading": "Chapeau un.",
        "article": "Le Conseil a voté jeudi à Paris.",
        "date": "2020-08-17",
    },
    {"id": 3, "title": "Trois", "heading": "", "article": "", "date": "2020-08-18"},
    {
        "id": 4,
        "title": "Four",
        "heading": "",
        "article": "The council voted on Thursday in London after a long debate.",
        "date": "2020-08-18",
    },
]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def ingest(paths: list[Path], db: Path, batch_size: int = 64) -> tuple[Any, dict[str, Any]]:
    with Store.open(str(db)) as store:
        summary = ingest_paths(paths, store, default_pipeline(store), batch_size=batch_size)
        return summary, store.counts()


def statuses(db: Path) -> dict[str, tuple[str, str | None, str | None]]:
    with Store.open(str(db)) as store:
        return {a.source_id: (a.status, a.duplicate_of, a.reason) for a in store.iter_articles()}


def test_local_ingest_records_copies_rejections_and_languages(tmp_path: Path, nlp: Any) -> None:
    summary, counts = ingest([write_jsonl(tmp_path / "a.jsonl", RECORDS)], tmp_path / "v.db")
    assert (summary.records, summary.kept, summary.duplicates) == (4, 2, 1)
    assert summary.rejected == {"empty": 1}
    got = statuses(tmp_path / "v.db")
    assert got["2"][0] == KEPT  # published a day earlier: the first copy
    assert got["1"][0] == DUPLICATE
    assert got["3"] == (REJECTED, None, "empty")
    assert counts["languages"] == {"fr": 2, "en": 1}


def test_local_ingest_twice_changes_nothing(tmp_path: Path, nlp: Any) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    _, first = ingest([source], tmp_path / "v.db")
    before = statuses(tmp_path / "v.db")
    again_summary, again = ingest([source], tmp_path / "v.db")
    assert again == first
    assert statuses(tmp_path / "v.db") == before
    assert again_summary.unchanged == again_summary.records == 4


def test_local_copies_do_not_depend_on_ingest_order(tmp_path: Path, nlp: Any) -> None:
    late = write_jsonl(tmp_path / "late.jsonl", [RECORDS[0]])
    early = write_jsonl(tmp_path / "early.jsonl", [RECORDS[1]])
    ingest([late], tmp_path / "one.db")
    ingest([early], tmp_path / "one.db")
    ingest([early, late], tmp_path / "two.db")
    assert statuses(tmp_path / "one.db") == statuses(tmp_path / "two.db")
    with Store.open(str(tmp_path / "one.db")) as store:
        kept = [a for a in store.iter_articles() if a.status == KEPT]
        assert [a.source_file for a in kept] == ["early.jsonl"]
        promoted = store.get_article(kept[0].id)
        assert promoted is not None and promoted.mentions, "the promoted first copy must carry its analysis"


def test_local_batch_size_does_not_change_the_result(tmp_path: Path, nlp: Any) -> None:
    source = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    ingest([source], tmp_path / "big.db", batch_size=64)
    ingest([source], tmp_path / "small.db", batch_size=1)
    assert statuses(tmp_path / "big.db") == statuses(tmp_path / "small.db")


def test_local_seed_pages_are_cleaned_with_their_sidecar_metadata(
    tmp_path: Path, seeds_dir: Path, nlp: Any
) -> None:
    copy = tmp_path / "seeds"
    shutil.copytree(seeds_dir, copy)
    summary, _ = ingest([copy], tmp_path / "v.db")
    assert (summary.records, summary.kept) == (2, 2)
    with Store.open(str(tmp_path / "v.db")) as store:
        parisien = store.find_articles("000_2c3758c6a7c524fe.txt")[0]
        blog = store.find_articles("004_dadb0c7cacfdfb7b.txt")[0]
    assert (parisien.published, parisien.source_name, parisien.language) == (
        "2016-01-21",
        "Le Parisien",
        "fr",
    )
    assert blog.published == "2016-01-18"
    for gone in (
        "Lire la suite",
        "Vous devez être membre",
        "connectez-vous",
        "Captcha",
        "Connexion",
        "Répondre à",
    ):
        assert gone not in parisien.text and gone not in blog.text
    for kept in (
        "La coalition militaire internationale",
        "A l'issue de leur réunion",
        "La Russie à nouveau accusée",
        "Trois objectifs clé",
        "Très impliquée militairement",
    ):
        assert kept in parisien.text
    for kept in (
        "Résultat des attentas",
        "Cette semaine une réunion inédite",
        "Aujourd’hui, les résultats",
        "Les résultats sont là",
    ):
        assert kept in blog.text
    people = {m.text for m in parisien.mentions + blog.mentions if m.label == "PER"}
    assert {"Ashton Carter", "Jean-Yves Le Drian", "Marise Payne", "Michael Fallon"} <= people


def test_local_gzipped_corpus_slice_ingests(tmp_path: Path, nlp: Any) -> None:
    source = tmp_path / "slice.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as out:
        for r in RECORDS[:2]:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary, _ = ingest([source], tmp_path / "v.db")
    assert (summary.kept, summary.duplicates) == (1, 1)


WIRE = (
    "Le gouvernement a annoncé jeudi un plan de soutien de sept milliards d'euros pour les soignants des "
    "hôpitaux publics, après plusieurs semaines de négociations avec les syndicats de la fonction publique "
    "hospitalière. Les syndicats jugent toutefois l'enveloppe insuffisante et appellent à poursuivre la "
    "mobilisation dans les établissements de santé de tout le pays jusqu'à la fin du mois de "
    "juillet prochain."
)


def test_local_near_copies_become_duplicates_of_the_first(tmp_path: Path, nlp: Any) -> None:
    edited = WIRE.replace("juillet prochain.", "juillet prochain, selon l'AFP.")
    records = [
        {"id": 10, "title": "Copie", "article": edited, "date": "2020-07-03"},
        {"id": 11, "title": "Original", "article": WIRE, "date": "2020-07-02"},
    ]
    summary, _ = ingest([write_jsonl(tmp_path / "wire.jsonl", records)], tmp_path / "v.db")
    got = statuses(tmp_path / "v.db")
    assert got["11"][0] == KEPT
    assert got["10"][0] == DUPLICATE
    with Store.open(str(tmp_path / "v.db")) as store:
        original = store.find_articles("wire.jsonl")
        ids = {a.source_id: a.id for a in original}
    assert got["10"][1] == ids["11"]
    assert (summary.kept, summary.duplicates) == (1, 1)


def test_local_a_stage_failing_on_one_article_costs_that_article_only(
    tmp_path: Path, nlp: Any, monkeypatch: Any
) -> None:
    import veille.quotes.stage as quotes_stage

    real = quotes_stage.find_quotes

    def fragile(article: Any) -> Any:
        if article.source_id == "2":
            raise IndexError("list index out of range")
        return real(article)

    monkeypatch.setattr(quotes_stage, "find_quotes", fragile)
    source = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    summary, counts = ingest([source], tmp_path / "v.db")
    assert (summary.kept, summary.duplicates, summary.stage_failures) == (2, 1, {"quotes": 1})
    assert counts["stage_failures_by_stage"] == {"quotes": 1}
    with Store.open(str(tmp_path / "v.db")) as store:
        failed = {a.source_id: a.failures for a in store.iter_articles() if a.failures}
    assert list(failed) == ["2"] and failed["2"][0].stage == "quotes"
    # Once the bug is fixed, a rerun processes the failed article again and only it.
    monkeypatch.setattr(quotes_stage, "find_quotes", real)
    again, counts = ingest([source], tmp_path / "v.db")
    assert (again.unchanged, again.stage_failures) == (3, {})
    assert counts["stage_failures_by_stage"] == {}


def test_local_engine_starts_the_next_batch_before_finishing_the_last(tmp_path: Path) -> None:
    from veille.clean import CleanStage
    from veille.clean.language import LanguageStage
    from veille.dedup.exact import ContentHashStage
    from veille.model import Article
    from veille.pipeline import Pipeline

    events: list[tuple[str, list[str]]] = []

    class Background:
        """A stage that works in the background, as spaCy in worker processes does."""

        name = "background"
        requires: frozenset[str] = frozenset()
        provides: frozenset[str] = frozenset()

        def submit(self, batch: list[Article]) -> Any:
            events.append(("start", [a.source_id for a in batch]))

            def finish() -> list[Article]:
                events.append(("finish", [a.source_id for a in batch]))
                return batch

            return finish

        def __call__(self, batch: list[Article]) -> list[Article]:
            return self.submit(batch)()  # type: ignore[no-any-return]

    records = [{**RECORDS[0], "id": i, "article": f"Le Conseil a voté {i} fois à Paris."} for i in range(5)]
    path = write_jsonl(tmp_path / "r.jsonl", records)
    pipeline = Pipeline([CleanStage(), LanguageStage(), ContentHashStage(), Background()])
    with Store.open(str(tmp_path / "v.db")) as store:
        summary = ingest_paths([path], store, pipeline, batch_size=2)
        assert store.counts()["articles"] == 5 and summary.records == 5
    assert events == [
        ("start", ["0", "1"]), ("start", ["2", "3"]), ("finish", ["0", "1"]),
        ("start", ["4"]), ("finish", ["2", "3"]), ("finish", ["4"]),
    ]  # fmt: skip


def test_local_a_record_repeated_in_the_next_batch_is_stored_once(tmp_path: Path, nlp: Any) -> None:
    path = write_jsonl(tmp_path / "r.jsonl", [RECORDS[0], RECORDS[1], RECORDS[0]])
    summary, counts = ingest([path], tmp_path / "v.db", batch_size=2)
    assert counts["articles"] == 2 and summary.unchanged == 1
