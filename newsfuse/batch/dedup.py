"""Near-duplicate candidates on Dask: LSH band keys shuffled, pairs scored where they meet.

Signatures never gather on one node. Each article sends its signature once per LSH band
through a shuffle keyed by the band's hash; the worker that holds a band's bucket scores
the pairs in it, and only pairs at or above the threshold reach the client. There each
article joins the group of its best earlier match, exactly as ``run`` decides, so both find
the same groups.
"""

from __future__ import annotations

import dask.bag as db
import numpy as np

from newsfuse.dedup.minhash import DedupConfig, Deduplicator, Fingerprint, MemoryIndex, fingerprint, similarity
from newsfuse.pipeline import arrival_order
from newsfuse.records import ParsedArticle

Posting = tuple[tuple[object, ...], str, np.ndarray]
"""(arrival order key, article id, signature) of one article in one band's bucket."""


class PairedDeduplicator(Deduplicator):
    """Decides as ``Deduplicator`` does, from similarities the workers computed."""

    def __init__(self, pairs: dict[str, dict[str, float]], config: DedupConfig) -> None:
        super().__init__(MemoryIndex(), config)
        self.pairs = pairs

    def scored_candidates(self, found: Fingerprint) -> dict[str, float]:
        return self.pairs.get(found.article_id, {})


def bare_fingerprint(article_id: str, digest: str) -> Fingerprint:
    """What the client keeps of an article's fingerprint: the content hash, no signature."""
    return Fingerprint(article_id, digest, np.empty(0, dtype=np.uint32), ())


def similar_pairs(parsed: db.Bag, config: DedupConfig) -> dict[str, dict[str, float]]:
    """For each article, its earlier articles (arrival order) with estimated similarity >= threshold."""
    buckets = parsed.map(band_postings, config).flatten().groupby(lambda posting: posting[0], shuffle="tasks")
    scored: list[tuple[str, str, float]] = buckets.map(scored_pairs, config.threshold).flatten().compute()
    pairs: dict[str, dict[str, float]] = {}
    for later, earlier, score in scored:
        pairs.setdefault(later, {})[earlier] = score
    return pairs


def band_postings(parsed: ParsedArticle, config: DedupConfig) -> list[tuple[str, Posting]]:
    found = fingerprint(parsed.article, config)
    posting = (arrival_order(parsed.article), found.article_id, found.signature)
    return [(band, posting) for band in found.bands]


def scored_pairs(bucket: tuple[str, list[tuple[str, Posting]]], threshold: float) -> list[tuple[str, str, float]]:
    """Every (later, earlier, similarity) pair of the bucket that reaches the threshold."""
    members = sorted((posting for _, posting in bucket[1]), key=lambda posting: posting[:2])
    return [
        (later[1], earlier[1], score)
        for number, later in enumerate(members)
        for earlier in members[:number]
        if (score := similarity(later[2], earlier[2])) >= threshold
    ]
