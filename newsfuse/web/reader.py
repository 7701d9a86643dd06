"""Read access to stories for the web UI and API.

The pages and the API only see the small ``StoryReader`` interface, so a store-backed
reader can replace the ``stories.json`` one without touching them. Records are the
dictionaries of the ``stories.json`` contract, so the API returns the same shapes.
"""

from __future__ import annotations

import json
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from newsfuse.codec import article_from_record, check_version
from newsfuse.errors import NewsfuseError
from newsfuse.records import Article, ParsedArticle
from newsfuse.store.queries import Order as Order  # the order a StoryFilter names, for app.py
from newsfuse.store.queries import StoryFilter
from newsfuse.store.search import story_listing, words

Record = dict[str, Any]
T = TypeVar("T")
PARSE_CACHE = 4096
"""Articles whose parse a served stories.json keeps in memory."""


class StoriesFileError(NewsfuseError, ValueError):
    """A stories.json that cannot be served; the message names the file and the reason."""


@dataclass(frozen=True)
class Page:
    """One page of a longer result list."""

    items: tuple[Record, ...]
    total: int
    offset: int
    limit: int


class StoryReader(Protocol):
    def list_stories(self, filters: StoryFilter, offset: int, limit: int) -> Page:
        """Listings (``story_listing``, with ``thread_id``) of the stories matching ``filters``: biggest
        then newest first, or newest first. A story's full record is ``get_story``'s."""
        ...

    def search(self, query: str, offset: int, limit: int) -> Page:
        """Listings of the stories containing every word of ``query``, most relevant first."""
        ...

    def listings(self, story_ids: Sequence[str]) -> list[Record]:
        """The listings of these stories, in this order (unknown ones left out)."""
        ...

    def get_story(self, story_id: str) -> Record | None: ...

    def shown_in(self, story_id: str) -> str | None:
        """The story that shows the articles of a story no longer shown (its lone article placed into
        that story, ``cluster.attach``; or the story merged away or no longer split off); None for any
        other id."""
        ...

    def get_article(self, article_id: str) -> Record | None: ...

    def get_thread(self, thread_id: str) -> Record | None: ...

    def continued_in(self, thread_id: str) -> str | None:
        """The thread that a thread no longer found goes on in (it merged into an older thread when the
        stories were threaded again): the one its first story is in now; None for any other id."""
        ...

    def duplicate_groups(self, article_id: str) -> list[Record]:
        """The ``duplicates`` groups the article belongs to (empty when unknown)."""
        ...

    def outlets(self) -> list[str]: ...

    def outlet_profiles(self) -> Record | None:
        """The outlet profiles the stories were made with (the codec's ``outlets`` record); None without."""
        ...

    def settings(self) -> Record:
        """The pipeline settings the stories were made with (``PipelineConfig.settings``)."""
        ...

    def parsed_members(self, story_id: str) -> list[ParsedArticle] | None:
        """The story's articles parsed, for what changed since a date; None for an unknown story or one
        whose articles have no text. A store gives its kept parses; a stories.json parses them."""
        ...

    def page_version(self, story_id: str) -> str | None:
        """Changes whenever what the story's page shows does, for a reader whose stories change (a
        store's); None for an unknown story, and for a reader that never changes (a stories.json's)."""
        ...

    def stored_page(self, story_id: str, version: str) -> bytes | None:
        """The story's page, gzipped, as the store keeps it rendered at ``version`` (its ``page_version``);
        None else."""
        ...


class PerReader:
    """Values per reader state: worked out on first use, dropped when the app swaps its reader after
    a write, or when the version of what it was made from changes: ``version`` when given (a story
    page's ``page_version``), else the reader's stamp (a store's stories changed).
    ``limit`` bounds how many are kept (the least recently used go first)."""

    def __init__(self, limit: int | None = None) -> None:
        self._held: OrderedDict[str, tuple[StoryReader, object, Any]] = OrderedDict()
        self._limit = limit

    def get(self, name: str, reader: StoryReader, make: Callable[[StoryReader], T], version: object = None) -> T:
        version = stories_stamp(reader) if version is None else version
        held = self._held.get(name)
        if held is None or held[0] is not reader or held[1] != version:
            held = (reader, version, make(reader))
            self._held[name] = held
        self._held.move_to_end(name)
        while self._limit is not None and len(self._held) > self._limit:
            self._held.popitem(last=False)
        value: T = held[2]
        return value


def stories_stamp(reader: StoryReader) -> object:
    """What changes with any story of a reader that reports changes (a store's); ``None`` for one
    that never changes (a document's: the app swaps it)."""
    stamp = getattr(reader, "stamp", None)
    return stamp() if callable(stamp) else None


def full_records(reader: StoryReader, page: Page) -> list[Record]:
    """The full records of a page of listings, for what needs more than a list shows (claims, coverage)."""
    return [story for story in map(reader.get_story, (listing["id"] for listing in page.items)) if story is not None]


@dataclass(frozen=True)
class _StoryIndex:
    """What filtering and search need about one story, computed once at load time."""

    first_date: str | None
    last_date: str | None
    outlets: frozenset[str]
    entities: frozenset[str]
    terms: Counter[str]
    thread: str | None


class DocumentReader:
    """Serves one stories.json document held in memory.

    Everything a request would otherwise scan the whole document for (outlets, the
    stories of an article, the newest-first order, the stories holding a search word)
    is worked out once here, so a request costs about the same for 10 stories or 10,000.
    """

    def __init__(self, document: Record, parses: Callable[[str], list[ParsedArticle]] | None = None) -> None:
        """``parses`` gives a story's parsed members when they are kept (a store); else they are parsed here."""
        self._settings: Record = dict(document.get("settings", {}))
        self._profiles: Record | None = document.get("outlets")
        self._parses = parses
        self._articles: dict[str, Record] = {a["id"]: a for a in document["articles"]}
        self._stories: list[Record] = list(document["stories"])
        self._by_id: dict[str, Record] = {s["id"]: s for s in self._stories}
        self._listings: dict[str, Record] = {}
        self._index = {s["id"]: self._index_story(s) for s in self._stories}
        self._outlets = sorted({a["source"] for a in self._articles.values() if a.get("source")})
        self._newest = sorted(self._stories, key=lambda story: self._index[story["id"]].last_date or "", reverse=True)
        self._newest_rank = {story["id"]: rank for rank, story in enumerate(self._newest)}
        self._groups_of = _groups_by_article(document.get("duplicates", []))
        self._threads: dict[str, Record] = {t["id"]: t for t in document.get("threads", [])}
        self._positions: dict[str, set[int]] = defaultdict(set)
        self._stories_of: dict[str, list[int]] = defaultdict(list)
        for position, story in enumerate(self._stories):
            for term in self._index[story["id"]].terms:
                self._positions[term].add(position)
            for article_id in dict.fromkeys(story["article_ids"]):
                self._stories_of[article_id].append(position)

    def list_stories(self, filters: StoryFilter, offset: int, limit: int) -> Page:
        ordered = self._newest if filters.order == "newest" else self._stories
        if filters.article is not None:
            ordered = [self._stories[position] for position in self._stories_of.get(filters.article, [])]
            if filters.order == "newest":
                ordered.sort(key=lambda story: self._newest_rank[story["id"]])
        if replace(filters, article=None, order="biggest") != StoryFilter():
            query = set(words(filters.query or ""))
            ordered = [s for s in ordered if self._matches(self._index[s["id"]], query, filters)]
        return self._page(ordered, offset, limit)

    def search(self, query: str, offset: int, limit: int) -> Page:
        wanted = set(words(query))
        held = set.intersection(*(self._positions.get(term, set()) for term in wanted)) if wanted else set()
        scored = []
        for position in held:
            story = self._stories[position]
            terms = self._index[story["id"]].terms
            scored.append((-sum(terms[t] for t in wanted), position, story))
        return self._page([story for *_, story in sorted(scored, key=lambda item: item[:2])], offset, limit)

    def _page(self, stories: Sequence[Record], offset: int, limit: int) -> Page:
        """A page of the stories' listings, each worked out the first time it is listed."""
        items = []
        for story in stories[offset : offset + limit]:
            listing = self._listings.get(story["id"])
            if listing is None:
                members = [self._articles[i] for i in story["article_ids"] if i in self._articles]
                listing = {**story_listing(story, members), "thread_id": story.get("thread_id")}
                self._listings[story["id"]] = listing
            items.append(listing)
        return Page(tuple(items), len(stories), offset, limit)

    def listings(self, story_ids: Sequence[str]) -> list[Record]:
        stories = [self._by_id[story_id] for story_id in story_ids if story_id in self._by_id]
        return list(self._page(stories, 0, len(stories)).items)

    def get_story(self, story_id: str) -> Record | None:
        return self._by_id.get(story_id)

    def shown_in(self, story_id: str) -> str | None:
        """A stories.json holds the stories a run ends with: none was placed, merged or split away since."""
        return None

    def get_article(self, article_id: str) -> Record | None:
        return self._articles.get(article_id)

    def get_thread(self, thread_id: str) -> Record | None:
        return self._threads.get(thread_id)

    def continued_in(self, thread_id: str) -> str | None:
        """A stories.json holds the threads a run ends with: none was regrouped since."""
        return None

    def duplicate_groups(self, article_id: str) -> list[Record]:
        return list(self._groups_of.get(article_id, []))

    def outlets(self) -> list[str]:
        return self._outlets

    def outlet_profiles(self) -> Record | None:
        return self._profiles

    def settings(self) -> Record:
        return self._settings

    def page_version(self, story_id: str) -> str | None:
        return None

    def stored_page(self, story_id: str, version: str) -> bytes | None:
        return None

    def parsed_members(self, story_id: str) -> list[ParsedArticle] | None:
        story = self._by_id.get(story_id)
        if story is None:
            return None
        if self._parses is not None:
            return self._parses(story_id)
        members = [self._articles[i] for i in story["article_ids"]]
        if not all(isinstance(a.get("text"), str) for a in members):
            return None
        return [parsed_article(article_from_record(a)) for a in members]

    def _index_story(self, story: Record) -> _StoryIndex:
        members = [self._articles[i] for i in story["article_ids"] if i in self._articles]
        dates = sorted(a["published"][:10] for a in members if a.get("published"))
        texts = [story["title"], *(d["text"] for d in story.get("digest", []))]
        texts += [e["text"] for e in story.get("entities", [])]
        texts += [f"{a.get('title', '')}\n{a.get('text', '')}" for a in members]
        return _StoryIndex(
            first_date=dates[0] if dates else None,
            last_date=dates[-1] if dates else None,
            outlets=frozenset(a["source"] for a in members if a.get("source")),
            entities=frozenset(e["text"].casefold() for e in story.get("entities", [])),
            terms=Counter(term for text in texts for term in words(text)),
            thread=story.get("thread_id"),
        )

    @staticmethod
    def _matches(index: _StoryIndex, query: set[str], filters: StoryFilter) -> bool:
        """Cheapest checks first; ``query`` is the filter's words, split once per request."""
        return (
            (not filters.outlet or filters.outlet in index.outlets)
            and (not filters.thread or filters.thread == index.thread)
            and (not filters.date_from or (index.last_date is not None and index.last_date >= filters.date_from))
            and (not filters.date_to or (index.first_date is not None and index.first_date <= filters.date_to))
            and (not filters.entity or filters.entity.casefold() in index.entities)
            and all(term in index.terms for term in query)
        )


@lru_cache(maxsize=PARSE_CACHE)
def parsed_article(article: Article) -> ParsedArticle:
    """spaCy's parse of a served article, kept per process: a story's second ``since`` view costs no parse.

    (``Article`` hashes on its fields, so an article whose text changed is parsed again.) spaCy is
    imported on the first parse, so serving and reading a stories.json start without it."""
    from newsfuse.nlp.parse import parse_one

    return parse_one(article)


def _groups_by_article(duplicates: Iterable[Record]) -> dict[str, list[Record]]:
    """The duplicate groups each article is in, as canonical or as a copy."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for group in duplicates:
        for article_id in dict.fromkeys([group.get("canonical"), *group.get("article_ids", [])]):
            if isinstance(article_id, str):
                groups[article_id].append(group)
    return groups


def load_document(path: Path) -> Record:
    """Read a run's stories.json (``path`` may be the run's output folder)."""
    file = path / "stories.json" if path.is_dir() else path
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoriesFileError(f"{file}: no such file (run `newsfuse run` first, or pass --stories)") from None
    except OSError as err:
        raise StoriesFileError(f"{file}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError:
        raise StoriesFileError(f"{file}: not UTF-8 text") from None
    except json.JSONDecodeError as err:
        raise StoriesFileError(f"{file}: malformed JSON: {err.msg} at line {err.lineno}") from None
    _check_shape(document, file)
    check_version(document, str(file))
    return document


def _check_shape(document: Any, file: Path) -> None:
    if not isinstance(document, dict) or not all(isinstance(document.get(k), list) for k in ("articles", "stories")):
        raise StoriesFileError(f"{file}: not a newsfuse stories.json (needs 'articles' and 'stories' lists)")
    if not all(isinstance(a, dict) and {"id", "title"} <= a.keys() for a in document["articles"]):
        raise StoriesFileError(f"{file}: an article lacks 'id' or 'title'")
    known = {a["id"] for a in document["articles"]}
    for story in document["stories"]:
        if not isinstance(story, dict) or not {"id", "title", "article_ids"} <= story.keys():
            raise StoriesFileError(f"{file}: a story lacks 'id', 'title' or 'article_ids'")
        missing = [i for i in story["article_ids"] if i not in known]
        if missing:
            raise StoriesFileError(f"{file}: story {story['id']} cites unknown article {missing[0]}")
