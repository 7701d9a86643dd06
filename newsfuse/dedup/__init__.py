"""Exact and near-duplicate detection (wire copies carried by several outlets)."""

from newsfuse.dedup.minhash import DedupConfig, Deduplicator, MemoryIndex, find_duplicates, fingerprint

__all__ = ["DedupConfig", "Deduplicator", "MemoryIndex", "find_duplicates", "fingerprint"]
