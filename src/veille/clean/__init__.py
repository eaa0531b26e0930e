"""Text cleaning: normalisation, boilerplate lines with reasons, titles, glued paragraphs."""

from veille.clean.boilerplate import LINE_REASONS, find_boilerplate
from veille.clean.normalize import match_key, normalize_text, repair_glued_paragraphs
from veille.clean.stage import CleanResult, CleanStage, clean_page
from veille.clean.title import find_title

__all__ = [
    "LINE_REASONS",
    "CleanResult",
    "CleanStage",
    "clean_page",
    "find_boilerplate",
    "find_title",
    "match_key",
    "normalize_text",
    "repair_glued_paragraphs",
]
