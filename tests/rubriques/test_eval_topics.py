"""The topics evaluation: its scoring on a hand-made confusion, the label mapping, and the
command skipping cleanly when the shared data is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import veille
from conftest import SHARED_DATA
from veille.eval.topics import LABEL_OF, baseline_predictions, label_of, load_topics, score
from veille.rubriques import NAMES


def test_eval_topics_score_on_hand_made_confusion() -> None:
    # business: 2 gold, predicted right once, once as health; health: 2 gold, both right, plus the
    # business one wrongly; politics: 1 gold predicted "other" (no counterpart).
    gold = ["business", "business", "health", "health", "politics"]
    predicted = ["business", "health", "health", "health", "other"]
    s = score(gold, predicted, labels=("business", "health", "politics"))
    assert (s.per_class["business"].precision, s.per_class["business"].recall) == (1.0, 0.5)
    assert s.per_class["business"].f1 == pytest.approx(2 / 3)
    assert s.per_class["health"].precision == pytest.approx(2 / 3) and s.per_class["health"].recall == 1.0
    assert s.per_class["health"].f1 == pytest.approx(0.8)
    assert s.per_class["politics"].f1 == 0.0 and s.per_class["politics"].support == 1
    assert s.macro_f1 == pytest.approx((2 / 3 + 0.8 + 0) / 3)
    assert s.accuracy == pytest.approx(3 / 5) and s.other == 1


def test_eval_topics_score_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="2 gold labels but 1 predictions"):
        score(["health", "sports"], ["health"])


def test_eval_topics_label_mapping_uses_the_primary_rubrique() -> None:
    assert set(LABEL_OF) <= set(NAMES)
    assert label_of(["culture", "sport"]) == "other"  # primary first, never a later one
    assert label_of(["sport", "culture"]) == "sports" and label_of([]) == "other"


def test_eval_topics_load_and_baseline_on_a_tiny_tsv(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    rows = ["category\theadline\ttext\turl"]
    words = {"sports": "match but joueur équipe", "health": "vaccin hôpital malade médecin"}
    for label, text in words.items():
        rows += [f"{label}\tTitre {i}\t{text} {i}\thttp://x/{label}{i}" for i in range(4)]
    path = tmp_path / "dev.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    items = load_topics(path)
    assert len(items) == 8 and items[0].label == "sports"
    assert baseline_predictions(items, folds=2) == [item.label for item in items]


def test_eval_topics_command_skips_without_shared_data(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # ../shared/data/topics/dev.tsv does not exist from here
    code, out, err = veille(monkeypatch, capsys, "eval", "topics")
    assert code == 0 and "skipped: no MasakhaNEWS French dev set" in err and out == ""


def test_eval_topics_command_refuses_a_missing_explicit_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = veille(monkeypatch, capsys, "eval", "topics", str(tmp_path / "none.tsv"))
    assert code == 2 and "no MasakhaNEWS TSV at" in err


@pytest.mark.skipif(not (SHARED_DATA / "topics" / "dev.tsv").is_file(), reason="no ../shared/data/topics")
def test_eval_topics_loads_the_shared_dev_set() -> None:
    items = load_topics(SHARED_DATA / "topics" / "dev.tsv")
    assert len(items) == 211 and {item.label for item in items} == set(LABEL_OF.values())


def test_eval_topics_command_prints_every_system_on_a_tiny_tsv(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("sklearn")
    rows = ["category\theadline\ttext\turl"]
    texts = {
        "sports": "L'attaquant a marqué un but lors du match de championnat.",
        "health": "Les médecins de l'hôpital soignent les patients atteints de paludisme.",
    }
    for label, text in texts.items():
        rows += [f"{label}\tTitre {i}\t{text}\t" for i in range(3)]
    path = tmp_path / "dev.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, _ = veille(
        monkeypatch, capsys, "eval", "topics", str(path), "--no-spacy", "--no-progress", "--folds", "2"
    )
    assert code == 0
    for system in ("veille", "rules alone", "phrases alone", "pseudo-labels: rules + lexical", "TF-IDF"):
        assert system in out
    assert "macro-F1" in out and "rubriques" in out  # the timing table
