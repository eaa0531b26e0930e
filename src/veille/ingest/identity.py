"""Where a record came from, as a stable name and id.

An article's id is derived from its origin (file name + the record's key in that file), never
from its content, so ingesting the same files again upserts the same articles instead of adding
copies; copies of the same text are found later by content hash.

The file name is relative to what was ingested: `veille ingest examples` names a page
`examples/seeds/000_x.txt`, while `veille ingest examples/seeds/000_x.txt` names it `000_x.txt`.
Ingest a corpus from the same root every time to keep its ids stable.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

ID_LENGTH = 20  # hex chars: 80 bits, collision-free at any corpus size we aim at


def article_id(source_file: str, source_id: str) -> str:
    """The first 20 hex chars of sha256(source_file + "\\x1f" + source_id)."""
    # The unit separator cannot occur in a path, so ("a", "b/c") and ("a/b", "c") never collide.
    digest = hashlib.sha256(f"{source_file}\x1f{source_id}".encode())
    return digest.hexdigest()[:ID_LENGTH]


def root_name(root: str | Path) -> str:
    """The name a path given on the command line contributes to every file below it.

    `examples/`, `./examples` and `/abs/examples` all give "examples"; `.` gives the current
    folder's name. Symlinks are not resolved: the name is what the user typed.
    """
    return printable(os.path.basename(os.path.abspath(os.fspath(root))))


def printable(name: str) -> str:
    """`name` with the bytes of a non-UTF-8 file name written as \\xNN escapes.

    Python hands such names over with lone surrogates (PEP 383), which cannot be hashed into an id
    nor stored as text; the escaped form is stable from run to run, so the id stays stable too.
    """
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def source_file_name(root: str | Path, path: Path | None = None) -> str:
    """'/'-separated name of `path` found below the ingested `root` (or of `root` itself)."""
    base = root_name(root)
    if path is None:
        return base
    relative = PurePosixPath(*Path(path).relative_to(root).parts)
    return printable(str(PurePosixPath(base, relative)) if base else str(relative))


def line_id(lineno: int) -> str:
    """source_id of a JSON-lines record that carries no id of its own (1-based line number)."""
    return f"line:{lineno}"
