"""The I/O edge of ingest: find input files and feed URLs, read them safely, dispatch by format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfuse.ingest.feeds import FEED_SUFFIXES, FeedEntry, entry_article, parse_feed
from newsfuse.ingest.fetch import Fetcher, Validators, is_url
from newsfuse.ingest.fields import article_from_fields
from newsfuse.ingest.html import html_fields, parse_html
from newsfuse.ingest.jsonl import parse_jsonl
from newsfuse.ingest.normalize import SNIFF_BYTES, IngestError, check_not_binary, decode
from newsfuse.ingest.options import IngestOptions
from newsfuse.ingest.text import parse_text_article
from newsfuse.ingest.warc import is_archive, parse_archive
from newsfuse.records import Article, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
JSONL_SUFFIXES = frozenset({".jsonl"})
HTML_SUFFIXES = frozenset({".html", ".htm"})


@dataclass(frozen=True)
class IngestResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


FeedValidators = dict[str, Validators]
"""Per feed URL, the validators of its last response: ``read_inputs`` asks with them and updates them."""


def read_inputs(
    inputs: Iterable[Path | str], options: IngestOptions | None = None, feeds: FeedValidators | None = None
) -> IngestResult:
    """Read every article under ``inputs``; each bad input becomes a Skipped, never an exception.

    An input is a file or folder, or an http(s) URL of a feed (a ``str``). With ``feeds``, a feed
    is asked for only if changed since its validators there (a 304 gives no article), and
    ``feeds`` gets the validators of each feed read.
    """
    options = options or IngestOptions()
    with Fetcher(options.fetch) as fetcher:
        items = list(_read_all(inputs, options, fetcher, feeds))
    kept, duplicates = first_id_wins(item for item in items if isinstance(item, Article))
    skipped = [item for item in items if isinstance(item, Skipped)]
    return IngestResult(tuple(kept), tuple(skipped + duplicates))


def first_id_wins(articles: Iterable[Article]) -> tuple[list[Article], list[Skipped]]:
    """Keep the first article read with each id; report the later ones."""
    kept: dict[str, Article] = {}
    duplicates = []
    for article in articles:
        if article.id in kept:
            first = kept[article.id].path or "an earlier input"
            duplicates.append(
                Skipped(article.path or "", f"duplicate article id {article.id!r} (first read from {first})")
            )
        else:
            kept[article.id] = article
    return list(kept.values()), duplicates


def _read_all(
    inputs: Iterable[Path | str], options: IngestOptions, fetcher: Fetcher, feeds: FeedValidators | None
) -> Iterator[Article | Skipped]:
    for given in inputs:
        if isinstance(given, str) and is_url(given):
            yield from read_feed_url(given, options, fetcher, feeds)
            continue
        for item in expand_inputs([Path(given)]):
            if isinstance(item, Skipped):
                yield item
            else:
                yield from read_file(item, options, fetcher)


def expand_inputs(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """Every input file in reading order: folders recursively and sorted, hidden files left out."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif path.exists():
            yield path
        else:
            yield Skipped(str(path), "no such file or folder")


def read_file(
    path: Path, options: IngestOptions | None = None, fetcher: Fetcher | None = None
) -> Iterator[Article | Skipped]:
    """The articles of one file by its type; linked pages of feed entries only with a ``fetcher``."""
    options = options or IngestOptions()
    limits = options.limits
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            yield parse_text_article(_read_text(path, limits.max_article_bytes), str(path))
        elif suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
        elif suffix in HTML_SUFFIXES:
            yield parse_html(_read_bytes(path, limits.max_article_bytes), str(path), limits=limits)
        elif suffix in FEED_SUFFIXES:
            yield from _feed_articles(_read_bytes(path, limits.max_feed_bytes), str(path), options, fetcher)
        elif is_archive(path.name):
            with path.open("rb") as handle:
                yield from parse_archive(handle, str(path), limits)
        else:
            yield Skipped(str(path), f"unsupported file type {suffix or '(no suffix)'!r}")
    except IngestError as err:
        yield Skipped(str(path), str(err))
    except OSError as err:
        yield Skipped(str(path), f"cannot read: {err.strerror or err}")


def read_feed_url(
    url: str, options: IngestOptions, fetcher: Fetcher, feeds: FeedValidators | None = None
) -> Iterator[Article | Skipped]:
    try:
        feed = fetcher.get(url, options.limits.max_feed_bytes, feeds.get(url) if feeds is not None else None)
    except IngestError as err:
        yield Skipped(url, str(err))
        return
    if feed.not_modified:
        return
    if feeds is not None:
        feeds.pop(url, None)
        if feed.validators:
            feeds[url] = feed.validators
    yield from _feed_articles(feed.content, url, options, fetcher, base_url=feed.url)


def _feed_articles(
    data: bytes, path: str, options: IngestOptions, fetcher: Fetcher | None, base_url: str | None = None
) -> Iterator[Article | Skipped]:
    for entry in parse_feed(data, path, options.limits, base_url):
        if isinstance(entry, Skipped):
            yield entry
        elif fetcher is not None and options.fetch.pages and entry.fields.get("url"):
            yield from _entry_with_page(entry, options, fetcher)
        else:
            yield entry_article(entry)


def _entry_with_page(entry: FeedEntry, options: IngestOptions, fetcher: Fetcher) -> Iterator[Article | Skipped]:
    """The entry with its linked page's text and metadata; the entry alone when the page fails.

    The page's fields win where it has them; the entry's link stays the article's URL.
    """
    link = str(entry.fields["url"])
    try:
        page = fetcher.get(link, options.limits.max_article_bytes)
        fields = {**entry.fields, **html_fields(page.content, link, options.limits, page.content_type)}
        yield article_from_fields(fields, entry.where)
    except IngestError as err:
        yield Skipped(link, f"linked page not used ({err}); the feed entry's own text is kept")
        yield entry_article(entry)


def _read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    with path.open("rb") as handle:
        yield from parse_jsonl(handle, str(path))


def _read_text(path: Path, limit: int) -> str:
    data = _read_bytes(path, limit)
    check_not_binary(data[:SNIFF_BYTES])
    return decode(data)


def _read_bytes(path: Path, limit: int) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty file")
    if size > limit:
        raise IngestError(f"file too large ({size} bytes; limit {limit})")
    return path.read_bytes()


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
