"""Copy a SQLite store into a PostgreSQL one, so that a big store is measured on both backends
without filling each from scratch (an hour for 100,000 articles).

What is stored as written is copied row by row; what readers find stories by (listings, outlets,
entities, full-text terms) is made again on PostgreSQL by the store's own indexing of stories
stored before those tables existed, which analyses nothing again; then the stories are threaded.

    .venv/bin/python bench/store_copy.py SQLITE_FILE POSTGRESQL_URL
"""

from __future__ import annotations

import argparse
import sqlite3
import time

from newsfuse.store import IncrementalPipeline, Store

COPIED = (
    "meta",
    "articles",
    "bands",
    "duplicate_groups",
    "frequencies",
    "stories",
    "skipped",
    "threads",
    "outlets",
    "neighbour_postings",
    "lone_articles",
    "lone_neighbours",
    "retired_stories",
    "retired_threads",
)
BATCH = 2_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sqlite")
    parser.add_argument("postgresql")
    args = parser.parse_args()
    source = sqlite3.connect(args.sqlite)
    target = Store(args.postgresql)
    started = time.perf_counter()
    with target.db.transaction():
        for table in COPIED:
            target.db.execute(f"DELETE FROM {table}")
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
            while batch := rows.fetchmany(BATCH):
                target.db.executemany(insert, batch)
        target.db.execute("UPDATE stories SET stamp = NULL, thread_id = NULL")
        target.db.execute("DELETE FROM meta WHERE key = 'threaded'")
    copied = time.perf_counter() - started
    pipeline = IncrementalPipeline(target)
    pipeline.rebuild()
    pipeline.thread()
    indexed = time.perf_counter() - started - copied
    count = target.db.one("SELECT COUNT(*) FROM articles")
    print(f"{count[0] if count else 0} articles copied in {copied:.0f} s, indexed and threaded in {indexed:.0f} s")
    target.close()


if __name__ == "__main__":
    main()
