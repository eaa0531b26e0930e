"""Sentence boundaries that respect paragraphs and French quotation marks.

fr_core_news_md's parser splits sentences well inside a paragraph, but it runs paragraphs together
("jeudi.\\n\\nLe gouvernement" stays one sentence) and cuts quotations in two («détruire le cancer
de l'EI. Lutter contre …», a-t-il dit): the cue and the first half of the quote then land in
different sentences, which loses the speaker. This component runs before the parser and presets:

- a sentence start at the first token of every paragraph (a blank line in the text; a single
  line break is not enough: hard-wrapped and OCR text breaks lines inside sentences and names);
- no sentence start anywhere inside a quotation (« … », “ … ”, " … ") that opens and closes in the
  same paragraph, nor on the closing mark, nor on the punctuation right after it ("», a dit X").

The parser keeps boundaries that were preset, so the rest of its segmentation is untouched.
"""

from __future__ import annotations

from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.tokens import Doc

OPENING = {"«": "»", "“": "”", "‹": "›"}
STRAIGHT = '"'
# A quotation longer than this is more likely a missing closing mark than a real quote.
MAX_QUOTE_TOKENS = 150


def quotation_spans(doc: Doc) -> list[tuple[int, int]]:
    """(open token index, close token index) for each balanced quotation inside one paragraph."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[int, str]] = []
    straight_open: int | None = None
    for token in doc:
        if (token.text + token.whitespace_).count("\n") >= 2:
            # A paragraph ends: unclosed marks do not carry over.
            stack.clear()
            straight_open = None
            if "\n" in token.text:
                continue
        char = token.text
        if char in OPENING:
            stack.append((token.i, OPENING[char]))
        elif stack and char == stack[-1][1]:
            start, _ = stack.pop()
            if token.i - start <= MAX_QUOTE_TOKENS:
                spans.append((start, token.i))
        elif char == STRAIGHT:
            if straight_open is None:
                straight_open = token.i
            else:
                if token.i - straight_open <= MAX_QUOTE_TOKENS:
                    spans.append((straight_open, token.i))
                straight_open = None
    return spans


def preset_sentence_starts(doc: Doc) -> Doc:
    if len(doc) == 0:
        return doc
    if doc.has_annotation("DEP"):
        # What Token.is_sent_start's setter refused (spaCy E043): presets on a parse contradict it.
        raise ValueError("veille_sentences must run before the parser: this Doc is already parsed.")
    # Gathered here and set in one `from_array`: Token.is_sent_start's setter scans the whole Doc
    # (has_annotation("DEP")) on every call, quadratic on a text of many short paragraphs
    # (16,000 tokens: 11 s). 1 is a sentence start, -1 not one, 0 left to the parser.
    starts = doc.to_array("SENT_START").view(numpy.int64)
    starts[0] = 1
    for token in doc[1:]:
        previous = doc[token.i - 1]
        gap = previous.whitespace_ + (previous.text if previous.is_space else "")
        # A blank line ends a paragraph; a single line break is often only a wrap (OCR columns,
        # hard-wrapped text), and a name can run across it ("M.\nHagenbeck").
        if not token.is_space and gap.count("\n") >= 2:
            starts[token.i] = 1
    for open_i, close_i in quotation_spans(doc):
        starts[open_i + 1 : close_i + 1] = -1
        after = close_i + 1
        if after < len(doc) and doc[after].is_punct and doc[after].text in {",", ";", ":", ")", "."}:
            starts[after] = -1
    doc.from_array("SENT_START", cast(Any, starts.view(numpy.uint64)))
    return doc


@Language.component(
    "veille_sentences",
    assigns=["token.is_sent_start"],
)
def veille_sentences(doc: Doc) -> Doc:
    """spaCy component: add with `nlp.add_pipe("veille_sentences", before="parser")`."""
    return preset_sentence_starts(doc)
