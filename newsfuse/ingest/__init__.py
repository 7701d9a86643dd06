"""Read articles: text/Markdown with front matter, JSONL, HTML pages, RSS/Atom feeds (files or URLs), WARC/ARC."""

from newsfuse.ingest.files import IngestResult, read_inputs
from newsfuse.ingest.options import FetchPolicy, IngestLimits, IngestOptions

__all__ = ["FetchPolicy", "IngestLimits", "IngestOptions", "IngestResult", "read_inputs"]
