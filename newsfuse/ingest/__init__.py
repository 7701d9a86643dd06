"""Read articles: text/Markdown with front matter, JSONL, HTML pages, RSS/Atom feeds (files or URLs), WARC/ARC.

The readers of every format are imported on first use of ``read_inputs``: what needs one module
of the package (the web app, its limits and the fields of a posted article) does not wait for the
HTML, feed and archive readers, about half a second of a server's start."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsfuse.ingest.options import FetchPolicy, IngestLimits, IngestOptions

if TYPE_CHECKING:
    from newsfuse.ingest.files import IngestResult, read_inputs

__all__ = ["FetchPolicy", "IngestLimits", "IngestOptions", "IngestResult", "read_inputs"]


def __getattr__(name: str) -> Any:
    if name in ("IngestResult", "read_inputs"):
        from newsfuse.ingest import files

        return getattr(files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
