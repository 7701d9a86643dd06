"""HTML pages: main text and metadata via trafilatura, the date only from what the page declares."""

from __future__ import annotations

import codecs
import json
import re
from collections import deque
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newsfuse.ingest.fields import article_from_fields
from newsfuse.ingest.normalize import SNIFF_BYTES, IngestError, check_not_binary
from newsfuse.ingest.options import IngestLimits
from newsfuse.records import Article

_DATE_META = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "date",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "dc.date",
        "dc.date.issued",
        "dcterms.issued",
        "parsely-pub-date",
        "sailthru.date",
    }
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(r"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"}
)
_LANG = re.compile(r"[a-zA-Z]{2,3}(?=$|[-_])")
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100
MIN_PAGE_TEXT = 150
"""Characters of main text a page needs to count as an article: a two-sentence brief has
more; section fronts, tag pages and error pages in a crawl, whose main text trafilatura
reduces to a few links, have less."""


def parse_html(data: bytes, path: str, url: str | None = None, limits: IngestLimits | None = None) -> Article:
    return article_from_fields(html_fields(data, url, limits or IngestLimits()), path)


def html_fields(data: bytes, url: str | None, limits: IngestLimits, content_type: str | None = None) -> dict[str, Any]:
    """The article fields of a page, or IngestError when it has no article text.

    ``content_type`` is the HTTP header the page came with, for its charset.
    """
    if len(data) > limits.max_article_bytes:
        raise IngestError(f"page too large ({len(data)} bytes; limit {limits.max_article_bytes})")
    check_not_binary(data[:SNIFF_BYTES])
    tree = load_html(_as_browsers_decode(data, content_type))
    if tree is None or not len(tree):
        raise IngestError("not an HTML page")
    depth = tree_depth(tree)
    if depth > limits.max_html_depth:
        raise IngestError(f"HTML nested too deeply ({depth} levels; limit {limits.max_html_depth})")
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(document, Document) or len((document.text or "").strip()) < MIN_PAGE_TEXT:
        raise IngestError("no article text found in the page")
    title = document.title or ""
    fields = {
        "title": title,
        "text": _without_leading_title(document.text or "", title),
        "source": document.sitename,
        "published": declared_date(tree),
        "url": url or document.url,
        "lang": declared_language(tree),
        "author": document.author,
    }
    return {key: value for key, value in fields.items() if value}


def _as_browsers_decode(data: bytes, content_type: str | None) -> bytes | str:
    """The page decoded by its declared charset (HTTP header first, then ``<meta>``), as browsers do.

    ISO-8859-1 and ASCII mean Windows-1252 (WHATWG): such pages routinely use its curly
    quotes and dashes, which a strict Latin-1 decoding turns into control characters that
    are then lost. Without a usable declaration (none, unknown, or UTF-8 that is not valid
    UTF-8) the page is left to trafilatura's guess.
    """
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    declared = _HEADER_CHARSET.search(content_type or "") or _META_CHARSET.search(data[:SNIFF_BYTES].decode("latin-1"))
    label = declared.group(1).lower() if declared else ""
    if label in _WINDOWS_1252_LABELS:
        label = "cp1252"
    try:
        if label and codecs.lookup(label).name != "utf-8":
            return data.decode(label, errors="replace")
    except LookupError:
        pass
    return data


def tree_depth(tree: HtmlElement) -> int:
    """Deepest element nesting; iterative, as a recursive walk is what deep pages break."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def declared_date(tree: HtmlElement) -> str | None:
    """The publication date the page states in JSON-LD ``datePublished`` or a publication meta tag.

    Nothing else: not the URL, a copyright year, a modification date or a date in the text,
    which all name some other moment than publication.
    """
    for value in (*_json_ld_dates(tree), *_meta_dates(tree)):
        parsed = parse_date(value)
        if parsed:
            return parsed
    return None


def declared_language(tree: HtmlElement) -> str | None:
    """The primary language subtag of ``<html lang>``, lower-cased (``en-GB`` -> ``en``)."""
    match = _LANG.match((tree.get("lang") or "").strip())
    return match.group(0).lower() if match else None


def _json_ld_dates(tree: HtmlElement) -> Iterator[str]:
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        yield from _date_published(data)


def _date_published(data: Any) -> Iterator[str]:
    """Every ``datePublished`` string in a JSON-LD value, breadth first (top-level objects first)."""
    queue = deque([data])
    while queue:
        value = queue.popleft()
        if isinstance(value, dict):
            if isinstance(value.get("datePublished"), str):
                yield value["datePublished"]
            queue.extend(value.values())
        elif isinstance(value, list):
            queue.extend(value)


def _meta_dates(tree: HtmlElement) -> Iterator[str]:
    for element in tree.iter("meta", "time"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").lower()
        value = element.get("content") or element.get("datetime")
        if key in _DATE_META and value:
            yield value


def parse_date(value: str) -> str | None:
    """ISO 8601 or RFC 822 to ISO (a date stays a date); None for anything else or an implausible year."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if not _EARLIEST_YEAR <= parsed.year < _LATEST_YEAR:
        return None
    return parsed.date().isoformat() if len(text) == 10 else parsed.isoformat()


def _without_leading_title(text: str, title: str) -> str:
    """trafilatura keeps the page's headline as the first line; the title is a field of its own."""
    first, _, rest = text.partition("\n")
    return rest if title and first.strip() == title.strip() else text
