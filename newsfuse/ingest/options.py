"""What ingest may read and fetch: size limits and the fetching policy, with safe defaults."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsfuse import __version__

USER_AGENT = f"newsfuse/{__version__} (news story clustering; one request per host per second)"


@dataclass(frozen=True)
class IngestLimits:
    """Bounds on untrusted input, so that one hostile file cannot exhaust memory or time.

    ``max_compression_ratio`` stops a gzip stream (a WARC member) once it has produced
    more than 1 MiB and over this many bytes per compressed byte: HTML compresses about
    10:1, a decompression bomb 1000:1.
    """

    max_article_bytes: int = 5_000_000
    max_feed_bytes: int = 10_000_000
    max_feed_entries: int = 1_000
    max_html_depth: int = 200
    max_archive_bytes: int = 4_000_000_000
    max_compression_ratio: int = 200


@dataclass(frozen=True)
class FetchPolicy:
    """How feed URLs and, with ``pages``, the pages that feed entries link are fetched."""

    pages: bool = False
    allow_private: bool = False
    timeout_s: float = 10.0
    max_redirects: int = 5
    host_interval_s: float = 1.0
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class IngestOptions:
    limits: IngestLimits = field(default_factory=IngestLimits)
    fetch: FetchPolicy = field(default_factory=FetchPolicy)
