"""The JSON-lines reader: one JSON object per line, each an article.

Streaming is the point: a corpus file may be any size, so the file is read line by line and no
line is held beyond `max_record_bytes` (a longer line is read in bounded chunks and thrown away).
Every bad line costs only itself: a broken line is a rejected RawDoc with its line number and
the lines around it are read as usual. A gzip stream that breaks mid-way keeps what came before.

Which key holds which field is set by `FieldMap`; the record's values come last in precedence,
after the command line and the file's sidecar (`FILE.meta.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from io import BufferedIOBase
from typing import Any

from veille.ingest.decode import decode_line
from veille.ingest.files import GZIP_ERRORS, FileMeta, Found, file_meta, open_stream, rejected
from veille.ingest.identity import line_id
from veille.ingest.options import FIELD_NAMES, FieldMap, ReadOptions, ReadReport, is_iso_date
from veille.model import RawDoc

WHOLE_FILE_ID = ""  # file-level rejections (empty, truncated) belong to no single line
DISCARD_CHUNK = 1 << 16


class BadFieldError(Exception):
    """A mapped field holds a value of the wrong JSON type (an object or array for a string)."""


def read_jsonl(found: Found, options: ReadOptions, report: ReadReport) -> Iterator[RawDoc]:
    """Yield one RawDoc per non-blank line of a JSON-lines file."""
    name = found.source_file
    cap = options.max_record_bytes
    meta = file_meta(found, options, report)
    lineno = 0
    records = 0
    try:
        stream = open_stream(found)
    except OSError as exc:
        yield rejected(name, WHOLE_FILE_ID, "unreadable", str(exc), report)
        return
    with stream:
        while True:
            try:
                # cap + 2: room for the cap, a newline, and one byte to tell "too long" apart.
                raw = stream.readline(cap + 2)
                overlong = len(raw) == cap + 2 and not raw.endswith(b"\n")
                if overlong:
                    _discard_rest_of_line(stream)
            except GZIP_ERRORS as exc:  # before OSError: BadGzipFile is an OSError
                yield rejected(name, WHOLE_FILE_ID, "truncated_gzip", f"after line {lineno}: {exc}", report)
                return
            except OSError as exc:
                yield rejected(name, WHOLE_FILE_ID, "unreadable", f"after line {lineno}: {exc}", report)
                return
            if not raw:
                break
            lineno += 1
            content = raw.rstrip(b"\r\n")
            if lineno == 1 and content.startswith(b"\xef\xbb\xbf"):
                content = content[3:]  # a BOM some Windows tools write: not part of the first record
            if overlong or len(content) > cap:
                records += 1
                detail = f"line {lineno} (over {cap} bytes, --max-record-bytes)"
                yield rejected(name, line_id(lineno), "record_too_large", detail, report)
                continue
            if not content.strip():
                continue  # blank lines separate nothing and are not records
            if b"\x00" in content:
                detail = f"NUL byte on line {lineno}; JSON lines must be UTF-8 text"
                yield rejected(name, WHOLE_FILE_ID, "binary", detail, report)
                return
            records += 1
            text = decode_line(content)
            yield parse_record(text, lineno, name, fields=options.fields, meta=meta, report=report)
    if records == 0:
        detail = "0 bytes" if lineno == 0 else f"{lineno} blank lines, no records"
        yield rejected(name, WHOLE_FILE_ID, "empty", detail, report)


def _discard_rest_of_line(stream: BufferedIOBase) -> None:
    while True:
        chunk = stream.readline(DISCARD_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def parse_record(
    line: str, lineno: int, source_file: str, *, fields: FieldMap, meta: FileMeta, report: ReadReport
) -> RawDoc:
    """One JSON line to a RawDoc; a line that is not a usable object is a rejected RawDoc."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return rejected(source_file, line_id(lineno), "malformed_json", f"line {lineno}: {exc}", report)
    except RecursionError:
        detail = f"line {lineno}: nested too deeply to parse"
        return rejected(source_file, line_id(lineno), "malformed_json", detail, report)
    if not isinstance(obj, dict):
        detail = f"line {lineno}: expected a JSON object, got {_json_type(obj)}"
        return rejected(source_file, line_id(lineno), "bad_record", detail, report)
    values: dict[str, str | None] = {}
    source_id = line_id(lineno)
    for field_name in FIELD_NAMES:
        key, value = _lookup(obj, fields.keys_for(field_name))
        try:
            values[field_name] = _as_str(value)
        except BadFieldError:
            got = _json_type(value)
            detail = f"line {lineno}: field {field_name!r} (key {key!r}) must be a string, got {got}"
            return rejected(source_file, source_id, "bad_record", detail, report)
        if field_name == "id" and values["id"]:
            source_id = str(values["id"])
    published = meta.published
    if published is None and values["published"]:
        if is_iso_date(values["published"]):
            published = values["published"]
        else:
            # A bad date costs only the date: the article is still worth reading.
            report.warn(
                f"{source_file}: line {lineno}: published {values['published']!r} is not an "
                "ISO 8601 date; kept as unknown"
            )
    return RawDoc(
        source_file=source_file,
        source_id=source_id,
        text=values["text"] or "",  # no body: the cleaner rejects it as empty, the title stays visible
        title=values["title"],
        lead=values["lead"],
        url=meta.url or values["url"],
        source_name=meta.source or values["source"],
        published=published,
    )


def _lookup(obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    """The first of `keys` present with a non-null value, else (first key, None)."""
    for key in keys:
        value = obj.get(key)
        if value is not None:
            return key, value
    return keys[0], None


def _as_str(value: Any) -> str | None:
    """A field's text; numbers become strings, empty strings None, objects and arrays are errors."""
    if value is None:
        return None
    if isinstance(value, bool):  # before int: True is an int, but never a title
        raise BadFieldError
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value if value.strip() else None
    raise BadFieldError


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, label in names.items():
        if isinstance(value, kind):
            return label
    return "a number"
