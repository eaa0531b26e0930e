from __future__ import annotations

import codecs

from veille.ingest.decode import decode_bytes, decode_line

FRENCH = "L’État a dépensé 5 € pour « l’œuvre » — “déjà” vu, à Noël."
LATIN1 = "Élève à l'école, garçon déçu, où ça ? Noël à Montréal."


def test_decode_empty_bytes_is_empty() -> None:
    assert decode_bytes(b"") == (None, "empty", "0 bytes")


def test_decode_whitespace_only_is_empty() -> None:
    text, reason, _ = decode_bytes(b" \n\t\r\n ")
    assert (text, reason) == (None, "empty")


def test_decode_nul_bytes_are_binary() -> None:
    text, reason, detail = decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert (text, reason) == (None, "binary")
    assert detail == "NUL byte at offset 8"


def test_decode_many_control_bytes_are_binary() -> None:
    _, reason, _ = decode_bytes(bytes([1, 2, 3, 4, 5, 6, 65]) * 100)
    assert reason == "binary"


def test_decode_utf8() -> None:
    assert decode_bytes(FRENCH.encode("utf-8")) == (FRENCH, None, None)


def test_decode_utf8_bom_is_removed() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + FRENCH.encode("utf-8")) == (FRENCH, None, None)


def test_decode_utf16_with_bom() -> None:
    assert decode_bytes(FRENCH.encode("utf-16")) == (FRENCH, None, None)
    assert decode_bytes(codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be")) == (FRENCH, None, None)


def test_decode_cp1252_french_without_mojibake() -> None:
    assert decode_bytes(FRENCH.encode("cp1252")) == (FRENCH, None, None)


def test_decode_latin1_french_without_mojibake() -> None:
    assert decode_bytes(LATIN1.encode("latin-1")) == (LATIN1, None, None)


def test_decode_latin1_bytes_cp1252_cannot_map() -> None:
    # 0x81 is undefined in cp1252, so only latin-1 can decode these bytes.
    data = LATIN1.encode("latin-1") + b"\x81"
    assert decode_bytes(data) == (LATIN1 + "\x81", None, None)


def test_decode_line_falls_back_to_cp1252() -> None:
    assert decode_line('{"t": "l’été"}'.encode("cp1252")) == '{"t": "l’été"}'
