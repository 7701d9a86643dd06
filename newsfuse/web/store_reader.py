"""The ``StoryReader`` of a store: every request is a few indexed queries, nothing is loaded whole.

Nothing about stories is cached, so a write committed by any process (``add``, ``watch``,
``load``, a POST) is in the answer to the next request. Only articles are cached: a
stored article never changes, and a story page reads each of its articles.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from newsfuse import __version__
from newsfuse.records import ParsedArticle
from newsfuse.store.queries import StoryQueries
from newsfuse.store.search import words
from newsfuse.store.store import Store
from newsfuse.web.reader import Page, Record, StoryFilter

ARTICLE_CACHE = 4_096
"""Articles kept in memory: a few list pages' worth; articles of big stories come and go."""
TEMPLATES = Path(__file__).parent / "templates"


def _renderer_digest() -> str:
    digest = hashlib.sha256(__version__.encode())
    for template in sorted(TEMPLATES.glob("*.j2")):
        digest.update(template.name.encode() + b"\0" + template.read_bytes())
    return digest.hexdigest()[:12]


RENDERER = _renderer_digest()
"""The package's version and its templates: part of a page's version, so that a page stored by
another version of newsfuse is never served, but rendered again."""


def _rendered_here(version: str) -> str:
    """A page version as this newsfuse renders it: what a stored page is kept under and asked for by."""
    return f"{version}-{RENDERER}"


class StoreReader:
    """Reads stories, articles and threads from the store at ``url`` on a connection of its own."""

    def __init__(self, url: str) -> None:
        self._queries = StoryQueries(url)
        self._store = Store(url)
        self._articles: OrderedDict[str, Record] = OrderedDict()

    def close(self) -> None:
        self._queries.close()
        self._store.close()

    def stamp(self) -> object:
        """Changes whenever a story or a thread does."""
        return self._queries.stamp()

    def page_version(self, story_id: str) -> str | None:
        version = self._queries.page_version(story_id)
        return None if version is None else _rendered_here(version)

    def pages_to_render(self) -> list[tuple[str, str]]:
        """``(story id, page version)`` of the stories whose stored page is missing or out of date, biggest first."""
        stored = self._queries.stored_page_versions()
        current = ((story_id, _rendered_here(v)) for story_id, v in self._queries.page_versions().items())
        return [(story_id, version) for story_id, version in current if stored.get(story_id) != version]

    def stored_page(self, story_id: str, version: str) -> bytes | None:
        return self._queries.stored_page(story_id, version)

    def list_stories(self, filters: StoryFilter, offset: int, limit: int) -> Page:
        if filters.article is None:
            items, total = self._queries.list_stories(filters, offset, limit)
            return Page(tuple(items), total, offset, limit)
        # An article is in one story at most; that story, while waiting to be rebuilt, may not list it yet.
        found, _ = self._queries.list_stories(filters, 0, 2)
        listing = [story for story in found if filters.article in story["article_ids"]]
        return Page(tuple(listing[offset : offset + limit]), len(listing), offset, limit)

    def search(self, query: str, offset: int, limit: int) -> Page:
        items, total = self._queries.search(tuple(dict.fromkeys(words(query))), offset, limit)
        return Page(tuple(items), total, offset, limit)

    def listings(self, story_ids: Sequence[str]) -> list[Record]:
        return self._queries.listings(story_ids)

    def get_story(self, story_id: str) -> Record | None:
        return self._queries.story(story_id)

    def shown_in(self, story_id: str) -> str | None:
        return self._queries.shown_in(story_id)

    def get_article(self, article_id: str) -> Record | None:
        cached = self._articles.get(article_id)
        if cached is not None:
            self._articles.move_to_end(article_id)
            return cached
        record = self._queries.article(article_id)
        if record is not None:
            self._articles[article_id] = record
            if len(self._articles) > ARTICLE_CACHE:
                self._articles.popitem(last=False)
        return record

    def get_thread(self, thread_id: str) -> Record | None:
        return self._queries.thread(thread_id)

    def continued_in(self, thread_id: str) -> str | None:
        return self._queries.continued_in(thread_id)

    def duplicate_groups(self, article_id: str) -> list[Record]:
        group = self._queries.duplicate_group(article_id)
        return [group] if group is not None and article_id in group["article_ids"] else []

    def outlets(self) -> list[str]:
        return self._queries.outlets()

    def outlet_profiles(self) -> Record | None:
        stored = self._store.meta("outlets")
        return None if stored is None else dict(json.loads(stored))

    def settings(self) -> Record:
        return self._store.settings() or {}

    def parsed_members(self, story_id: str) -> list[ParsedArticle] | None:
        """The store's kept parses: what changed since a date needs no spaCy run."""
        if self._queries.story(story_id) is None:
            return None
        return self._store.parsed_members(story_id)
