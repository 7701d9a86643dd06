"""RSS and Atom feeds: each entry becomes an article, its HTML stripped to text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.html
from lxml.etree import ParserError

from newsfuse.ingest.fields import article_from_fields, article_or_skipped
from newsfuse.ingest.html import parse_date
from newsfuse.ingest.options import IngestLimits
from newsfuse.records import Article, Skipped

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre", "section"}
)


@dataclass(frozen=True)
class FeedEntry:
    """One entry's article fields; ``where`` is ``feed#N`` (N from 1), how it is reported."""

    where: str
    fields: dict[str, Any]


def parse_feed(
    data: bytes, path: str, limits: IngestLimits, base_url: str | None = None
) -> Iterator[FeedEntry | Skipped]:
    """Every entry of a feed, up to ``limits.max_feed_entries``; a Skipped for what is not read.

    Relative entry links are resolved against ``base_url``, the URL the feed was fetched from.
    """
    if len(data) > limits.max_feed_bytes:
        yield Skipped(path, f"feed too large ({len(data)} bytes; limit {limits.max_feed_bytes})")
        return
    # A stream, never bytes or str: feedparser would treat those as a file name or URL to open.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    # feedparser's internals break in many ways on malformed markup (a declared encoding name
    # it cannot decode, a <link> closed where no link list was opened: KeyError): at this
    # third-party boundary any of them means the same thing, an unreadable feed.
    except Exception as err:
        yield Skipped(path, f"not a readable feed: {type(err).__name__}: {err}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        yield Skipped(path, f"not a feed with entries{f' ({problem})' if problem else ''}")
        return
    if len(entries) > limits.max_feed_entries:
        yield Skipped(path, f"feed has {len(entries)} entries; read the first {limits.max_feed_entries}")
    source = fragment_text(parsed.get("feed", {}).get("title_detail") or {}) or None
    for number, entry in enumerate(entries[: limits.max_feed_entries], start=1):
        fields = entry_fields(entry, source)
        if base_url and "url" in fields:
            fields["url"] = urljoin(base_url, fields["url"])
        yield FeedEntry(f"{path}#{number}", fields)


def entry_fields(entry: dict[str, Any], source: str | None) -> dict[str, Any]:
    """Title, text (content, else summary), link, declared publication date, and the rest as metadata.

    ``updated`` is kept as metadata only: it is when the entry last changed, not when it appeared.
    """
    contents = entry.get("content") or [entry.get("summary_detail") or {}]
    fields = {
        "title": fragment_text(entry.get("title_detail") or {}),
        "text": "\n".join(fragment_text(content) for content in contents),
        "source": source,
        "published": parse_date(entry["published"]) if isinstance(entry.get("published"), str) else None,
        "url": entry.get("link"),
        "guid": entry.get("id"),
        "author": entry.get("author"),
        "updated": dict.get(entry, "updated"),  # not entry.get: feedparser answers that with ``published``
    }
    return {key: value for key, value in fields.items() if value}


_XML_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML forbids: lxml parses some of them but refuses to store them back."""


def entry_article(entry: FeedEntry) -> Article | Skipped:
    return article_or_skipped(entry.where, lambda: article_from_fields(entry.fields, entry.where))


def fragment_text(detail: dict[str, Any]) -> str:
    """The text of a feed text construct; HTML ones lose their markup but keep paragraph breaks."""
    value = _XML_CONTROL.sub("", str(detail.get("value") or ""))
    if "html" not in str(detail.get("type", "")) or "<" not in value:
        return value
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ParserError, ValueError):  # empty, or control characters lxml refuses
        return ""
    for element in root.iter():
        # Line breaks in HTML source are spaces; only block elements break lines.
        element.text = _SPACE.sub(" ", element.text) if element.text else element.text
        tail = _SPACE.sub(" ", element.tail) if element.tail else ""
        element.tail = "\n" + tail if element.tag in _BLOCK_TAGS else tail
    return str(root.text_content())
