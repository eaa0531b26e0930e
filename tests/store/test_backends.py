"""The same articles give byte-identical exports from SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from veille.model import Article, DroppedLine, Entity, Mention, Role
from veille.store import Store, export

MakeArticle = Callable[..., Article]  # the make_article fixture (conftest.py)
Wipe = Callable[[Store], None]  # the wipe fixture (conftest.py)


def _batches(make_article: MakeArticle) -> list[list[Article]]:
    # Ids whose order differs between byte order and a locale's collation (case, accents, '_', '-').
    text = "«\u00a0C’est le moment\u00a0», a plaidé Le\u202fDrian à Paris."
    paris = text.index("Paris")
    return [
        [
            make_article(
                "B",
                text,
                published="2016-01-18T10:00:00+01:00",
                author="Anne Ély",
                dropped_lines=[DroppedLine("0", "boilerplate:counter")],
                mentions=[Mention("B", paris, paris + 5, "Paris", "LOC", "É-paris", "metonym")],
                entities=[
                    Entity("É-paris", "Paris", "LOC", "city", ["Paris"], kb_id="city:paris"),
                    Entity(
                        "B-drian",
                        "Le\u202fDrian",
                        "PER",
                        aliases=["Le\u202fDrian"],
                        roles=[Role("ministre", None, "France", "x", "B", "2016-01-18", 0, 9)],
                    ),
                ],
            ),
            make_article("a", text, content_hash="hash-B", published="2016-01-18"),
            make_article("É", "Autre texte.", partial=True, minhash=b"\x00\xff"),
            make_article("_z", "", status="rejected", reason="empty", reason_detail="line 2"),
        ],
        [
            make_article("e-1", "Texte voisin.", near_copies=[("É", 0.81)], published="2015-12-31"),
            make_article(
                "Z",
                "Zèbre.",
                mentions=[Mention("Z", 0, 5, "Zèbre", "MISC", "Q1")],
                entities=[Entity("Q1", "Zèbre", "MISC", aliases=["Zèbre", "zèbre"])],
            ),
        ],
    ]


def test_backends_sqlite_and_postgresql_export_identical_bytes(
    tmp_path: Path, pg_url: str, make_article: MakeArticle, wipe: Wipe
) -> None:
    outputs = {}
    for name, where in (("sqlite", str(tmp_path / "v.db")), ("postgresql", pg_url)):
        with Store.open(where) as store:
            wipe(store)
            for batch in _batches(make_article):
                store.upsert(batch)
            export(store, tmp_path / name)
        outputs[name] = {
            kind: (tmp_path / name / f"{kind}.jsonl").read_bytes()
            for kind in ("articles", "mentions", "entities")
        }
    assert outputs["sqlite"] == outputs["postgresql"]
    lines = outputs["sqlite"]["articles"].decode("utf-8").splitlines()
    assert [line.split('"', 4)[3] for line in lines] == ["B", "Z", "_z", "a", "e-1", "É"]  # code point order
    assert '"status": "duplicate", "reason": null, "reason_detail": null, "duplicate_of": "e-1"' in lines[-1]
    entities = outputs["sqlite"]["entities"].decode("utf-8").splitlines()
    assert [line.split('"', 4)[3] for line in entities] == ["B-drian", "Q1", "É-paris"]
