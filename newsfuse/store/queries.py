"""Read-only queries the web reader answers from: one page of stories, one record by id.

Each query reads only what it returns (a page of story listings, one article), through the
indexes of the schema's second and third steps, so a request costs about the same for a store of 1,000 or
100,000 articles. Records come back as the JSON the store holds, which is the
stories.json contract (keys in its order), with the story's thread as of the last threading.

Each statement runs in its own read transaction on its own connection (SQLite in WAL
mode, PostgreSQL in autocommit), so a reader never waits for a writer and never sees a
story row half written: a story, its thread and its index rows change in one commit.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from newsfuse.codec import (
    article_from_record,
    article_record,
    story_from_record,
    story_record,
    thread_from_record,
    thread_record,
)
from newsfuse.store.db import SHOWN_STORY, Database
from newsfuse.store.search import fts_query, story_listing, tsquery_literal, words

BIGGEST = "s.size DESC, s.latest DESC, s.id{collate}"
NEWEST = "s.last_day DESC, " + BIGGEST
Json = dict[str, Any]
STORY_CACHE = 32
"""Decoded story records kept (each can be a megabyte decoded). Few: the web app keeps a story's
rendered page, which it renders again only when the record has changed, so what reads a record
again and again is the JSON API or a feed of a story being followed."""


Order = Literal["biggest", "newest"]


@dataclass(frozen=True)
class StoryFilter:
    """What the stories list is narrowed to (``None``: no restriction), and its order."""

    query: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    article: str | None = None
    thread: str | None = None
    order: Order = "biggest"


class StoryQueries:
    """Queries over one store, on a connection of their own (never the writer's, whose open
    transaction would otherwise show its half-done work)."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self._cache: OrderedDict[str, tuple[int, Json]] = OrderedDict()

    def close(self) -> None:
        self.db.close()

    def stamp(self) -> tuple[str, ...]:
        """Changed by every story rebuild (``stories_stamp``) and threading (``threaded``, the
        rebuild it threaded after): equal stamps, equal stories."""
        rows = self.db.rows("SELECT key, value FROM meta WHERE key IN ('stories_stamp', 'threaded') ORDER BY key")
        return tuple(value for _, value in rows)

    def page_version(self, story_id: str) -> str | None:
        """The version of what the story's page shows (``page_version``); None for no such story."""
        row = self.db.one(
            "SELECT s.stamp, t.record, (SELECT MAX(o.stamp) FROM stories o WHERE o.thread_id = s.thread_id)"
            " FROM stories s LEFT JOIN threads t ON t.id = s.thread_id WHERE s.id = ? AND s.stamp IS NOT NULL",
            (story_id,),
        )
        return page_version(row[0], thread_digest(row[1]), row[2]) if row else None

    def page_versions(self) -> dict[str, str]:
        """Every listed story's page version, biggest story first: each thread read once, not once per story."""
        threads = {
            thread_id: thread_digest(record) for thread_id, record in self.db.rows("SELECT id, record FROM threads")
        }
        newest = dict(self.db.rows("SELECT thread_id, MAX(stamp) FROM stories GROUP BY thread_id"))
        rows = self.db.rows(
            f"SELECT s.id, s.stamp, s.thread_id FROM stories s WHERE s.stamp IS NOT NULL ORDER BY {BIGGEST}"
        )
        return {
            story_id: page_version(stamp, threads.get(thread_id, ""), newest.get(thread_id) if thread_id else None)
            for story_id, stamp, thread_id in rows
        }

    def stored_page(self, story_id: str, version: str) -> bytes | None:
        row = self.db.one("SELECT page FROM story_pages WHERE id = ? AND version = ?", (story_id, version))
        return bytes(row[0]) if row else None

    def stored_page_versions(self) -> dict[str, str]:
        return dict(self.db.rows("SELECT id, version FROM story_pages"))

    def list_stories(self, filters: StoryFilter, offset: int, limit: int) -> tuple[list[Json], int]:
        """One page of the matching stories' listings in the list's order, and how many match."""
        where, params = self._where(filters)
        order = NEWEST if filters.order == "newest" else BIGGEST
        with self._through_text_index(words(filters.query or "")):
            rows = self.db.rows(
                f"SELECT s.id, s.thread_id FROM stories s WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                (*params, limit, offset),
            )
            total = self.db.one(
                *(_count_in_index(filters) or (f"SELECT COUNT(*) FROM stories s WHERE {where}", params))
            )
        return self._listings(rows), int(total[0]) if total else 0

    def search(self, words: Sequence[str], offset: int, limit: int) -> tuple[list[Json], int]:
        """Listings of the stories holding every word, best first: FTS5's BM25 on SQLite, ``ts_rank`` of the title and
        digest (``headline``) on PostgreSQL."""
        if not words:
            return [], 0
        if self.db.postgres:
            key, matches, match = "t.position", "t.terms @@ ?::tsquery", tsquery_literal(words)
            # ranked in the text index alone (as ``s``), which keeps each story's id, size and latest
            # for the order's ties (``BIGGEST``): joining every match to its story hashed every listed story
            page: tuple[str, tuple[Any, ...]] = (
                "SELECT s.id FROM story_text s WHERE s.terms @@ ?::tsquery"
                " AND s.position NOT IN (SELECT position FROM stories WHERE stamp IS NULL)"
                f" ORDER BY ts_rank(COALESCE(s.headline, ''), ?::tsquery) DESC, {BIGGEST} LIMIT ? OFFSET ?",
                (match, match, limit, offset),
            )
        else:
            key, matches, match = "t.rowid", "story_text MATCH ?", fts_query(words)
            page = (
                f"SELECT s.id FROM story_text t JOIN stories s ON s.position = t.rowid WHERE {matches}"
                f" AND s.stamp IS NOT NULL ORDER BY bm25(story_text), {BIGGEST} LIMIT ? OFFSET ?",
                (match, limit, offset),
            )
        with self._through_text_index(words):
            found = [row[0] for row in self.db.rows(*page)]
            # the text index's matches less those of the few stories waiting to be rebuilt: joining
            # every match to its story took as long again as the page for a word most stories hold
            total = self.db.one(
                f"SELECT (SELECT COUNT(*) FROM story_text t WHERE {matches})"
                f" - (SELECT COUNT(*) FROM story_text t JOIN stories s ON s.position = {key} WHERE {matches}"
                " AND s.stamp IS NULL)",
                (match, match),
            )
        return self.listings(found), int(total[0]) if total else 0

    @contextmanager
    def _through_text_index(self, query_words: Sequence[str]) -> Iterator[None]:
        """PostgreSQL's planner finds a common word's stories by reading each story's row, which unpacks
        its whole text: ten times slower than a bitmap of the GIN index, where the planner, blind to
        the unpacking, expects no gain. So a search runs in a transaction of its own planned with
        bitmap scans only (and no JIT, which the planner's cost of what it may not use would start)."""
        if not (query_words and self.db.postgres):
            yield
            return
        with self.db.transaction():
            for setting in ("enable_seqscan", "enable_indexscan", "jit"):
                self.db.execute(f"SET LOCAL {setting} = off")
            yield

    def listings(self, story_ids: Sequence[str]) -> list[Json]:
        """The listings of these stories, in this order; unknown ones are left out."""
        rows = self.db.rows_in("SELECT s.id, s.thread_id FROM stories s WHERE s.stamp IS NOT NULL", "s.id", story_ids)
        found = {row[0]: row for row in rows}
        return self._listings([found[story_id] for story_id in story_ids if story_id in found])

    def story(self, story_id: str) -> Json | None:
        rows = self.db.rows("SELECT id, stamp, thread_id FROM stories WHERE id = ? AND stamp IS NOT NULL", (story_id,))
        found = self._stories(rows)
        return found[0] if found else None

    def shown_in(self, story_id: str) -> str | None:
        """Where the articles of a story no reader finds are shown now: the article of a hidden story
        (one lone article, placed into another story), or the article a retired story (merged into
        another, or a part no longer split off) listed first."""
        row = self.db.one(
            "SELECT a.placed FROM stories s JOIN articles a ON a.story_id = s.id"
            " WHERE s.id = ? AND s.stamp IS NULL AND a.placed IS NOT NULL",
            (story_id,),
        ) or self.db.one(
            f"SELECT {SHOWN_STORY} FROM articles WHERE id = (SELECT article_id FROM retired_stories WHERE id = ?)",
            (story_id,),
        )
        return row[0] if row else None

    def continued_in(self, thread_id: str) -> str | None:
        """The thread a retired thread (merged into an older one, or its first story gone) goes on in:
        the one its first story is in now, or else the one of the story that shows that story's articles."""
        row = self.db.one("SELECT story_id FROM retired_threads WHERE id = ?", (thread_id,))
        if row is None:
            return None
        for story_id in (row[0], self.shown_in(row[0])):
            found = self.db.one(
                "SELECT s.thread_id FROM stories s JOIN threads t ON t.id = s.thread_id"
                " WHERE s.id = ? AND s.stamp IS NOT NULL",
                (story_id,),
            )
            if found:
                return str(found[0])
        return None

    def _listings(self, rows: Sequence[tuple[Any, ...]]) -> list[Json]:
        """Listings of ``(id, thread_id)`` rows, in their order. A story stored before listings were
        (until the next write command) has its listing worked out from its record and articles."""
        stored = dict(self.db.rows_in("SELECT id, listing FROM story_listings", "id", [row[0] for row in rows]))
        listings = []
        for story_id, thread_id in rows:
            listing = json.loads(stored[story_id]) if story_id in stored else self._listing_of(story_id)
            if listing is not None:
                listings.append({**listing, "thread_id": thread_id})
        return listings

    def _listing_of(self, story_id: str) -> Json | None:
        record = self.story(story_id)
        if record is None:
            return None
        members = [found for found in map(self.article, record["article_ids"]) if found is not None]
        return story_listing(record, members)

    def _stories(self, rows: Sequence[tuple[Any, ...]]) -> list[Json]:
        """Records of ``(id, stamp, thread_id)`` rows, decoded only when not cached at that stamp.

        A story record is large (every claim with its spans): decoding one costs milliseconds,
        so the decoded records of recent stamps are kept; the stamp says when one is stale."""
        wanted = [story_id for story_id, stamp, _ in rows if self._cached_stamp(story_id) != stamp]
        for story_id, stamp, record in self.db.rows_in("SELECT id, stamp, record FROM stories", "id", wanted):
            self._cache[story_id] = (stamp, _story(record))
        records = []
        for story_id, _, thread_id in rows:
            cached = self._cache.get(story_id)
            if cached is not None:
                self._cache.move_to_end(story_id)
                records.append({**cached[1], "thread_id": thread_id})
        while len(self._cache) > STORY_CACHE:
            self._cache.popitem(last=False)
        return records

    def _cached_stamp(self, story_id: str) -> int | None:
        cached = self._cache.get(story_id)
        return cached[0] if cached else None

    def article(self, article_id: str) -> Json | None:
        row = self.db.one("SELECT record FROM articles WHERE id = ?", (article_id,))
        return article_record(article_from_record(json.loads(row[0]))) if row else None

    def thread(self, thread_id: str) -> Json | None:
        row = self.db.one("SELECT record FROM threads WHERE id = ?", (thread_id,))
        return thread_record(thread_from_record(json.loads(row[0]))) if row else None

    def duplicate_group(self, article_id: str) -> Json | None:
        """The group the article is in, as its canonical or as a copy."""
        row = self.db.one(
            "SELECT g.canonical, g.article_ids, g.similarity FROM duplicate_groups g"
            " WHERE g.canonical = COALESCE((SELECT canonical FROM articles WHERE id = ?), ?)",
            (article_id, article_id),
        )
        if row is None:
            return None
        return {"canonical": row[0], "article_ids": json.loads(row[1]), "similarity": row[2]}

    def outlets(self) -> list[str]:
        return [row[0] for row in self.db.rows("SELECT name FROM outlets ORDER BY name{collate}")]

    def _where(self, filters: StoryFilter) -> tuple[str, tuple[Any, ...]]:
        """The filters as SQL conditions, cheapest first; only indexed columns and index tables."""
        query_words = tuple(dict.fromkeys(words(filters.query or "")))
        checks: list[tuple[Any, str]] = [
            (filters.article, "s.id = (SELECT story_id FROM articles WHERE id = ?)"),
            (filters.thread, "s.thread_id = ?"),
            (filters.outlet, "s.id IN (SELECT story_id FROM story_outlets WHERE outlet = ?)"),
            (
                filters.entity.casefold() if filters.entity else None,
                "s.id IN (SELECT story_id FROM story_entities WHERE entity = ?)",
            ),
            *_day_checks(filters, "s"),
        ]
        if query_words and self.db.postgres:
            checks.append(
                (
                    tsquery_literal(query_words),
                    "s.position IN (SELECT position FROM story_text WHERE terms @@ ?::tsquery)",
                )
            )
        elif query_words:
            checks.append(
                (fts_query(query_words), "s.position IN (SELECT rowid FROM story_text WHERE story_text MATCH ?)")
            )
        given, params = _given(checks)
        return " AND ".join(["s.stamp IS NOT NULL", *given]), tuple(params)


def _day_checks(filters: StoryFilter, table: str) -> list[tuple[Any, str]]:
    """The list's dates as conditions on ``table``'s days: the stories whose days overlap them."""
    return [(filters.date_from, f"{table}.last_day >= ?"), (filters.date_to, f"{table}.first_day <= ?")]


def _given(checks: Sequence[tuple[Any, str]]) -> tuple[list[str], list[Any]]:
    """The conditions of the checks whose value is given, and those values, in order."""
    kept = [(value, condition) for value, condition in checks if value is not None]
    return [condition for _, condition in kept], [value for value, _ in kept]


def _count_in_index(filters: StoryFilter) -> tuple[str, tuple[Any, ...]] | None:
    """The count of a list narrowed by one outlet or one entity, and dates, from that table's index
    alone (``story_outlets_days``, ``story_entities_days``), less the few stories waiting to be rebuilt
    (as a search's count); None for any other list. A list people follow is narrowed so, and on
    PostgreSQL counting it through the stories' rows cost a third of a filtered page."""
    if (
        filters.article
        or filters.thread
        or words(filters.query or "")
        or (filters.outlet is None) == (filters.entity is None)
    ):
        return None
    if filters.outlet is not None:
        table, narrowed = "story_outlets", (filters.outlet, "i.outlet = ?")
    else:
        table, narrowed = "story_entities", ((filters.entity or "").casefold(), "i.entity = ?")
    conditions, params = _given([narrowed, *_day_checks(filters, "i")])
    where = " AND ".join(conditions)
    return (
        f"SELECT (SELECT COUNT(*) FROM {table} i WHERE {where})"
        f" - (SELECT COUNT(*) FROM {table} i WHERE {where}"
        " AND i.story_id IN (SELECT id FROM stories WHERE stamp IS NULL))",
        (*params, *params),
    )


def page_version(stamp: int, thread: str, thread_newest: int | None) -> str:
    """What a story's page shows, in a few characters: the story's rebuild, its thread (``thread_digest``
    of its record: title and stories) and the newest rebuild among the thread's stories (their titles and dates)."""
    return hashlib.sha256(f"{stamp} {thread} {thread_newest}".encode()).hexdigest()[:20]


def thread_digest(record: str | None) -> str:
    return hashlib.sha256(record.encode()).hexdigest()[:20] if record is not None else ""


def _story(record: str) -> Json:
    """The record with its keys in the order stories.json has them: as stored since stories were
    written in that order (``id`` first), else (sorted keys, an older store) through the codec.
    Decoding is most of a list page's cost, so a record is decoded once, not twice."""
    decoded = json.loads(record)
    return decoded if next(iter(decoded), None) == "id" else story_record(story_from_record(decoded))
