"""Time QuotesStage alone on one-paragraph French texts of growing size (issue 11, quotes scaling).

    .venv/bin/python bench/quotes_scaling.py [--sizes 10,20,40,80] [--profile] [--before COPY_OF_OLD_QUOTES]

With `--before DIR` (a copy of src/veille/quotes as it was before the fix) the same articles also go
through that copy, in the same process, and the two lists of quotes must be equal.
CPU time (process_time) is the figure to read: the machine is shared, so wall time includes waiting.

Each text is ONE paragraph of varied sentences with « » quotations and incises; spaCy
(NlpStage keep_docs) and EntitiesStage run first, untimed; then QuotesStage alone is timed.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import random
import sys
import time

from rich.console import Console
from spacy.language import Language

from veille.entities.stage import EntitiesStage
from veille.model import Article
from veille.nlp import NlpStage
from veille.quotes import QuotesStage

SENTENCES = [
    "« Nous ne céderons pas », a déclaré le ministre de l'Intérieur Bernard Cazeneuve.",
    "Selon Marie Dupont, porte-parole du syndicat, « la grève continuera jusqu'à lundi ».",
    "« C'est une étape décisive », a-t-il ajouté devant les journalistes à Lyon.",
    "Le président François Hollande a estimé que la situation était « très grave ».",
    "« Les Russes sont sur la mauvaise voie », a affirmé Ashton Carter mercredi.",
    "Pour Jean Martin, maire de Lille, il faut « agir vite et fort ».",
    "La ministre a indiqué que le budget serait adopté avant la fin du mois.",
    "« Nous attendons des réponses claires », a insisté Paul Durand, selon l'AFP.",
    "Le gouvernement a annoncé une réunion à Paris avec les partenaires sociaux.",
    "« Il n'y a pas d'alternative », a répété la direction de la SNCF dans un communiqué.",
]


def text_of(kb: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < kb * 1000:
        sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def load_before(directory: str) -> type:
    """The QuotesStage of a copy of the package, imported as `veille.quotes` under another path."""
    saved = {name: mod for name, mod in sys.modules.items() if name.startswith("veille.quotes")}
    for name in saved:
        del sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        "veille.quotes", f"{directory}/__init__.py", submodule_search_locations=[directory]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["veille.quotes"] = module
    factory = Language.__dict__["factory"]
    # The copy's `veille_quotes` spaCy component would clash with the one registered already.
    Language.factory = classmethod(lambda cls, *a, **k: lambda f: f)  # type: ignore[assignment]
    try:
        spec.loader.exec_module(module)
    finally:
        Language.factory = factory  # type: ignore[method-assign]
    stage = module.QuotesStage
    for name in [n for n in sys.modules if n.startswith("veille.quotes")]:
        del sys.modules[name]
    sys.modules.update(saved)
    return stage  # type: ignore[no-any-return]


def timed(stage: object, article: Article, profile: cProfile.Profile | None) -> tuple[float, float, list]:
    started, cpu_started = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    stage([article])  # type: ignore[operator]
    if profile:
        profile.disable()
    return time.perf_counter() - started, time.process_time() - cpu_started, list(article.quotes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10,20,40,80")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest size")
    parser.add_argument("--before", help="a copy of src/veille/quotes before the fix, to compare")
    args = parser.parse_args()
    console = Console()
    sizes = [int(s) for s in args.sizes.split(",")]
    nlp = NlpStage(keep_docs=True)
    entities = EntitiesStage(None)
    quotes = QuotesStage()
    before = load_before(args.before)() if args.before else None
    for kb in sizes:
        text = text_of(kb)
        article = Article(id=f"a{kb}", source_file="scale", source_id=str(kb), text=text, language="fr")
        with console.status(f"spaCy + entities on {kb} kB"):
            [article] = entities(nlp([article]))
        profile = cProfile.Profile() if args.profile and kb == sizes[-1] else None
        seconds, cpu, after = timed(quotes, article, profile)
        line = f"{kb:>4} kB  {len(text):>7} chars  {len(article.doc):>6} tokens  {len(after):>5} quotes"
        line += f"  after: {cpu:7.2f} s CPU ({seconds:.2f} s wall)"
        if before is not None:
            seconds_b, cpu_b, found = timed(before, article, None)
            same = "same quotes" if found == after else "DIFFERENT QUOTES"
            line += f"  before: {cpu_b:7.2f} s CPU ({seconds_b:.2f} s wall)  {same}"
        console.print(line)
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profile).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
