"""Atom feeds: follow a filtered story list, one story's news, or the blindspots.

Feeds are built by pure functions from reader records, then written by a real XML serializer
(ElementTree): titles and article text are escaped text, never markup, and only http(s) links
leave the site. Every date comes from the data (publication dates), never the clock, so the
same stories give the same bytes, and the same ETag: a client that sends it back gets 304.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import Headers

from newsfuse.web.filters import Filters, continued, filter_query, list_url
from newsfuse.web.outlets import BlindspotEntry, BlindspotOptions, Served, blindspot_lists, story_url
from newsfuse.web.pages import story_members
from newsfuse.web.reader import PerReader, Record, StoryFilter, StoryReader, full_records

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
FEED_SIZE = 50
"""Stories in a list feed: the newest; a reader polls often enough not to miss any."""
SUMMARY_CHARS = 400
NO_DATE = "1970-01-01T00:00:00Z"
"""The ``updated`` of an undated entry (Atom requires one): older than anything dated."""
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Entry:
    """One thing to announce; ``key`` names it uniquely and for good (its Atom id is made from it)."""

    key: str
    title: str
    updated: str
    link: str
    summary: str
    author: str | None = None


@dataclass(frozen=True)
class Feed:
    """``path`` is the feed's own URL on the site, ``page`` the HTML page it follows."""

    key: str
    title: str
    path: str
    page: str
    entries: tuple[Entry, ...]

    @property
    def updated(self) -> str:
        return max((entry.updated for entry in self.entries), default=NO_DATE)


def atom_date(published: str | None) -> str | None:
    """An ISO date or datetime as an Atom date in UTC (a day at midnight, a naive time as UTC), so that
    dates compare as strings; None for no date or one that does not parse."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return None
    if len(published) == 10:
        moment = datetime.combine(date.fromisoformat(published), datetime.min.time())
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def newest(dates: Iterable[str | None]) -> str:
    return max((atom_date(d) or NO_DATE for d in dates), default=NO_DATE)


def entry_id(key: str) -> str:
    """A name-based UUID URN: valid anywhere an Atom id is, and the same for the same key forever."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'newsfuse:' + key)}"


def excerpt(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def http_url(url: Any) -> str | None:
    """Only web links leave the site; ``javascript:`` and other schemes are dropped."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def article_url(article_id: str, focus: str | None = None) -> str:
    path = f"/articles/{quote(article_id, safe='')}"
    return path if focus is None else f"{path}?focus={quote(focus, safe='')}"


# What a story's feed announces


def story_feed(story: Record, members: Mapping[str, Record]) -> Feed:
    """Each article, contradiction and quote variant of the story, newest first."""
    story_id = story["id"]
    entries = [article_entry(story_id, article) for article in members.values()]
    entries += [contradiction_entry(story_id, c, members) for c in story.get("contradictions", [])]
    entries += [quote_entry(story_id, q, members) for q in story.get("quotes", []) if q.get("variant_of")]
    return Feed(
        key=f"story/{story_id}",
        title=f"{story['title']} - newsfuse",
        path=story_feed_url(story_id),
        page=story_url(story_id),
        entries=ordered(entries),
    )


def ordered(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    """Newest first; entries of one date in key order, so the bytes never depend on the input's order."""
    by_key = sorted(entries, key=lambda entry: entry.key)
    return tuple(sorted(by_key, key=lambda entry: entry.updated, reverse=True))


def article_entry(story_id: str, article: Record) -> Entry:
    source = article.get("source")
    return Entry(
        key=f"story/{story_id}/article/{article['id']}",
        title=f"{source}: {article['title']}" if source else article["title"],
        updated=newest([article.get("published")]),
        link=http_url(article.get("url")) or article_url(article["id"]),
        summary=excerpt(article.get("text") or ""),
        author=source,
    )


def contradiction_entry(story_id: str, contradiction: Record, members: Mapping[str, Record]) -> Entry:
    """Dated by the newest of its articles: the one whose arrival made the sources differ."""
    variants = sorted(contradiction.get("variants", []), key=lambda v: (v["article_id"], v["start"], v["end"]))
    spans = ",".join(f"{v['article_id']}:{v['start']}-{v['end']}" for v in variants)
    kind = str(contradiction.get("kind", "unknown"))
    said = [f"{_source(members, v['article_id'])}: {v.get('text', '')}" for v in variants]
    return Entry(
        key=f"story/{story_id}/contradiction/{kind}/{spans}",
        title=f"Sources differ ({kind.replace('_', ' ')}): {contradiction.get('diff', '')}",
        updated=newest(members.get(v["article_id"], {}).get("published") for v in variants),
        link=f"{story_url(story_id)}#contradictions",
        summary=excerpt(" · ".join(said)),
    )


def quote_entry(story_id: str, quote_record: Record, members: Mapping[str, Record]) -> Entry:
    """A quote another article already had: who repeats whose words."""
    article_id = quote_record["article_id"]
    source = _source(members, article_id)
    speaker = quote_record.get("speaker") or "an unknown speaker"
    return Entry(
        key=f"story/{story_id}/quote/{quote_record['id']}",
        title=f"{source} quotes {speaker} too",
        updated=newest([members.get(article_id, {}).get("published")]),
        link=article_url(article_id, f"{story_id}/quote:{quote_record['id']}"),
        summary=excerpt(f"“{quote_record.get('text', '')}”"),
        author=source,
    )


def _source(members: Mapping[str, Record], article_id: str) -> str:
    return str(members.get(article_id, {}).get("source") or "an article")


# Lists of stories


def stories_feed(reader: StoryReader, filters: StoryFilter) -> Feed:
    """The newest ``FEED_SIZE`` stories of the list ``filters`` give, each dated by its newest article."""
    filters = replace(filters, order="newest")
    stories = full_records(reader, reader.list_stories(filters, 0, FEED_SIZE))
    path = stories_feed_url(filters)
    return Feed(
        key=path,
        title=f"{list_title(filters)} - newsfuse",
        path=path,
        page=list_url(filters, 1),
        entries=tuple(story_entry(story, reader) for story in stories),
    )


def stories_feed_url(filters: StoryFilter) -> str:
    """The feed of a list: the same filters, whatever the list's order (a feed is always newest first)."""
    query = filter_query(replace(filters, order="biggest"))
    return f"/feeds/stories.atom?{query}" if query else "/feeds/stories.atom"


def story_feed_url(story_id: str) -> str:
    return f"{story_url(story_id)}/feed.atom"


def story_entry(story: Record, reader: StoryReader, key: str | None = None, note: str = "") -> Entry:
    members = story_members(story, reader)
    outlets = sorted({a["source"] for a in members if a.get("source")})
    counted = f"{len(members)} article{'s' if len(members) != 1 else ''}" + (
        f" from {', '.join(outlets)}" if outlets else ""
    )
    digest = " ".join(d.get("text", "") for d in story.get("digest", []))
    return Entry(
        key=key or f"story/{story['id']}",
        title=story["title"],
        updated=newest(a.get("published") for a in members),
        link=story_url(story["id"]),
        summary=excerpt(f"{note}{counted}. {digest}"),
    )


def list_title(filters: StoryFilter) -> str:
    """The list's filters in words, as the page says them."""
    parts = ["Stories"]
    parts += [f"containing “{filters.query}”"] if filters.query else []
    parts += [f"naming {filters.entity}"] if filters.entity else []
    parts += [f"of thread {filters.thread}"] if filters.thread else []
    parts += [f"from {filters.outlet}"] if filters.outlet else []
    if filters.date_from or filters.date_to:
        parts.append(f"between {filters.date_from or 'the start'} and {filters.date_to or 'now'}")
    return " ".join(parts)


def blindspots_feed(reader: StoryReader, lists: Mapping[str, list[BlindspotEntry]]) -> Feed:
    """Stories covered almost only by outlets of one lean; an entry per story and lean."""
    entries = [
        story_entry(
            found.story,
            reader,
            key=f"blindspot/{lean}/{found.story['id']}",
            note=f"{found.spot.outlets} of {found.spot.rated} rated outlets lean {lean}. ",
        )
        for lean, spots in sorted(lists.items())
        for found in spots
    ]
    return Feed("blindspots", "Blindspots - newsfuse", "/feeds/blindspots.atom", "/blindspots", ordered(entries))


# Atom XML and conditional GET


def feed_xml(feed: Feed, base: str) -> bytes:
    """The feed as Atom 1.0; ``base`` (the site's URL, no trailing slash) makes the site's links absolute."""
    root = ET.Element("feed", xmlns=ATOM)
    _add(root, "id", entry_id(feed.key))
    _add(root, "title", feed.title)
    _add(root, "updated", feed.updated)
    _add(_add(root, "author"), "name", "newsfuse")
    _add(root, "generator", "newsfuse")
    _link(root, base + feed.path, "self", ATOM_TYPE)
    _link(root, base + feed.page, "alternate", "text/html")
    for item in feed.entries:
        entry = _add(root, "entry")
        _add(entry, "id", entry_id(item.key))
        _add(entry, "title", item.title)
        _add(entry, "updated", item.updated)
        if item.author:
            _add(_add(entry, "author"), "name", item.author)
        _link(entry, item.link if http_url(item.link) else base + item.link, "alternate", None)
        _add(entry, "summary", item.summary)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    """A child element; its text loses the characters XML 1.0 cannot hold (control characters)."""
    child = ET.SubElement(parent, name)
    if text is not None:
        child.text = _NOT_XML.sub("", text)
    return child


def _link(parent: ET.Element, href: str, rel: str, media_type: str | None) -> None:
    link = _add(parent, "link")
    link.set("rel", rel)
    link.set("href", _NOT_XML.sub("", href))
    if media_type:
        link.set("type", media_type)


def feed_response(feed: Feed, request: Request) -> Response:
    """The feed, or 304 when the client's ETag (or, without one, its date) shows it has this version."""
    body = feed_xml(feed, str(request.base_url).rstrip("/"))
    etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
    modified = datetime.strptime(feed.updated, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
    if not_modified(request.headers, etag, modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM_TYPE, headers=headers)


def not_modified(headers: Headers, etag: str, modified: datetime) -> bool:
    """If-None-Match wins over If-Modified-Since (RFC 9110): a back-dated article changes the ETag
    but not the newest date, so the date alone is trusted only from clients that send no ETag."""
    tags = headers.get("if-none-match")
    if tags is not None:
        return any(tag.strip() in ("*", etag, etag.removeprefix("W/")) for tag in tags.split(","))
    since = headers.get("if-modified-since")
    if since is None:
        return False
    try:
        return modified <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def feed_router(stories: Served, options: BlindspotOptions) -> APIRouter:
    """The feeds' routes; included before the pages', whose ``/stories/{id:path}`` would take a story's feed."""
    router = APIRouter()
    cache = PerReader()
    atom: dict[int | str, dict[str, Any]] = {
        200: {"content": {ATOM_TYPE: {}}, "description": "An Atom 1.0 feed"},
        304: {"description": "Unchanged"},
    }

    @router.get("/feeds/stories.atom", tags=["feeds"], response_class=Response, responses=atom)
    async def stories_atom(filters: Filters, request: Request) -> Response:
        """The newest stories of the list these filters give (as on the stories page), newest first; the
        feed of a thread merged into an older one redirects to that thread's (307)."""
        if (moved := continued(stories.reader, filters)) is not None:
            return RedirectResponse(stories_feed_url(moved), status_code=307)
        return feed_response(stories_feed(stories.reader, filters), request)

    @router.get("/stories/{story_id:path}/feed.atom", tags=["feeds"], response_class=Response, responses=atom)
    async def story_atom(story_id: str, request: Request) -> Response:
        """Each article, contradiction and repeated quote of one story, newest first."""
        reader = stories.reader
        story = reader.get_story(story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        members = {article["id"]: article for article in story_members(story, reader)}
        return feed_response(story_feed(story, members), request)

    @router.get("/feeds/blindspots.atom", tags=["feeds"], response_class=Response, responses=atom)
    async def blindspots_atom(request: Request) -> Response:
        """The stories of /blindspots at the server's share and minimum, newest first."""
        reader = stories.reader
        lists = cache.get("blindspots", reader, lambda r: blindspot_lists(r, options.share, options.minimum))
        return feed_response(blindspots_feed(reader, lists), request)

    return router
