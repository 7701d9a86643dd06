"""serve --db: the web app over a store, with writes added to the store incrementally."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from newsfuse.records import Article
from newsfuse.store import IncrementalPipeline, Store
from newsfuse.store.incremental import threaded_mark
from newsfuse.web import create_app
from newsfuse.web.serving import BackgroundUpkeep, StoreStories, ready_to_serve


@pytest.fixture
def first_served(sample_articles: tuple[Article, ...], store_url: str) -> Iterator[IncrementalPipeline]:
    """A store of the first sample article, made ready to serve."""
    store = Store(store_url)
    try:
        pipeline = IncrementalPipeline(store)
        pipeline.add([sample_articles[0]])
        ready_to_serve(pipeline)
        yield pipeline
    finally:
        store.close()


def test_the_web_app_serves_a_store_and_writes_persist(
    sample_articles: tuple[Article, ...], first_served: IncrementalPipeline, store_url: str, serve_app: Any
) -> None:
    outlet_a, outlet_b = sample_articles
    pipeline, store = first_served, first_served.store
    stories = StoreStories(pipeline)
    posted = {"id": "posted-1", "title": outlet_b.title, "text": outlet_b.text, "source": "outlet-b"}
    posted["published"] = outlet_b.published
    with (
        BackgroundUpkeep(pipeline, 0.1, stories.lock),
        serve_app(create_app(stories, allow_writes=True)) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        [story] = client.get("/api/stories").json()["items"]
        assert story["article_ids"] == [outlet_a.id]
        created = client.post("/api/articles", json=posted)
        assert created.status_code == 201, created.text
        [grown] = client.get("/api/stories").json()["items"]
        assert (grown["id"], sorted(grown["article_ids"])) == (story["id"], sorted([outlet_a.id, "posted-1"]))
        assert client.post("/api/articles", json=posted).status_code == 409
        # threaded in the background
        wait_for(lambda: store.meta("threaded") == threaded_mark(store.meta("stories_stamp")))
        assert client.get(f"/api/threads/{grown['thread_id']}").json()["story_ids"] == [story["id"]]
    stories.close()
    reopened = Store(store_url)
    try:
        assert reopened.has_article("posted-1")
    finally:
        reopened.close()


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_failed_round_of_threading_is_logged_and_the_next_one_threads(
    sample_articles: tuple[Article, ...], first_served: IncrementalPipeline, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline, store = first_served, first_served.store
    pipeline.add([replace(sample_articles[1], id="later", published="2031-01-01T00:00:00Z", title="Another matter")])
    store.db.execute("ALTER TABLE story_subjects RENAME TO story_subjects_away")  # what threading reads
    lock = threading.Lock()
    with BackgroundUpkeep(pipeline, 0.1, lock):
        wait_for(lambda: any("threading or rendering the stories failed" in r.getMessage() for r in caplog.records))
        with lock:
            store.db.execute("ALTER TABLE story_subjects_away RENAME TO story_subjects")
        wait_for(lambda: store.meta("threaded") == threaded_mark(store.meta("stories_stamp")))
