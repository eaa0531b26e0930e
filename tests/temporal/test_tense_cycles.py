"""A parse whose heads loop (sentence boundaries set after parsing can cut a tree into a cycle)
must not recurse forever: the infinitive chain is bounded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from veille.temporal.tense import _verb_tense


@dataclass
class _Morph:
    values: dict[str, list[str]]

    def get(self, key: str) -> list[str]:
        return self.values.get(key, [])


@dataclass
class _Token:
    lemma_: str
    morph: _Morph = field(default_factory=lambda: _Morph({"VerbForm": ["Inf"]}))
    pos_: str = "VERB"
    dep_: str = "xcomp"
    i: int = 0
    children: list[Any] = field(default_factory=list)
    head: Any = None


def test_tense_infinitives_whose_heads_loop_give_no_tense() -> None:
    first, second = _Token("venir", i=1), _Token("partir", i=2)
    first.head, second.head = second, first
    assert _verb_tense(first) is None
