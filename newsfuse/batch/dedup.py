"""Near-duplicate candidates on Dask: LSH band keys shuffled, pairs scored where they meet.

Signatures never gather on one node. Each article sends its signature once per LSH band
through a shuffle keyed by the band's hash; the worker that holds a band's bucket scores
the pairs in it and keeps each article's best earlier match at or above the threshold; the
bests of an article's buckets are folded into one, which reaches the client. There each
article joins the group of that match, exactly as ``run`` decides, so both find the same
groups.
"""

from __future__ import annotations

import dask.bag as db
import numpy as np

from newsfuse.dedup.minhash import DedupConfig, Deduplicator, Fingerprint, MemoryIndex, fingerprint, similarities
from newsfuse.pipeline import arrival_order
from newsfuse.records import Article

Posting = tuple[tuple[object, ...], str, np.ndarray]
"""(arrival order key, article id, signature) of one article in one band's bucket."""


class PairedDeduplicator(Deduplicator):
    """Decides as ``Deduplicator`` does, from the best matches the workers found."""

    def __init__(self, matches: dict[str, dict[str, float]], config: DedupConfig) -> None:
        super().__init__(MemoryIndex(), config)
        self.matches = matches

    def scored_candidates(self, found: Fingerprint) -> dict[str, float]:
        return self.matches.get(found.article_id, {})


def bare_fingerprint(article_id: str, digest: str) -> Fingerprint:
    """What the client keeps of an article's fingerprint: the content hash, no signature."""
    return Fingerprint(article_id, digest, np.empty(0, dtype=np.uint32), ())


def best_earlier_matches(articles: db.Bag, config: DedupConfig) -> dict[str, dict[str, float]]:
    """For each article, its most similar earlier article (arrival order), if one reaches the threshold.

    That best match is all ``Deduplicator`` uses, so only it leaves a bucket, and the buckets'
    bests are folded per article: what travels grows with the articles, not with the similar
    pairs. ``n`` copies of one wire story share their buckets and make n(n-1)/2 pairs in each
    shared band; at 100,000 articles with 200 copies a story, gathering every pair needed more
    than a worker's 11.8 GiB.
    """
    buckets = articles.map(band_postings, config).flatten().groupby(_band_key, shuffle="tasks")
    matches = buckets.map(best_in_bucket, config.threshold).flatten()
    best = matches.foldby(_later_id, _better_match, combine=_better_match).compute()
    return {later: {earlier: -negated} for later, (_, (negated, earlier)) in best}


def band_postings(article: Article, config: DedupConfig) -> list[tuple[str, Posting]]:
    found = fingerprint(article, config)
    posting = (arrival_order(article), found.article_id, found.signature)
    return [(band, posting) for band in found.bands]


Match = tuple[str, tuple[float, str]]
"""(later id, (negated similarity, earlier id)): the smallest is the best match, as ``Deduplicator`` picks."""


def best_in_bucket(bucket: tuple[str, list[tuple[str, Posting]]], threshold: float) -> list[Match]:
    """Each member's best earlier member of the bucket, where it reaches the threshold."""
    members = sorted((posting for _, posting in bucket[1]), key=lambda posting: posting[:2])
    if len(members) < 2:
        return []
    signatures = np.stack([signature for _, _, signature in members])
    found = []
    for number in range(1, len(members)):
        scores = similarities(signatures[:number], signatures[number])
        top = float(scores.max())
        if top >= threshold:
            earlier = min(members[i][1] for i in np.flatnonzero(scores == top))
            found.append((members[number][1], (-top, earlier)))
    return found


def _band_key(posting: tuple[str, Posting]) -> str:
    return posting[0]


def _later_id(match: Match) -> str:
    return match[0]


def _better_match(a: Match, b: Match) -> Match:
    return min(a, b, key=lambda match: match[1])
