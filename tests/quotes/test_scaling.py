"""The quotes finder's work grows linearly with the article (issue 11: it was quadratic).

Work is counted as the lines of `veille.quotes` executed (a trace), not as seconds, so that
the test does not depend on how fast or how busy the machine is. Each loop iteration executes
a line, so a scan of every quote or mention per quote shows up as quadratic growth.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from veille.quotes import find_in_doc
from veille.quotes.marks import find_quotations
from veille.quotes.view import ArticleView, MentionRef

QUOTES_DIR = str(Path(find_in_doc.__code__.co_filename).parent)


def _bench_sentences() -> list[str]:
    """The varied sentences bench/quotes_scaling.py times (direct quotes with inverted incises and
    pronouns — "a-t-il ajouté" sends the finder back to the last person named —, "selon X",
    partial and indirect speech): one list for the benchmark and this test."""
    path = Path(__file__).resolve().parents[2] / "bench" / "quotes_scaling.py"
    spec = importlib.util.spec_from_file_location("quotes_scaling", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.SENTENCES)


SENTENCES = _bench_sentences()


def one_paragraph(sentences: int) -> str:
    return " ".join(SENTENCES[i % len(SENTENCES)] for i in range(sentences))


def lines_executed(nlp: Any, text: str) -> tuple[int, int]:
    """(lines of veille.quotes executed by `find_in_doc` on `text`, quotes found)."""
    doc = nlp(text)
    labels = {"PER", "ORG", "LOC"}
    mentions = [MentionRef(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in labels]
    count = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if not frame.f_code.co_filename.startswith(QUOTES_DIR):
            return None
        if event == "line":
            count += 1
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        found = find_in_doc(text, doc, mentions)
    finally:
        sys.settrace(previous)
    return count, len(found)


def test_scaling_work_grows_linearly_with_the_number_of_quotes(nlp: Any) -> None:
    small, small_found = lines_executed(nlp, one_paragraph(40))
    large, large_found = lines_executed(nlp, one_paragraph(160))
    # The text really is 4 times larger in quotes, so the ratio below measures the finder.
    assert small_found >= 30 and large_found >= 4 * small_found - 8, (small_found, large_found)
    # Linear work gives a ratio near 4 and quadratic near 16; the finder as it was before the fix
    # measured 10.5 here (n = 40 → 160 sentences), after it 3.6.
    assert large / small < 6, (small, large, large / small)


def test_scaling_view_indexes_answer_as_scans_would(nlp: Any) -> None:
    # Nested, overlapping and same-start quoted spans, an empty and an overlapping mention: the indexes
    # must give exactly what scanning every span and mention gives.
    text = "« Il a dit « non » et « oui » », a déclaré Marie Dupont à Paris, puis « rien » à Lyon."
    spans = [(s.open, s.close + 1) for s in find_quotations(text)] + [(3, 40), (2, 5), (0, 20)]
    names = [(44, 56, "PER"), (44, 49, "PER"), (59, 64, "LOC"), (30, 30, "ORG"), (2, 10, "PER")]
    mentions = [MentionRef(s, e, label) for s, e, label in names]
    view = ArticleView(text, nlp(text), mentions, {}, spans)
    assert len(view.quoted) == 5
    for start in range(-1, len(text) + 2):
        assert view.in_quote(start) == any(s <= start < e for s, e in spans), start
        assert view.quote_end_at(start) == next((e for s, e in spans if s == start), None)
        for end in range(start, min(start + 30, len(text) + 2)):
            assert view.overlaps_quote(start, end) == any(s < end and e > start for s, e in spans)
            assert view.quote_opens_in(start, end) == any(start <= s < end for s, _ in spans)
            assert view.mentions_in(start, end) == [
                m for m in view.mentions if m.start >= start and m.end <= end
            ]
            assert view.mentions_from(start, end) == [m for m in view.mentions if start <= m.start < end]
    people = [m for m in view.mentions if m.label == "PER" and not any(s <= m.start < e for s, e in spans)]
    assert view.people == people
