"""An integrity check of a store: the database's own check, the schema, and the store's invariants.

A killed ``add`` must leave a store that passes this check (each article is committed
whole or not at all); ``newsfuse check`` runs it so an operator, and the crash tests,
can tell a sound store from a damaged one without reading the tables by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Container
from dataclasses import dataclass
from typing import Any

from newsfuse.store.db import SCHEMA_VERSION, Database


@dataclass(frozen=True)
class CheckReport:
    """What was checked (counts for the summary) and every problem found (empty: sound)."""

    articles: int
    stories: int
    open_stories: int
    dirty_stories: int
    duplicate_groups: int
    problems: tuple[str, ...]


def check_store(db: Database) -> CheckReport:
    articles = {
        row[0]: row[1:]
        for row in db.rows("SELECT id, story_id, canonical, parsed IS NOT NULL, digest IS NOT NULL FROM articles")
    }
    placed = dict(db.rows("SELECT id, placed FROM articles WHERE placed IS NOT NULL"))
    lone = {row[0] for row in db.rows("SELECT article_id FROM lone_articles")}
    stories = db.rows("SELECT id, article_ids, state, CASE WHEN dirty = 0 THEN record END, parent, dirty FROM stories")
    groups = db.rows("SELECT canonical, article_ids FROM duplicate_groups")
    story_ids = {row[0] for row in stories}
    retired = db.rows("SELECT id, article_id FROM retired_stories")
    threads = {row[0] for row in db.rows("SELECT id FROM threads")}
    retired_threads = db.rows("SELECT id, story_id FROM retired_threads")
    problems = [
        *_database_problems(db),
        *_schema_problems(db),
        *_article_problems(articles, story_ids),
        *_story_problems(stories, articles, placed),
        *_placement_problems(placed, lone, story_ids),
        *_retired_problems("story", retired, story_ids, "article", articles),
        *_retired_problems("thread", retired_threads, threads, "story", story_ids | {row[0] for row in retired}),
        *_group_problems(groups, articles),
        *_clusterer_problems(db, articles),
    ]
    return CheckReport(
        articles=len(articles),
        stories=len(stories),
        open_stories=sum(1 for row in stories if row[2] is not None),
        dirty_stories=sum(1 for row in stories if row[5] != 0),
        duplicate_groups=len(groups),
        problems=tuple(problems),
    )


def _database_problems(db: Database) -> list[str]:
    """SQLite checks its pages and indexes; PostgreSQL has no built-in equivalent without extensions."""
    if db.postgres:
        return []
    found = [row[0] for row in db.rows("PRAGMA integrity_check")]
    return [] if found == ["ok"] else [f"database: {line}" for line in found]


def _schema_problems(db: Database) -> list[str]:
    versions = sorted(row[0] for row in db.rows("SELECT version FROM schema_version"))
    if versions != list(range(1, SCHEMA_VERSION + 1)):
        return [f"schema: versions {versions}, expected 1 to {SCHEMA_VERSION}"]
    return []


def _article_problems(articles: dict[str, tuple[Any, ...]], story_ids: set[str]) -> list[str]:
    """A copy is never clustered; any other article is parsed and in a story that exists."""
    problems = []
    for article_id, (story_id, canonical, parsed, digest) in sorted(articles.items()):
        if not digest:
            problems.append(f"article {article_id}: no duplicate fingerprint")
        if canonical is not None:
            if story_id is not None:
                problems.append(f"article {article_id}: a copy of {canonical} but clustered into story {story_id}")
        elif story_id is None or not parsed:
            problems.append(f"article {article_id}: neither a copy nor a parsed member of a story")
        elif story_id not in story_ids:
            problems.append(f"article {article_id}: its story {story_id} does not exist")
    return problems


def _story_problems(
    stories: list[tuple[Any, ...]], articles: dict[str, tuple[Any, ...]], placed: dict[str, str]
) -> list[str]:
    """Each story lists exactly the articles that point at it, each once, and no article is in two stories;
    an online story's clustering state holds its articles and those of the parts split off it; a built
    story's record shows its articles but those placed elsewhere, and those placed into it."""
    problems = []
    owners: Counter[str] = Counter()
    members: dict[str, set[str]] = {}
    split_off: dict[str, list[str]] = {}
    placed_into: dict[str, list[str]] = {}
    for article_id, into in placed.items():
        placed_into.setdefault(into, []).append(article_id)
    parents = {row[0]: row[4] for row in stories}
    for story_id, listed, _, _, parent, _ in stories:
        if parent is not None:
            split_off.setdefault(parent, []).extend(json.loads(listed))
            if parent not in parents or parents[parent] is not None:
                problems.append(f"story {story_id}: split off {parent}, which is not an online story")
    for story_id, listed, state, record, _, _ in sorted(stories, key=lambda row: row[0]):
        ids = json.loads(listed)
        owners.update(set(ids))
        members[story_id] = set(ids)
        problems += [f"story {story_id}: lists article {i} {n} times" for i, n in sorted(Counter(ids).items()) if n > 1]
        problems += [f"story {story_id}: lists article {i}, which does not exist" for i in ids if i not in articles]
        problems += [
            f"story {story_id}: lists article {i}, which belongs to story {articles[i][0]}"
            for i in ids
            if i in articles and articles[i][0] != story_id
        ]
        if state is not None and sorted(json.loads(state)["article_ids"]) != sorted(ids + split_off.get(story_id, [])):
            problems.append(f"story {story_id}: clustering state lists other articles than the story")
        shown = [i for i in ids if i not in placed] + placed_into.get(story_id, [])
        if record is not None and sorted(json.loads(record)["article_ids"]) != sorted(shown):
            problems.append(f"story {story_id}: record lists other articles than the story")
    problems += [f"article {i}: listed by {n} stories" for i, n in sorted(owners.items()) if n > 1]
    problems += [
        f"article {article_id}: in story {row[0]}, which does not list it"
        for article_id, row in sorted(articles.items())
        if row[0] in members and article_id not in members[row[0]]
    ]
    return problems


def _retired_problems(
    kind: str, retired: list[tuple[Any, ...]], live: Container[str], leads_to: str, targets: Container[str]
) -> list[str]:
    """A retired story (thread) is no live one, and the article (story) it leads to exists."""
    problems = []
    for retired_id, target in sorted(retired):
        if retired_id in live:
            problems.append(f"{kind} {retired_id}: retired, but a {kind} still")
        if target not in targets:
            problems.append(f"{kind} {retired_id}: retired to {leads_to} {target}, which does not exist")
    return problems


def _placement_problems(placed: dict[str, str], lone: set[str], story_ids: set[str]) -> list[str]:
    """Only a lone article is placed into another story, and that story exists."""
    problems = []
    for article_id, into in sorted(placed.items()):
        if article_id not in lone:
            problems.append(f"article {article_id}: placed into story {into}, but not a lone article")
        if into not in story_ids:
            problems.append(f"article {article_id}: placed into story {into}, which does not exist")
    return problems


def _group_problems(groups: list[tuple[Any, ...]], articles: dict[str, tuple[Any, ...]]) -> list[str]:
    """A group starts with its canonical article; its other members are copies pointing at it."""
    problems = []
    for canonical, listed in sorted(groups):
        ids = json.loads(listed)
        if not ids or ids[0] != canonical:
            problems.append(f"duplicate group {canonical}: does not start with its canonical article")
        problems += [
            f"duplicate group {canonical}: lists article {i} {n} times" for i, n in Counter(ids).items() if n > 1
        ]
        for article_id in ids:
            if article_id not in articles:
                problems.append(f"duplicate group {canonical}: article {article_id} does not exist")
            elif article_id != canonical and articles[article_id][1] != canonical:
                problems.append(f"duplicate group {canonical}: article {article_id} is not marked as its copy")
    return problems


def _clusterer_problems(db: Database, articles: dict[str, tuple[Any, ...]]) -> list[str]:
    """Every clustered article bumped the generation and the document counts exactly once."""
    clustered = sum(1 for story_id, *_ in articles.values() if story_id is not None)
    meta = dict(db.rows("SELECT key, value FROM meta"))
    expected = {"generation": clustered, "term_documents": clustered, "entity_documents": clustered}
    return [
        f"clusterer: {key} is {meta.get(key, 0)}, but {count} articles are clustered"
        for key, count in expected.items()
        if int(meta.get(key, 0)) != count
    ]
