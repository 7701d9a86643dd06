"""View models of the three pages, built from reader records by pure functions.

Optional analysis keys of a story (claims, contradictions, quotes, timeline) give
``None`` when the story lacks them, so the template leaves the section out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote as url_quote

from newsfuse.web.coverage import Coverage, coverage_chart
from newsfuse.web.highlight import Mark, Segment, Token, segment_text, word_diff
from newsfuse.web.reader import Record, StoryFilter, StoryReader

TOP_ENTITIES = 6
STORY_ENTITIES = 60
MAX_STORIES_PER_ARTICLE = 20
THREAD_NEIGHBOURS = 3
UNKNOWN_OUTLET = "unknown outlet"


@dataclass(frozen=True)
class Source:
    """An article as cited in one story: ``number`` is its citation marker."""

    number: int
    article: Record

    @property
    def id(self) -> str:
        return str(self.article["id"])

    @property
    def outlet(self) -> str:
        return self.article.get("source") or UNKNOWN_OUTLET

    @property
    def date(self) -> str:
        published = self.article.get("published")
        return published[:10] if published else "undated"


@dataclass(frozen=True)
class Cited:
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class OutletClaims:
    """The single-source claims of one outlet: what only it reports."""

    outlet: str
    claims: tuple[Cited, ...]


@dataclass(frozen=True)
class Variant:
    source: Source
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Contradiction:
    kind: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class SpeakerQuotes:
    """One speaker's quotes; each entry holds the aligned variants of one quote."""

    speaker: str
    quotes: tuple[tuple[Variant, ...], ...]


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    granularity: str
    text: str
    sources: tuple[Source, ...]


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
    story: Record
    summary: StorySummary
    thread: ThreadView | None
    sources: tuple[Source, ...]
    digest: tuple[Cited, ...]
    consensus: tuple[Cited, ...] | None
    single_source: tuple[OutletClaims, ...] | None
    contradictions: tuple[Contradiction, ...] | None
    quotes: tuple[SpeakerQuotes, ...] | None
    timeline: tuple[TimelineEntry, ...] | None
    coverage: Coverage
    entities: tuple[Record, ...]
    more_entities: int


@dataclass(frozen=True)
class ArticlePage:
    article: Record
    segments: tuple[Segment, ...]
    kinds: tuple[str, ...]
    stories: tuple[Record, ...]
    duplicates: tuple[Record, ...]


def story_summary(story: Record, reader: StoryReader) -> StorySummary:
    members = _members(story, reader)
    return StorySummary(
        story=story,
        articles=len(members),
        outlets=tuple(sorted({a["source"] for a in members if a.get("source")})),
        span=_span(members),
        entities=tuple(story.get("entities", [])[:TOP_ENTITIES]),
    )


SUMMARY_COUNTS = ("digest", "claims", "contradictions", "quotes", "timeline", "entities")


def story_summary_record(story: Record, reader: StoryReader) -> Record:
    """A story as the list endpoints give it: what a list shows, a small fixed size per story.

    The full record (every claim and quote) is at ``url``; lists of 20 stories used to weigh megabytes.
    """
    summary = story_summary(story, reader)
    dates = sorted(a["published"] for a in _members(story, reader) if a.get("published"))
    return {
        "id": story["id"],
        "title": story["title"],
        "url": f"/api/stories/{url_quote(story['id'], safe='')}",
        "article_ids": story["article_ids"],
        "articles": summary.articles,
        "outlets": story.get("outlets") or list(summary.outlets),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "counts": {key: len(story[key]) for key in SUMMARY_COUNTS if isinstance(story.get(key), list)},
        "entities": [{key: e[key] for key in ("text", "label", "count")} for e in summary.entities],
        "thread_id": story.get("thread_id"),
    }


def story_page(story: Record, reader: StoryReader) -> StoryPage:
    sources = tuple(Source(n, a) for n, a in enumerate(_members(story, reader), start=1))
    by_id = {s.id: s for s in sources}

    def cite(article_ids: Iterable[str]) -> tuple[Source, ...]:
        found = {by_id[i].number: by_id[i] for i in article_ids if i in by_id}
        return tuple(found[number] for number in sorted(found))

    claims = story.get("claims")
    return StoryPage(
        story=story,
        summary=story_summary(story, reader),
        thread=_thread(story, reader),
        sources=sources,
        digest=tuple(Cited(d["text"], cite(d.get("sources") or [d["article_id"]])) for d in story.get("digest", [])),
        consensus=None if claims is None else _consensus(claims, cite),
        single_source=None if claims is None else _single_source(claims, cite),
        contradictions=_optional(story, "contradictions", lambda items: _contradictions(items, by_id)),
        quotes=_optional(story, "quotes", lambda items: _quotes_by_speaker(items, by_id)),
        timeline=_optional(story, "timeline", lambda items: _timeline(items, cite)),
        coverage=coverage_chart([(s.outlet, s.article.get("published")) for s in sources]),
        entities=tuple(story.get("entities", [])[:STORY_ENTITIES]),
        more_entities=max(0, len(story.get("entities", [])) - STORY_ENTITIES),
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
    entries = []
    for position, story_id in enumerate(ids[first : here + THREAD_NEIGHBOURS + 1], start=first):
        member = story if story_id == story["id"] else reader.get_story(story_id)
        if member is not None:
            when = "earlier" if position < here else "this story" if position == here else "later"
            entries.append(ThreadStory(member, _span(_members(member, reader)), when))
    return ThreadView(thread, tuple(entries), first + 1, len(ids))


def article_page(article: Record, reader: StoryReader) -> ArticlePage:
    stories = reader.list_stories(StoryFilter(article=article["id"]), 0, MAX_STORIES_PER_ARTICLE).items
    marks = [mark for story in stories for mark in story_marks(story, article)]
    return ArticlePage(
        article=article,
        segments=tuple(segment_text(article.get("text") or "", marks)),
        kinds=tuple(sorted({m.kind for m in marks})),
        stories=tuple(stories),
        duplicates=tuple(_duplicates(article["id"], reader)),
    )


def story_marks(story: Record, article: Record) -> list[Mark]:
    """The spans of ``article`` that ``story`` uses: digest sentences, claims, quotes, dates, contradictions."""
    text, article_id = article.get("text") or "", article["id"]
    marks = [_found(text, d["text"], "digest", "in the story digest") for d in story.get("digest", [])]
    marks += [
        _found(text, c["text"], "claim", c.get("label", "claim").replace("_", "-") + " claim")
        for c in story.get("claims", [])
        if article_id in c.get("article_ids", [])
    ]
    marks += [
        Mark(q["start"], q["end"], "quote", f"quote of {q.get('speaker') or 'an unknown speaker'}")
        for q in story.get("quotes", [])
        if q.get("article_id") == article_id
    ]
    marks += [
        Mark(e["start"], e["end"], "date", f"timeline: {t.get('date') or 'unresolved date'}")
        for t in story.get("timeline", [])
        for e in t.get("evidence", [])
        if e.get("article_id") == article_id
    ]
    marks += [
        Mark(v["start"], v["end"], "contradiction", f"contradiction ({c.get('kind', 'unknown')})")
        for c in story.get("contradictions", [])
        for v in c.get("variants", [])
        if v.get("article_id") == article_id
    ]
    return [m for m in marks if m is not None]


def _found(text: str, needle: str, kind: str, note: str) -> Mark | None:
    start = text.find(needle) if needle else -1
    return None if start < 0 else Mark(start, start + len(needle), kind, note)


def _members(story: Record, reader: StoryReader) -> list[Record]:
    return [a for a in (reader.get_article(i) for i in story["article_ids"]) if a is not None]


def _span(articles: Sequence[Record]) -> str:
    dates = sorted(a["published"][:10] for a in articles if a.get("published"))
    if not dates:
        return "undated"
    return dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"


def _optional(story: Record, key: str, build: Callable[[list[Record]], tuple[Any, ...]]) -> tuple[Any, ...] | None:
    return None if key not in story else build(story[key])


Cite = Callable[[Iterable[str]], tuple[Source, ...]]


def _consensus(claims: list[Record], cite: Cite) -> tuple[Cited, ...]:
    return tuple(Cited(c["text"], cite(c["article_ids"])) for c in claims if c.get("label") == "consensus")


def _single_source(claims: list[Record], cite: Cite) -> tuple[OutletClaims, ...]:
    by_outlet: dict[str, list[Cited]] = {}
    for claim in claims:
        if claim.get("label") == "single_source":
            cited = Cited(claim["text"], cite(claim["article_ids"]))
            for outlet in sorted({s.outlet for s in cited.sources}):
                by_outlet.setdefault(outlet, []).append(cited)
    return tuple(OutletClaims(outlet, tuple(by_outlet[outlet])) for outlet in sorted(by_outlet))


def _contradictions(items: list[Record], by_id: dict[str, Source]) -> tuple[Contradiction, ...]:
    return tuple(
        Contradiction(item.get("kind", "unknown"), _aligned(item.get("variants", []), by_id)) for item in items
    )


def _aligned(variants: list[Record], by_id: dict[str, Source]) -> tuple[Variant, ...]:
    """Variants with the words each lacks from the first (and the first's from the second) marked."""
    known = [v for v in variants if v.get("article_id") in by_id]
    aligned = []
    for position, variant in enumerate(known):
        tokens = [Token(variant["text"])]
        if len(known) > 1:
            tokens = word_diff(variant["text"], known[1 if position == 0 else 0]["text"])
        aligned.append(Variant(by_id[variant["article_id"]], tuple(tokens)))
    return tuple(aligned)


def _quotes_by_speaker(quotes: list[Record], by_id: dict[str, Source]) -> tuple[SpeakerQuotes, ...]:
    """Group quotes by speaker, then a quote with its variants (``variant_of``: the id of another quote)."""
    ids = {q["id"]: n for n, q in enumerate(quotes) if "id" in q}

    def root(number: int, seen: frozenset[int] = frozenset()) -> int:
        target = ids.get(quotes[number].get("variant_of"))
        if target is not None and target not in seen | {number}:
            return root(target, seen | {number})
        return number

    groups: dict[str, dict[int, list[Record]]] = {}
    for number, quote in enumerate(quotes):
        speaker = quote.get("speaker") or "Unknown speaker"
        groups.setdefault(speaker, {}).setdefault(root(number), []).append(quote)
    return tuple(
        SpeakerQuotes(speaker, tuple(_aligned(variants, by_id) for variants in groups[speaker].values()))
        for speaker in sorted(groups)
    )


def _timeline(items: list[Record], cite: Cite) -> tuple[TimelineEntry, ...]:
    return tuple(
        TimelineEntry(
            date=item.get("date") or "unresolved",
            granularity=item.get("granularity") or "",
            text=item.get("text", ""),
            sources=cite(item.get("article_ids", [])),
        )
        for item in items
    )


def _duplicates(article_id: str, reader: StoryReader) -> list[Record]:
    others = {
        other
        for group in reader.duplicate_groups(article_id)
        for other in [group.get("canonical"), *group.get("article_ids", [])]
        if other and other != article_id
    }
    return [a for a in (reader.get_article(i) for i in sorted(others)) if a is not None]
