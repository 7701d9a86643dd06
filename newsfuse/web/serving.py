"""Serve a store through the web app: read through SQL, and writes added incrementally.

The reader queries the store on every request (``StoreReader``), so what any process
commits (``add``, ``watch``, ``load``, another server) is served at the next request,
without a restart or a rebuild of anything in memory. A write adds one article in one
transaction and re-analyses only its story; the stories are threaded again in the background.

One server process answers one request at a time in Python, so under many clients a request
waits for those ahead of it. ``serve_in_workers`` forks several processes that accept on one
port; each reads and writes the store through its own connections (the store serialises
writers), and only the process that forked them threads the stories.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, closing, suppress
from typing import Any

from fastapi import HTTPException

from newsfuse.ingest.fields import article_from_fields
from newsfuse.store.incremental import IncrementalPipeline
from newsfuse.store.store import Store
from newsfuse.web.app import story_html
from newsfuse.web.kept import KeptPage
from newsfuse.web.reader import Record
from newsfuse.web.store_reader import StoreReader
from newsfuse.web.writes import WRITE_SOURCE, DuplicateArticle

logger = logging.getLogger(__name__)

PAGES_PER_COMMIT = 16


def ready_to_serve(pipeline: IncrementalPipeline) -> None:
    """Rebuild what a killed ``add`` left dirty (and index an older store's stories), and thread."""
    pipeline.rebuild()
    pipeline.thread()


class BackgroundUpkeep:
    """While entered, threads the stories again when any changed, and renders the pages of stories
    whose stored page is missing or out of date, every ``every`` seconds.

    Writes over the API add without threading (it costs seconds in a big store): the stories
    are threaded here, under ``lock`` when the writes share this pipeline's connection.
    Pages are rendered here so that a reader's first view of a story costs a read, not a render
    of tens of milliseconds that, under many readers, queues everyone behind it: see ``PageRenderer``."""

    def __init__(self, pipeline: IncrementalPipeline, every: float, lock: threading.Lock | None = None) -> None:
        self._pipeline, self._every, self._lock = pipeline, every, lock or threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> BackgroundUpkeep:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        """Its own reader, opened here: the workers are forked after this object is made. A failed
        round (the store locked past its timeout, a dropped connection) is logged and tried again
        at the next: the server goes on serving, and its stories are threaded once the store answers."""
        with closing(PageRenderer(self._pipeline.store, self._lock)) as pages:
            while True:
                try:
                    with self._lock:
                        self._pipeline.thread()
                    pages.render(self._stop, time.monotonic() + self._every)
                except Exception:
                    logger.exception("threading or rendering the stories failed; trying again in %s s", self._every)
                if self._stop.wait(self._every):
                    return


class PageRenderer:
    """Renders story pages ahead of their readers, biggest story first, and keeps them in the store.

    It takes at most half the CPU (it waits as long as each page took) so that requests, which
    come first, are answered meanwhile; in a big store the first pass takes minutes."""

    def __init__(self, store: Store, lock: threading.Lock) -> None:
        self._store, self._lock = store, lock
        self._reader = StoreReader(store.db.url)
        self._done: object = None
        self._failed: set[tuple[str, str]] = set()

    def close(self) -> None:
        self._reader.close()

    def render(self, stop: threading.Event, deadline: float) -> int:
        """Render out-of-date pages until ``stop`` or ``deadline``; how many were kept."""
        stamp = self._reader.stamp()
        if stamp == self._done:
            return 0
        kept, batch, settled = 0, [], True
        for story_id, version in self._reader.pages_to_render():
            if (story_id, version) in self._failed:
                continue
            if stop.is_set() or time.monotonic() > deadline:
                settled = False
                break
            started = time.monotonic()
            page = self._page(story_id, version)
            if page is not None:
                batch.append((story_id, version, page))
            if len(batch) == PAGES_PER_COMMIT:
                kept += self._keep(batch)
                batch = []
            stop.wait(time.monotonic() - started)
        kept += self._keep(batch)
        if settled:
            self._done = stamp
        return kept

    def _page(self, story_id: str, version: str) -> bytes | None:
        """The page, gzipped; None for a story gone meanwhile, or for a page that fails to render:
        that is logged once and not tried again at this version (a reader gets the error page)."""
        try:
            return KeptPage.of(story_html(self._reader, story_id)).gzipped
        except HTTPException:
            return None
        except Exception:
            logger.exception("cannot render the page of story %s", story_id)
            self._failed.add((story_id, version))
            return None

    def _keep(self, batch: list[tuple[str, str, bytes]]) -> int:
        if batch:
            with self._lock:
                self._store.keep_story_pages(batch)
        return len(batch)


class StoreStories:
    """The web app's ``Stories`` over a store; ``lock`` serialises writes on the pipeline's connection
    (and the stories' threading, when that shares it)."""

    def __init__(self, pipeline: IncrementalPipeline) -> None:
        self._pipeline, self.lock = pipeline, threading.Lock()
        self.reader = StoreReader(pipeline.store.db.url)

    def close(self) -> None:
        self.reader.close()

    def add_article(self, fields: dict[str, Any]) -> Record:
        """Raises IngestError for an invalid article and DuplicateArticle for a stored id."""
        article = article_from_fields(fields, WRITE_SOURCE)
        with self.lock:
            if self._pipeline.store.has_article(article.id):
                raise DuplicateArticle(f"article id {article.id!r} already exists")
            self._pipeline.add([article])
        record = self.reader.get_article(article.id)
        assert record is not None, "the store keeps every article"
        return record


def serve_in_workers(
    sockets: list[socket.socket], serve_one: Callable[[socket.socket], None], meanwhile: AbstractContextManager[Any]
) -> int:
    """Fork a worker process per listening socket that runs ``serve_one`` on it (a server), and hold
    ``meanwhile`` open in this one until they end; the exit status: 1 if a worker ended unasked.

    SIGTERM or SIGINT here stops every worker. A worker that ends otherwise stops the others: the
    service ends with an error rather than go on short of a worker, and its supervisor restarts it whole.
    Workers are forked before ``meanwhile`` starts any thread, as fork requires."""
    children = [_fork(serve_one, sock) for sock in sockets]
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    failed = False
    try:
        with meanwhile:
            while children:
                pid, status = os.wait()
                children.remove(pid)
                if not stopping:
                    code = os.waitstatus_to_exitcode(status)
                    logger.error("server worker %d ended (status %d); stopping the others", pid, code)
                    failed = True
                    stop(signal.SIGTERM, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0


def _fork(serve_one: Callable[[socket.socket], None], sock: socket.socket) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        serve_one(sock)
        code = 0
    except BaseException:
        logger.exception("server worker %d failed", os.getpid())
    finally:
        os._exit(code)  # never return into the parent's stack, nor close its connections
