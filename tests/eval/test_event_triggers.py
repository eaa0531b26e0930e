"""The trigger check against TimeBank EVENTs, on a hand-built document (no parse)."""

from __future__ import annotations

from datetime import date

from veille.eval.event_triggers import TriggerCheck, check_document
from veille.eval.timebank import GoldEvent, TimebankDoc

TEXT = "Le ministre a déclaré que la réunion aura lieu. Il reste calme."


def _event(word: str, event_class: str) -> GoldEvent:
    start = TEXT.index(word)
    return GoldEvent(start, start + len(word), word, f"e_{word}", event_class)


def test_event_triggers_precision_and_recall_by_class() -> None:
    doc = TimebankDoc("d1", date(1999, 5, 17), TEXT, events=[
        _event("déclaré", "REPORTING"), _event("réunion", "OCCURRENCE"), _event("reste", "STATE"),
    ])  # fmt: skip
    said, met, wrong = TEXT.index("déclaré"), TEXT.index("réunion"), TEXT.index("ministre")
    check = TriggerCheck()
    found = [(said, said + 7, "statement"), (met, met + 7, "meeting"), (wrong, wrong + 8, "x")]
    check_document(doc, found, check)
    assert (check.triggers, check.triggers_on_events) == (3, 2)
    assert check.precision == 2 / 3
    assert check.recall("REPORTING") == 1.0 and check.recall("STATE") == 0.0
    assert check.recall() == 2 / 3
    assert check.triggers_by_type == {"statement": 1, "meeting": 1, "x": 1}
