"""The deliberate giants of the malformed-input run (issue 11), written on top of the families of
`malformed_families.py` by `bench/malformed_inputs.py generate`: a 100 MB line, 1 GB gzip bombs,
a million nested <div>s, 300,000 elements, a 1.5-million-character text (past spaCy's length
limit and --max-article-chars).

Each is written in blocks, never held whole in memory.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import malformed_families as families  # a sibling script, not a package

MIB = 1 << 20


def _write_line(path: Path, prefix: bytes, size: int, suffix: bytes, *, packed: bool = False) -> None:
    block = b"a" * MIB
    with gzip.open(path, "wb", compresslevel=1) if packed else path.open("wb") as out:
        out.write(prefix)
        for _ in range(size // MIB):
            out.write(block)
        out.write(suffix)


def _write_repeated(path: Path, unit: bytes, count: int, tail: bytes) -> None:
    """A page of `count` copies of `unit` after <html><body>, then `tail`, written 10,000 at a time."""
    with path.open("wb") as out:
        out.write(b"<html><body>")
        for _ in range(count // 10_000):
            out.write(unit * 10_000)
        out.write(tail)


def _write_deep_html(path: Path, depth: int) -> None:
    _write_repeated(path, b"<div>", depth, b"profond")


def _write_many_elements(path: Path, count: int) -> None:
    _write_repeated(path, b"<p>mot</p>", count, b"</body></html>")


def _write_long_text(path: Path, chars: int) -> None:
    rng = random.Random(0)
    with path.open("w", encoding="utf-8") as out:
        out.write("Un très long article\n\n")
        written = 0
        while written < chars:
            paragraph = families.french(rng, 6) + "\n\n"
            out.write(paragraph)
            written += len(paragraph)


def giants() -> list[tuple[str, families.Sample]]:
    """The few deliberate giants: a 100 MB line, gzip bombs, HTML bombs, a text past spaCy's limit."""
    return [
        ("giant_line", families.Sample("line_100mb.txt", lambda p: _write_line(p, b"", 100 * MIB, b"\n"),
                              allowed=frozenset({"too_large"}))),
        ("giant_line", families.Sample("line_100mb.jsonl",
                              lambda p: _write_line(p, b'{"article": "', 100 * MIB, b'"}\n'),
                              allowed=frozenset({"record_too_large"}))),
        ("gzip_bomb", families.Sample("bomb_1gb.txt.gz",
                                      lambda p: _write_line(p, b"", 1024 * MIB, b"", packed=True),
                             allowed=frozenset({"too_large"}))),
        ("gzip_bomb", families.Sample("bomb_1gb.jsonl.gz",
                             lambda p: _write_line(p, b'{"article": "', 1024 * MIB, b'"}\n', packed=True),
                             allowed=frozenset({"record_too_large"}))),
        ("html_bomb", families.Sample("deep_1m.html", lambda p: _write_deep_html(p, 1_000_000))),
        ("html_bomb", families.Sample("elements_300k.html", lambda p: _write_many_elements(p, 300_000),
                             allowed=frozenset({"parse_error"}))),
        # Over --max-article-chars (100,000 by default): rejected whole, not analysed for minutes.
        ("long_lines", families.Sample("text_1500k.txt", lambda p: _write_long_text(p, 1_500_000),
                                       allowed=frozenset({"too_long"}))),
    ]  # fmt: skip
