"""Errors and the closed list of rejection reasons.

Every rejected article carries one of `REASONS` in `Article.reason` (details, such as a line number,
go in `Article.reason_detail`). Error messages say what went wrong and what to do about it.
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "empty": "the file or record holds no text",
    "binary": "the file looks like binary data, not text",
    "too_large": "the file or fetched response is larger than --max-bytes",
    "record_too_large": "the record is larger than the per-record cap (2 MB)",
    "bad_encoding": "the bytes could not be decoded as text",
    "malformed_json": "the JSON line could not be parsed",
    "bad_record": "the JSON line is not an object, or a mapped field has the wrong type",
    "truncated_gzip": "the gzip stream is corrupt or ends early",
    "malformed_warc": "the WARC file is corrupt or ends early; the records before the damage are kept",
    "unreadable": "the path could not be read (permissions, vanished, not a regular file)",
    "no_content": "every line of the page was boilerplate; nothing of an article is left",
    "too_long": "the clean text is longer than --max-article-chars (100,000 characters by default): "
    "rejected whole, neither analysed nor cut",
    "parse_error": "the page or feed could not be parsed (the parser failed or crashed on it)",
    "timeout": "parsing the record took longer than the per-document time limit (--doc-timeout)",
    "fetch_refused": "the URL is not http(s), or its host is a private, loopback or otherwise non-public "
    "address (pass --allow-private to fetch from private networks)",
    "fetch_failed": "the URL could not be fetched: DNS, connection or TLS failure, or an HTTP error status",
    "fetch_timeout": "the server was too slow: a connect or read timed out, or the whole fetch ran past "
    "its deadline",
    "too_many_redirects": "the URL redirected more times than allowed (a redirect loop, often)",
    "unsupported_content": "the URL served something that is not an HTML page, a feed or plain text",
}


class VeilleError(Exception):
    """An error the user can act on; the CLI prints its message without a traceback."""


class PipelineError(VeilleError):
    """The stage list cannot run as built (a stage requires a field no earlier stage provides)."""


class ConfigError(VeilleError):
    """An option or argument is invalid."""


class StoreError(VeilleError):
    """The store cannot be opened or written."""
