"""atheris fuzz target: the HTML entry point, raw bytes of an `.html` page to main text and metadata.

    .venv/bin/python fuzz/fuzz_html.py -max_total_time=60 [corpus_dir]

Each input is one page's bytes: `decode_html` (BOM, declared charset, then the text rules) and
`extract_html` (trafilatura's main text, htmldate's date), run here in process so that atheris sees
the coverage (`veille ingest` runs the same function in its sandbox process, under
`--doc-timeout`), then the clean stage on what was extracted. `PageTooComplex` (a page over
200,000 elements) is the documented rejection (`parse_error`); any other exception is a crash.
The feed parser (`parse_feed`, the `.rss`/`.atom` entry point) gets the same bytes.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["veille"]):
    from veille.clean import CleanStage
    from veille.engines.local import to_article
    from veille.errors import REASONS
    from veille.ingest.feed import parse_feed
    from veille.ingest.html import PageTooComplex, decode_html, extract_html
    from veille.ingest.options import is_iso_date
    from veille.model import REJECTED, RawDoc

CLEAN = CleanStage()


def one_input(data: bytes) -> None:
    text, reason, _detail = decode_html(data)
    if text is None:
        assert reason in REASONS, reason
        return
    try:
        page = extract_html(text)
    except PageTooComplex:
        return
    if page.published is not None:
        assert is_iso_date(page.published), page.published
    article = to_article(RawDoc(source_file="fuzz.html", source_id="", text=page.text, title=page.title))
    CLEAN([article])
    assert article.status != REJECTED or article.reason in REASONS
    feed = parse_feed(data)
    for entry in feed.entries:
        assert isinstance(entry.text, str)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
