"""Events: typed events with participants, place, date and modality, merged across articles.

The trigger lexicon (lexicon.py) and `find_triggers` (triggers.py) find event words; the argument,
place/date and modality rules (arguments.py, anchors.py, modality.py) read each trigger; `finder.py`
merges the triggers of one article into events; `coref.py` tells when two reports are one event
and gives events content-derived ids; `find_events` and `EventsStage` (stage.py) run it all on an
analysed Article. Importing this package registers the `veille_events` spaCy component.
"""

from veille.events.coref import EventIndex, KnownEvents, event_id, event_key, merge, same_event
from veille.events.stage import EventsStage, find_events
from veille.events.triggers import Trigger, find_triggers

__all__ = [
    "EventIndex",
    "EventsStage",
    "KnownEvents",
    "Trigger",
    "event_id",
    "event_key",
    "find_events",
    "find_triggers",
    "merge",
    "same_event",
]
