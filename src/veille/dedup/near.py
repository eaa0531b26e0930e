"""Near copies: the same wire story, edited, cut, re-headlined or updated, told by several sources.

This module only FINDS near-copy edges; it decides nothing about which copy is kept. For each new
article it lists every already-known article (earlier runs, earlier in this run) whose estimated
Jaccard similarity over 5-word shingles is at least the threshold. The store joins these edges with
the exact-copy groups (same `content_hash`) into connected components and keeps the first copy of
each (`store/copies.py: copy_order_key`), so the outcome does not depend on engine or order.

Similarity is MinHash (datasketch, "affine32" scheme, a fixed seed, so signatures are the same in
every process) and candidates come from an LSH index; LSH alone lets false positives through, so
each candidate is checked against the estimated Jaccard before it becomes an edge.

Memory (measured by bench/near_duplicates.py with tracemalloc): a signature is 520 bytes stored;
the index costs about 6 kB an article, mostly datasketch's 21 band tables (a dict entry and a set
in each), so about 210 MiB for the 36k articles of the shared corpus and 5.6 GiB for a million,
which then needs a leaner index (fewer bands, or datasketch's Redis storage). An article whose
signature is already indexed (an exact copy) costs only a dict entry. So that one long run does not
grow with its corpus, the index keeps the RUN_SIGNATURES articles this run indexed last (see there);
the signatures loaded from the store at the start are kept whole.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import ClassVar, Protocol

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from veille.errors import ConfigError
from veille.model import REJECTED, Article

SHINGLE_WORDS = 5
DEFAULT_THRESHOLD = 0.8
DEFAULT_NUM_PERM = 128
DEFAULT_SEED = 1
# Below this many words no near copy is looked for (and no signature is kept): a brief of a few
# lines shares most of its 5-word shingles with any brief built on the same template ("Le match X-Y
# est reporté à une date ultérieure"), and one edited word moves its Jaccard by more than the
# margin between a copy and a different story. 30 words is 26 shingles, two or three sentences.
MIN_WORDS = 30
# Signatures stored by one version of this code must be readable by the next, or be refused.
_HEADER = struct.Struct("<BBHI")  # magic, format, num_perm, seed
_MAGIC = 0x4D  # "M"
_FORMAT_AFFINE32 = 1  # datasketch's "affine32" scheme: hash values are uint32, little-endian
# The LSH banding is picked so that a pair exactly at the threshold is a candidate with at least this
# probability: candidates are checked afterwards, so a false candidate costs one comparison, whereas
# a missed one is a near copy never found.
_CANDIDATE_RECALL = 0.99
# Loading more signatures than this from the store shows a progress bar.
_PROGRESS_FROM = 5000
# Articles this run indexed that the index keeps, the most recently indexed (`NearCopyIndex.trim`).
# Wire copies are republished within days of each other and a feed arrives roughly in date order, so
# a copy is met within a few thousand articles of its original (the shared corpus runs at ≈ 30
# articles a day: 10,000 is months of it; a feed of 3,000 a day still keeps three days). At ≈ 6 kB
# an article that is ≈ 60 MiB, where all 36k articles of the shared corpus cost ≈ 210 MiB and grew
# the peak of one `veille ingest` with every article (docs/benchmarks.md, "Peak memory").
RUN_SIGNATURES = 10_000

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of the text's matching form (`match_key`), punctuation left out.

    Punctuation is not a word, so that "jeudi.Le" (glued by a scraper) and "jeudi. Le", or « x »
    and «x», shingle alike.
    """
    # Equal to _WORD.findall(match_key(text)) (a test holds it so), at a third of the cost: match_key's
    # space folding and its str.translate of apostrophes only touch characters that are not words,
    # except "ʼ" (a modifier letter, so a word character), folded here by hand.
    return _WORD.findall(unicodedata.normalize("NFKC", text.casefold().replace("ʼ", "'")))


def _shingles_of(tokens: list[str], k: int) -> set[bytes]:
    if not tokens:
        return set()
    if len(tokens) < k:
        return {" ".join(tokens).encode("utf-8")}
    return {" ".join(tokens[i : i + k]).encode("utf-8") for i in range(len(tokens) - k + 1)}


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    """The k-word shingles of the text (one shingle of all its words when it has fewer than k)."""
    if k < 1:
        raise ValueError(f"a shingle needs at least one word, got k={k}")
    return _shingles_of(words(text), k)


@lru_cache(maxsize=8)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    # datasketch draws the permutations from the seed for every new MinHash; drawing them once per
    # setting and handing them over is the same values, without the cost.
    template = MinHash(num_perm=num_perm, seed=seed)
    a, b = template.permutations
    return a, b


def _minhash_of(shingle_set: set[bytes], num_perm: int, seed: int) -> MinHash:
    # CRC-32 rather than datasketch's default SHA-1 (cut 32 bits): as stable across processes and
    # versions, and four times cheaper per shingle. Its weak mixing does not matter here: the
    # "affine32" scheme runs every input hash through the MurmurHash3 finalizer before permuting.
    minhash = MinHash(
        num_perm=num_perm,
        seed=seed,
        hashfunc=zlib.crc32,
        permutations=_permutations(num_perm, seed),
        scheme="affine32",
    )
    minhash.update_batch(shingle_set)
    return minhash


def _encode(minhash: MinHash, num_perm: int, seed: int) -> bytes:
    values = np.asarray(minhash.hashvalues, dtype="<u4")
    return _HEADER.pack(_MAGIC, _FORMAT_AFFINE32, num_perm, seed) + values.tobytes()


def signature(text: str, num_perm: int = DEFAULT_NUM_PERM, seed: int = DEFAULT_SEED) -> bytes:
    """The MinHash signature of the text's shingles, as bytes: an 8-byte header then uint32 values.

    The "affine32" scheme keeps its hash values in 32 bits, so uint32 loses nothing; with the
    header (format, num_perm, seed) a signature made with other settings is refused, not compared.
    """
    return _encode(_minhash_of(shingles(text), num_perm, seed), num_perm, seed)


def signature_settings(data: bytes) -> tuple[int, int]:
    """(num_perm, seed) of a stored signature; ValueError when the bytes are not one."""
    if len(data) < _HEADER.size:
        raise ValueError(f"not a near-copy signature: {len(data)} bytes, shorter than its header")
    magic, form, num_perm, seed = _HEADER.unpack_from(data)
    if magic != _MAGIC or form != _FORMAT_AFFINE32 or len(data) != _HEADER.size + 4 * num_perm:
        raise ValueError(
            "not a near-copy signature of a format this version reads "
            f"(magic {magic}, format {form}, {len(data)} bytes for num_perm={num_perm})"
        )
    return num_perm, seed


def signature_to_minhash(data: bytes) -> LeanMinHash:
    """Rebuild the MinHash a signature was made from (enough to compare and to index it)."""
    _num_perm, seed = signature_settings(data)
    values = np.frombuffer(data, dtype="<u4", offset=_HEADER.size).astype(np.uint32)
    return LeanMinHash(seed=seed, hashvalues=values, scheme="affine32")


def estimated_jaccard(a: bytes, b: bytes) -> float:
    """The Jaccard similarity two signatures of the same settings estimate (MinHash.jaccard)."""
    if a[: _HEADER.size] != b[: _HEADER.size]:
        raise ValueError("signatures made with different settings cannot be compared")
    x = np.frombuffer(a, dtype="<u4", offset=_HEADER.size)
    y = np.frombuffer(b, dtype="<u4", offset=_HEADER.size)
    return float(np.count_nonzero(x == y)) / len(x)


def banding(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for the LSH index: the most rows per band that still makes a pair at the
    threshold a candidate with probability ≥ 0.99 (fewer rows: more candidates, more memory)."""
    best = (num_perm // 2, 2)
    for rows in range(2, num_perm // 2 + 1):
        bands = num_perm // rows
        if 1 - (1 - threshold**rows) ** bands >= _CANDIDATE_RECALL:
            best = (bands, rows)
    return best


class NearCopyIndex:
    """Signatures of known articles, queried for those at or above a Jaccard threshold.

    Articles with byte-identical signatures (exact copies, mostly) share one LSH entry: the first one
    indexed represents them, and a query reports every one of them.
    """

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        seed: int = DEFAULT_SEED,
        *,
        capacity: int | None = RUN_SIGNATURES,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(
                f"the near-copy threshold must be in (0, 1], got {threshold}: "
                "give the Jaccard similarity above which two texts are copies, such as 0.8."
            )
        self.threshold, self.num_perm, self.seed = threshold, num_perm, seed
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=banding(threshold, num_perm))
        # Only the signature bytes are kept, one copy per article; a candidate's hash values are read
        # from them without copying when it is compared (a MinHash object would cost 700 more bytes).
        self._representatives: set[str] = set()
        self._members: dict[bytes, list[str]] = {}  # signature → ids that have it, representative first
        self._signature_of: dict[str, bytes] = {}
        # The articles `add` indexed, least recently first: what `trim` forgets beyond `capacity`.
        # Those `load` read from the store are not in it, so a run never forgets what earlier runs
        # stored (bounding those too needs the store to hand them newest first).
        self._added: OrderedDict[str, None] = OrderedDict()
        self.capacity = capacity

    def __len__(self) -> int:
        return len(self._signature_of)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._signature_of

    def _check(self, article_id: str, sig: bytes) -> None:
        try:
            settings = signature_settings(sig)
        except ValueError as error:
            raise ConfigError(
                f"the near-copy signature of article {article_id} is unreadable ({error}); "
                "re-analyse the articles (bump PIPELINE_VERSION) to store fresh signatures."
            ) from error
        if settings != (self.num_perm, self.seed):
            raise ConfigError(
                f"the near-copy signature of article {article_id} was made with num_perm={settings[0]}, "
                f"seed={settings[1]}, but this run uses num_perm={self.num_perm}, seed={self.seed}: "
                "run with the settings the store was built with, or re-analyse every article."
            )

    def add(self, article_id: str, sig: bytes) -> None:
        """Index the article's signature, replacing the one it had (its text changed on a rerun)."""
        previous = self._signature_of.get(article_id)
        if previous == sig:
            return
        self._check(article_id, sig)
        if previous is not None:
            self.remove(article_id)
        self._place(article_id, sig, self.lsh.insert)
        self._added[article_id] = None

    def trim(self) -> int:
        """Forget the articles `add` indexed least recently beyond `capacity`; how many were
        forgotten. A forgotten article is stored (with its near-copy edges) by the time a later
        batch is matched; it is no longer found as the near copy of an article that comes after."""
        forgotten = 0
        while self.capacity is not None and len(self._added) > self.capacity:
            article_id, _ = self._added.popitem(last=False)
            if article_id in self._signature_of:
                self.remove(article_id)
            forgotten += 1
        return forgotten

    def _place(self, article_id: str, sig: bytes, insert: Callable[..., None]) -> None:
        self._signature_of[article_id] = sig
        members = self._members.get(sig)
        if members:
            members.append(article_id)
            return
        self._members[sig] = [article_id]
        self._representatives.add(article_id)
        insert(article_id, signature_to_minhash(sig), check_duplication=False)

    def remove(self, article_id: str) -> None:
        """Forget the article (KeyError when it is not indexed)."""
        sig = self._signature_of.pop(article_id)
        self._added.pop(article_id, None)
        members = self._members[sig]
        members.remove(article_id)
        if article_id in self._representatives:
            self._representatives.discard(article_id)
            self.lsh.remove(article_id)
            if members:  # another article with this signature takes the LSH entry over
                self._representatives.add(members[0])
                self.lsh.insert(members[0], signature_to_minhash(sig), check_duplication=False)
        if not members:
            del self._members[sig]

    def load(self, pairs: Iterable[tuple[str, bytes]]) -> int:
        """Index many (id, signature) pairs at once; returns how many were read."""
        count = 0
        repeated: list[tuple[str, bytes]] = []
        with self.lsh.insertion_session() as session:
            for article_id, sig in pairs:
                count += 1
                if article_id in self._signature_of:
                    repeated.append((article_id, sig))  # replaced after the session, on the slow path
                    continue
                self._check(article_id, sig)
                self._place(article_id, sig, session.insert)
        for article_id, sig in repeated:
            self.add(article_id, sig)
        return count

    def query(self, sig: bytes, exclude: str | None = None) -> list[tuple[str, float]]:
        """Known articles whose estimated Jaccard with `sig` is ≥ the threshold, sorted by id."""
        self._check(exclude or "(query)", sig)
        if not self._representatives:
            return []
        minhash = signature_to_minhash(sig)
        found: list[tuple[str, float]] = []
        for candidate in self.lsh.query(minhash):
            known = self._signature_of[candidate]
            # MinHash.jaccard's estimate (the share of equal hash values), on the stored bytes.
            similarity = estimated_jaccard(sig, known)
            if similarity >= self.threshold:
                found.extend((member, similarity) for member in self._members[known] if member != exclude)
        return sorted(found)


class SignatureSource(Protocol):
    """What the store knows: the (article id, signature) of every article it holds one for."""

    def iter_signatures(self) -> Iterator[tuple[str, bytes]]: ...


class NearCopiesStage:
    """Sets `minhash` and `near_copies` on every non-rejected article of at least MIN_WORDS words."""

    name: ClassVar[str] = "near_copies"
    requires: ClassVar[frozenset[str]] = frozenset({"text", "content_hash", "status"})
    provides: ClassVar[frozenset[str]] = frozenset({"minhash", "near_copies"})

    def __init__(
        self,
        signatures: SignatureSource | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = DEFAULT_NUM_PERM,
        *,
        min_words: int = MIN_WORDS,
        progress: bool = True,
    ) -> None:
        self.signatures = signatures
        self.index = NearCopyIndex(threshold, num_perm)
        self.min_words = min_words
        self.progress = progress
        self.loaded = False
        self.counters: dict[str, int] = {}

    def _count(self, key: str, n: int = 1) -> None:
        self.counters[key] = self.counters.get(key, 0) + n

    def warm_up(self) -> None:
        """Load what the store knows, once per run, before the first batch needs it."""
        if self.loaded:
            return
        self.loaded = True
        if self.signatures is None:
            return
        pairs = self.signatures.iter_signatures()
        if self.progress:
            pairs = _with_progress(pairs)
        self._count("loaded", self.index.load(pairs))

    def __call__(self, batch: list[Article]) -> list[Article]:
        self.warm_up()
        # By id, and each article indexed as soon as it is queried, so that two near copies in one
        # batch find each other and the lists come out the same in any run.
        for article in sorted(batch, key=lambda a: a.id):
            tokens = words(article.text) if article.status != REJECTED and article.text else []
            if len(tokens) < self.min_words:
                # Never indexed, in this run or a later one; a stored article whose new text is
                # rejected or too short loses the signature its old text had.
                if article.id in self.index:
                    self.index.remove(article.id)
                if article.status != REJECTED and article.text:
                    article.minhash, article.near_copies = None, []
                    self._count("too_short")
                continue
            minhash = _minhash_of(_shingles_of(tokens, SHINGLE_WORDS), self.index.num_perm, self.index.seed)
            sig = _encode(minhash, self.index.num_perm, self.index.seed)
            article.minhash = sig
            article.near_copies = self.index.query(sig, exclude=article.id)
            self.index.add(article.id, sig)
            if article.near_copies:
                self._count("with_near_copies")
        # Between batches, never inside one: two copies in a batch always find each other.
        forgotten = self.index.trim()
        if forgotten:
            self._count("forgotten", forgotten)
        return batch


def _with_progress(pairs: Iterator[tuple[str, bytes]]) -> Iterator[tuple[str, bytes]]:
    """Pass the pairs through, showing a (transient) progress bar once there are many of them."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    first: list[tuple[str, bytes]] = []
    for pair in pairs:
        first.append(pair)
        if len(first) >= _PROGRESS_FROM:
            break
    yield from first
    if len(first) < _PROGRESS_FROM:
        return
    columns = (SpinnerColumn(), TextColumn("loading near-copy signatures: {task.completed:,}"))
    with Progress(*columns, TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task("load", completed=len(first), total=None)
        for n, pair in enumerate(pairs, start=1):
            yield pair
            if n % 1000 == 0:
                progress.update(task, advance=1000)


__all__ = [
    "MIN_WORDS",
    "RUN_SIGNATURES",
    "NearCopiesStage",
    "NearCopyIndex",
    "SignatureSource",
    "banding",
    "estimated_jaccard",
    "shingles",
    "signature",
    "signature_settings",
    "signature_to_minhash",
    "words",
]
