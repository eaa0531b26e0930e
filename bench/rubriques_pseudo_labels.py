"""Build the rubriques' shipped models from pseudo-labels on the OrangeSum corpus.

    .venv/bin/python bench/rubriques_pseudo_labels.py [--corpus PATH] [--per-class 500] [--out FILE]

Weak supervision, with no evaluation data anywhere: every OrangeSum article (the unlabeled load
corpus, ../shared/data/corpus, CC BY-SA 4.0; cleaned as `veille ingest` cleans it, exact copies
dropped) is labelled by the keyword rules of `veille.rubriques`; an article is kept only when the
rules are confident (its best rubrique has at least MIN_EVIDENCE weighted keyword hits and at least
MIN_SHARE of all hits). A tenth of the kept articles (by a hash of their id) is held out. On the
rest, two multinomial logistic regressions (balanced class weights: the rubriques' mix in news
varies by outlet, so no prior is learned from OrangeSum's) learn the pseudo-labels:

- lexical: TF-IDF of the folded headline and start of the text, rule keywords blanked out
  (`veille.rubriques.learned.masked_text`), vocabulary of the MAX_FEATURES most frequent words
  seen in at least MIN_DF articles;
- embedding: the sentence encoder's vector of the headline and lead, on a deterministic sample of
  at most `--per-class` articles per rubrique (the encoder costs ~25 ms an article on one core).

Every choice above (thresholds, C, class weights, sizes) was fixed before the models were scored
on any evaluation set. The output is deterministic (sorted inputs, lbfgs, gzip without a time
stamp). It prints the pseudo-label counts, each model's agreement with the held-out pseudo-labels
(how well it learned the rules' labels, not an accuracy), the time taken and the file's size, and
checks that `veille.rubriques.learned` reproduces scikit-learn's probabilities from the file.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from veille.clean import clean_page
from veille.eval.metrics import progress_bar
from veille.rubriques import NAMES, RubriqueClassifier, RubriqueInput
from veille.rubriques.classifier import BODY_CHARS, LEARNED_EMBED_CHARS, embedding_input, fold
from veille.rubriques.learned import FORMAT, MODEL_PATH, masked_text, models_from_json

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/data/corpus/orangesum_parsed_all.jsonl.gz"
MIN_EVIDENCE = 6.0  # e.g. two headline hits, or one and three in the text
MIN_SHARE = 0.6  # the best rubrique has at least 1.5 times the hits of all the others together
HELD_OUT = 10  # one article in ten
MIN_DF = 5
MAX_FEATURES = 20000
C = 1.0  # scikit-learn's default regularisation
LEXICAL_SCALE = 1000  # stored weights are round(value × scale): 1e-3 precision
IDF_SCALE = 1000
EMBEDDING_SCALE = 10000


def key(article_id: str) -> int:
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:12], 16)


def load_articles(path: Path, console: Console) -> list[tuple[str, str, str]]:
    """(id, title, text) of the corpus's articles with a body, cleaned, exact copies dropped."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    seen: set[str] = set()
    articles = []
    bar = progress_bar()
    task = bar.add_task("nettoyage", total=len(records))
    try:
        for record in records:
            bar.advance(task)
            if not (record.get("article") or "").strip():
                continue
            cleaned = clean_page(record["article"], title=record.get("title"), lead=record.get("heading"))
            digest = hashlib.sha1(cleaned.text.encode("utf-8")).hexdigest()
            if not cleaned.text or digest in seen:
                continue
            seen.add(digest)
            articles.append((str(record["id"]), cleaned.title or "", cleaned.text))
    finally:
        bar.stop()
    console.print(f"{len(records)} records, {len(articles)} distinct articles with a body")
    return sorted(articles, key=lambda a: (key(a[0]), a[0]))


def pseudo_labels(
    articles: list[tuple[str, str, str]], rules: RubriqueClassifier
) -> list[tuple[str, str, str, int]]:
    """The articles whose rule labelling is confident, with that label (an index into NAMES)."""
    kept = []
    bar = progress_bar()
    task = bar.add_task("étiquetage par les règles", total=len(articles))
    try:
        for article_id, title, text in articles:
            bar.advance(task)
            evidence = rules.rule_evidence(RubriqueInput(title, text))
            total, best = sum(evidence), max(evidence)
            if best >= MIN_EVIDENCE and best >= MIN_SHARE * total:
                kept.append((article_id, title, text, evidence.index(best)))
    finally:
        bar.stop()
    return kept


def lexical_inputs(rows: list[tuple[str, str, str, int]], rules: RubriqueClassifier) -> list[str]:
    return [masked_text(fold(t), fold(x[:BODY_CHARS]), rules.patterns) for _, t, x, _ in rows]


def sample(rows: list[tuple[str, str, str, int]], per_class: int) -> list[tuple[str, str, str, int]]:
    """At most `per_class` rows per label, the first by id hash (rows are in that order)."""
    taken: dict[int, int] = {}
    chosen = []
    for row in rows:
        if taken.get(row[3], 0) < per_class:
            taken[row[3]] = taken.get(row[3], 0) + 1
            chosen.append(row)
    return chosen


def embed(rows: list[tuple[str, str, str, int]], what: str) -> tuple[Any, float]:
    """Encoder vectors of the rows (as the classifier embeds an article) and the CPU seconds."""
    from veille.stories.features import sentence_embedder

    embedder = sentence_embedder()
    vectors: list[list[float]] = []
    began = time.process_time()
    bar = progress_bar()
    task = bar.add_task(f"plongement ({what})", total=len(rows))
    try:
        for start in range(0, len(rows), 32):
            batch = rows[start : start + 32]
            texts = [embedding_input(RubriqueInput(t, x), LEARNED_EMBED_CHARS) for _, t, x, _ in batch]
            vectors += embedder(texts)
            bar.advance(task, len(batch))
    finally:
        bar.stop()
    return np.array(vectors), time.process_time() - began


def quantise(matrix: Any, scale: int) -> list[Any]:
    return np.rint(np.asarray(matrix) * scale).astype(np.int64).tolist()  # type: ignore[no-any-return]


def fit_lexical(
    train: list[tuple[str, str, str, int]], held: list[tuple[str, str, str, int]], rules: RubriqueClassifier
) -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(lowercase=False, sublinear_tf=True, min_df=MIN_DF, max_features=MAX_FEATURES)
    x_train = vectorizer.fit_transform(lexical_inputs(train, rules))
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    model.fit(x_train, np.array([row[3] for row in train]))
    held_texts = lexical_inputs(held, rules)
    expected = model.predict_proba(vectorizer.transform(held_texts))
    agreement = float((expected.argmax(1) == np.array([row[3] for row in held])).mean())
    vocabulary = sorted(vectorizer.vocabulary_, key=lambda token: vectorizer.vocabulary_[token])
    stored = {
        "vocabulary": vocabulary,
        "idf_scale": IDF_SCALE,
        "idf": quantise(vectorizer.idf_, IDF_SCALE),
        "scale": LEXICAL_SCALE,
        "coef": quantise(model.coef_, LEXICAL_SCALE),
        "intercept": [round(float(v), 6) for v in model.intercept_],
    }
    return {"stored": stored, "agreement": agreement, "probe": held_texts, "expected": expected}


def fit_embedding(
    train: list[tuple[str, str, str, int]], held: list[tuple[str, str, str, int]], per_class: int
) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    train_sample, held_sample = sample(train, per_class), sample(held, max(per_class // 9, 1))
    e_train, seconds_train = embed(train_sample, "apprentissage")
    e_held, seconds_held = embed(held_sample, "contrôle")
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    model.fit(e_train, np.array([row[3] for row in train_sample]))
    expected = model.predict_proba(e_held)
    agreement = float((expected.argmax(1) == np.array([row[3] for row in held_sample])).mean())
    stored = {
        "scale": EMBEDDING_SCALE,
        "coef": quantise(model.coef_, EMBEDDING_SCALE),
        "intercept": [round(float(v), 6) for v in model.intercept_],
    }
    return {
        "stored": stored,
        "agreement": agreement,
        "probe": e_held.tolist(),
        "expected": expected,
        "train": len(train_sample),
        "held": len(held_sample),
        "seconds": seconds_train + seconds_held,
    }


def write(path: Path, data: dict[str, Any]) -> bytes:
    """Compact, key-sorted JSON, gzipped without a time stamp: the same input gives the same bytes."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(payload)
    return payload


def report(
    console: Console, payload: bytes, counts: list[int], lexical: dict[str, Any], embedding: dict[str, Any]
) -> None:
    """The pseudo-label counts, and the shipped file read back as the classifier reads it, against
    scikit-learn's own probabilities."""
    shipped = models_from_json(json.loads(payload))
    ours = np.array(shipped.lexical.probabilities(lexical["probe"]))
    ours_e = np.array(shipped.embedding.probabilities(embedding["probe"]))
    table = Table(title="Pseudo-labels (OrangeSum, rules confident)")
    for column in ("rubrique", "articles"):
        table.add_column(column)
    for name, n in zip(NAMES, counts, strict=True):
        table.add_row(name, str(n))
    console.print(table)
    for name, part, found in (("lexical", lexical, ours), ("embedding", embedding, ours_e)):
        console.print(
            f"{name}: held-out agreement with the pseudo-labels {part['agreement']:.3f} "
            f"({len(part['probe'])} articles); the shipped file gives scikit-learn's argmax for "
            f"{(found.argmax(1) == part['expected'].argmax(1)).mean():.4f}, max |Δp| "
            f"{np.abs(found - part['expected']).max():.4f}"
        )
    n = embedding["train"] + embedding["held"]
    console.print(
        f"lexical: {len(shipped.lexical.vocabulary)} words; encoder: {n} articles in "
        f"{embedding['seconds']:.0f} s CPU ({1000 * embedding['seconds'] / n:.1f} ms each)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--per-class", type=int, default=500)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    console = Console()
    if not args.corpus.is_file():
        raise SystemExit(f"no OrangeSum corpus at {args.corpus}; pass --corpus PATH (../shared/data/corpus).")
    began = time.perf_counter()
    rules = RubriqueClassifier(parts={"rules": 1.0})
    articles = load_articles(args.corpus, console)
    labelled = pseudo_labels(articles, rules)
    counts = [sum(row[3] == i for row in labelled) for i in range(len(NAMES))]
    if min(counts) < 20:
        found = dict(zip(NAMES, counts, strict=True))
        raise SystemExit(f"too few confident articles for some rubriques: {found}; lower MIN_EVIDENCE")
    train = [row for row in labelled if key(row[0]) % HELD_OUT]
    held = [row for row in labelled if not key(row[0]) % HELD_OUT]
    lexical = fit_lexical(train, held, rules)
    embedding = fit_embedding(train, held, args.per_class)
    about = {
        "source": "OrangeSum (GitHub Tixierae/OrangeSum, CC BY-SA 4.0), ../shared/data/corpus",
        "built_by": "bench/rubriques_pseudo_labels.py",
        "min_evidence": MIN_EVIDENCE,
        "min_share": MIN_SHARE,
        "C": C,
        "articles": len(articles),
        "pseudo_labelled": dict(zip(NAMES, counts, strict=True)),
        "lexical_train": len(train),
        "embedding_train": embedding["train"],
        "held_out_agreement": {
            "lexical": round(lexical["agreement"], 4),
            "embedding": round(embedding["agreement"], 4),
        },
    }
    data = {
        "format": FORMAT,
        "names": list(NAMES),
        "about": about,
        "lexical": lexical["stored"],
        "embedding": embedding["stored"],
    }
    payload = write(args.out, data)
    report(console, payload, counts, lexical, embedding)
    console.print(
        f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - began:.0f} s"
    )


if __name__ == "__main__":
    main()
