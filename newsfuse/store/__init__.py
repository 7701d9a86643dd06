"""The incremental store: articles, duplicate groups, clustering state and stories (SQLite or PostgreSQL)."""

from newsfuse.store.db import StoreError
from newsfuse.store.incremental import AddOutcome, IncrementalPipeline, StoreConfig, open_config
from newsfuse.store.store import Store

__all__ = ["AddOutcome", "IncrementalPipeline", "Store", "StoreConfig", "StoreError", "open_config"]
