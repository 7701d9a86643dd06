"""The store's reader answers as the stories.json reader does over the store's own export.

Both readers serve the same store: ``StoreReader`` through SQL, ``DocumentReader`` over
``export``'s document. Lists, filters, pages, stories, articles, threads and duplicate
groups must be equal; search must find the same stories, and differs only in its order
(BM25 on SQLite, ``ts_rank`` on PostgreSQL, word counts in memory).
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.codec import result_document
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import run_pipeline
from newsfuse.records import Article, ParsedArticle, arrival_order
from newsfuse.store import IncrementalPipeline, Store
from newsfuse.store.db import SCHEMA_VERSION
from newsfuse.store.search import tsquery_literal, words
from newsfuse.web import create_app
from newsfuse.web.app import story_html
from newsfuse.web.reader import DocumentReader, PerReader, StoryFilter
from newsfuse.web.serving import PageRenderer
from newsfuse.web.store_reader import StoreReader

from .conftest import shared_data
from .test_store import BACK_TO_STEP_8, threaded_into_one, two_tdt_events

TOPICS = ("D0601", "D0602", "D0603", "D0604")
PER_TOPIC = 5


@pytest.fixture(scope="module")
def corpus() -> dict[str, ParsedArticle]:
    """Five articles of four DUC topics (cut short to parse fast), a copy from another outlet,
    an undated article, and words that tokenisers disagree on (underscores, accents, ß)."""
    rows = [json.loads(line) for line in shared_data("duc2006-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [r for topic in TOPICS for r in [r for r in rows if r["story"] == topic][:PER_TOPIC]]
    articles = [
        Article(id=r["id"], title=r["title"], text=r["text"][:1500], source=r["source"], published=r["published"])
        for r in chosen
    ]
    articles.append(replace(articles[0], id="copy-of-first", source="Copier Daily"))
    odd = "Straße in Zürich: the snake_case token and café opened, said Müller. Talks went on in Zürich."
    articles.append(Article(id="undated", title="Zürich café_talks", text=odd, source="Odd Wire"))
    return {parsed.id: parsed for parsed in parse_articles(articles, len(articles))}


@pytest.fixture
def readers(corpus: dict[str, ParsedArticle], store_url: str) -> Iterator[tuple[DocumentReader, StoreReader]]:
    store = Store(store_url)
    pipeline = IncrementalPipeline(store, parse=lambda article: corpus[article.id])
    pipeline.add([parsed.article for parsed in corpus.values()])
    pipeline.thread()
    document = result_document(pipeline.result())
    reader = StoreReader(store_url)
    try:
        yield DocumentReader(document), reader
    finally:
        reader.close()
        store.close()


def filters_of(memory: DocumentReader) -> list[StoryFilter]:
    """Every single filter value the data holds, some pairs, and both orders of each."""
    stories = memory.list_stories(StoryFilter(), 0, 1000).items
    days = sorted(
        {
            a["published"][:10]
            for s in stories
            for a in map(memory.get_article, s["article_ids"])
            if a and a["published"]
        }
    )
    single = [StoryFilter(outlet=outlet) for outlet in memory.outlets()]
    single += [StoryFilter(entity=e["text"].upper()) for s in stories for e in s["entities"][:3]]
    single += [StoryFilter(thread=s["thread_id"]) for s in stories]
    single += [StoryFilter(article=article_id) for s in stories for article_id in s["article_ids"][:2]]
    single += [StoryFilter(date_from=day) for day in days[::3]] + [StoryFilter(date_to=day) for day in days[::3]]
    single += [StoryFilter(query=q) for q in ("the", "Zürich", "snake_case", "ZÜRICH café", "strasse", "said the", "'")]
    single += [StoryFilter(article="copy-of-first"), StoryFilter(outlet="nobody"), StoryFilter(thread="nothing")]
    middle, entity = days[len(days) // 2], stories[0]["entities"][0]["text"]
    pairs = [StoryFilter(query="the", outlet=memory.outlets()[0], date_from=middle)]
    pairs += [StoryFilter(outlet=outlet, date_from=middle) for outlet in memory.outlets()]
    pairs += [StoryFilter(outlet=outlet, date_from=days[1], date_to=middle) for outlet in memory.outlets()]
    pairs += [StoryFilter(entity=entity, date_to=middle), StoryFilter(entity=entity, date_from=days[-1])]
    pairs += [StoryFilter(entity=entity, outlet=memory.outlets()[0], date_from=middle)]
    every = [StoryFilter(), *single, *pairs]
    return every + [replace(f, order="newest") for f in every]


def test_lists_filters_and_pages_are_those_of_the_export(readers: tuple[DocumentReader, StoreReader]) -> None:
    memory, store = readers
    assert store.outlets() == memory.outlets() and "Copier Daily" in store.outlets()
    checked = 0
    for filters in filters_of(memory):
        for offset, limit in ((0, 100), (0, 3), (2, 2), (50, 5)):
            expected = memory.list_stories(filters, offset, limit)
            assert store.list_stories(filters, offset, limit) == expected, (filters, offset, limit)
            checked += expected.total > 0
    assert checked > 100, "the filters must find stories, or the comparison proves nothing"


def test_listings_of_more_ids_than_a_statement_binds_are_found_in_the_order_asked(
    readers: tuple[DocumentReader, StoreReader],
) -> None:
    """PostgreSQL binds at most 65,535 values in one statement: ids are bound a chunk at a time."""
    memory, store = readers
    known = [listing["id"] for listing in memory.list_stories(StoryFilter(), 0, 1000).items][::-1]
    asked = [*(f"s-unknown-{n}" for n in range(70_000)), *known]
    assert [listing["id"] for listing in store.listings(asked)] == known and len(known) > 10


def test_records_by_id_are_those_of_the_export(readers: tuple[DocumentReader, StoreReader]) -> None:
    memory, store = readers
    listings = memory.list_stories(StoryFilter(), 0, 1000).items
    assert len(listings) >= len(TOPICS)
    wanted = ["nope", *(listing["id"] for listing in reversed(listings))]
    assert store.listings(wanted) == memory.listings(wanted) == list(reversed(listings))
    for listing in listings:
        story = memory.get_story(listing["id"])
        assert story is not None and store.get_story(story["id"]) == story
        assert store.get_thread(story["thread_id"]) == memory.get_thread(story["thread_id"]) is not None
        for article_id in [*story["article_ids"], "copy-of-first"]:
            assert store.get_article(article_id) == memory.get_article(article_id) is not None
            assert store.duplicate_groups(article_id) == memory.duplicate_groups(article_id)
    assert store.duplicate_groups("copy-of-first") and store.get_story("copy-of-first") is None
    assert store.get_article("nope") is None and store.get_thread("nope") is None


def test_search_finds_the_same_stories_ranked_by_the_backend(readers: tuple[DocumentReader, StoreReader]) -> None:
    memory, store = readers
    for query in (
        "the",
        "zürich",
        "Straße",
        "snake_case",
        "said officials",
        "café",
        "strasse",
        "zurich",
        "'",
        "nonexistentword",
    ):
        expected = memory.search(query, 0, 100)
        found = store.search(query, 0, 100)
        assert found.total == expected.total, query
        assert sorted(s["id"] for s in found.items) == sorted(s["id"] for s in expected.items), query
    # Case-folded as Python folds ("Straße" is "strasse"), accents kept ("zurich" is not "zürich").
    assert store.search("STRASSE", 0, 10).total == 1 and store.search("zurich", 0, 10).total == 0
    paged = [store.search("the", offset, 2).items for offset in range(0, 8, 2)]
    assert [s for page in paged for s in page] == list(store.search("the", 0, 8).items)


def test_a_story_waiting_to_be_rebuilt_is_neither_found_nor_counted(
    readers: tuple[DocumentReader, StoreReader], store_url: str
) -> None:
    _, store = readers
    before = store.search("the", 0, 100)
    waiting = before.items[0]["id"]
    with closing(Store(store_url)) as writer:
        writer.db.execute("UPDATE stories SET stamp = NULL WHERE id = ?", (waiting,))
    after = store.search("the", 0, 100)
    assert after.total == before.total - 1 > 0
    assert [s["id"] for s in after.items] == [s["id"] for s in before.items if s["id"] != waiting]
    outlet = StoryFilter(outlet=before.items[0]["outlets"][0], date_from="1900-01-01")
    assert store.list_stories(outlet, 0, 100).total == len(store.list_stories(outlet, 0, 100).items) > 0
    assert waiting not in {s["id"] for s in store.list_stories(outlet, 0, 100).items}


def test_pages_and_api_are_the_same_served_from_either_reader(
    readers: tuple[DocumentReader, StoreReader], serve_app: Any
) -> None:
    memory, store = readers
    story = memory.list_stories(StoryFilter(), 0, 1).items[0]
    paths = [
        "/",
        "/?sort=newest&page=2",
        f"/?outlet={memory.outlets()[0]}",
        "/api/stories?q=the&limit=5",
        f"/api/stories/{story['id']}",
        f"/stories/{story['id']}",
        f"/articles/{story['article_ids'][0]}",
        "/articles/copy-of-first",
        f"/api/threads/{story['thread_id']}",
    ]
    bodies = []
    for reader in (memory, store):
        with serve_app(create_app(_Served(reader))) as url, httpx.Client(base_url=url) as client:
            bodies.append([(client.get(path).status_code, client.get(path).text) for path in paths])
    assert bodies[0] == bodies[1]
    assert all(status == 200 for status, _ in bodies[1])


@pytest.fixture
def nine_tdt_articles(tdt_dev_path: Path, tmp_path: Path) -> str:
    """A store of the first nine articles of ``two_tdt_events``: two threads, and a lone article placed."""
    first = tmp_path / "first.jsonl"
    first.write_text("".join(json.dumps(r) + "\n" for r in two_tdt_events(tdt_dev_path)[:9]), encoding="utf-8")
    url = str(tmp_path / "store.db")
    result = CliRunner().invoke(main, ["add", str(first), "--db", url, "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return url


def test_a_story_whose_article_is_shown_in_another_redirects_there(nine_tdt_articles: str, serve_app: Any) -> None:
    """A lone article placed into another story hides its own: its page and record answer with a
    temporary redirect to the story that shows it, keeping the query; an unknown id is still 404."""
    url = nine_tdt_articles
    store = Store(url)
    try:
        hidden, into = store.db.one("SELECT story_id, placed FROM articles WHERE id = 'NYT19981105.0538'") or ("", "")
    finally:
        store.close()
    reader = StoreReader(url)
    try:
        assert hidden and into and reader.get_story(hidden) is None
        with serve_app(create_app(_Served(reader))) as served, httpx.Client(base_url=served) as client:
            page = client.get(f"/stories/{hidden}?since=1998-10-01")
            assert page.status_code == 307 and page.headers["location"] == f"/stories/{into}?since=1998-10-01"
            record = client.get(f"/api/stories/{hidden}")
            assert record.status_code == 307 and record.headers["location"] == f"/api/stories/{into}"
            followed = client.get(f"/api/stories/{hidden}", follow_redirects=True)
            assert "NYT19981105.0538" in followed.json()["article_ids"]
            assert "NYT19981105.0538" in client.get(f"/stories/{hidden}", follow_redirects=True).text
            assert client.get("/api/stories/s000000000000").status_code == 404
    finally:
        reader.close()


def test_a_thread_merged_into_an_older_one_redirects_there(nine_tdt_articles: str, serve_app: Any) -> None:
    """Threaded again into one, the newer thread's record, its list of stories and that list's feed answer
    with a temporary redirect to the older thread's, keeping the list's other filters; an unknown thread
    is still 404."""
    older, newer = threaded_into_one(nine_tdt_articles)
    reader = StoreReader(nine_tdt_articles)
    try:
        with serve_app(create_app(_Served(reader))) as served, httpx.Client(base_url=served) as client:
            record = client.get(f"/api/threads/{newer.id}")
            assert record.status_code == 307 and record.headers["location"] == f"/api/threads/{older.id}"
            followed = client.get(f"/api/threads/{newer.id}", follow_redirects=True).json()
            assert followed["story_ids"] == [*older.story_ids, *newer.story_ids]
            listed = client.get(f"/?thread={newer.id}&sort=newest&page=1")
            assert listed.status_code == 307 and listed.headers["location"] == f"/?thread={older.id}&sort=newest"
            feed = client.get(f"/feeds/stories.atom?thread={newer.id}")
            assert feed.status_code == 307 and feed.headers["location"] == f"/feeds/stories.atom?thread={older.id}"
            page = client.get(f"/?thread={newer.id}", follow_redirects=True).text
            assert all(f"/stories/{story_id}" in page for story_id in newer.story_ids)
            assert client.get("/api/threads/t000000000000").status_code == 404
    finally:
        reader.close()


class _Served:
    def __init__(self, reader: DocumentReader | StoreReader) -> None:
        self.reader = reader

    def add_article(self, fields: dict[str, Any]) -> dict[str, Any]:
        raise AssertionError("read only")


def _threaded_store(corpus: dict[str, ParsedArticle], store_url: str) -> tuple[Store, IncrementalPipeline]:
    store = Store(store_url)
    pipeline = IncrementalPipeline(store, parse=lambda article: corpus[article.id])
    pipeline.add([parsed.article for parsed in corpus.values()])
    pipeline.thread()
    return store, pipeline


def test_stories_stored_before_the_reader_tables_are_indexed_without_analysis(
    corpus: dict[str, ParsedArticle], store_url: str
) -> None:
    """As schema step 2 leaves an older store: records there, reader columns empty, no threads."""
    store, pipeline = _threaded_store(corpus, store_url)
    expected = DocumentReader(result_document(pipeline.result())).list_stories(StoryFilter(query="the"), 0, 100)
    for table in ("story_outlets", "story_entities", "story_text", "threads"):
        store.db.execute(f"DELETE FROM {table}")
    store.db.execute("UPDATE stories SET stamp = NULL, thread_id = NULL")
    store.db.execute("DELETE FROM meta WHERE key = 'threaded'")
    reader = StoreReader(store_url)
    try:
        assert reader.list_stories(StoryFilter(), 0, 100).total == 0
        reopened = IncrementalPipeline(store)
        assert reopened.rebuild() == 0, "nothing is analysed again"
        assert reopened.thread(), "the threads are made again"
        assert reader.list_stories(StoryFilter(query="the"), 0, 100) == expected and expected.total > 1
    finally:
        reader.close()
        store.close()


STEPS_3_ON_UNDONE = (
    *BACK_TO_STEP_8,
    *(
        statement
        for table in ("story_outlets", "story_entities")
        for statement in (
            f"DROP INDEX {table}_days",
            f"ALTER TABLE {table} DROP COLUMN first_day",
            f"ALTER TABLE {table} DROP COLUMN last_day",
        )
    ),
    "DROP INDEX stories_parent",
    "ALTER TABLE stories DROP COLUMN parent",
    "DROP INDEX stories_subject",
    "DROP TABLE story_pages",
    "DROP INDEX stories_thread",
    "CREATE INDEX stories_thread ON stories (thread_id)",
    "DROP TABLE story_listings",
    "DROP TABLE story_subjects",
    "DROP INDEX stories_listed",
    "DROP INDEX stories_placed",
    "DROP INDEX stories_biggest",
    "DROP INDEX stories_newest",
    "CREATE INDEX stories_biggest ON stories (size DESC, latest DESC, id{collate})",
    "CREATE INDEX stories_newest ON stories (last_day DESC, size DESC, latest DESC, id{collate})",
    "DELETE FROM schema_version WHERE version >= 3",
)
"""A store as schema version 2 left it: what the third and later steps made, unmade."""


def test_a_store_of_schema_2_is_migrated_listed_and_threaded_from_its_records_until_the_next_write(
    corpus: dict[str, ParsedArticle], store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store, _ = _threaded_store(corpus, store_url)
    reader = StoreReader(store_url)
    expected, subjects = reader.list_stories(StoryFilter(), 0, 100), store.subjects()
    narrowed = [
        StoryFilter(outlet=expected.items[0]["outlets"][0], date_from="1900-01-01"),
        StoryFilter(entity=str(reader.get_story(expected.items[0]["id"])["entities"][0]["text"]), date_to="2999-01-01"),
    ]
    found = [reader.list_stories(filters, 0, 100) for filters in narrowed]
    reader.close()
    for statement in STEPS_3_ON_UNDONE:
        store.db.execute(statement)
    if store.db.postgres:
        for column in ("headline", "id", "size", "latest"):
            store.db.execute(f"ALTER TABLE story_text DROP COLUMN {column}")
    store.close()
    with caplog.at_level(logging.WARNING, logger="newsfuse.store.db"):
        store, reader = Store(store_url), StoreReader(store_url)
    assert f"upgrading the store from schema version 2 to {SCHEMA_VERSION}" in caplog.text
    try:
        assert store.db.one("SELECT MAX(version) FROM schema_version") == (SCHEMA_VERSION,)
        assert reader.list_stories(StoryFilter(), 0, 100) == expected and expected.total > 1
        assert [reader.list_stories(filters, 0, 100) for filters in narrowed] == found
        assert all(page.total > 0 for page in found)
        assert store.subjects() == subjects, "threads are made from the records meanwhile"
        assert IncrementalPipeline(store).rebuild() == 0, "nothing is analysed again"
        assert store.db.one("SELECT COUNT(*) FROM story_listings") == (expected.total,)
        assert store.db.one("SELECT COUNT(*) FROM story_subjects") == (expected.total,)
        assert reader.list_stories(StoryFilter(), 0, 100) == expected
    finally:
        reader.close()
        store.close()


def test_a_story_page_kept_rendered_follows_a_write_to_its_store(
    corpus: dict[str, ParsedArticle], store_url: str, serve_app: Any
) -> None:
    """The rendered page is kept only while the store's stories are unchanged: a story's page,
    served before its second article arrives, shows that article after."""
    stream = sorted((parsed.article for parsed in corpus.values()), key=arrival_order)
    whole = run_pipeline(stream, parse=lambda originals: [corpus[a.id] for a in originals])
    story = next(s for s in whole.stories if len(s.article_ids) > 1)
    second = sorted((a for a in stream if a.id in story.article_ids), key=arrival_order)[1]
    store = Store(store_url)
    pipeline = IncrementalPipeline(store, parse=lambda article: corpus[article.id])
    reader = StoreReader(store_url)
    try:
        pipeline.add(stream[: stream.index(second)])
        with serve_app(create_app(_Served(reader))) as url, httpx.Client(base_url=url) as client:
            served = {
                s["id"]: client.get(f"/stories/{s['id']}").text for s in reader.list_stories(StoryFilter(), 0, 99).items
            }
            pipeline.add([second])
            joined = reader.list_stories(StoryFilter(article=second.id), 0, 1).items[0]["id"]
            assert f"/articles/{second.id}" not in served[joined]
            assert f"/articles/{second.id}" in client.get(f"/stories/{joined}").text
    finally:
        reader.close()
        store.close()


def test_a_write_changes_the_stamps_of_what_it_changed_only(corpus: dict[str, ParsedArticle], store_url: str) -> None:
    """A kept page is dropped when its story, its thread or the thread's stories change, not on
    every write; threading changes the store's stamp, since lists show each story's thread."""
    last = next(reversed(corpus))
    store = Store(store_url)
    pipeline = IncrementalPipeline(store, parse=lambda article: corpus[article.id])
    pipeline.add([parsed.article for parsed in corpus.values() if parsed.id != last])
    pipeline.thread()
    reader = StoreReader(store_url)
    try:
        ids = [listing["id"] for listing in reader.list_stories(StoryFilter(), 0, 100).items]
        before, stamp = {story_id: reader.page_version(story_id) for story_id in ids}, reader.stamp()
        pipeline.add([corpus[last].article])
        added = reader.stamp()
        assert added != stamp
        assert pipeline.thread() and reader.stamp() != added
        after = {story_id: reader.page_version(story_id) for story_id in ids}
        [grown] = [listing["id"] for listing in reader.list_stories(StoryFilter(article=last), 0, 1).items]
        assert grown not in before or after[grown] != before[grown]
        kept = [story_id for story_id in ids if after[story_id] == before[story_id]]
        assert kept and grown not in kept
        rendered, made = PerReader(), []
        for story_id in [*ids, *ids]:
            rendered.get(story_id, reader, made.append, reader.page_version(story_id))
        assert len(made) == len(ids), "each page is made once while nothing changes"
    finally:
        reader.close()
        store.close()


def stored_page(reader: StoreReader, story_id: str) -> bytes | None:
    """The story's page as the store keeps it at the story's current version."""
    version = reader.page_version(story_id)
    return None if version is None else reader.stored_page(story_id, version)


def test_pages_rendered_ahead_are_served_until_their_story_changes(
    corpus: dict[str, ParsedArticle], store_url: str, serve_app: Any
) -> None:
    last = next(reversed(corpus))
    store = Store(store_url)
    pipeline = IncrementalPipeline(store, parse=lambda article: corpus[article.id])
    pipeline.add([parsed.article for parsed in corpus.values() if parsed.id != last])
    pipeline.thread()
    reader, stop = StoreReader(store_url), threading.Event()
    renderer = PageRenderer(store, threading.Lock())
    try:
        ids = [listing["id"] for listing in reader.list_stories(StoryFilter(), 0, 100).items]
        assert [story_id for story_id, _ in reader.pages_to_render()] == ids, "biggest first"
        assert renderer.render(stop, time.monotonic() + 600) == len(ids) > 1
        assert reader.pages_to_render() == [] and renderer.render(stop, time.monotonic() + 600) == 0
        for story_id in ids:
            stored = stored_page(reader, story_id)
            assert stored is not None and gzip.decompress(stored) == story_html(reader, story_id)
        with serve_app(create_app(_Served(reader))) as url, httpx.Client(base_url=url) as client:
            served = client.get(f"/stories/{ids[0]}", headers={"Accept-Encoding": "gzip"})
            assert served.headers["content-encoding"] == "gzip" and served.text == story_html(reader, ids[0]).decode()
        current = reader.page_version(ids[0]) or ""
        older = current.rsplit("-", 1)[0] + "-by-another-version"  # the story unchanged, newsfuse upgraded
        store.db.execute("UPDATE story_pages SET version = ? WHERE id = ?", (older, ids[0]))
        assert stored_page(reader, ids[0]) is None and reader.pages_to_render() == [(ids[0], current)]
        with closing(PageRenderer(store, threading.Lock())) as restarted:
            assert restarted.render(stop, time.monotonic() + 600) == 1 and stored_page(reader, ids[0]) is not None
        pipeline.add([corpus[last].article])
        pipeline.thread()
        changed = [story_id for story_id, _ in reader.pages_to_render()]
        grown = reader.list_stories(StoryFilter(article=last), 0, 1).items[0]["id"]
        assert grown in changed and len(changed) < len(reader.list_stories(StoryFilter(), 0, 100).items)
        assert all(stored_page(reader, story_id) is None for story_id in changed)
        assert renderer.render(stop, time.monotonic() + 600) == len(changed)
        assert gzip.decompress(stored_page(reader, grown) or b"") == story_html(reader, grown)
    finally:
        renderer.close()
        reader.close()
        store.close()


def test_postgresql_ranks_a_story_whose_title_or_digest_holds_the_word_first(
    readers: tuple[DocumentReader, StoreReader], store_url: str
) -> None:
    """PostgreSQL ranks by the title and digest (BM25 on SQLite weighs every word of the story)."""
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite ranks with FTS5's BM25")
    memory, store = readers
    headlines = {}
    for listing in memory.list_stories(StoryFilter(), 0, 100).items:
        story = memory.get_story(listing["id"]) or {}
        headlines[story["id"]] = set(words(" ".join([story["title"], *(d["text"] for d in story["digest"])])))
    checked = 0
    for story_id, held in headlines.items():
        for word in sorted(held):
            elsewhere = [other for other, their in headlines.items() if other != story_id and word in their]
            found = store.search(word, 0, 100)
            if not elsewhere and found.total > 1:
                assert found.items[0]["id"] == story_id, word
                checked += 1
    assert checked > 10


def test_postgresql_orders_a_search_as_ranked_through_the_stories_themselves(
    readers: tuple[DocumentReader, StoreReader], store_url: str
) -> None:
    """A search ranks in the text index alone, by the sort keys it keeps beside each story's words:
    the order (rank, then biggest first) is the one the stories' own rows give."""
    if not store_url.startswith("postgresql"):
        pytest.skip("SQLite ranks with FTS5's BM25")
    memory, store = readers
    searched = sorted({w for s in memory.list_stories(StoryFilter(), 0, 100).items for w in words(s["title"])})
    ties = 0
    with closing(Store(store_url)) as db:
        for word in searched:
            through_stories = db.db.rows(
                "SELECT s.id, ts_rank(COALESCE(t.headline, ''), ?::tsquery) FROM story_text t"
                " JOIN stories s ON s.position = t.position WHERE t.terms @@ ?::tsquery AND s.stamp IS NOT NULL"
                ' ORDER BY 2 DESC, s.size DESC, s.latest DESC, s.id COLLATE "C"',
                (tsquery_literal([word]), tsquery_literal([word])),
            )
            assert [s["id"] for s in store.search(word, 0, 100).items] == [r[0] for r in through_stories], word
            ties += len(through_stories) - len({rank for _, rank in through_stories})
    assert len(searched) > 20 and ties > 20, "ranks must tie often, or the order of ties is not checked"


def test_a_page_that_fails_to_render_is_logged_once_and_the_others_are_kept(
    corpus: dict[str, ParsedArticle], store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store, _ = _threaded_store(corpus, store_url)
    reader, stop = StoreReader(store_url), threading.Event()
    renderer = PageRenderer(store, threading.Lock())
    try:
        ids = [listing["id"] for listing in reader.list_stories(StoryFilter(), 0, 100).items]
        broken = ids[1]
        store.db.execute("UPDATE stories SET record = ? WHERE id = ?", (json.dumps({"id": broken}), broken))
        assert renderer.render(stop, time.monotonic() + 600) == len(ids) - 1
        assert [r.getMessage() for r in caplog.records] == [f"cannot render the page of story {broken}"]
        assert stored_page(reader, broken) is None and all(stored_page(reader, i) for i in ids if i != broken)
        caplog.clear()
        store.set_meta("stories_stamp", str(int(store.meta("stories_stamp") or 0) + 1))  # another story's write
        assert renderer.render(stop, time.monotonic() + 600) == 0 and not caplog.records
    finally:
        renderer.close()
        reader.close()
        store.close()
