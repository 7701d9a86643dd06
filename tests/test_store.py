"""The incremental store on SQLite and PostgreSQL: export equals run, re-adding is a no-op, closing."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.cluster.attach import NearestArticles, NeighboursInMemory, arrive_all
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig
from newsfuse.codec import thread_from_record
from newsfuse.ingest.options import FetchPolicy, IngestOptions
from newsfuse.pipeline import PipelineConfig
from newsfuse.records import Article, Thread
from newsfuse.store import IncrementalPipeline, Store, StoreConfig, StoreError
from newsfuse.store.check import check_store
from newsfuse.store.db import SCHEMA_VERSION, Database
from newsfuse.store.incremental import threaded_mark
from newsfuse.store.neighbours import StoredNeighbours
from newsfuse.store.store import SUBJECTS_QUERY
from newsfuse.store.watch import Watcher
from newsfuse.web.reader import StoryFilter
from newsfuse.web.store_reader import StoreReader

from .conftest import SAMPLES, seed_paths
from .ingest_fixtures import (
    SEED_A,
    SEED_B,
    Seed,
    news_page,
    rss_feed,
    rss_item,
    seed,
    serving_site,
    warc_archive,
)

TABLES = (
    "meta",
    "articles",
    "bands",
    "duplicate_groups",
    "frequencies",
    "stories",
    "skipped",
    "schema_version",
    "neighbour_postings",
    "lone_articles",
    "lone_neighbours",
    "retired_stories",
)


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: two stores are the same when their dumps are equal."""
    return sorted_rows(url, {table: f"SELECT * FROM {table}" for table in TABLES})


def sorted_rows(url: str, queries: dict[str, str]) -> dict[str, list[tuple[Any, ...]]]:
    """Each query's rows, sorted, by its name."""
    store = Store(url)
    try:
        return {name: sorted(map(tuple, store.db.rows(query)), key=repr) for name, query in queries.items()}
    finally:
        store.close()


def densest_window(path: Path, days: int = 10, most: int = 12) -> list[dict[str, Any]]:
    """Real articles published within ``days`` of each other, so closing old stories plays no part."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    dated = sorted(records, key=lambda r: r["published"])

    def window(start: dict[str, Any]) -> list[dict[str, Any]]:
        end = (date.fromisoformat(start["published"]) + timedelta(days=days)).isoformat()
        return [r for r in dated if start["published"] <= r["published"] <= end]

    return max((window(r) for r in dated), key=len)[:most]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, duc_dev_path: Path) -> Path:
    """The seed articles, a retitled wire copy of one, and a dozen real newswire articles."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in seed_paths():
        shutil.copy(path, folder / path.name)
    original = (SAMPLES / "outlet-a-trump-kim-second-summit.md").read_text(encoding="utf-8")
    copy = original.replace("source: outlet-a", "source: outlet-c").replace(
        "published: 2019-01-18", "published: 2019-01-19"
    )
    (folder / "outlet-c-copy.md").write_text(copy.replace("Donald Trump and Kim", "Trump and Kim", 1), encoding="utf-8")
    window = densest_window(duc_dev_path)
    day = window[0]["published"]
    timed = [  # same day, times in the opposite order to ids: run and store must agree on their order
        {**window[0], "id": f"{window[0]['id']}-{name}", "published": f"{day}T{hour}:00:00", "source": name}
        for name, hour in (("evening-wire", "18"), ("morning-wire", "07"))
    ]
    lines = [json.dumps(record) for record in [*window[:-2], *timed]]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    as_page, as_entry = (Seed(r["title"], tuple(r["text"].split("\n")), r["published"]) for r in window[-2:])
    (folder / "crawl.warc.gz").write_bytes(warc_archive([("https://c.example/x", news_page(as_page, site="Crawl"))]))
    b = seed(SEED_B)
    trimmed = rss_item(Seed(b.title, b.paragraphs[:-2], b.published), "https://wire.example/b", paragraphs=20)
    (folder / "wire.rss").write_bytes(rss_feed("Wire Feed", [rss_item(as_entry, "https://wire.example/1"), trimmed]))
    (folder / "broken.jsonl").write_text('{"id": "x", "title": \n', encoding="utf-8")
    return folder


def test_export_equals_run_and_re_adding_changes_nothing(
    corpus: Path, duc_dev_path: Path, store_url: str, tmp_path: Path
) -> None:
    """A folder (Markdown, JSONL, a WARC, an RSS file) and an RSS URL served on loopback."""
    record = json.loads(duc_dev_path.read_text(encoding="utf-8").splitlines()[-1])
    entry = Seed(record["title"], tuple(record["text"].split("\n")), record["published"])
    with serving_site() as site:
        feed = site.page("/feed.xml", rss_feed("Loopback Feed", [rss_item(entry, site.url + "/1")]))
        inputs = (str(corpus), feed, "--allow-private")
        cli("run", *inputs, "--out", str(tmp_path / "run"), "--quiet")
        cli("add", *inputs, "--db", store_url, "--quiet")
        before = dump(store_url)
        again = cli("add", *inputs, "--db", store_url, "--quiet")
    document = json.loads((tmp_path / "run" / "stories.json").read_text(encoding="utf-8"))
    assert f"0 added, 0 duplicates, {len(document['articles'])} already stored; 0 stories rebuilt" in again
    assert dump(store_url) == before
    cli("export", "--db", store_url, "--out", str(tmp_path / "export"))
    for name in ("stories.json", "report.md", "report.html"):
        assert (tmp_path / "export" / name).read_bytes() == (tmp_path / "run" / name).read_bytes(), name
    sources = {article["source"] for article in document["articles"]}
    assert {"Crawl", "Wire Feed", "Loopback Feed", "outlet-a"} <= sources
    assert len(document["duplicates"]) == 3 and document["skipped"]
    summit = next(
        s for s in document["stories"] if s["id"] in {g["canonical"] for g in []} or "outlet-b" in s["outlets"]
    )
    assert summit["outlets"] == ["Wire Feed", "outlet-a", "outlet-b", "outlet-c"]


def test_a_story_split_in_two_adds_is_the_run_s_and_the_store_stays_sound(
    pirate_captures: list[dict[str, Any]], store_url: str, tmp_path: Path
) -> None:
    """Two pirate captures the online pass fuses and the split parts (test_cluster_split).
    Added in two calls, the store splits the story after each, moves articles between its parts,
    and ends with what one run makes of all of them."""
    halves = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]  # undated: added by id, as run orders them
    for half, part in zip(halves, (pirate_captures[:18], pirate_captures[18:]), strict=True):
        half.write_text("".join(json.dumps(record) + "\n" for record in part), encoding="utf-8")
    cli("run", *map(str, halves), "--out", str(tmp_path / "run"), "--quiet")
    for half in halves:
        cli("add", str(half), "--db", store_url, "--quiet")
        store = Store(store_url)
        assert check_store(store.db).problems == ()
        store.close()
    cli("export", "--db", store_url, "--out", str(tmp_path / "export"))
    exported = (tmp_path / "export" / "stories.json").read_bytes()
    assert exported == (tmp_path / "run" / "stories.json").read_bytes()
    store = Store(store_url)
    try:
        parts = store.db.rows("SELECT id, parent FROM stories WHERE parent IS NOT NULL")
    finally:
        store.close()
    assert len(parts) == 1 and parts[0][0] in {story["id"] for story in json.loads(exported)["stories"]}
    part, online = parts[0]
    split = _rebuilt_from(store_url, online, split_min_part=5)  # the same again
    assert [story for story, _ in split] == [online, part]
    whole = sum(size for _, size in split)
    assert _rebuilt_from(store_url, part, split_min_part=0) == [(online, whole)]  # a part gone, its articles back
    assert _shown_in(store_url, part) == online  # a link to the part leads to the story that shows them
    assert _rebuilt_from(store_url, online, split_min_part=5) == split
    assert _shown_in(store_url, part) is None  # split off again: found itself, no longer retired
    store = Store(store_url)
    try:  # the split story merged into the other one (its clustering state aside): its part goes with it
        other = store.db.rows("SELECT id FROM stories WHERE parent IS NULL AND id <> ?", (online,))[0][0]
        with store.transaction():
            row = store.db.one("SELECT position FROM stories WHERE id = ?", (online,))
            store.absorb_story(int(row[0]), other)
        assert [r[0] for r in store.db.rows("SELECT id FROM stories")] == [other]
        owners = {r[0] for r in store.db.rows("SELECT story_id FROM articles WHERE canonical IS NULL")}
        assert owners == {other}
    finally:
        store.close()
    assert _shown_in(store_url, online) == _shown_in(store_url, part) == other


def _shown_in(store_url: str, story_id: str) -> str | None:
    return _leads_to(store_url, StoreReader.get_story, StoreReader.shown_in, story_id)


def _leads_to(
    store_url: str,
    find: Callable[[StoreReader, str], object],
    moved: Callable[[StoreReader, str], str | None],
    item_id: str,
) -> str | None:
    """Where a reader is sent for a story (thread) it does not find: never away from one it finds."""
    reader = StoreReader(store_url)
    try:
        assert find(reader, item_id) is None or moved(reader, item_id) is None
        return moved(reader, item_id)
    finally:
        reader.close()


def test_the_copies_of_a_story_with_more_articles_than_a_statement_binds_are_found(
    sample_articles: tuple[Article, ...], store_url: str
) -> None:
    """PostgreSQL binds at most 65,535 values in one statement; a story's copies are read in chunks."""
    first = sample_articles[0]
    copy = Article(id="copy", title=first.title, text=first.text, source="outlet-c", published=first.published)
    store = Store(store_url)
    try:
        IncrementalPipeline(store).add([*sample_articles, copy])
        members = [*(f"unknown-{n}" for n in range(70_000)), first.id]
        assert [article.id for article in store.copies_of(members)] == ["copy"]
    finally:
        store.close()


def test_a_thread_merged_into_an_older_one_leads_there_until_it_is_found_again(
    tdt_dev_path: Path, store_url: str, tmp_path: Path
) -> None:
    """Threading again retires a thread that merged into an older one: a link to it leads to the
    thread its first story is in, and once that story is merged away, to the thread of the story
    that absorbed it. Found again by a later threading, it is live and no longer retired."""
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in two_tdt_events(tdt_dev_path)[:9]), encoding="utf-8")
    cli("add", str(first), "--db", store_url, "--quiet")
    older, newer = threaded_into_one(store_url)
    store = Store(store_url)
    try:
        assert check_store(store.db).problems == ()
    finally:
        store.close()
    assert _continued_in(store_url, newer.id) == older.id
    store = Store(store_url)
    try:  # the newer thread's first story merged into a story of the older thread (its clustering state aside)
        with store.transaction():
            row = store.db.one("SELECT position FROM stories WHERE id = ?", (newer.story_ids[0],))
            store.absorb_story(int(row[0]), older.story_ids[0])
    finally:
        store.close()
    assert _continued_in(store_url, newer.id) == older.id
    store = Store(store_url)
    try:
        with store.transaction():
            store.save_threads([older, newer])
        assert store.db.rows("SELECT id FROM retired_threads") == []
    finally:
        store.close()
    assert _continued_in(store_url, newer.id) is None


def threaded_into_one(store_url: str) -> tuple[Thread, Thread]:
    """The store's two threads, the bigger first, after it saved them as one: what threading
    again does when the stories of the smaller come to be on the bigger's subject."""
    store = Store(store_url)
    try:
        older, newer = sorted(
            (thread_from_record(json.loads(row[0])) for row in store.db.rows("SELECT record FROM threads")),
            key=lambda thread: len(thread.story_ids),
            reverse=True,
        )
        with store.transaction():
            store.save_threads([replace(older, story_ids=(*older.story_ids, *newer.story_ids))])
    finally:
        store.close()
    return older, newer


def _continued_in(store_url: str, thread_id: str) -> str | None:
    return _leads_to(store_url, StoreReader.get_thread, StoreReader.continued_in, thread_id)


def test_lone_articles_placed_in_two_adds_are_the_run_s_and_one_whose_story_grew_is_shown_in_it(
    tdt_dev_path: Path, store_url: str, tmp_path: Path
) -> None:
    """Two TDT events, 14 dated articles. After the first nine, the online pass leaves
    NYT19981105.0538 alone and its nearest place it into another story; a later article joins
    it, so it is shown in its own story again. The store ends with what one run makes of all."""
    chosen = two_tdt_events(tdt_dev_path)
    halves = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    for half, part in zip(halves, (chosen[:9], chosen[9:]), strict=True):
        half.write_text("".join(json.dumps(record) + "\n" for record in part), encoding="utf-8")
    cli("run", *map(str, halves), "--out", str(tmp_path / "run"), "--quiet")
    placed = []
    for half in halves:
        cli("add", str(half), "--db", store_url, "--close-after-days", "90", "--quiet")  # a run closes no story
        store = Store(store_url)
        try:
            assert check_store(store.db).problems == ()
            placed.append(dict(store.db.rows("SELECT id, placed FROM articles WHERE placed IS NOT NULL")))
            hidden = {row[0] for row in store.db.rows("SELECT id FROM stories WHERE record IS NULL AND dirty = 0")}
            assert hidden == {store.db.one("SELECT story_id FROM articles WHERE id = ?", (i,))[0] for i in placed[-1]}
        finally:
            store.close()
    assert "NYT19981105.0538" in placed[0] and "NYT19981105.0538" not in placed[1] and placed[1]
    cli("export", "--db", store_url, "--out", str(tmp_path / "export"))
    exported = json.loads((tmp_path / "export" / "stories.json").read_bytes())
    assert (tmp_path / "export" / "stories.json").read_bytes() == (tmp_path / "run" / "stories.json").read_bytes()
    shown = {i: story["id"] for story in exported["stories"] for i in story["article_ids"]}
    assert all(shown[article_id] == into for article_id, into in placed[1].items())
    reader = StoreReader(store_url)
    try:  # what a reader lists is what the export holds: no hidden story
        listed = reader.list_stories(StoryFilter(), 0, 100)
        assert sorted(item["id"] for item in listed.items) == sorted(story["id"] for story in exported["stories"])
    finally:
        reader.close()
    before = _placement_tables(store_url)
    store = Store(store_url)
    try:  # as a store written before placement was kept: no placement tables, every story shown
        for statement in BACK_TO_STEP_8:
            store.db.execute(statement)
        store.db.execute("UPDATE stories SET dirty = 1 WHERE record IS NULL")
    finally:
        store.close()
    store = Store(store_url)
    try:
        IncrementalPipeline(store).rebuild()
        assert check_store(store.db).problems == ()
    finally:
        store.close()
    assert _placement_tables(store_url) == before


def two_tdt_events(tdt_dev_path: Path) -> list[dict[str, Any]]:
    """The 14 articles of TDT events d30008t and d30025t in arrival order: after the first nine,
    NYT19981105.0538 is a lone article placed into another story."""
    records = [json.loads(line) for line in tdt_dev_path.read_text(encoding="utf-8").splitlines()]
    return sorted((r for r in records if r["story"] in {"d30008t", "d30025t"}), key=lambda r: (r["published"], r["id"]))


BACK_TO_STEP_8 = (
    "DROP TABLE retired_threads",
    "DELETE FROM schema_version WHERE version = 11",
    "DROP TABLE retired_stories",
    "DELETE FROM schema_version WHERE version = 10",
    "DELETE FROM meta WHERE key = 'neighbours'",
    "DROP INDEX stories_unbuilt",
    "ALTER TABLE stories DROP COLUMN own_first_day",
    "ALTER TABLE stories DROP COLUMN own_last_day",
    "DROP INDEX articles_placed",
    "ALTER TABLE articles DROP COLUMN placed",
    "DROP TABLE lone_neighbours",
    "DROP TABLE lone_articles",
    "DROP TABLE neighbour_postings",
    "DELETE FROM schema_version WHERE version = 9",
)
"""A store as schema step 8 left it: what steps 9 to 11 made, unmade."""


def _placement_tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What placing lone articles keeps, and the stories' records, sorted."""
    return sorted_rows(
        url,
        {
            "postings": "SELECT * FROM neighbour_postings",
            "lone": "SELECT number, article_id, position, nearest, bar FROM lone_articles",
            "listed": "SELECT * FROM lone_neighbours",
            "placed": "SELECT id, placed FROM articles",
            "stories": "SELECT id, record, own_first_day, own_last_day FROM stories",
        },
    )


def test_the_store_keeps_the_nearest_a_run_keeps_in_memory(store_url: str) -> None:
    """The same arrivals through the store's tables and through memory, with postings so short
    that articles fall out of them: the same nearest, bars and postings."""
    vocabulary = ["quake", "flood", "vote", "court", "strike", "goal", "fire", "storm", "mine", "bank", "chile", "peru"]
    pick = random.Random(7)
    articles = [
        ArticleFeatures(
            f"n{n:02}", None, tuple(pick.choices(vocabulary[:10], k=4)), tuple(pick.sample(vocabulary[10:], 1))
        )
        for n in range(40)
    ]
    lone = {a.id for a in articles[::3]}
    config = ClusterConfig(max_postings=4)
    in_memory = NeighboursInMemory(config.split_min_part, config.max_postings)
    arrive_all(NearestArticles(config, in_memory), ((in_memory.number(a.id), a) for a in articles), lone)
    store = Store(store_url)
    try:
        stored = StoredNeighbours(store.db, config.split_min_part, config.max_postings)
        with store.transaction():
            for number, a in enumerate(articles, start=1):
                store.insert_article(Article(id=a.id, title=a.id, text=a.id))
                if a.id in lone:
                    stored.add_lone(number, a.id, number)
            arrive_all(NearestArticles(config, stored), enumerate(articles, start=1), lone)
        numbers = list(range(1, len(articles) + 1))
        assert stored.nearest(numbers) == {n + 1: kept for n, kept in in_memory.kept.items()}
        assert stored.bars(np.array(numbers)).tolist() == in_memory.bars(np.arange(len(articles))).tolist()
        keys = sorted(in_memory.buffers)
        assert [(k, (n - 1).tolist(), w.tolist()) for k, (n, w) in sorted(stored.postings(keys).items())] == [
            (k, n.tolist(), w.tolist()) for k, (n, w) in sorted(in_memory.postings(keys).items())
        ]
        assert stored.release([1, 4]) == ["n00", "n03"] and set(stored.nearest(numbers)) == {
            n + 1 for n in in_memory.kept
        } - {1, 4}
    finally:
        store.close()


def _rebuilt_from(store_url: str, story_id: str, split_min_part: int) -> list[tuple[str, int]]:
    """Mark a story dirty and rebuild it with this much splitting: the stories then, and their sizes."""
    store = Store(store_url)
    try:
        cluster = ClusterConfig(split_min_part=split_min_part)
        pipeline = IncrementalPipeline(store, StoreConfig(PipelineConfig(cluster=cluster)))
        with store.transaction():
            store.mark_dirty(story_id)
        pipeline.rebuild()
        assert check_store(store.db).problems == ()
        stories = store.db.rows("SELECT id, article_ids, parent FROM stories WHERE record IS NOT NULL")
        ordered = sorted(stories, key=lambda row: (row[2] is not None, row[0]))  # the online story first
        return [(i, len(json.loads(ids))) for i, ids, _ in ordered if len(json.loads(ids)) > 1]
    finally:
        store.close()


def test_a_new_article_joins_its_story_and_only_that_story_is_rebuilt(
    sample_articles: tuple[Article, ...], store_url: str
) -> None:
    outlet_a, outlet_b = sample_articles
    other = Article(
        id="other",
        title="Floods close schools",
        text="Heavy rain flooded the valley. " * 5,
        source="outlet-z",
        published="2019-01-17",
    )
    store = Store(store_url)
    try:
        pipeline = IncrementalPipeline(store)
        first = pipeline.add([outlet_a, other])
        assert (first.added, first.rebuilt) == (2, 2)
        [untouched] = [s for s in store.stories() if s.article_ids == ("other",)]
        second = pipeline.add([outlet_b])
        assert (second.added, second.rebuilt) == (1, 1)
        stories = {s.id: s for s in store.stories()}
        assert len(stories) == 2 and stories[untouched.id] == untouched
        assert set(stories[next(i for i in stories if i != untouched.id)].article_ids) == {outlet_a.id, outlet_b.id}
    finally:
        store.close()


def test_stories_without_new_articles_for_the_window_are_closed(
    sample_articles: tuple[Article, ...], store_url: str
) -> None:
    outlet_a, outlet_b = sample_articles
    later = Article(
        id="later", title="Markets rally", text="Stocks rose sharply on Monday. " * 5, published="2019-02-20"
    )
    store = Store(store_url)
    try:
        pipeline = IncrementalPipeline(store, StoreConfig(close_after_days=14))
        pipeline.add([outlet_a, later])
        assert check_store(store.db).open_stories == 1
        pipeline.add([outlet_b])
        assert sorted(len(s.article_ids) for s in store.stories()) == [1, 1, 1]
    finally:
        store.close()


def test_the_schema_is_versioned_and_a_newer_store_is_refused(store_url: str) -> None:
    db = Database(store_url)
    try:
        assert db.rows("SELECT version FROM schema_version ORDER BY version") == [
            (n,) for n in range(1, SCHEMA_VERSION + 1)
        ]
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION + 1,))
    finally:
        db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(store_url)


def test_threading_reads_no_story_record(tmp_path: Path) -> None:
    """SQLite keeps a story's later columns behind its record's overflow pages: the subjects
    query must be answered from an index and ``story_subjects`` (25 s against 7 s, cold, at
    11,883 stories), which a plan that scans ``stories`` itself would not be."""
    store = Store(str(tmp_path / "plan.db"))
    try:
        plan = " | ".join(row[-1] for row in store.db.rows("EXPLAIN QUERY PLAN " + SUBJECTS_QUERY))
    finally:
        store.close()
    assert "SCAN s USING INDEX stories_subject" in plan or "SCAN s USING COVERING INDEX stories_subject" in plan, plan


def test_stories_threaded_by_an_older_way_of_threading_are_threaded_again(
    sample_articles: tuple[Article, ...], store_url: str
) -> None:
    """A store made before the threads were counted otherwise has its stories threaded again on its next
    round (the end of an add, a watch poll, a server's start), though none of them changed."""
    store = Store(store_url)
    try:
        pipeline = IncrementalPipeline(store)
        pipeline.add(list(sample_articles))
        pipeline.thread()
        assert not pipeline.thread()  # nothing changed since
        [story_id] = [story.id for story in store.stories()]
        with store.transaction():
            store.db.execute("UPDATE stories SET thread_id = NULL")
            store.set_meta("threaded", store.meta("stories_stamp") or "0")  # as a store threaded before wrote it
        assert pipeline.thread()
        assert store.meta("threaded") == threaded_mark(store.meta("stories_stamp"))
        assert store.db.one("SELECT thread_id FROM stories WHERE id = ?", (story_id,))[0] is not None
        assert not pipeline.thread()
    finally:
        store.close()


def test_a_bad_store_path_is_reported(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path)])
    assert missing.exit_code != 0 and "no store at" in missing.output
    (tmp_path / "folder").mkdir()
    unopenable = CliRunner().invoke(main, ["add", str(SAMPLES), "--db", str(tmp_path / "folder")])
    assert unopenable.exit_code != 0 and "cannot open store" in unopenable.output


def test_two_processes_adding_to_one_store_take_turns(sample_articles: tuple[Article, ...], store_url: str) -> None:
    """Each transaction sees the other pipeline's clustering changes, as a single pipeline would."""
    outlet_a, outlet_b = sample_articles
    other = Article(id="other", title="Floods", text="Heavy rain flooded the valley. " * 5, published="2019-01-18")
    one, two = Store(store_url), Store(store_url)
    try:
        first, second = IncrementalPipeline(one), IncrementalPipeline(two)
        first.add([outlet_a])
        second.add([other])
        first.add([outlet_b])
        assert one.meta("term_documents") == "3"
        members = sorted(sorted(s.article_ids) for s in one.stories())
        assert members == [sorted([outlet_a.id, outlet_b.id]), ["other"]]
    finally:
        one.close()
        two.close()


def test_watch_asks_for_a_feed_with_its_validators_and_skips_a_304(tmp_path: Path) -> None:
    """A real loopback server: the second poll sends the feed's ETag and Last-Modified, gets 304 and reads nothing."""
    a, b = seed(SEED_A), seed(SEED_B)
    options = IngestOptions(fetch=FetchPolicy(allow_private=True, host_interval_s=0.0, timeout_s=5.0))
    store = Store(str(tmp_path / "watch.db"))
    try:
        pipeline = IncrementalPipeline(store)
        with serving_site() as site:
            modified = "Fri, 18 Jan 2019 21:05:00 GMT"
            only_a = rss_feed("Wire", [rss_item(a, site.url + "/a")])
            url = site.validated_page("/feed.xml", only_a, "application/rss+xml", '"v1"', modified)
            watcher = Watcher(pipeline, [url], options)
            first, second = watcher.poll(), watcher.poll()
            both = rss_feed("Wire", [rss_item(a, site.url + "/a"), rss_item(b, site.url + "/b")])
            site.validated_page("/feed.xml", both, "application/rss+xml", '"v2"', "Sat, 19 Jan 2019 08:00:00 GMT")
            third = watcher.poll()
        assert site.conditions == [("/feed.xml", None, None), *[("/feed.xml", '"v1"', modified)] * 2]
        assert [(o.added, o.unchanged) for o in (first, second, third)] == [(1, 0), (0, 0), (1, 1)]
    finally:
        store.close()


def test_a_store_keeps_its_settings_and_refuses_conflicting_ones(store_url: str, tmp_path: Path) -> None:
    """A store made with --words 40 makes every later story with 40, and says so when asked for another."""
    cli("add", str(SAMPLES / "outlet-a-trump-kim-second-summit.md"), "--db", store_url, "--words", "40", "--quiet")
    refused = CliRunner().invoke(main, ["add", str(SAMPLES), "--db", store_url, "--words", "80", "--quiet"])
    assert refused.exit_code == 1
    assert "this store was made with --words 40, not 80" in refused.output
    cli("add", str(SAMPLES), "--db", store_url, "--quiet")  # no --words: the store's 40
    cli("export", "--db", store_url, "--out", str(tmp_path / "export"))
    document = json.loads((tmp_path / "export" / "stories.json").read_text(encoding="utf-8"))
    assert document["settings"] == {"consensus": None, "words": 40}
    summit = document["stories"][0]
    assert len(summit["article_ids"]) == 2
    assert sum(len(sentence["text"].split()) for sentence in summit["digest"]) <= 40 + 60  # one sentence may end past
