"""View models of the three pages, built from reader records by pure functions.

A story page renders the story's one view (``newsfuse.view``), the same the reports render.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote as url_quote

from newsfuse.view.story import StoryView, day_span, story_view
from newsfuse.web.coverage import Coverage, coverage_chart
from newsfuse.web.highlight import Mark, Segment, segment_text
from newsfuse.web.reader import Record, StoryFilter, StoryReader, full_records

STORY_ENTITIES = 60
MAX_STORIES_PER_ARTICLE = 20
THREAD_NEIGHBOURS = 3
MORE_LIMIT = 20
"""Items a "show all" lists on a page; a story of a hundred articles has thousands of claims,
and the rest are in its JSON (a page of them all weighed megabytes and took 300 ms to render)."""


@dataclass(frozen=True)
class StorySummary:
    """A story as listed on the front page."""

    story: Record
    articles: int
    outlets: tuple[str, ...]
    span: str
    entities: tuple[Record, ...]


@dataclass(frozen=True)
class ThreadStory:
    """A story of the thread, as listed on the page of another: ``when`` is earlier, this or later."""

    story: Record
    span: str
    when: str


@dataclass(frozen=True)
class ThreadView:
    """The stories of the thread nearest the page's own: ``first`` is the position of the first listed."""

    thread: Record
    stories: tuple[ThreadStory, ...]
    first: int
    total: int


@dataclass(frozen=True)
class StoryPage:
    """The story's view, and what only the web app shows: its thread and a coverage chart."""

    content: StoryView
    thread: ThreadView | None
    coverage: Coverage
    entities: tuple[Record, ...]
    more_entities: int

    @property
    def story(self) -> Record:
        return self.content.story


@dataclass(frozen=True)
class ArticlePage:
    """An article with the spans its stories use marked: all of them when the reader asks
    (``everything``), else only those of the statement a citation led here from (``focus``)."""

    article: Record
    segments: tuple[Segment, ...]
    kinds: tuple[str, ...]
    stories: tuple[Record, ...]
    duplicates: tuple[Record, ...]
    focus: tuple[str, ...] = ()
    everything: bool = False


def story_summary(listing: Record) -> StorySummary:
    """A story's card on the list page, from its listing (``StoryReader.list_stories``)."""
    return StorySummary(
        story=listing,
        articles=listing["articles"],
        outlets=tuple(listing["outlets"]),
        span=day_span(listing["first_published"], listing["last_published"]),
        entities=tuple(listing["entities"]),
    )


def listing_json(listing: Record) -> Record:
    """A listing as the list endpoints give it: with its full record's ``url`` (every claim and quote)."""
    return {
        "id": listing["id"],
        "title": listing["title"],
        "url": f"/api/stories/{url_quote(listing['id'], safe='')}",
    } | listing


def story_page(story: Record, reader: StoryReader) -> StoryPage:
    content = story_view(story, story_members(story, reader), MORE_LIMIT)
    return StoryPage(
        content=content,
        thread=_thread(story, reader),
        coverage=coverage_chart([(s.outlet, s.article.get("published")) for s in content.sources]),
        entities=content.entities[:STORY_ENTITIES],
        more_entities=max(0, len(content.entities) - STORY_ENTITIES),
    )


def _thread(story: Record, reader: StoryReader) -> ThreadView | None:
    """The stories on the story's subject just before and after it (``THREAD_NEIGHBOURS`` each way),
    the whole thread one link away; ``None`` for a thread of one story."""
    thread = reader.get_thread(story.get("thread_id") or "")
    if thread is None or len(thread["story_ids"]) < 2:
        return None
    ids = list(thread["story_ids"])
    here = ids.index(story["id"]) if story["id"] in ids else len(ids)
    first = max(0, here - THREAD_NEIGHBOURS)
    window = ids[first : here + THREAD_NEIGHBOURS + 1]
    shown = {listing["id"]: listing for listing in reader.listings(window)}
    entries = []
    for position, story_id in enumerate(window, start=first):
        if (listing := shown.get(story_id)) is not None:
            when = "earlier" if position < here else "this story" if position == here else "later"
            span = day_span(listing["first_published"], listing["last_published"])
            entries.append(ThreadStory(listing, span, when))
    return ThreadView(thread, tuple(entries), first + 1, len(ids))


def article_page(
    article: Record, reader: StoryReader, focus: str | None = None, everything: bool = False
) -> ArticlePage:
    """``focus`` is a mark's ``key``; without it or ``everything`` the text is shown plain."""
    stories = full_records(reader, reader.list_stories(StoryFilter(article=article["id"]), 0, MAX_STORIES_PER_ARTICLE))
    marks = [mark for story in stories for mark in story_marks(story, article)]
    shown = marks if everything else [m for m in marks if focus and m.key == focus]
    return ArticlePage(
        article=article,
        segments=tuple(segment_text(article.get("text") or "", shown)),
        kinds=tuple(sorted({m.kind for m in shown})),
        stories=tuple(stories),
        duplicates=tuple(_duplicates(article["id"], reader)),
        focus=tuple(dict.fromkeys(m.note for m in shown)) if not everything else (),
        everything=everything,
    )


def story_marks(story: Record, article: Record) -> list[Mark]:
    """The spans of ``article`` that ``story`` uses: digest sentences, claims, quotes, dates, contradictions."""
    text, article_id, story_id = article.get("text") or "", article["id"], story["id"]
    marks = [
        _found(text, d["text"], "digest", "a sentence of the story's digest", f"{story_id}/digest:{n}")
        for n, d in enumerate(story.get("digest", []))
    ]
    marks += [
        Mark(e["start"], e["end"], "claim", _claim_note(c), f"{story_id}/claim:{c.get('id', '')}")
        for c in story.get("claims", [])
        for e in c.get("evidence", [])
        if e.get("article_id") == article_id
    ]
    marks += [
        Mark(
            q["start"],
            q["end"],
            "quote",
            f"a quote of {q.get('speaker') or 'an unknown speaker'}",
            f"{story_id}/quote:{q['id']}",
        )
        for q in story.get("quotes", [])
        if q.get("article_id") == article_id
    ]
    marks += [
        Mark(
            e["start"],
            e["end"],
            "date",
            f"a date of the timeline: {t.get('date') or 'unresolved'}",
            f"{story_id}/date:{n}",
        )
        for n, t in enumerate(story.get("timeline", []))
        for e in t.get("evidence", [])
        if e.get("article_id") == article_id
    ]
    marks += [
        Mark(
            v["start"],
            v["end"],
            "contradiction",
            f"differs from other sources ({c.get('kind', 'unknown').replace('_', ' ')})",
            f"{story_id}/contradiction:{n}",
        )
        for n, c in enumerate(story.get("contradictions", []))
        for v in c.get("variants", [])
        if v.get("article_id") == article_id
    ]
    return [m for m in marks if m is not None]


def _claim_note(claim: Record) -> str:
    sources = len(claim.get("article_ids", []))
    return "a claim only this article makes" if sources == 1 else f"a claim {sources} articles of the story make"


def _found(text: str, needle: str, kind: str, note: str, key: str) -> Mark | None:
    start = text.find(needle) if needle else -1
    return None if start < 0 else Mark(start, start + len(needle), kind, note, key)


def story_members(story: Record, reader: StoryReader) -> list[Record]:
    return [a for a in (reader.get_article(i) for i in story["article_ids"]) if a is not None]


def _duplicates(article_id: str, reader: StoryReader) -> list[Record]:
    others = {
        other
        for group in reader.duplicate_groups(article_id)
        for other in [group.get("canonical"), *group.get("article_ids", [])]
        if other and other != article_id
    }
    return [a for a in (reader.get_article(i) for i in sorted(others)) if a is not None]
