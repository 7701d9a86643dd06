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

THREAD_EVERY_SECONDS = 30.0
"""How stale the threads of a served store may get after writes over the API."""


class StoreStories:
    """The web app's ``Stories`` over a store; one lock serialises writes on the pipeline's connection."""

    def __init__(self, pipeline: IncrementalPipeline, thread_every: float = THREAD_EVERY_SECONDS) -> None:
        """Rebuild what a killed ``add`` left dirty (and index an older store's stories) before serving;
        then thread the stories again every ``thread_every`` seconds while any changed."""
        self._pipeline = pipeline
        self._lock = threading.Lock()
        pipeline.rebuild()
        pipeline.thread()
        self.reader = StoreReader(pipeline.store.db.url)
        self._stop = threading.Event()
        self._threader = threading.Thread(target=self._thread_while_serving, args=(thread_every,), daemon=True)
        self._threader.start()

    def _thread_while_serving(self, every: float) -> None:
        """Writes over the API add without threading (it costs seconds in a big store): the
        stories are threaded here, in the background, under the write lock."""
        while not self._stop.wait(every):
            with self._lock:
                self._pipeline.thread()

    def close(self) -> None:
        self._stop.set()
        self._threader.join()
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
