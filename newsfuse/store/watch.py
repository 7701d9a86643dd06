"""Poll folders, files and feed URLs and add what is new, until interrupted."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from newsfuse.ingest import read_inputs
from newsfuse.ingest.fetch import is_url
from newsfuse.ingest.files import FeedValidators, expand_inputs
from newsfuse.ingest.options import IngestOptions
from newsfuse.store.incremental import AddOutcome, IncrementalPipeline

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """``90``, ``30s``, ``10m``, ``1h``, ``1d`` in seconds."""
    match = _DURATION.match(text.strip())
    if not match or float(match[1]) <= 0:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 10m, 1h)")
    return float(match[1]) * _SECONDS[match[2]]


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
