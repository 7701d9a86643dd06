"""One connection to SQLite or PostgreSQL, and the versioned schema.

SQL is written once with ``?`` placeholders and a ``{blob}`` type; the PostgreSQL side
rewrites both. SQLite runs in WAL mode; every transaction takes the write lock at its
start (``BEGIN IMMEDIATE``), PostgreSQL locks the ``generation`` row, so two processes
adding at once take turns instead of losing each other's updates.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsfuse.errors import NewsfuseError

logger = logging.getLogger(__name__)

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE articles (id TEXT PRIMARY KEY, seq BIGINT NOT NULL, record TEXT NOT NULL, parsed TEXT,"
        " digest TEXT, signature {blob}, canonical TEXT, story_id TEXT)",
        "CREATE UNIQUE INDEX articles_seq ON articles (seq)",
        "CREATE INDEX articles_digest ON articles (digest)",
        "CREATE INDEX articles_canonical ON articles (canonical)",
        "CREATE INDEX articles_story ON articles (story_id)",
        "CREATE TABLE bands (key TEXT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (key, article_id))",
        "CREATE TABLE duplicate_groups (canonical TEXT PRIMARY KEY, article_ids TEXT NOT NULL,"
        " similarity DOUBLE PRECISION NOT NULL)",
        "CREATE TABLE frequencies (kind TEXT NOT NULL, term TEXT NOT NULL, count BIGINT NOT NULL,"
        " PRIMARY KEY (kind, term))",
        "CREATE TABLE stories (id TEXT PRIMARY KEY, position BIGINT NOT NULL UNIQUE, article_ids TEXT NOT NULL,"
        " state TEXT, record TEXT)",
        "CREATE INDEX stories_dirty ON stories (id) WHERE record IS NULL",
        "CREATE TABLE skipped (path TEXT NOT NULL, reason TEXT NOT NULL, PRIMARY KEY (path, reason))",
        "INSERT INTO meta (key, value) VALUES ('generation', '0')",
    ),
    (
        # What the web reader queries: a story keeps its last built record while it waits to be rebuilt
        # (``dirty``), so a reader never loses it; ``stamp`` is the rebuild that wrote it (NULL: not indexed).
        "ALTER TABLE stories ADD COLUMN dirty BIGINT NOT NULL DEFAULT 0",
        "UPDATE stories SET dirty = 1 WHERE record IS NULL",
        "DROP INDEX stories_dirty",
        "CREATE INDEX stories_dirty ON stories (id) WHERE dirty = 1",
        "ALTER TABLE stories ADD COLUMN stamp BIGINT",
        "ALTER TABLE stories ADD COLUMN size BIGINT",
        "ALTER TABLE stories ADD COLUMN latest TEXT",
        "ALTER TABLE stories ADD COLUMN earliest TEXT",
        "ALTER TABLE stories ADD COLUMN first_day TEXT",
        "ALTER TABLE stories ADD COLUMN last_day TEXT",
        "ALTER TABLE stories ADD COLUMN thread_id TEXT",
        "CREATE INDEX stories_biggest ON stories (size DESC, latest DESC, id{collate})",
        "CREATE INDEX stories_newest ON stories (last_day DESC, size DESC, latest DESC, id{collate})",
        "CREATE INDEX stories_thread ON stories (thread_id)",
        "CREATE INDEX stories_stamp ON stories (stamp)",
        "CREATE TABLE story_outlets (outlet TEXT NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (outlet, story_id))",
        "CREATE INDEX story_outlets_story ON story_outlets (story_id)",
        "CREATE TABLE story_entities (entity TEXT NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (entity, story_id))",
        "CREATE INDEX story_entities_story ON story_entities (story_id)",
        "CREATE TABLE threads (id TEXT PRIMARY KEY, record TEXT NOT NULL)",
        "CREATE TABLE outlets (name TEXT PRIMARY KEY)",
        "sqlite: INSERT INTO outlets (name) SELECT DISTINCT json_extract(record, '$.source') FROM articles"
        " WHERE json_extract(record, '$.source') <> ''",
        "postgresql: INSERT INTO outlets (name) SELECT DISTINCT (record::json)->>'source' FROM articles"
        " WHERE (record::json)->>'source' <> ''",
        "sqlite: CREATE VIRTUAL TABLE story_text USING fts5(terms,"
        " tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")",
        "postgresql: CREATE TABLE story_text (position BIGINT PRIMARY KEY, terms TSVECTOR NOT NULL)",
        "postgresql: CREATE INDEX story_text_terms ON story_text USING GIN (terms)",
        "INSERT INTO meta (key, value) VALUES ('stories_stamp', '0')",
    ),
    (
        # What a list page shows of a story (``story_listing``), in a table of its own: SQLite reads a
        # row's later columns through its record's overflow pages (a story record is ~100 kB). A store
        # written before it lists and threads its stories from their records until the next write command fills it.
        "CREATE TABLE story_listings (id TEXT PRIMARY KEY, listing TEXT NOT NULL)",
        # What threading reads of a story (``Subject``: its title and word counts), for the same reason.
        "CREATE TABLE story_subjects (id TEXT PRIMARY KEY, title TEXT NOT NULL, words TEXT NOT NULL)",
        # Indexes that hold every column a list query filters and sorts on, so that it never reads a row.
        "DROP INDEX stories_biggest",
        "DROP INDEX stories_newest",
        "CREATE INDEX stories_biggest ON stories (size DESC, latest DESC, id{collate}, stamp, first_day, last_day,"
        " thread_id)",
        "CREATE INDEX stories_newest ON stories (last_day DESC, size DESC, latest DESC, id{collate}, stamp, first_day,"
        " thread_id)",
        "CREATE INDEX stories_listed ON stories (id, stamp, size, latest, first_day, last_day, thread_id)",
        "CREATE INDEX stories_placed ON stories (position, stamp, size, latest, id, thread_id)",
    ),
    (
        # A thread's stories with their stamps, without reading their rows: a story page is kept until
        # the newest rebuild among its thread's stories (hundreds of ~300 kB rows in a big thread).
        "DROP INDEX stories_thread",
        "CREATE INDEX stories_thread ON stories (thread_id, stamp)",
        # Story pages as the web app renders them (gzipped), each under the version of what it shows.
        "CREATE TABLE story_pages (id TEXT PRIMARY KEY, version TEXT NOT NULL, page {blob} NOT NULL)",
        # What PostgreSQL ranks a search by: the words of a story's title and digest, about a kilobyte,
        # where ``ts_rank`` over ``terms`` unpacked every matching story's whole text. NULL for a
        # story stored before, which ranks by size until it is rebuilt.
        "postgresql: ALTER TABLE story_text ADD COLUMN headline TSVECTOR",
    ),
    (
        # What threading reads of every built story besides its subject, from an index: SQLite keeps
        # ``size`` and ``earliest`` behind the story's record, in its overflow pages (the subjects of a
        # store of 11,883 stories: 25 s with the page cache dropped, 7 s with this index).
        "CREATE INDEX stories_subject ON stories (id, size, earliest) WHERE record IS NOT NULL",
    ),
    (
        # A story split off another (``cluster.split``) names it: the online story whose clustering
        # state holds its articles. NULL for every story stored before, none of which is split.
        "ALTER TABLE stories ADD COLUMN parent TEXT",
        "CREATE INDEX stories_parent ON stories (parent)",
    ),
    (
        # A story's days beside each of its outlets and entities, so that a list filtered by one of
        # them (and dates) is counted in that table's index alone: counted through the stories'
        # rows it took 4 ms on PostgreSQL at 100,000 articles, a third of a filtered page.
        "ALTER TABLE story_outlets ADD COLUMN first_day TEXT",
        "ALTER TABLE story_outlets ADD COLUMN last_day TEXT",
        "UPDATE story_outlets SET (first_day, last_day) ="
        " (SELECT s.first_day, s.last_day FROM stories s WHERE s.id = story_id)",
        "CREATE INDEX story_outlets_days ON story_outlets (outlet, last_day, first_day, story_id)",
        "ALTER TABLE story_entities ADD COLUMN first_day TEXT",
        "ALTER TABLE story_entities ADD COLUMN last_day TEXT",
        "UPDATE story_entities SET (first_day, last_day) ="
        " (SELECT s.first_day, s.last_day FROM stories s WHERE s.id = story_id)",
        "CREATE INDEX story_entities_days ON story_entities (entity, last_day, first_day, story_id)",
    ),
    (
        # What PostgreSQL orders a search by besides its rank (``BIGGEST``), beside the story's words,
        # so that a search ranks its matches without joining each to its story.
        "postgresql: ALTER TABLE story_text ADD COLUMN id TEXT",
        "postgresql: ALTER TABLE story_text ADD COLUMN size BIGINT",
        "postgresql: ALTER TABLE story_text ADD COLUMN latest TEXT",
        "postgresql: UPDATE story_text SET (id, size, latest) ="
        " (SELECT s.id, s.size, s.latest FROM stories s WHERE s.position = story_text.position)",
    ),
    (
        # Lone articles placed into the story their nearest articles are in (``cluster.attach``): the
        # index that finds an arriving article's nearest (under each key, the ``seq`` of its newest
        # articles and their weights, as little-endian arrays), and each lone article's nearest, kept
        # up to date as articles arrive. ``fresh``: its nearest changed since the last placement.
        "CREATE TABLE neighbour_postings (key TEXT PRIMARY KEY, numbers {blob} NOT NULL, weights {blob} NOT NULL)",
        "CREATE TABLE lone_articles (number BIGINT PRIMARY KEY, article_id TEXT NOT NULL UNIQUE,"
        " position BIGINT NOT NULL, nearest TEXT NOT NULL, bar DOUBLE PRECISION NOT NULL, fresh BIGINT NOT NULL)",
        "CREATE INDEX lone_articles_position ON lone_articles (position)",
        "CREATE INDEX lone_articles_fresh ON lone_articles (number) WHERE fresh = 1",
        # Which lone articles list an article among their nearest: those to place again when its story changes.
        "CREATE TABLE lone_neighbours (neighbour TEXT NOT NULL, number BIGINT NOT NULL,"
        " PRIMARY KEY (neighbour, number))",
        # The story a lone article is shown in; its own story (``story_id``) is then hidden from readers.
        "ALTER TABLE articles ADD COLUMN placed TEXT",
        "CREATE INDEX articles_placed ON articles (placed)",
        # The first and last days of a story's own articles, what a lone article's date is held to.
        "ALTER TABLE stories ADD COLUMN own_first_day TEXT",
        "ALTER TABLE stories ADD COLUMN own_last_day TEXT",
        # ``dirty = 2``: split anew, its record to be built again (``dirty = 1``: to split anew first).
        "CREATE INDEX stories_unbuilt ON stories (id) WHERE dirty = 2",
        # Filled by replaying the stored articles at the next write command (``store.neighbours``).
        "INSERT INTO meta (key, value) VALUES ('neighbours', 'to replay')",
    ),
    (
        # A story whose row is gone (merged into another by the online pass, or a part a new split no
        # longer has) with the article it listed first, so that a link to it leads to the story that
        # shows that article now. Stories dropped before this step are not known: they stay 404.
        "CREATE TABLE retired_stories (id TEXT PRIMARY KEY, article_id TEXT NOT NULL)",
    ),
    (
        # A thread no longer found after the stories were threaded again (merged into an older
        # thread, or its first story gone), with the story it listed first, so that a link to it
        # leads to the thread that story is in now. Threads regrouped before this step stay 404.
        "CREATE TABLE retired_threads (id TEXT PRIMARY KEY, story_id TEXT NOT NULL)",
    ),
)
"""Ordered schema steps: step ``n`` moves the schema from version ``n`` to ``n + 1``. Only append.

A step prefixed ``sqlite:`` or ``postgresql:`` runs on that backend only (full-text search differs)."""

SCHEMA_VERSION = len(MIGRATIONS)
SHOWN_STORY = "COALESCE(placed, story_id)"
"""The story an article is shown in: the one a lone article is placed into, else its own."""
SHOWN_IN = "((story_id = ? AND placed IS NULL) OR placed = ?)"
"""The articles a story shows: its own, but lone ones placed into another story, and lone ones placed into it."""
IN_CHUNK = 500
"""Values bound in one ``IN (...)``: far below either backend's limit on parameters."""


class StoreError(NewsfuseError, RuntimeError):
    """A store that cannot be opened or used; the message is shown to the user."""


class Database:
    """A connection with ``execute``/``rows`` and a ``transaction`` context."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = url.startswith(("postgresql://", "postgres://"))
        self._connection: Any = _connect_postgres(url) if self.postgres else _connect_sqlite(url)
        self._depth = 0
        migrate(self)

    def _sql(self, sql: str) -> str:
        """``{collate}`` sorts text by code point on both (PostgreSQL's default follows the locale)."""
        blob = "BYTEA" if self.postgres else "BLOB"
        sql = sql.replace("{blob}", blob).replace("{collate}", ' COLLATE "C"' if self.postgres else "")
        return sql.replace("?", "%s") if self.postgres else sql

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._connection.execute(self._sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(row) for row in rows]
        if rows:
            self._connection.cursor().executemany(self._sql(sql), rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._connection.execute(self._sql(sql), tuple(params)).fetchall())

    def rows_in(self, select: str, column: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
        """``select``'s rows whose ``column`` is one of ``values``, bound ``IN_CHUNK`` at a time."""
        clause = " AND " if " WHERE " in select else " WHERE "
        found = []
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start : start + IN_CHUNK]
            found += self.rows(f"{select}{clause}{column} IN ({','.join('?' * len(chunk))})", chunk)
        return found

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing; nested calls join the outer transaction."""
        if self._depth:
            yield
            return
        self._depth = 1
        try:
            if self.postgres:
                with self._connection.transaction():
                    yield
            else:
                self._connection.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self._connection.execute("ROLLBACK")
                    raise
                self._connection.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self._connection.close()


def _connect_sqlite(path: str) -> sqlite3.Connection:
    """Any thread may use the connection (the web server's workers); callers serialise writes."""
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=60, check_same_thread=False)
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as err:
        raise StoreError(f"cannot open store {path}: {err}") from None
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _connect_postgres(url: str) -> Any:
    try:
        import psycopg
    except ModuleNotFoundError:
        raise StoreError("a postgresql:// store needs psycopg: pip install 'newsfuse[postgres]'") from None
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.Error as err:
        raise StoreError(f"cannot connect to {url.split('@')[-1]}: {err}".strip()) from None


def schema_version(db: Database) -> int:
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
    row = db.one("SELECT MAX(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(db: Database) -> None:
    """Apply the steps after the store's version, each in its own transaction."""
    with db.transaction():
        version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise StoreError(f"store schema version {version} is newer than this newsfuse ({SCHEMA_VERSION})")
    if 0 < version < SCHEMA_VERSION:
        # a step may read every story once (schema step 5: a minute for a 4 GB SQLite store): say why it waits
        logger.warning("upgrading the store from schema version %d to %d, once", version, SCHEMA_VERSION)
    for number in range(version, SCHEMA_VERSION):
        with db.transaction():
            if schema_version(db) != number:
                continue
            for statement in MIGRATIONS[number]:
                backend, _, only = statement.partition(": ")
                if backend not in ("sqlite", "postgresql"):
                    db.execute(statement)
                elif backend == ("postgresql" if db.postgres else "sqlite"):
                    db.execute(only)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (number + 1,))
