"""What the run's near-copy bound (`veille.dedup.near.RUN_SIGNATURES`) costs on the shared corpus.

    .venv/bin/python bench/near_copy_distance.py

Reads the 36,152 records in file order (the order `veille ingest` meets them; the corpus is not in
date order), skips texts under 200 characters and exact copies (the content hash finds those at
any distance), and asks an unbounded index for each text's earlier near copies (estimated
Jaccard ≥ 0.8). Prints how many texts have one, and how many have their nearest one further back
than the bound, i.e. would not be found by a run that keeps only the last RUN_SIGNATURES.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from veille.clean.normalize import normalize_text
from veille.dedup.near import RUN_SIGNATURES, NearCopyIndex, signature

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "orangesum_parsed_all.jsonl.gz"


def main() -> None:
    if not CORPUS.exists():
        sys.exit(f"the shared corpus is missing: expected {CORPUS} (see ../shared/data/README.md)")
    index = NearCopyIndex(capacity=None)
    position: dict[str, int] = {}
    seen: set[str] = set()
    distances: list[int] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            record = json.loads(line)
            text = normalize_text((record.get("heading") or "") + "\n\n" + (record.get("article") or ""))
            if len(text) < 200 or text in seen:
                continue  # too short to shingle usefully; or an exact copy, which the hash finds anyway
            seen.add(text)
            sig = signature(text)
            found = index.query(sig)
            if found:
                distances.append(min(number - position[other] for other, _ in found))
            position[f"r{number}"] = number
            index.add(f"r{number}", sig)
    far = sum(d > RUN_SIGNATURES for d in distances)
    distances.sort()
    median = distances[len(distances) // 2] if distances else None
    print(
        f"{len(seen)} distinct texts; {len(distances)} have an earlier near copy (median {median} records "
        f"back); {far} only further back than RUN_SIGNATURES = {RUN_SIGNATURES:,}"
    )


if __name__ == "__main__":
    main()
