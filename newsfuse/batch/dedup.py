"""Near-duplicate candidates on Dask: LSH band keys shuffled, pairs scored where they meet.

Signatures never gather on one node. Each article's signature goes once per LSH band
through a shuffle keyed by the band's hash; a partition's postings travel as arrays, one
block per shard of band keys, so the shuffle moves a few blocks per partition instead of an
object per posting. The worker that holds a shard scores the pairs in each of its buckets and
keeps each article's best earlier match at or above the threshold; the bests of an article's
buckets are folded into one, which reaches the client. There each article joins the group of
that match, exactly as ``run`` decides, so both find the same groups.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import dask.bag as db
import numpy as np

from newsfuse.dedup.minhash import DedupConfig, Deduplicator, Fingerprint, MemoryIndex, fingerprint, similarities
from newsfuse.records import Article, arrival_order


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


@dataclass(frozen=True)
class Postings:
    """Postings of one partition in one shard, as arrays: row i is an article in bucket ``keys[i]``."""

    keys: np.ndarray
    arrivals: list[str]
    """Each row's article as its ``arrival_key``."""
    signatures: np.ndarray


def best_earlier_matches(articles: db.Bag, config: DedupConfig) -> dict[str, dict[str, float]]:
    """For each article, its most similar earlier article (arrival order), if one reaches the threshold.

    That best match is all ``Deduplicator`` uses, so only it leaves a bucket, and the buckets'
    bests are folded per article: what travels grows with the articles, not with the similar
    pairs. ``n`` copies of one wire story share their buckets and make n(n-1)/2 pairs in each
    shared band; at 100,000 articles with 200 copies a story, gathering every pair needed more
    than a worker's 11.8 GiB.
    """
    shards = max(2, math.isqrt(articles.npartitions))
    postings = articles.map_partitions(shard_postings, config, shards)
    blocks = postings.groupby(_shard, shuffle="tasks", npartitions=shards)
    matches = blocks.map(best_in_shard, config.threshold).flatten()
    best = matches.foldby(_later_id, _better_match, combine=_better_match).compute()
    return {later: {earlier: -negated} for later, (_, (negated, earlier)) in best}


def arrival_key(article: Article) -> str:
    """``arrival_order`` as one string that sorts the same: undated flag and date in fixed width, then the id."""
    undated, day, article_id = arrival_order(article)
    return f"{int(undated)}{day.isoformat()}{article_id}"


_ID_AT = len("0" + "YYYY-MM-DD")
"""Where the id starts in an ``arrival_key``."""


def shard_postings(articles: list[Article], config: DedupConfig, shards: int) -> list[tuple[int, Postings]]:
    """A partition's postings, one block per shard; a band key's shard comes from its hash,
    so it is the same on every worker (Python's ``hash`` of a string is not)."""
    keys: list[str] = []
    arrivals: list[str] = []
    signatures: list[np.ndarray] = []
    for article in articles:
        found = fingerprint(article, config)
        keys.extend(found.bands)
        arrivals.extend([arrival_key(article)] * len(found.bands))
        signatures.extend([found.signature] * len(found.bands))
    if not keys:
        return []
    shard_of = np.array([int(key.rsplit(":", 1)[1], 16) % shards for key in keys])
    stacked, key_array = np.stack(signatures), np.array(keys)
    blocks = []
    for shard in np.unique(shard_of):
        rows = np.flatnonzero(shard_of == shard)
        blocks.append((int(shard), Postings(key_array[rows], [arrivals[i] for i in rows], stacked[rows])))
    return blocks


Match = tuple[str, tuple[float, str]]
"""(later id, (negated similarity, earlier id)): the smallest is the best match, as ``Deduplicator`` picks."""


def best_in_shard(shard: tuple[int, list[tuple[int, Postings]]], threshold: float) -> list[Match]:
    """Each article's best earlier match over the buckets of a shard."""
    blocks = [postings for _, postings in shard[1]]
    keys = np.concatenate([block.keys for block in blocks])
    arrivals = [arrival for block in blocks for arrival in block.arrivals]
    signatures = np.concatenate([block.signatures for block in blocks])
    by_key = np.argsort(keys, kind="stable")
    ordered = keys[by_key]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    best: dict[str, tuple[float, str]] = {}
    for start, end in zip(starts, [*starts[1:], len(keys)], strict=True):
        if end - start < 2:
            continue
        rows = sorted(by_key[start:end], key=arrivals.__getitem__)
        for later, match in best_in_bucket([arrivals[row][_ID_AT:] for row in rows], signatures[rows], threshold):
            best[later] = min(best.get(later, match), match)
    return list(best.items())


def best_in_bucket(ids: list[str], signatures: np.ndarray, threshold: float) -> list[Match]:
    """Each member's best earlier member of a bucket (members in arrival order), where it reaches the threshold."""
    found = []
    for number in range(1, len(ids)):
        scores = similarities(signatures[:number], signatures[number])
        top = float(scores.max())
        if top >= threshold:
            earlier = min(ids[i] for i in np.flatnonzero(scores == top))
            found.append((ids[number], (-top, earlier)))
    return found


def _shard(block: tuple[int, Postings]) -> int:
    return block[0]


def _later_id(match: Match) -> str:
    return match[0]


def _better_match(a: Match, b: Match) -> Match:
    return min(a, b, key=lambda match: match[1])
