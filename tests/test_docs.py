"""The documentation lists what the code accepts and produces: a code added without its doc fails here."""

from __future__ import annotations

from pathlib import Path

from veille.clean import LINE_REASONS
from veille.errors import REASONS

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_docs_export_lists_every_rejection_reason() -> None:
    text = (DOCS / "export.md").read_text(encoding="utf-8")
    missing = [code for code in REASONS if f"`{code}`" not in text]
    assert missing == []


def test_docs_cleaning_lists_every_line_reason() -> None:
    text = (DOCS / "cleaning.md").read_text(encoding="utf-8")
    missing = [code for code in LINE_REASONS if f"`{code}`" not in text]
    assert missing == []
