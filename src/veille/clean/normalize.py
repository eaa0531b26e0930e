"""Character-level normalisation, the matching key, and the repair of glued paragraphs.

`normalize_text` runs on every article, so it stays cheap: ftfy (about 2 ms per 10 kB) is only
called when a cheap regex sees a pair of characters that double-encoded UTF-8 produces.
Typographic quotes, apostrophes and non-breaking spaces are part of French typography and of the
text we show; only `match_key` folds them, for matching and hashing.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Only the encoding repairs: everything that would rewrite typography (quotes, widths, ligatures,
# entities) is off, because a clean article must read exactly as the journalist wrote it.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization="NFC",
    explain=False,
)

# UTF-8 read as cp1252 or latin-1 turns a lead byte (0xC2-0xF4: "Â".."ô") into a letter followed by
# what a continuation byte (0x80-0xBF) becomes: a C1 control, a Latin-1 sign, or one of cp1252's
# punctuation marks. Seeing such a pair is the cheap hint that ftfy has something to do; plain
# French ("été", "arrivé»") sometimes matches too, and ftfy then leaves it alone.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4]"
    "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# Surrogates (from lossy decoding) also need ftfy.
_SURROGATE = re.compile("[\ud800-\udfff]")

# Controls other than \t and \n, C1 controls, and invisible characters that split words for any
# matcher: zero-width space/joiners, word joiner, BOM, soft hyphen, bidi marks (the Arabic letter
# mark U+061C among them) and the Mongolian vowel separator U+180E, invisible since Unicode 6.3.
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile("\r\n?|[\u000b\u000c\u0085\u2028]")

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "′": "'"})
_SPACES = re.compile(r"\s+")  # str regexes are Unicode-aware: U+00A0, U+202F, U+2009 are \s


def normalize_text(text: str) -> str:
    """NFC, newlines as "\\n", double-encoded UTF-8 repaired, controls and zero-width characters removed."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    if _MOJIBAKE_HINT.search(text) or _SURROGATE.search(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = _INVISIBLE.sub("", text)
    if _MOJIBAKE_HINT.search(text):
        # Removing a control can bring the two halves of a mojibake pair together ("Â\x1f\xa0"):
        # repair again, or a second normalisation would change the text (not idempotent).
        text = _INVISIBLE.sub("", ftfy.fix_text(text, _FTFY_CONFIG))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return text


def match_key(text: str) -> str:
    """The form used for matching and hashing: casefolded, NFKC, apostrophes and spaces folded."""
    key = unicodedata.normalize("NFKC", text.casefold()).translate(_APOSTROPHES)
    return _SPACES.sub(" ", key).strip()


# --- glued paragraphs -------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-ÞŒŸ"
_LOWER = "a-zß-öø-ÿœ"
_OPEN = '"«“'
_CLOSE_SURE = "»”)’"
# A sentence end, the closing marks after it, then (no space) an optional opening mark and an
# uppercase letter (only « takes a space after it). A straight quote directly before an uppercase
# letter is taken as opening the next paragraph ("fin."Le"), which is how the corpus writes it;
# any other straight quote closes. The lookbehind starts a match only at the first mark of a run:
# tried from every mark of a run of n marks with no capital after it, the search was quadratic
# ("." * 8,000: 7.6 s; 150,000: most of an hour).
_GLUE = re.compile(
    rf"(?<![.!?…])[.!?…]+"
    rf"(?:[{_CLOSE_SURE}]|\"(?![{_UPPER}]))*"
    rf"(?=(?:[\"“]|«[\u00a0\u202f ]?)?[{_UPPER}])"
)
# Abbreviations that take a period and are followed by a capitalised name.
_ABBREVIATIONS = frozenset(
    {
        "MM", "Mme", "Mmes", "Mlle", "Mlles", "Mgr", "Mgrs", "Dr", "Drs", "Pr", "Me", "Mes",
        "St", "Ste", "Sts", "Stes", "Cie", "Jr", "Sr", "Gal", "Gén", "Lt", "Cdt", "Col", "Cpt",
        "Av", "av", "bd", "Bd", "cf", "Cf", "vol", "Vol", "art", "Art", "chap", "fig", "Fig",
        "No", "no", "Nos", "tél", "Tél", "Ed", "éd", "Éd", "Mr", "Mrs", "Ms", "Prof", "Rev",
        "Ph", "Inc", "Ltd", "Co", "Corp", "vs", "op", "ibid", "sq", "coll",
    }
)  # fmt: skip
_TOKEN_BEFORE = re.compile(r"\S*$")
_LETTERS_AT_END = re.compile(rf"[{_UPPER}{_LOWER}]+$")
_WORD_AFTER = re.compile(rf"[{_OPEN}]?[\u00a0\u202f ]?[\w-]+(\.[a-z])?")


def _is_glue(text: str, start: int, end: int) -> bool:
    """Whether the sentence end text[start:end] really joins two paragraphs."""
    token_match = _TOKEN_BEFORE.search(text, max(0, start - 80), start)
    token = token_match.group() if token_match is not None else ""
    if not token and text[start] not in "!?":
        # " .Le" is a stray mark; " !Le" is French spacing before ! and ?, still a sentence end.
        return False
    if "@" in token or "/" in token or "www" in token.lower():
        return False  # e-mail addresses and URLs
    letters = _LETTERS_AT_END.search(token)
    if letters is not None:
        word = letters.group()
        # Initials ("M.Dupont", "U.S.A.", "S.A.R.L.") and titles ("Mme.Durand").
        if len(word) == 1 or word in _ABBREVIATIONS:
            return False
    after = _WORD_AFTER.match(text, end)
    # A domain or file name: "www.Example.com", "LeMonde.Fr".
    return not (after is not None and after.group(1) is not None)


def repair_glued_paragraphs(text: str) -> tuple[str, int]:
    """Insert a paragraph break where a scraper glued two paragraphs ("jeudi.Le gouvernement").

    The break goes after the period and its closing marks and before the next paragraph's opening
    quote. Returns the new text and the number of breaks inserted.
    """
    cuts: list[int] = []
    for match in _GLUE.finditer(text):
        if _is_glue(text, match.start(), match.end()):
            cuts.append(match.end())
    if not cuts:
        return text, 0
    parts: list[str] = []
    previous = 0
    for cut in cuts:
        parts.append(text[previous:cut])
        previous = cut
    parts.append(text[previous:])
    return "\n\n".join(parts), len(cuts)
