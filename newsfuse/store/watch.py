"""Poll folders, files and feed URLs and add what is new, until interrupted."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsfuse.ingest import read_inputs
from newsfuse.ingest.fetch import is_url
from newsfuse.ingest.files import FeedValidators, expand_inputs
from newsfuse.ingest.options import IngestOptions
from newsfuse.records import Article
from newsfuse.store.incremental import AddOutcome, IncrementalPipeline, StoryChange
from newsfuse.store.store import Store


class Watcher:
    """Remembers the local files it has read (by size and mtime), so each poll reads only new or changed ones.

    Feeds are asked for on every poll, with the ETag and Last-Modified of their last answer: one
    that has not changed answers 304 and is not read again; entries already in the store change nothing.
    """

    def __init__(self, pipeline: IncrementalPipeline, sources: Sequence[str], options: IngestOptions) -> None:
        self.pipeline = pipeline
        self.sources = sources
        self.options = options
        self._seen: dict[Path, tuple[int, int]] = {}
        self._feeds: FeedValidators = {}

    def poll(self) -> AddOutcome:
        urls = [source for source in self.sources if is_url(source)]
        fresh: dict[Path, tuple[int, int]] = {}
        for path in self._local_files():
            try:
                stamp = _stamp(path)
            except OSError:
                continue
            if self._seen.get(path) != stamp:
                fresh[path] = stamp
        feeds = dict(self._feeds)
        ingested = read_inputs([*fresh, *urls], self.options, feeds)
        outcome = self.pipeline.add(ingested.articles, ingested.skipped)
        self.pipeline.thread()
        self._seen.update(fresh)
        self._feeds = feeds  # only once added: a failed add asks for the whole feed again
        return outcome

    def _local_files(self) -> list[Path]:
        """Files under the local sources; a missing one is waited for rather than reported."""
        local = [Path(source) for source in self.sources if not is_url(source)]
        return [path for path in expand_inputs(local) if isinstance(path, Path)]


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def watch(watcher: Watcher, every: float, report: Callable[[AddOutcome], None]) -> None:
    """Poll, report, sleep; KeyboardInterrupt (Ctrl-C) ends it between or during polls."""
    while True:
        report(watcher.poll())
        time.sleep(every)


ON_CHANGE_TIMEOUT = 30.0
"""Seconds a ``--on-change`` command may run per story before it is killed."""


@dataclass(frozen=True)
class OnChange:
    """``watch --on-change``: run ``command`` once per changed story, the change as JSON on its stdin.

    The command runs without a shell (the user's words split as a shell would, ``shlex.split``), so
    nothing in a story's title or an article can become part of a command line. A command that fails,
    cannot start or outlives ``timeout`` (it is killed, with any processes it started) is reported
    through ``warn``; the watch goes on either way.
    """

    command: tuple[str, ...]
    warn: Callable[[str], None]
    timeout: float = ON_CHANGE_TIMEOUT
    site: str | None = None
    """The URL ``serve`` answers on; with it each document has the story page's ``url``."""

    def __call__(self, outcome: AddOutcome, store: Store) -> None:
        for change in outcome.changes:
            self.run(change_document(change, store.member_articles(change.story_id), self.site))

    def run(self, document: dict[str, Any]) -> None:
        story = document["story_id"]
        try:
            process = subprocess.Popen(self.command, stdin=subprocess.PIPE, start_new_session=True)
        except OSError as err:
            self.warn(f"--on-change for story {story}: cannot run {self.command[0]!r}: {err.strerror or err}")
            return
        try:
            process.communicate(json.dumps(document, ensure_ascii=False).encode("utf-8"), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.warn(f"--on-change for story {story}: killed after {self.timeout:g} s")
            return
        finally:
            _end(process)
        if process.returncode != 0:
            self.warn(f"--on-change for story {story}: exit status {process.returncode}")


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill the command's process group if it still runs (timed out, or Ctrl-C on the watch)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def change_document(change: StoryChange, members: Sequence[Article], site: str | None) -> dict[str, Any]:
    """The JSON a ``--on-change`` command reads: the story, and its new articles with what a message names."""
    articles = {article.id: article for article in members}
    new = [articles[i] for i in change.new_articles if i in articles]
    return {
        "story_id": change.story_id,
        "title": change.title,
        **({"url": f"{site.rstrip('/')}/stories/{quote(change.story_id, safe='')}"} if site else {}),
        "change": change.change,
        "new_articles": [
            {
                "id": article.id,
                "title": article.title,
                "source": article.source,
                "published": article.published,
                "url": article.url if article.url and article.url.lower().startswith(("http://", "https://")) else None,
            }
            for article in new
        ],
        "new_contradictions": change.new_contradictions,
    }
