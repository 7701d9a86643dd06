"""Adding articles over the API while serving a stories.json.

There is no store yet, so an added article joins the articles in memory and the whole
pipeline runs again over all of them; the result replaces the served stories. That is
fine for the small corpora a stories.json holds, and nothing is written to disk.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from newsfuse.codec import (
    article_from_record,
    document_outlets,
    duplicate_from_record,
    profiles_record,
    result_document,
    skipped_from_record,
    story_from_record,
    story_record,
)
from newsfuse.errors import NewsfuseError
from newsfuse.ingest.fields import article_from_fields
from newsfuse.outlets.coverage import with_coverage
from newsfuse.pipeline import OutletsChoice, run_pipeline, settled_config, settled_outlets
from newsfuse.records import Article, OutletProfiles
from newsfuse.web.reader import DocumentReader, Record, StoriesFileError

WRITE_SOURCE = "POST /api/articles"


class DuplicateArticle(NewsfuseError, ValueError):
    """An added article whose id is already served."""


class LiveStories:
    """The served stories; ``reader`` is swapped whole after each write, so reads never block."""

    def __init__(
        self,
        document: Record,
        settings: Mapping[str, Any] | None = None,
        name: str = "stories.json",
        outlets: OutletsChoice | None = None,
    ) -> None:
        """``settings`` chosen for this serve must agree with those the document (``name``) was made with;
        ``outlets`` too, unless they replace its own (the served coverage is counted again, the file unchanged)."""
        kept = document_outlets(document)
        profiles = settled_outlets(kept, outlets, name)
        self._config = replace(settled_config(document.get("settings"), settings or {}, name), outlets=profiles)
        if profiles != kept and profiles is not None:
            document = with_outlets(document, profiles)
        self._document = document
        self._lock = threading.Lock()
        self.reader = DocumentReader(document)

    def check_writable(self) -> None:
        """Raise StoriesFileError when the document lacks what a re-run needs (article text)."""
        articles_of(self._document)

    def add_article(self, fields: dict[str, Any]) -> Record:
        """Validate ``fields`` (as a JSONL input line), re-run the pipeline, return the stored record.

        Raises IngestError for an invalid article and DuplicateArticle for a known id.
        """
        article = article_from_fields(fields, WRITE_SOURCE)
        with self._lock:
            articles = articles_of(self._document)
            if any(known.id == article.id for known in articles):
                raise DuplicateArticle(f"article id {article.id!r} already exists")
            skipped = [skipped_from_record(s) for s in self._document.get("skipped", [])]
            self._document = result_document(run_pipeline([*articles, article], skipped, self._config))
            self.reader = DocumentReader(self._document)
        record = self.reader.get_article(article.id)
        assert record is not None, "the pipeline keeps every article"
        return record


def with_outlets(document: Record, profiles: OutletProfiles) -> Record:
    """The document with ``profiles`` and each story's coverage counted on them."""
    stories = [story_from_record(s) for s in document["stories"]]
    articles = [article_from_record(a) for a in document["articles"]]
    duplicates = [duplicate_from_record(d) for d in document.get("duplicates", [])]
    counted = with_coverage(stories, articles, duplicates, profiles)
    return {**document, "stories": [story_record(s) for s in counted], "outlets": profiles_record(profiles)}


def articles_of(document: Record) -> list[Article]:
    """Rebuild the pipeline's input from a stories.json written with article text."""
    if not all(isinstance(a.get("text"), str) for a in document["articles"]):
        raise StoriesFileError("this stories.json has no article text (written by an older newsfuse); re-run it")
    return [article_from_record(a) for a in document["articles"]]
