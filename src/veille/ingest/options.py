"""What a reader is told (`ReadOptions`, `FieldMap`) and what it tells back (`ReadReport`).

Options are checked when they are built, so a bad `--published` or `--fields` fails before any
file is opened, with a message that names the fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from veille.errors import ConfigError

# Past this many messages the report keeps only a count: a corpus with a bad date on every line
# must not grow the report without bound (readers promise memory bounded by the record cap).
MAX_WARNINGS = 1000


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Which JSON key holds each RawDoc field of a JSON-lines record.

    The defaults fit the OrangeSum records `{id, title, heading, article, date}`. While a field
    keeps its default key, the reader also tries the common alternatives in `FALLBACK_KEYS`;
    a key the user named explicitly is taken literally.
    """

    id: str = "id"
    title: str = "title"
    lead: str = "heading"
    text: str = "article"
    published: str = "date"
    url: str = "url"
    source: str = "source"

    def keys_for(self, name: str) -> tuple[str, ...]:
        """The JSON keys to try, in order, for the RawDoc field `name`."""
        key: str = getattr(self, name)
        if key == DEFAULT_KEYS[name]:
            return (key, *(k for k in FALLBACK_KEYS.get(name, ()) if k != key))
        return (key,)


FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in fields(FieldMap))
DEFAULT_KEYS: dict[str, str] = {name: getattr(FieldMap(), name) for name in FIELD_NAMES}

# Names other news dumps commonly use; tried only while a field keeps its default key.
FALLBACK_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "lead": ("heading", "lead", "chapo", "description"),
    "text": ("article", "text", "body", "content"),
    "published": ("date", "published", "pubdate"),
    "url": ("url", "link"),
    "source": ("source", "source_name"),
}


def parse_fields_option(spec: str) -> FieldMap:
    """Parse `--fields "text=body,title=headline"` into a FieldMap; unnamed fields keep their default.

    Raises ConfigError naming the bad part and listing the valid field names.
    """
    valid = ", ".join(FIELD_NAMES)
    chosen: dict[str, str] = {}
    for raw_part in spec.split(","):
        part = raw_part.strip()
        if not part:
            continue
        name, sep, key = (s.strip() for s in part.partition("="))
        if not sep or not name or not key:
            raise ConfigError(
                f"--fields: {part!r} is not of the form FIELD=KEY (e.g. text=body). Valid fields: {valid}."
            )
        if name not in FIELD_NAMES:
            raise ConfigError(f"--fields: unknown field {name!r} in {part!r}. Valid fields: {valid}.")
        if name in chosen:
            raise ConfigError(f"--fields: field {name!r} is given twice. Valid fields: {valid}.")
        chosen[name] = key
    return FieldMap(**chosen)


def is_iso_date(value: str) -> bool:
    """True for an ISO 8601 date (2020-07-02) or date-time (2020-07-02T10:00:00+02:00)."""
    text = value.strip()
    if not text:
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return True
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass
class ReadOptions:
    """How readers read.

    `max_bytes` caps a file read whole (a page), measured after decompression; JSON lines are
    streamed, so they are capped per record by `max_record_bytes` instead and a corpus file may
    be any size. `published` and `source`, when given, override every sidecar and record.
    """

    max_bytes: int = 50_000_000
    max_record_bytes: int = 2_000_000
    fields: FieldMap = field(default_factory=FieldMap)
    published: str | None = None
    source: str | None = None
    # Longest a single page may take to parse (HTML, feed entry, WARC record) before it is rejected.
    doc_timeout: float = 30.0
    # URL ingestion: private, loopback and link-local targets are refused unless allowed.
    allow_private: bool = False
    fetch_timeout: float = 20.0
    max_redirects: int = 5

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ConfigError for an option that cannot work; called again after fields are changed."""
        if self.max_bytes <= 0:
            raise ConfigError(f"--max-bytes must be a positive number of bytes, got {self.max_bytes}.")
        if self.max_record_bytes <= 0:
            raise ConfigError(
                f"--max-record-bytes must be a positive number of bytes, got {self.max_record_bytes}."
            )
        if self.doc_timeout <= 0:
            raise ConfigError(f"--doc-timeout must be a positive number of seconds, got {self.doc_timeout}.")
        if self.fetch_timeout <= 0:
            raise ConfigError(
                f"--fetch-timeout must be a positive number of seconds, got {self.fetch_timeout}."
            )
        if self.max_redirects < 0:
            raise ConfigError(f"--max-redirects must be 0 or more, got {self.max_redirects}.")
        if self.published is not None:
            self.published = self.published.strip()
            if not is_iso_date(self.published):
                raise ConfigError(
                    f"--published {self.published!r} is not an ISO 8601 date or date-time; "
                    "write it like 2020-07-02 or 2020-07-02T10:30:00+02:00."
                )


@dataclass
class ReadReport:
    """What happened while reading: files read, paths skipped and why, and every problem met.

    `warnings` holds one readable line per problem (rejected files and records, broken sidecars,
    invalid dates); `rejected` counts rejections by reason code.
    """

    files: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    records: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    warnings_dropped: int = 0

    def warn(self, message: str) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)
        else:
            self.warnings_dropped += 1

    def reject(self, source_file: str, reason: str, detail: str | None) -> None:
        self.rejected[reason] = self.rejected.get(reason, 0) + 1
        self.warn(f"{source_file}: {reason}" + (f" ({detail})" if detail else ""))
