"""The store's tables as the records and states the incremental pipeline works with."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import numpy as np

from newsfuse.cluster.attach import StoryShape
from newsfuse.cluster.online import ClusterConfig, DocumentFrequencies, OnlineClusterer, OpenStory
from newsfuse.cluster.threads import Subject, story_subject
from newsfuse.codec import (
    article_from_record,
    article_record,
    parsed_from_record,
    parsed_record,
    profiles_from_record,
    profiles_record,
    story_from_record,
    story_record,
    thread_from_record,
    thread_record,
)
from newsfuse.dedup.minhash import Fingerprint
from newsfuse.records import Article, DuplicateGroup, OutletProfiles, ParsedArticle, Skipped, Story, Thread
from newsfuse.store.db import SHOWN_IN, SHOWN_STORY, Database, StoreError
from newsfuse.store.search import story_index, story_listing, tsvector_literal

FREQUENCY_KINDS = ("term", "entity")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _first_story(record: str) -> str | None:
    """The story a stored thread lists first."""
    story_ids = thread_from_record(json.loads(record)).story_ids
    return story_ids[0] if story_ids else None


def _in_order(record: Mapping[str, Any]) -> str:
    """JSON with the keys in the record's own order (stories.json's), so readers serve it as decoded."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def _days(first: str | None, last: str | None) -> tuple[date, date] | None:
    return (date.fromisoformat(first), date.fromisoformat(last)) if first and last else None


SUBJECTS_QUERY = (
    "SELECT s.id, s.size, s.earliest, t.title, t.words FROM stories s"
    " LEFT JOIN story_subjects t ON t.id = s.id WHERE s.record IS NOT NULL ORDER BY s.id"
)
"""What threading reads of every built story: index ``stories_subject`` and ``story_subjects``, never a record."""


class Store:
    """Articles, duplicate groups, clustering state and stories in one SQLite file or PostgreSQL database."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[int]:
        """A write transaction; yields the clustering generation (bumped by every change to the clusterer)."""
        with self.db.transaction():
            lock = " FOR UPDATE" if self.db.postgres else ""
            row = self.db.one("SELECT value FROM meta WHERE key = 'generation'" + lock)
            yield int(row[0]) if row else 0

    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # Articles

    def has_article(self, article_id: str) -> bool:
        return self.db.one("SELECT 1 FROM articles WHERE id = ?", (article_id,)) is not None

    def insert_article(self, article: Article) -> int:
        """Insert the article; its ``seq``, which numbers the articles in the order they were added."""
        row = self.db.one("SELECT COALESCE(MAX(seq), 0) + 1 FROM articles")
        seq = int(row[0]) if row else 1
        self.db.execute(
            "INSERT INTO articles (id, seq, record) VALUES (?, ?, ?)", (article.id, seq, _json(article_record(article)))
        )
        if article.source:
            self.db.execute("INSERT INTO outlets (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (article.source,))
        return seq

    def set_parsed(self, parsed: ParsedArticle, story_id: str) -> None:
        self.db.execute(
            "UPDATE articles SET parsed = ?, story_id = ? WHERE id = ?",
            (_json(parsed_record(parsed)), story_id, parsed.id),
        )

    def articles(self) -> list[Article]:
        return [article_from_record(json.loads(r[0])) for r in self.db.rows("SELECT record FROM articles")]

    def story_of(self, article_id: str) -> str | None:
        """The story the article is shown in."""
        row = self.db.one(f"SELECT {SHOWN_STORY} FROM articles WHERE id = ?", (article_id,))
        return row[0] if row else None

    def member_articles(self, story_id: str) -> list[Article]:
        """The articles shown in the story: its own, but those placed elsewhere, and those placed into it."""
        rows = self.db.rows(f"SELECT record FROM articles WHERE {SHOWN_IN}", (story_id, story_id))
        return [article_from_record(json.loads(r[0])) for r in rows]

    def parsed_members(self, story_id: str) -> list[ParsedArticle]:
        rows = self.db.rows(f"SELECT record, parsed FROM articles WHERE {SHOWN_IN}", (story_id, story_id))
        return [parsed_from_record(article_from_record(json.loads(r)), json.loads(p)) for r, p in rows]

    def copies_of(self, article_ids: Sequence[str]) -> list[Article]:
        """The copies of the articles (those of a story, however big: bound a chunk at a time)."""
        rows = self.db.rows_in("SELECT record FROM articles", "canonical", article_ids)
        return [article_from_record(json.loads(r[0])) for r in rows]

    def add_skipped(self, skipped: Iterable[Skipped]) -> None:
        with self.transaction():
            for item in skipped:
                if not self.db.one("SELECT 1 FROM skipped WHERE path = ? AND reason = ?", (item.path, item.reason)):
                    self.db.execute("INSERT INTO skipped (path, reason) VALUES (?, ?)", (item.path, item.reason))

    def skipped(self) -> list[Skipped]:
        return [Skipped(path, reason) for path, reason in self.db.rows("SELECT path, reason FROM skipped")]

    # Duplicate index (the store side of newsfuse.dedup.DuplicateIndex)

    def by_digest(self, digest: str) -> str | None:
        row = self.db.one("SELECT id FROM articles WHERE digest = ? ORDER BY seq LIMIT 1", (digest,))
        return row[0] if row else None

    def candidates(self, bands: Sequence[str]) -> dict[str, np.ndarray]:
        marks = ",".join("?" * len(bands))
        rows = self.db.rows(
            f"SELECT DISTINCT a.id, a.signature FROM bands b JOIN articles a ON a.id = b.article_id"
            f" WHERE b.key IN ({marks})",
            bands,
        )
        return {article_id: np.frombuffer(bytes(signature), dtype=np.uint32) for article_id, signature in rows}

    def canonical(self, article_id: str) -> str:
        row = self.db.one("SELECT canonical FROM articles WHERE id = ?", (article_id,))
        return row[0] if row and row[0] else article_id

    def group(self, canonical: str) -> DuplicateGroup | None:
        row = self.db.one("SELECT article_ids, similarity FROM duplicate_groups WHERE canonical = ?", (canonical,))
        return DuplicateGroup(canonical, tuple(json.loads(row[0])), row[1]) if row else None

    def put(self, fingerprint: Fingerprint, group: DuplicateGroup | None) -> None:
        signature = np.asarray(fingerprint.signature, dtype=np.uint32).tobytes()
        self.db.execute(
            "UPDATE articles SET digest = ?, signature = ?, canonical = ? WHERE id = ?",
            (fingerprint.digest, signature, group.canonical if group else None, fingerprint.article_id),
        )
        self.db.executemany(
            "INSERT INTO bands (key, article_id) VALUES (?, ?)",
            ((key, fingerprint.article_id) for key in fingerprint.bands),
        )
        if group:
            self.db.execute("DELETE FROM duplicate_groups WHERE canonical = ?", (group.canonical,))
            self.db.execute(
                "INSERT INTO duplicate_groups (canonical, article_ids, similarity) VALUES (?, ?, ?)",
                (group.canonical, _json(list(group.article_ids)), group.similarity),
            )

    def duplicate_groups(self) -> list[DuplicateGroup]:
        rows = self.db.rows("SELECT canonical, article_ids, similarity FROM duplicate_groups ORDER BY canonical")
        return [DuplicateGroup(c, tuple(json.loads(ids)), s) for c, ids, s in rows]

    # Clustering state

    def clusterer(self, config: ClusterConfig) -> OnlineClusterer:
        """The clusterer as the last committed add left it: frequencies and the open stories."""
        frequencies = []
        for kind in FREQUENCY_KINDS:
            row = self.db.one("SELECT value FROM meta WHERE key = ?", (f"{kind}_documents",))
            counts = dict(self.db.rows("SELECT term, count FROM frequencies WHERE kind = ?", (kind,)))
            frequencies.append(DocumentFrequencies(int(row[0]) if row else 0, counts))
        rows = self.db.rows("SELECT position, state FROM stories WHERE state IS NOT NULL")
        stories = {position: OpenStory.from_state(json.loads(state)) for position, state in rows}
        return OnlineClusterer(config, (frequencies[0], frequencies[1]), stories)

    def observe_frequencies(self, clusterer: OnlineClusterer, terms: Iterable[str], entities: Iterable[str]) -> None:
        """Save the frequency changes of one added article (its distinct terms and entities)."""
        counted = zip(
            FREQUENCY_KINDS, (clusterer.term_frequencies, clusterer.entity_frequencies), (terms, entities), strict=True
        )
        for kind, frequencies, words in counted:
            self.db.executemany(
                "INSERT INTO frequencies (kind, term, count) VALUES (?, ?, 1)"
                " ON CONFLICT (kind, term) DO UPDATE SET count = frequencies.count + 1",
                ((kind, word) for word in sorted(set(words))),
            )
            self.set_meta(f"{kind}_documents", str(frequencies.documents))

    def meta(self, key: str) -> str | None:
        row = self.db.one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def settings(self) -> dict[str, Any] | None:
        """The pipeline settings the store's stories are made with; None before any were kept."""
        stored = self.meta("settings")
        return None if stored is None else dict(json.loads(stored))

    def set_settings(self, settings: Mapping[str, Any]) -> None:
        self.set_meta("settings", _json(settings))

    def outlets(self) -> OutletProfiles | None:
        """The user's outlet profiles kept with the store; None before any were given."""
        stored = self.meta("outlets")
        return None if stored is None else profiles_from_record(json.loads(stored))

    def set_outlets(self, profiles: OutletProfiles) -> None:
        self.set_meta("outlets", _json(profiles_record(profiles)))

    # Stories

    def save_open_story(self, position: int, story: OpenStory) -> None:
        """Insert or update an open story and mark it dirty: its record is rebuilt later, and readers
        keep seeing the last one until then. It lists its articles but those of the parts split off it."""
        split_off = {i for _, ids in self._parts(story.id) for i in ids}
        listed = [i for i in story.article_ids if i not in split_off]
        values = (_json(listed), _json(story.state()), story.id)
        if self.db.one("SELECT 1 FROM stories WHERE id = ?", (story.id,)):
            self.db.execute("UPDATE stories SET article_ids = ?, state = ?, dirty = 1 WHERE id = ?", values)
        else:
            self.db.execute(
                "INSERT INTO stories (article_ids, state, id, position, dirty) VALUES (?, ?, ?, ?, 1)",
                (*values, position),
            )

    def absorb_story(self, position: int, into: str) -> None:
        """A story merged into ``into``: its articles and its parts' move, its row, its parts' rows and
        what readers found them by go."""
        row = self.db.one("SELECT id FROM stories WHERE position = ?", (position,))
        if row:
            for part, _ in self._parts(row[0]):
                self._drop_story(part, into)
            self._drop_story(row[0], into)

    def _drop_story(self, story_id: str, into: str) -> None:
        """Move the story's articles into ``into`` and drop its row, keeping which article it listed
        first: a link to the story leads on to wherever that article is shown (``retired_stories``)."""
        row = self.db.one("SELECT position, article_ids FROM stories WHERE id = ?", (story_id,))
        if row:
            self.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (into, story_id))
            self._drop_index(story_id, int(row[0]))
            self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            if listed := json.loads(row[1]):
                self.db.execute(
                    "INSERT INTO retired_stories (id, article_id) VALUES (?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET article_id = excluded.article_id",
                    (story_id, listed[0]),
                )

    def _parts(self, story_id: str) -> list[tuple[str, list[str]]]:
        rows = self.db.rows("SELECT id, article_ids FROM stories WHERE parent = ? ORDER BY id", (story_id,))
        return [(part, json.loads(ids)) for part, ids in rows]

    def split_root(self, story_id: str) -> str:
        """The online story a story was split off, or the story itself."""
        row = self.db.one("SELECT parent FROM stories WHERE id = ?", (story_id,))
        return row[0] if row and row[0] else story_id

    def unsplit_members(self, story_id: str) -> list[ParsedArticle]:
        """The parsed articles of an online story and of every part split off it: what it splits anew."""
        rows = self.db.rows(
            "SELECT record, parsed FROM articles WHERE story_id = ? OR story_id IN"
            " (SELECT id FROM stories WHERE parent = ?)",
            (story_id, story_id),
        )
        return [parsed_from_record(article_from_record(json.loads(r)), json.loads(p)) for r, p in rows]

    def save_split(self, story_id: str, parts: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Point each part's articles at it, keep a row for each part split off the online story
        ``story_id`` (the first part is the story itself), and drop the parts it no longer has.

        A story that stays whole, as most do, had no parts and has nothing to change: its rows
        are left alone rather than rewritten at every rebuild."""
        old_parts = self._parts(story_id)
        if len(parts) == 1 and not old_parts:
            return
        kept = {part for part, _ in parts[1:]}
        for part, _ in old_parts:
            if part not in kept:
                self._drop_story(part, story_id)
        for part, ids in parts:
            self.db.executemany("UPDATE articles SET story_id = ? WHERE id = ?", ((part, i) for i in ids))
            if self.db.one("SELECT 1 FROM stories WHERE id = ?", (part,)):
                self.db.execute("UPDATE stories SET article_ids = ? WHERE id = ?", (_json(list(ids)), part))
            else:
                row = self.db.one("SELECT MIN(position) FROM stories")
                position = min(int(row[0]) if row and row[0] is not None else 0, 0) - 1
                self.db.execute(
                    "INSERT INTO stories (id, position, article_ids, parent, dirty) VALUES (?, ?, ?, ?, 1)",
                    (part, position, _json(list(ids)), story_id),
                )
                # a part split off again under the id of one dropped before is live once more
                self.db.execute("DELETE FROM retired_stories WHERE id = ?", (part,))

    def lone_positions(self) -> dict[str, int]:
        """The article of each online story of one article, and the story's position."""
        rows = self.db.rows("SELECT position, article_ids FROM stories WHERE parent IS NULL")
        return {ids[0]: int(position) for position, listed in rows if len(ids := json.loads(listed)) == 1}

    def clustered_articles(self) -> Iterator[tuple[int, ParsedArticle, str]]:
        """Every clustered article (seq, parse, own story) in the order they were added, read a thousand at a time."""
        after = 0
        while rows := self.db.rows(
            "SELECT seq, record, parsed, story_id FROM articles WHERE parsed IS NOT NULL AND seq > ? ORDER BY seq"
            " LIMIT 1000",
            (after,),
        ):
            for seq, record, parsed, story_id in rows:
                yield (
                    int(seq),
                    parsed_from_record(article_from_record(json.loads(record)), json.loads(parsed)),
                    story_id,
                )
            after = int(rows[-1][0])

    def save_own_days(self, story_id: str, span: tuple[date, date] | None) -> None:
        """The first and last days of the story's own articles (None: none is dated)."""
        first, last = (span[0].isoformat(), span[1].isoformat()) if span else (None, None)
        self.db.execute("UPDATE stories SET own_first_day = ?, own_last_day = ? WHERE id = ?", (first, last, story_id))

    def own_stories(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The story each article is clustered and split into, wherever it is shown."""
        return dict(self.db.rows_in("SELECT id, story_id FROM articles", "id", article_ids))

    def own_shapes(self, story_ids: Sequence[str]) -> dict[str, StoryShape]:
        """Each story's count of own articles and the span of their days."""
        rows = self.db.rows_in("SELECT id, article_ids, own_first_day, own_last_day FROM stories", "id", story_ids)
        return {story_id: StoryShape(len(json.loads(ids)), _days(first, last)) for story_id, ids, first, last in rows}

    def place(self, article_id: str, story_id: str | None) -> None:
        """Show a lone article in ``story_id`` (None: in its own story); the stories it leaves and
        joins, and its own, are to be built again."""
        row = self.db.one("SELECT story_id, placed FROM articles WHERE id = ?", (article_id,))
        if row is None or row[1] == story_id:
            return
        self.db.execute("UPDATE articles SET placed = ? WHERE id = ?", (story_id, article_id))
        self.mark_unbuilt([s for s in (row[0], row[1], story_id) if s])

    def mark_unbuilt(self, story_ids: Iterable[str]) -> None:
        """The stories' records are to be built again, from their members as they are (``dirty = 2``);
        one to be split anew first (``dirty = 1``) stays so."""
        self.db.executemany("UPDATE stories SET dirty = 2 WHERE id = ? AND dirty = 0", ((s,) for s in story_ids))

    def mark_split(self, story_ids: Iterable[str]) -> None:
        """The stories were split anew; their records are to be built again."""
        self.db.executemany("UPDATE stories SET dirty = 2 WHERE id = ?", ((s,) for s in story_ids))

    def unbuilt_stories(self) -> list[str]:
        return [r[0] for r in self.db.rows("SELECT id FROM stories WHERE dirty = 2 ORDER BY id")]

    def hide_story(self, story_id: str) -> None:
        """A story that shows no article (its lone article is shown in another) leaves every reader's
        list; its row stays, for it holds the article's clustering."""
        row = self.db.one("SELECT position, record FROM stories WHERE id = ?", (story_id,))
        if row is None:
            return
        self.db.execute(
            "UPDATE stories SET record = NULL, dirty = 0, stamp = NULL, size = NULL, latest = NULL, earliest = NULL,"
            " first_day = NULL, last_day = NULL, thread_id = NULL WHERE id = ?",
            (story_id,),
        )
        self._drop_index(story_id, int(row[0]))
        if row[1] is not None:
            self._next_stamp()

    def close_stories(self, positions: Sequence[int]) -> None:
        self.db.executemany("UPDATE stories SET state = NULL WHERE position = ?", ((p,) for p in positions))

    def mark_dirty(self, story_id: str) -> None:
        self.db.execute("UPDATE stories SET dirty = 1 WHERE id = ?", (story_id,))

    def dirty_stories(self) -> list[str]:
        return [r[0] for r in self.db.rows("SELECT id FROM stories WHERE dirty = 1 ORDER BY id")]

    def unindexed_stories(self) -> list[str]:
        """Built stories not yet in the reader's tables, or without a listing (a store written before they existed).

        Asked at every start: the candidates come from indexes, and only theirs of the large story
        rows are read (``dirty`` lies behind the record, so testing it first read every story's record)."""
        rows = self.db.rows(
            "SELECT id FROM stories WHERE dirty = 0 AND id IN (SELECT id FROM stories WHERE stamp IS NULL"
            " UNION SELECT s.id FROM stories s WHERE NOT EXISTS (SELECT 1 FROM story_listings l WHERE l.id = s.id))"
            " ORDER BY id"
        )
        return [r[0] for r in rows]

    def story(self, story_id: str) -> Story | None:
        row = self.db.one("SELECT record FROM stories WHERE id = ? AND record IS NOT NULL", (story_id,))
        return story_from_record(json.loads(row[0])) if row else None

    def save_story(self, story: Story, members: Sequence[Article]) -> None:
        """Store a built story and what readers sort, filter and search it by, under a new change stamp."""
        index = story_index(story, members)
        record = story_record(story)
        stamp = self._next_stamp()
        self.db.execute(
            "UPDATE stories SET record = ?, dirty = 0, stamp = ?, size = ?, latest = ?, earliest = ?, first_day = ?,"
            " last_day = ? WHERE id = ?",
            (
                _in_order(record),
                stamp,
                index.size,
                index.latest,
                index.earliest,
                index.first_day,
                index.last_day,
                story.id,
            ),
        )
        row = self.db.one("SELECT position FROM stories WHERE id = ?", (story.id,))
        position = int(row[0]) if row else -1
        self._drop_index(story.id, position)
        self.db.execute(
            "INSERT INTO story_listings (id, listing) VALUES (?, ?)",
            (story.id, _in_order(story_listing(record, [article_record(a) for a in members]))),
        )
        self.db.execute(
            "INSERT INTO story_subjects (id, title, words) VALUES (?, ?, ?)",
            (story.id, story.title, _json(story_subject(story, index.earliest).words)),
        )
        days = (index.first_day, index.last_day)
        self.db.executemany(
            "INSERT INTO story_outlets (outlet, story_id, first_day, last_day) VALUES (?, ?, ?, ?)",
            ((o, story.id, *days) for o in index.outlets),
        )
        self.db.executemany(
            "INSERT INTO story_entities (entity, story_id, first_day, last_day) VALUES (?, ?, ?, ?)",
            ((e, story.id, *days) for e in index.entities),
        )
        if self.db.postgres:
            self.db.execute(
                "INSERT INTO story_text (position, terms, headline, id, size, latest)"
                " VALUES (?, ?::tsvector, ?::tsvector, ?, ?, ?)",
                (
                    position,
                    tsvector_literal(index.terms),
                    tsvector_literal(index.headline),
                    story.id,
                    index.size,
                    index.latest,
                ),
            )
        else:
            self.db.execute("INSERT INTO story_text (rowid, terms) VALUES (?, ?)", (position, " ".join(index.terms)))

    def _next_stamp(self) -> int:
        """Count a change readers see (a story saved or hidden); the new stamp."""
        stamp = int(self.meta("stories_stamp") or 0) + 1
        self.set_meta("stories_stamp", str(stamp))
        return stamp

    def keep_story_pages(self, pages: Sequence[tuple[str, str, bytes]]) -> None:
        """Keep ``(story id, version, page)`` rows, rendered by the web app; the page of a story merged
        away while it was rendered goes (its merge dropped the story's page before this one came)."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO story_pages (id, version, page) VALUES (?, ?, ?) ON CONFLICT (id)"
                " DO UPDATE SET version = excluded.version, page = excluded.page",
                pages,
            )
            self.db.executemany(
                "DELETE FROM story_pages WHERE id = ? AND NOT EXISTS (SELECT 1 FROM stories WHERE id = ?)",
                [(story_id, story_id) for story_id, _, _ in pages],
            )

    def _drop_index(self, story_id: str, position: int) -> None:
        self.db.execute("DELETE FROM story_pages WHERE id = ?", (story_id,))
        self.db.execute("DELETE FROM story_listings WHERE id = ?", (story_id,))
        self.db.execute("DELETE FROM story_subjects WHERE id = ?", (story_id,))
        self.db.execute("DELETE FROM story_outlets WHERE story_id = ?", (story_id,))
        self.db.execute("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
        column = "position" if self.db.postgres else "rowid"
        self.db.execute(f"DELETE FROM story_text WHERE {column} = ?", (position,))

    def stories(self) -> list[Story]:
        rows = self.db.rows("SELECT record FROM stories WHERE record IS NOT NULL")
        return [story_from_record(json.loads(r[0])) for r in rows]

    def subjects(self) -> list[Subject]:
        """What threading reads of every built story, without decoding the stories' records (but for
        a story stored before subjects were kept, until the next write command keeps its own)."""
        rows = self.db.rows(SUBJECTS_QUERY)
        return [
            Subject(story_id, title, size, earliest, json.loads(words))
            if words is not None
            else self._subject_from_record(story_id, earliest)
            for story_id, size, earliest, title, words in rows
        ]

    def _subject_from_record(self, story_id: str, earliest: str | None) -> Subject:
        story = self.story(story_id)
        if story is None:  # the query lists built stories only
            raise StoreError(f"story {story_id} lost its record while it was read")
        return story_subject(story, earliest)

    def save_threads(self, threads: Sequence[Thread]) -> None:
        """Replace the threads, and point each story at its own. A thread that is gone (merged into an
        older one, or its first story gone) is kept with the story it listed first: a link to it leads
        on to the thread that story is in now (``retired_threads``)."""
        live = {thread.id for thread in threads}
        gone = sorted(
            (thread_id, first)
            for thread_id, record in self.db.rows("SELECT id, record FROM threads")
            if thread_id not in live and (first := _first_story(record))
        )
        self.db.execute("DELETE FROM threads")
        self.db.executemany(
            "INSERT INTO threads (id, record) VALUES (?, ?)", ((t.id, _json(thread_record(t))) for t in threads)
        )
        self.db.executemany(
            "INSERT INTO retired_threads (id, story_id) VALUES (?, ?)"
            " ON CONFLICT (id) DO UPDATE SET story_id = excluded.story_id",
            gone,
        )
        # a thread found again under the id of one gone before is live once more
        self.db.execute("DELETE FROM retired_threads WHERE id IN (SELECT id FROM threads)")
        current = dict(self.db.rows("SELECT id, thread_id FROM stories"))
        moved = sorted((t.id, s) for t in threads for s in t.story_ids if current.get(s) != t.id)
        self.db.executemany("UPDATE stories SET thread_id = ? WHERE id = ?", moved)
