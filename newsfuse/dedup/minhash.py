"""Duplicate groups by normalised-content hash and MinHash LSH over word 3-grams.

Articles are taken one at a time in publication order: each is compared with the
articles seen before it, and joins the group of its best match. The batch run and the
store use this same procedure (with an in-memory or a database index), so both find the
same groups when fed the same articles in the same order. The first article of a group
is its canonical copy: the only one that goes on to clustering.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsfuse.records import Article, DuplicateGroup

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DedupConfig:
    """Threshold on estimated Jaccard similarity of word 3-grams, chosen in docs/quality.md."""

    threshold: float = 0.7
    num_perm: int = 128
    shingle: int = 3
    seed: int = 1


@dataclass(frozen=True)
class Fingerprint:
    """What duplicate detection keeps of an article: a content hash, a signature and its LSH band keys."""

    article_id: str
    digest: str
    signature: np.ndarray = field(compare=False)
    bands: tuple[str, ...]


def normalized_words(article: Article) -> list[str]:
    """Body words, case-folded and NFKC-normalised; the title is left out since copies retitle."""
    text = unicodedata.normalize("NFKC", article.text or article.title).casefold()
    return _WORD.findall(text)


def content_digest(words: list[str]) -> str:
    """The exact-duplicate key: a hash of the normalised body words."""
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def fingerprint(article: Article, config: DedupConfig) -> Fingerprint:
    words = normalized_words(article)
    digest = content_digest(words)
    size = config.shingle
    shingles = {" ".join(words[i : i + size]).encode("utf-8") for i in range(max(1, len(words) - size + 1))}
    minhash = MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32", permutations=_permutations(config))
    minhash.update_batch(sorted(shingles))
    return Fingerprint(article.id, digest, minhash.hashvalues, band_keys(minhash.hashvalues, config))


@cache
def _permutations(config: DedupConfig) -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=config.num_perm, seed=config.seed, scheme="affine32").permutations


@cache
def _bands(config: DedupConfig) -> tuple[int, int]:
    """Bands and rows per band that datasketch finds best for the threshold."""
    lsh = MinHashLSH(threshold=config.threshold, num_perm=config.num_perm)
    return lsh.b, lsh.r


def band_keys(signature: np.ndarray, config: DedupConfig) -> tuple[str, ...]:
    bands, rows = _bands(config)
    return tuple(
        f"{band}:" + hashlib.blake2b(signature[band * rows : (band + 1) * rows].tobytes(), digest_size=8).hexdigest()
        for band in range(bands)
    )


def similarities(signatures: np.ndarray, signature: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of each row of ``signatures`` with ``signature``: the share of
    equal signature positions. The batch run scores a bucket's rows at once with it, and must get
    the very floats of ``similarity``, so that both pick the same best match."""
    return np.count_nonzero(signatures == signature, axis=-1) / signature.shape[-1]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(similarities(a, b))


class DuplicateIndex(Protocol):
    """Where fingerprints of earlier articles are looked up: memory for a run, the store for ``add``."""

    def by_digest(self, digest: str) -> str | None: ...

    def candidates(self, bands: Sequence[str]) -> dict[str, np.ndarray]: ...

    def canonical(self, article_id: str) -> str: ...

    def group(self, canonical: str) -> DuplicateGroup | None: ...

    def put(self, fingerprint: Fingerprint, group: DuplicateGroup | None) -> None: ...


class MemoryIndex:
    def __init__(self) -> None:
        self.digests: dict[str, str] = {}
        self.postings: dict[str, list[str]] = {}
        self.signatures: dict[str, np.ndarray] = {}
        self.canonicals: dict[str, str] = {}
        self.groups: dict[str, DuplicateGroup] = {}

    def by_digest(self, digest: str) -> str | None:
        return self.digests.get(digest)

    def candidates(self, bands: Sequence[str]) -> dict[str, np.ndarray]:
        ids = {article_id for key in bands for article_id in self.postings.get(key, ())}
        return {article_id: self.signatures[article_id] for article_id in ids}

    def canonical(self, article_id: str) -> str:
        return self.canonicals.get(article_id, article_id)

    def group(self, canonical: str) -> DuplicateGroup | None:
        return self.groups.get(canonical)

    def put(self, fingerprint: Fingerprint, group: DuplicateGroup | None) -> None:
        self.digests.setdefault(fingerprint.digest, fingerprint.article_id)
        self.signatures[fingerprint.article_id] = fingerprint.signature
        for key in fingerprint.bands:
            self.postings.setdefault(key, []).append(fingerprint.article_id)
        if group:
            self.groups[group.canonical] = group
            self.canonicals[fingerprint.article_id] = group.canonical


class Deduplicator:
    """Assigns articles, in arrival order, to the duplicate group of their best earlier match."""

    def __init__(self, index: DuplicateIndex, config: DedupConfig | None = None) -> None:
        self.index = index
        self.config = config or DedupConfig()

    def add(self, article: Article) -> DuplicateGroup | None:
        """The article's group after adding it (None when it is a copy of nothing seen so far)."""
        return self.add_fingerprint(fingerprint(article, self.config))

    def add_fingerprint(self, found: Fingerprint) -> DuplicateGroup | None:
        match = self._best_match(found)
        group = None
        if match:
            matched, score = match
            canonical = self.index.canonical(matched)
            earlier = self.index.group(canonical)
            members = earlier.article_ids if earlier else (canonical,)
            least = min(score, earlier.similarity) if earlier else score
            group = DuplicateGroup(canonical, (*members, found.article_id), round(least, 4))
        self.index.put(found, group)
        return group

    def _best_match(self, found: Fingerprint) -> tuple[str, float] | None:
        exact = self.index.by_digest(found.digest)
        if exact is not None:
            return exact, 1.0
        best = min(((-score, article_id) for article_id, score in self.scored_candidates(found).items()), default=None)
        if best is None or -best[0] < self.config.threshold:
            return None
        return best[1], -best[0]

    def scored_candidates(self, found: Fingerprint) -> dict[str, float]:
        """Earlier articles that share an LSH band with ``found``, with their estimated similarity."""
        return {
            i: similarity(found.signature, signature) for i, signature in self.index.candidates(found.bands).items()
        }


def find_duplicates(articles: Iterable[Article], config: DedupConfig | None = None) -> list[DuplicateGroup]:
    """Duplicate groups of ``articles`` taken in the given order (publication order for a run)."""
    dedup = Deduplicator(MemoryIndex(), config)
    return group_fingerprints((fingerprint(article, dedup.config) for article in articles), dedup)


def group_fingerprints(fingerprints: Iterable[Fingerprint], dedup: Deduplicator) -> list[DuplicateGroup]:
    groups: dict[str, DuplicateGroup] = {}
    for found in fingerprints:
        group = dedup.add_fingerprint(found)
        if group:
            groups[group.canonical] = group
    return sorted(groups.values(), key=lambda g: g.canonical)
