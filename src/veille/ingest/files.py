"""Finding article files, opening them (gzip-aware, size-capped) and reading their sidecars.

Discovery yields `Found` entries in a deterministic order (folders walked sorted by name) and
reports what it will not read: other file types are listed in `ReadReport.skipped`; paths that
cannot be read come back as `Found` with `error` set so the caller emits a rejected RawDoc for
them and the run goes on.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import stat
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from veille.errors import REASONS
from veille.ingest.identity import root_name, source_file_name
from veille.ingest.options import ReadOptions, ReadReport, is_iso_date
from veille.model import RawDoc

# Longest first, so "x.txt.gz" is matched as ".txt.gz", not ".gz".
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".html.gz": "html",
    ".htm.gz": "html",
    ".txt.gz": "text",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".warc.gz": "warc",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",  # read only when it sniffs as a feed, see feed.py
}
SIDECAR_SUFFIX = ".meta.json"
SIDECAR_KEYS = ("published", "url", "source")
# A sidecar holds three short strings; anything bigger is not one.
MAX_SIDECAR_BYTES = 1_000_000
CHUNK = 1 << 20
# What a corrupt or cut gzip stream raises, depending on where it breaks.
GZIP_ERRORS: tuple[type[Exception], ...] = (gzip.BadGzipFile, EOFError, zlib.error)

UNSUPPORTED_MESSAGE = "not an article file: veille ingest reads " + ", ".join(
    sorted(SUPPORTED_EXTENSIONS, key=lambda e: (e.endswith(".gz"), e))
)


class TooLargeError(Exception):
    """The file holds more than `max_bytes` (after decompression)."""


class TruncatedGzipError(Exception):
    """The gzip stream is corrupt or ends early."""


@dataclass(frozen=True, slots=True)
class Found:
    """One file to read, or a path that could not be read (`error` set, `fmt` possibly None)."""

    path: Path
    source_file: str
    fmt: str | None
    error: str | None = None

    @property
    def gzipped(self) -> bool:
        return self.path.name.lower().endswith(".gz")


def split_extension(name: str) -> tuple[str, str] | None:
    """(stem, extension) when `name` ends with a supported extension, else None."""
    lower = name.lower()
    for ext in SUPPORTED_EXTENSIONS:
        if lower.endswith(ext) and len(name) > len(ext):
            return name[: -len(ext)], name[-len(ext) :]
    return None


def is_sidecar(name: str) -> bool:
    return name.lower().endswith(SIDECAR_SUFFIX)


def discover(paths: Sequence[str | Path], report: ReadReport) -> Iterator[Found]:
    """The files to read under `paths`, in command-line order, folders walked sorted."""
    for given in paths:
        root = Path(given)
        name = root_name(root)
        try:
            st = root.stat()
        except OSError as exc:
            yield Found(root, name, None, error=str(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(root, root, ((st.st_dev, st.st_ino),), report)
        else:
            found = _classify(root, name, st, report, explicit=True)
            if found is not None:
                yield found


def _classify(
    path: Path, name: str, st: os.stat_result, report: ReadReport, *, explicit: bool
) -> Found | None:
    if is_sidecar(path.name):
        if explicit:
            report.skipped.append((name, "a sidecar holds metadata for the page beside it, not an article"))
        return None
    split = split_extension(path.name)
    if split is None:
        report.skipped.append((name, UNSUPPORTED_MESSAGE))
        return None
    fmt = SUPPORTED_EXTENSIONS[split[1].lower()]
    if not stat.S_ISREG(st.st_mode):
        # Opening a fifo would block the whole run waiting for a writer.
        return Found(path, name, fmt, error=f"not a regular file ({_file_kind(st.st_mode)})")
    return Found(path, name, fmt)


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _walk(
    folder: Path, root: Path, ancestors: tuple[tuple[int, int], ...], report: ReadReport
) -> Iterator[Found]:
    # `ancestors` holds the (device, inode) of every folder on the way down, so a symlink that
    # leads back up is reported once instead of recursing forever.
    try:
        with os.scandir(folder) as scan:
            names = sorted(entry.name for entry in scan)
    except OSError as exc:
        yield Found(folder, source_file_name(root, folder if folder != root else None), None, error=str(exc))
        return
    for entry_name in names:
        if entry_name.startswith("."):
            continue  # hidden files and folders: editor backups, .git, caches
        path = folder / entry_name
        name = source_file_name(root, path)
        try:
            st = path.stat()
        except OSError as exc:  # a dangling symlink, or a file removed while we walk
            if not is_sidecar(entry_name):
                yield Found(path, name, None, error=str(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in ancestors:
                yield Found(
                    path,
                    name,
                    None,
                    error=f"[Errno {errno.ELOOP}] {os.strerror(errno.ELOOP)}: "
                    f"directory loop, {name} leads back to a folder above it",
                )
                continue
            yield from _walk(path, root, (*ancestors, key), report)
        else:
            found = _classify(path, name, st, report, explicit=False)
            if found is not None:
                yield found


def read_capped(found: Found, max_bytes: int) -> bytes:
    """The whole (decompressed) content of a page, refusing more than `max_bytes`.

    Raises OSError, TooLargeError, TruncatedGzipError. Never holds more than `max_bytes` + 1 MiB.
    """
    if not found.gzipped:
        size = found.path.stat().st_size
        if size > max_bytes:
            raise TooLargeError(f"{size} bytes, over the {max_bytes}-byte cap (--max-bytes)")
        with found.path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
        if len(data) > max_bytes:
            raise TooLargeError(f"over the {max_bytes}-byte cap (--max-bytes)")
        return data
    chunks: list[bytes] = []
    total = 0
    with gzip.open(found.path, "rb") as stream:
        while True:
            try:
                chunk = stream.read(CHUNK)
            except GZIP_ERRORS as exc:
                raise TruncatedGzipError(f"after {total} decompressed bytes: {exc}") from exc
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                # A small .gz can expand to gigabytes: stop at the cap, not at the end.
                raise TooLargeError(f"over the {max_bytes}-byte cap (--max-bytes) once decompressed")
            chunks.append(chunk)
    return b"".join(chunks)


def open_stream(found: Found) -> io.BufferedIOBase:
    """A binary stream over the file's (decompressed) bytes, for readers that go line by line."""
    if found.gzipped:
        return gzip.open(found.path, "rb")
    return found.path.open("rb")


@dataclass(frozen=True, slots=True)
class FileMeta:
    """Metadata for every record of one file: command-line options over its sidecar."""

    published: str | None = None
    url: str | None = None
    source: str | None = None


def sidecar_path(path: Path) -> Path | None:
    split = split_extension(path.name)
    return path.with_name(split[0] + SIDECAR_SUFFIX) if split else None


def file_meta(found: Found, options: ReadOptions, report: ReadReport) -> FileMeta:
    """CLI `--published`/`--source` over the sidecar's values (the record's own come last)."""
    side = load_sidecar(found, report)
    return FileMeta(
        published=options.published or side.get("published"),
        url=side.get("url"),
        source=options.source or side.get("source"),
    )


def load_sidecar(found: Found, report: ReadReport) -> dict[str, str]:
    """The sidecar's valid keys; a missing sidecar is {}, a broken one is a warning and {}."""
    path = sidecar_path(found.path)
    if path is None or not path.exists():
        return {}
    split = split_extension(found.source_file)
    name = split[0] + SIDECAR_SUFFIX if split else path.name
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
        if len(data) > MAX_SIDECAR_BYTES:
            raise ValueError(f"larger than {MAX_SIDECAR_BYTES} bytes")
        loaded = json.loads(data.decode("utf-8-sig"))
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        report.warn(f"{name}: sidecar ignored, it could not be read as JSON: {exc}")
        return {}
    if not isinstance(loaded, dict):
        report.warn(f"{name}: sidecar ignored, expected a JSON object, got {type(loaded).__name__}")
        return {}
    meta: dict[str, str] = {}
    for key, value in loaded.items():
        if key not in SIDECAR_KEYS:
            report.warn(f"{name}: unknown sidecar key {key!r} ignored; known keys: {', '.join(SIDECAR_KEYS)}")
        elif not isinstance(value, str) or not value.strip():
            report.warn(f"{name}: sidecar {key!r} ignored, expected a non-empty string")
        elif key == "published" and not is_iso_date(value):
            report.warn(f"{name}: sidecar published {value!r} ignored, it is not an ISO 8601 date")
        else:
            meta[key] = value.strip()
    return meta


def rejected(source_file: str, source_id: str, reason: str, detail: str | None, report: ReadReport) -> RawDoc:
    """A RawDoc that could not be read: no text, a reason code, and a line in the report."""
    assert reason in REASONS, f"unknown rejection reason {reason!r}: add it to veille.errors.REASONS"
    report.reject(source_file + (f" [{source_id}]" if source_id else ""), reason, detail)
    return RawDoc(source_file=source_file, source_id=source_id, reason=reason, reason_detail=detail)


def read_whole(found: Found, options: ReadOptions, report: ReadReport, source_id: str = "") -> bytes | RawDoc:
    """A file read whole under `--max-bytes`, or the rejected RawDoc that says why it could not be."""
    try:
        return read_capped(found, options.max_bytes)
    except TooLargeError as exc:
        return rejected(found.source_file, source_id, "too_large", str(exc), report)
    except TruncatedGzipError as exc:
        return rejected(found.source_file, source_id, "truncated_gzip", str(exc), report)
    except OSError as exc:
        return rejected(found.source_file, source_id, "unreadable", str(exc), report)
