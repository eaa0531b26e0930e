"""Record fields any store can hold.

Two code points reach a RawDoc from hostile input and break storage, not analysis: U+0000 (a
JSON `"\\u0000"`, a NUL in an API request: PostgreSQL text refuses it and fails the whole batch)
and unpaired surrogates (a JSON `"\\ud800"`: Python strings hold them, but no UTF-8 encoder does,
so hashing the record's id, SQLite and PostgreSQL all raise). Readers hand their records through
`storable` before anything hashes or stores them: NUL is removed (it carries nothing) and a lone
surrogate becomes U+FFFD, the replacement character, so that the damage stays visible.

`text` is left to the cleaner (`veille.clean.normalize.normalize_text` removes NUL and repairs
surrogates with ftfy), which records what it changed; every other field is metadata with no
cleaner of its own.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from veille.model import RawDoc

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_FIELDS = ("source_file", "source_id", "title", "lead", "url", "source_name", "published", "author",
           "reason_detail")  # fmt: skip


def storable_text(value: str) -> str:
    """`value` without NUL, and with U+FFFD for each unpaired surrogate."""
    if not _UNSTORABLE.search(value):
        return value
    return _UNSTORABLE.sub(lambda found: "" if found.group() == "\x00" else "\ufffd", value)


def storable(raw: RawDoc) -> RawDoc:
    """`raw` itself when its metadata can be stored as is (nearly always), else a copy fixed."""
    changed: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(raw, name)
        if value is not None and _UNSTORABLE.search(value):
            changed[name] = storable_text(value)
    return replace(raw, **changed) if changed else raw
