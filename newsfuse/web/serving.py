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
from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from typing import Any

from newsfuse.ingest.fields import article_from_fields
from newsfuse.store.incremental import IncrementalPipeline
from newsfuse.web.reader import Record
from newsfuse.web.store_reader import StoreReader
from newsfuse.web.writes import WRITE_SOURCE, DuplicateArticle

logger = logging.getLogger(__name__)


def ready_to_serve(pipeline: IncrementalPipeline) -> None:
    """Rebuild what a killed ``add`` left dirty (and index an older store's stories), and thread."""
    pipeline.rebuild()
    pipeline.thread()


class BackgroundThreading:
    """While entered, threads the stories again every ``every`` seconds if any changed.

    Writes over the API add without threading (it costs seconds in a big store): the stories
    are threaded here, under ``lock`` when the writes share this pipeline's connection."""

    def __init__(self, pipeline: IncrementalPipeline, every: float, lock: threading.Lock | None = None) -> None:
        self._pipeline, self._every, self._lock = pipeline, every, lock or threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> BackgroundThreading:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            with self._lock:
                self._pipeline.thread()


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
