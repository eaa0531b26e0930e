"""Bytes to text, for pages whose encoding nobody declared.

Order matters: a byte-order mark is the only reliable declaration, so it wins; binary data is
refused before any guess (a guess would turn it into plausible garbage); UTF-8 is tried strictly
because legacy bytes almost never form valid UTF-8 by accident; what is left is treated as
French Windows text (cp1252), and latin-1 only when cp1252 cannot map a byte.

Why not charset-normalizer's best guess: on short French pages it readily picks cp850, mac_roman
or a Cyrillic page among near-ties, which is mojibake for our sources. cp1252 is a superset of
latin-1's printable range, so latin-1 French text decodes identically through it.
"""

from __future__ import annotations

import codecs

SNIFF_BYTES = 8192
# Text may hold the odd form feed or escape; past this share of control bytes it is not text.
MAX_CONTROL_SHARE = 0.10
# C0 control bytes that do not occur in text: everything below 0x20 except \t \n \v \f \r, and DEL.
_CONTROL_BYTES = frozenset(set(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}) | {0x7F}

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def looks_binary(data: bytes) -> str | None:
    """Why the first 8 KiB of `data` look binary, or None when they look like text."""
    head = data[:SNIFF_BYTES]
    if not head:
        return None
    nul = head.find(b"\x00")
    if nul >= 0:
        return f"NUL byte at offset {nul}"
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    if controls / len(head) > MAX_CONTROL_SHARE:
        return f"{controls} control bytes in the first {len(head)} bytes"
    return None


def decode_legacy(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes as cp1252, else latin-1 (which maps every byte). Returns (text, codec)."""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # Only 0x81 0x8D 0x8F 0x90 0x9D are undefined in cp1252; such bytes mean latin-1 C1 controls.
        return data.decode("latin-1"), "latin-1"


def detect_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode a page's bytes. Returns (text, None, None) or (None, reason, detail).

    Reasons: "empty" (no bytes, or whitespace only), "binary", "bad_encoding" (a BOM whose
    encoding the bytes then break).
    """
    if not data:
        return None, "empty", "0 bytes"
    codec = detect_bom(data)
    if codec is not None:
        # UTF-16/32 text is full of NUL bytes, so the BOM must be trusted before the binary sniff.
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            return None, "bad_encoding", f"{codec} byte-order mark, but {exc.reason} at byte {exc.start}"
    else:
        why = looks_binary(data)
        if why is not None:
            return None, "binary", why
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, _ = decode_legacy(data)
    if not text.strip():
        return None, "empty", f"{len(data)} bytes of whitespace only"
    return text, None, None


def decode_line(data: bytes) -> str:
    """Decode one JSON line: UTF-8 as the format requires, tolerating legacy French exports."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_legacy(data)[0]
