"""Serve a store through the web app: its export as the reader, and writes added incrementally.

The reader is the store's export held in memory (``DocumentReader``), replaced after each
write; a write adds one article in one transaction and re-analyses only its story, so it
persists and costs far less than the in-memory re-run a served stories.json needs.
"""

from __future__ import annotations

import threading
from typing import Any

from newsfuse.codec import result_document
from newsfuse.ingest.fields import article_from_fields
from newsfuse.records import ParsedArticle
from newsfuse.store.incremental import IncrementalPipeline
from newsfuse.web.reader import DocumentReader, Record
from newsfuse.web.writes import WRITE_SOURCE, DuplicateArticle


class StoreStories:
    """The web app's ``Stories`` over a store; one lock serialises writes on the store's connection."""

    def __init__(self, pipeline: IncrementalPipeline) -> None:
        self._pipeline = pipeline
        self._lock = threading.Lock()
        self.reader = DocumentReader(result_document(pipeline.result()), self.kept_parses)

    def kept_parses(self, story_id: str) -> list[ParsedArticle]:
        """The store's own parses of the story's articles (no spaCy run), read between writes."""
        with self._lock:
            return self._pipeline.store.parsed_members(story_id)

    def add_article(self, fields: dict[str, Any]) -> Record:
        """Raises IngestError for an invalid article and DuplicateArticle for a stored id."""
        article = article_from_fields(fields, WRITE_SOURCE)
        with self._lock:
            if self._pipeline.store.has_article(article.id):
                raise DuplicateArticle(f"article id {article.id!r} already exists")
            self._pipeline.add([article])
            self.reader = DocumentReader(result_document(self._pipeline.result()), self.kept_parses)
        record = self.reader.get_article(article.id)
        assert record is not None, "the store keeps every article"
        return record
