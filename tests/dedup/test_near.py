from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from veille.clean.normalize import match_key
from veille.dedup.exact import ContentHashStage, ExactCopiesStage
from veille.dedup.near import (
    NearCopiesStage,
    NearCopyIndex,
    banding,
    estimated_jaccard,
    shingles,
    signature,
    signature_settings,
    signature_to_minhash,
    words,
)
from veille.errors import ConfigError
from veille.model import KEPT, REJECTED, Article
from veille.pipeline import READER_FIELDS, Pipeline

# A vocabulary of distinct made-up words, so that every 5-word shingle of a text occurs once and the
# true Jaccard of two texts can be counted by hand.
VOCAB = [f"mot{i}" for i in range(5000)]


def story(seed: int, n: int = 300) -> list[str]:
    return random.Random(seed).sample(VOCAB, n)


def text(tokens: list[str]) -> str:
    return " ".join(tokens)


def jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def article(aid: str, body: str, status: str = KEPT) -> Article:
    return Article(id=aid, source_file="f.jsonl", source_id=aid, text=body, status=status)


class Signatures:
    def __init__(self, pairs: list[tuple[str, bytes]]) -> None:
        self.pairs = pairs
        self.calls = 0

    def iter_signatures(self) -> Iterator[tuple[str, bytes]]:
        self.calls += 1
        return iter(self.pairs)


def test_near_shingles_are_five_word_windows_of_the_matching_form() -> None:
    assert shingles("Un deux TROIS quatre cinq six") == {
        b"un deux trois quatre cinq",
        b"deux trois quatre cinq six",
    }


def test_near_shingles_ignore_punctuation_and_typography() -> None:
    assert shingles("jeudi.Le  gouvernement a dit « non »") == shingles("Jeudi. Le gouvernement a dit «non».")


def test_near_words_are_the_words_of_match_key() -> None:
    tricky = "L’ÉTAT lʼa dit\u00a0: « Non »,\tjeudi.Le ﬁn `x´ y′ Ⅻ ǅ ß İ"
    assert words(tricky) == re.findall(r"\w+", match_key(tricky))


def test_near_shingles_of_a_short_text_is_one_shingle_and_of_an_empty_text_none() -> None:
    assert shingles("Trois petits mots") == {b"trois petits mots"}
    assert shingles("  ") == set()


def test_near_signature_is_the_same_in_another_process() -> None:
    body = text(story(1))
    code = f"from veille.dedup.near import signature; print(signature({body!r}).hex())"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert other.stdout.strip() == signature(body).hex()


def test_near_signature_is_compact_and_rebuilds_its_minhash() -> None:
    sig = signature(text(story(1)), num_perm=64, seed=7)
    assert len(sig) == 8 + 4 * 64
    assert signature_settings(sig) == (64, 7)
    assert signature_to_minhash(sig).jaccard(signature_to_minhash(sig)) == 1.0


def test_near_estimated_jaccard_is_minhash_jaccard() -> None:
    a, b = signature(text(story(1))), signature(text(story(1)[:250]))
    assert estimated_jaccard(a, b) == signature_to_minhash(a).jaccard(signature_to_minhash(b))


def test_near_signature_with_other_settings_is_refused_with_the_fix() -> None:
    index = NearCopyIndex(num_perm=128)
    with pytest.raises(ConfigError, match=r"made with num_perm=64, seed=1.*run with the settings"):
        index.add("a", signature(text(story(1)), num_perm=64))


def test_near_edited_copy_is_found() -> None:
    original = story(1)
    edited = list(original)
    for position, word in zip((40, 150, 260), ("changé", "modifié", "remplacé"), strict=True):
        edited[position] = word
    assert jaccard(text(original), text(edited)) > 0.85
    index = NearCopyIndex()
    index.add("orig", signature(text(original)))
    assert [aid for aid, _ in index.query(signature(text(edited)))] == ["orig"]


def test_near_truncated_copy_is_found_below_its_jaccard_and_not_above() -> None:
    original = story(1)
    truncated = original[:270]  # the last 10 % cut
    true = jaccard(text(original), text(truncated))
    assert 0.85 < true < 0.92
    for threshold, expected in ((0.8, ["orig"]), (0.95, [])):
        index = NearCopyIndex(threshold=threshold)
        index.add("orig", signature(text(original)))
        assert [aid for aid, _ in index.query(signature(text(truncated)))] == expected


def test_near_copy_that_lost_a_third_is_not_found_at_the_default_threshold() -> None:
    original = story(1)
    cut = original[:200]
    assert jaccard(text(original), text(cut)) < 0.7
    index = NearCopyIndex()
    index.add("orig", signature(text(original)))
    assert index.query(signature(text(cut))) == []


def test_near_threshold_is_configurable() -> None:
    original = story(1)
    cut = original[:200]  # true Jaccard about 0.66
    index = NearCopyIndex(threshold=0.5)
    index.add("orig", signature(text(original)))
    assert [aid for aid, _ in index.query(signature(text(cut)))] == ["orig"]
    with pytest.raises(ConfigError, match="threshold must be in"):
        NearCopyIndex(threshold=1.5)


def test_near_different_article_on_the_same_topic_is_not_found() -> None:
    shared = story(9, 40)  # the same background paragraph in both stories
    first, second = story(1, 260) + shared, story(2, 260) + shared
    assert 0.0 < jaccard(text(first), text(second)) < 0.2
    index = NearCopyIndex()
    index.add("first", signature(text(first)))
    assert index.query(signature(text(second))) == []


def test_near_article_never_matches_itself() -> None:
    index = NearCopyIndex()
    sig = signature(text(story(1)))
    index.add("a", sig)
    assert index.query(sig, exclude="a") == []
    assert index.query(sig) == [("a", 1.0)]


def test_near_exact_copies_share_one_entry_and_are_all_reported() -> None:
    index = NearCopyIndex()
    sig = signature(text(story(1)))
    for aid in ("c", "a", "b"):
        index.add(aid, sig)
    assert len(index.lsh.keys) == 1
    assert index.query(signature(text(story(1)[:280])), exclude="b") == [
        ("a", pytest.approx(0.9, abs=0.1)),
        ("c", pytest.approx(0.9, abs=0.1)),
    ]
    index.remove("c")  # the representative goes: another copy takes its place
    assert [aid for aid, _ in index.query(sig)] == ["a", "b"]


def test_near_changed_text_replaces_the_signature() -> None:
    index = NearCopyIndex()
    index.add("a", signature(text(story(1))))
    index.add("a", signature(text(story(2))))
    assert index.query(signature(text(story(1)))) == []
    assert [aid for aid, _ in index.query(signature(text(story(2))))] == ["a"]


def test_near_banding_makes_a_pair_at_the_threshold_a_candidate() -> None:
    bands, rows = banding(0.8, 128)
    assert bands * rows <= 128
    assert 1 - (1 - 0.8**rows) ** bands >= 0.99


def test_near_stage_copies_in_one_batch_find_each_other() -> None:
    original = story(1)
    batch = [article("b", text(original[:280])), article("a", text(original)), article("z", text(story(2)))]
    NearCopiesStage()(batch)
    found = {a.id: [aid for aid, _ in a.near_copies] for a in batch}
    # Indexed in id order: "a" is met first and finds nothing, "b" finds "a"; the store makes it symmetric.
    assert found == {"a": [], "b": ["a"], "z": []}
    assert all(a.minhash is not None for a in batch)


def test_near_stage_loads_the_index_from_the_signature_source_once() -> None:
    original = story(1)
    source = Signatures([("stored", signature(text(original)))])
    stage = NearCopiesStage(source)
    stage([article("new", text(original[:285]))])
    batch = stage([article("newer", text(original[5:]))])
    assert [aid for aid, _ in batch[0].near_copies] == ["new", "stored"]
    assert source.calls == 1


def test_near_stage_rerun_does_not_report_the_article_itself() -> None:
    body = text(story(1))
    stage = NearCopiesStage(Signatures([("a", signature(body)), ("b", signature(text(story(2))))]))
    (again,) = stage([article("a", body)])
    assert again.near_copies == []
    assert again.minhash == signature(body)


def test_near_stage_gives_short_texts_no_signature_and_no_copies() -> None:
    stage = NearCopiesStage(min_words=30)
    short = " ".join(story(1, 29))
    batch = stage([article("a", short), article("b", short)])
    assert [(a.minhash, a.near_copies) for a in batch] == [(None, []), (None, [])]
    assert stage.counters["too_short"] == 2


def test_near_stage_leaves_rejected_articles_alone() -> None:
    (rejected,) = NearCopiesStage()([article("a", text(story(1)), status=REJECTED)])
    assert (rejected.minhash, rejected.near_copies) == (None, [])


def test_near_stage_fits_after_the_exact_copy_stages() -> None:
    pipeline = Pipeline(
        [ContentHashStage(), ExactCopiesStage(), NearCopiesStage()], initial_fields=READER_FIELDS | {"text"}
    )
    assert pipeline.names == ["content_hash", "exact_copies", "near_copies"]


def test_near_stage_forgets_a_stored_article_whose_new_text_is_too_short() -> None:
    body = text(story(1))
    stage = NearCopiesStage(Signatures([("a", signature(body))]))
    stage([article("a", "Article retiré.")])
    (copy,) = stage([article("b", body)])
    assert copy.near_copies == []


def test_near_index_trim_stops_growth_at_its_capacity() -> None:
    index = NearCopyIndex(capacity=3)
    for n in range(6):
        index.add(f"a{n}", signature(text(story(n))))
        index.trim()
        assert len(index) == min(n + 1, 3)
    assert len(index.lsh.keys) == 3
    assert [aid for aid, _ in index.query(signature(text(story(5))))] == ["a5"]


def test_near_stage_finds_a_copy_inside_the_window_and_not_one_outside() -> None:
    stage = NearCopiesStage(Signatures([]))
    stage.index.capacity = 2
    stage([article("old", text(story(1)))])
    stage([article("mid", text(story(2)))])
    stage([article("new", text(story(3)))])  # "old" is now 3 articles back: forgotten
    (late, recent) = stage([article("late", text(story(1)[:285])), article("recent", text(story(3)[:285]))])
    assert late.near_copies == []
    assert [aid for aid, _ in recent.near_copies] == ["new"]
    assert stage.counters["forgotten"] == 3


def test_near_stage_never_forgets_inside_a_batch_or_what_the_store_loaded() -> None:
    stage = NearCopiesStage(Signatures([("stored", signature(text(story(9))))]))
    stage.index.capacity = 1
    batch = stage([article(f"b{n}", text(story(n))) for n in range(3)] + [article("c", text(story(0)[:285]))])
    assert [aid for aid, _ in batch[-1].near_copies] == ["b0"]
    (later,) = stage([article("d", text(story(9)[:285]))])
    assert [aid for aid, _ in later.near_copies] == ["stored"]
    assert len(stage.index) == 2  # "stored" and the last article indexed
