"""Temporal: French time expressions, normalised TIMEX3-style against the publication date.

`recognise` (recognise.py, periods.py) finds expressions with regex rules over the lexicon
(lexicon.py) and reads what the words fix into a `Spec`; `resolve` (normalise.py) gives the TIMEX3
value against the anchor and the tense (tense.py); `find_timexes` does both in reading order.
`find_timexes`, `TemporalStage` and the `veille_timex` spaCy component live in stage.py (times of
day in clock.py; outside test cases in conformance.py); importing this package registers the
component.
"""

from veille.temporal.stage import TemporalStage, anchor_of, find_timexes

__all__ = ["TemporalStage", "anchor_of", "find_timexes"]
