"""Serve a store through the web app: read through SQL, and writes added incrementally.

The reader queries the store on every request (``StoreReader``), so what any process
commits (``add``, ``watch``, ``load``, another server) is served at the next request,
without a restart or a rebuild of anything in memory. A write adds one article in one
transaction and re-analyses only its story, then threads the stories again.
"""

from __future__ import annotations

import threading
from typing import Any

from newsfuse.ingest.fields import article_from_fields
from newsfuse.store.incremental import IncrementalPipeline
from newsfuse.web.reader import Record
from newsfuse.web.store_reader import StoreReader
from newsfuse.web.writes import WRITE_SOURCE, DuplicateArticle


class StoreStories:
    """The web app's ``Stories`` over a store; one lock serialises writes on the pipeline's connection."""

    def __init__(self, pipeline: IncrementalPipeline) -> None:
        """Rebuild what a killed ``add`` left dirty (and index an older store's stories) before serving."""
        self._pipeline = pipeline
        self._lock = threading.Lock()
        pipeline.rebuild()
        self.reader = StoreReader(pipeline.store.db.url)

    def close(self) -> None:
        self.reader.close()

    def add_article(self, fields: dict[str, Any]) -> Record:
        """Raises IngestError for an invalid article and DuplicateArticle for a stored id."""
        article = article_from_fields(fields, WRITE_SOURCE)
        with self._lock:
            if self._pipeline.store.has_article(article.id):
                raise DuplicateArticle(f"article id {article.id!r} already exists")
            self._pipeline.add([article])
        record = self.reader.get_article(article.id)
        assert record is not None, "the store keeps every article"
        return record
