from __future__ import annotations

from collections.abc import Iterable

from veille.dedup.exact import ContentHashStage, ExactCopiesStage, content_hash
from veille.model import DUPLICATE, KEPT, REJECTED, Article


def article(aid: str, text: str, published: str | None = None, status: str = KEPT) -> Article:
    return Article(
        id=aid, source_file="f.jsonl", source_id=aid, text=text, published=published, status=status
    )


class FakeIndex:
    def __init__(self, firsts: dict[str, tuple[str | None, str]]) -> None:
        self.firsts = firsts
        self.asked: list[set[str]] = []

    def first_copies(self, hashes: Iterable[str]) -> dict[str, tuple[str | None, str]]:
        wanted = set(hashes)
        self.asked.append(wanted)
        return {h: v for h, v in self.firsts.items() if h in wanted}


def run(batch: list[Article], index: FakeIndex | None = None) -> list[Article]:
    return ExactCopiesStage(index)(ContentHashStage()(batch))


def test_exact_hash_ignores_typography_case_and_spacing() -> None:
    assert content_hash("L’EI a  reculé\u00a0!") == content_hash("l'EI a reculé !")
    assert content_hash("L'EI a reculé") != content_hash("L'EI n'a pas reculé")


def test_exact_copies_earliest_published_is_the_first_copy() -> None:
    late, early = article("b", "Même texte.", "2020-08-19"), article("c", "Même texte.", "2020-08-18")
    run([late, early])
    assert (early.status, early.duplicate_of) == (KEPT, None)
    assert (late.status, late.duplicate_of) == (DUPLICATE, "c")


def test_exact_copies_same_date_smallest_id_wins() -> None:
    b, a = article("b", "Même texte.", "2020-08-18"), article("a", "Même texte.", "2020-08-18")
    run([b, a])
    assert a.status == KEPT
    assert (b.status, b.duplicate_of) == (DUPLICATE, "a")


def test_exact_copies_undated_copy_comes_after_dated_ones() -> None:
    undated, dated = article("a", "Même texte."), article("z", "Même texte.", "2020-08-18")
    run([undated, dated])
    assert dated.status == KEPT
    assert undated.duplicate_of == "z"


def test_exact_copies_store_first_copy_is_respected() -> None:
    new = article("n", "Texte déjà vu.", "2020-08-19")
    index = FakeIndex({content_hash("Texte déjà vu."): ("2020-08-18", "old")})
    run([new], index)
    assert (new.status, new.duplicate_of) == (DUPLICATE, "old")


def test_exact_copies_earlier_newcomer_takes_over_from_the_store() -> None:
    new = article("n", "Texte déjà vu.", "2020-08-01")
    run([new], FakeIndex({content_hash("Texte déjà vu."): ("2020-08-18", "old")}))
    assert new.status == KEPT


def test_exact_copies_rerun_of_the_first_copy_stays_kept() -> None:
    same = article("old", "Texte déjà vu.", "2020-08-18")
    run([same], FakeIndex({content_hash("Texte déjà vu."): ("2020-08-18", "old")}))
    assert same.status == KEPT


def test_exact_copies_rejected_articles_are_left_alone() -> None:
    bad = article("r", "", status=REJECTED)
    bad.reason = "empty"
    run([bad])
    assert (bad.status, bad.reason, bad.content_hash) == (REJECTED, "empty", None)
