"""Who covers what, and what changed: blindspots, per-outlet figures, and a story's update since a visit.

Pages and API endpoints on their own router, included by ``create_app``; they read only through
``StoryReader``. The figures over all stories (blindspots, outlet statistics) are worked out once
per reader and kept until the reader is replaced (after a write), so a request costs a lookup.
What a story gained since a date re-analyses the story twice (``newsfuse.changes``), so it runs in
the thread pool, never on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from newsfuse.changes import SinceError, story_update
from newsfuse.codec import (
    article_from_record,
    coverage_from_record,
    duplicate_from_record,
    profiles_from_record,
    story_from_record,
    update_record,
)
from newsfuse.outlets import Blindspot, Count, OutletStats, blindspots, outlet_stats
from newsfuse.outlets.blindspots import BLINDSPOT_MIN, BLINDSPOT_SHARE
from newsfuse.pipeline import PipelineConfig
from newsfuse.records import OutletProfiles, StoryUpdate, outlet_key
from newsfuse.view.changes import ChangesView, changes_view, visit_days
from newsfuse.view.story import StoryView
from newsfuse.web.reader import PerReader, Record, StoryFilter, StoryReader, full_records


class Served(Protocol):
    """The app's ``Stories``: only its current reader is read here."""

    @property
    def reader(self) -> StoryReader: ...


@dataclass(frozen=True)
class BlindspotOptions:
    """``serve --blindspot-share/--blindspot-min``: the defaults of /blindspots, which a query may change."""

    share: float = BLINDSPOT_SHARE
    minimum: int = BLINDSPOT_MIN


def all_stories(reader: StoryReader) -> list[Record]:
    """Every story, biggest first (the list's own order)."""
    total = reader.list_stories(StoryFilter(), 0, 1).total
    return full_records(reader, reader.list_stories(StoryFilter(), 0, max(total, 1)))


def story_url(story_id: str) -> str:
    return f"/stories/{quote(story_id, safe='')}"


# Blindspots


@dataclass(frozen=True)
class BlindspotEntry:
    spot: Blindspot
    story: Record


def blindspot_lists(reader: StoryReader, share: float, minimum: int) -> dict[str, list[BlindspotEntry]]:
    """Blindspot stories per lean; stories made without outlet profiles have no coverage and are never listed."""
    stories = {s["id"]: s for s in all_stories(reader) if "coverage" in s}
    coverages = {story_id: coverage_from_record(s["coverage"]) for story_id, s in stories.items()}
    found = blindspots(coverages, share, minimum)
    return {lean: [BlindspotEntry(spot, stories[spot.story_id]) for spot in spots] for lean, spots in found.items()}


def blindspot_json(lists: dict[str, list[BlindspotEntry]], share: float, minimum: int) -> Record:
    return {
        "share": share,
        "min": minimum,
        "leans": {
            lean: [
                {
                    "story_id": e.story["id"],
                    "title": e.story["title"],
                    "url": story_url(e.story["id"]),
                    "lean": e.spot.lean,
                    "outlets": e.spot.outlets,
                    "rated": e.spot.rated,
                    "unrated": e.spot.unrated,
                    "share": round(e.spot.share, 4),
                }
                for e in entries
            ]
            for lean, entries in lists.items()
        },
    }


# Outlet figures


def reader_outlet_stats(reader: StoryReader) -> dict[str, OutletStats]:
    """``outlet_stats`` over every served story, by outlet key (names compare without case)."""
    records = all_stories(reader)
    stories = [story_from_record(s) for s in records]
    ids = {i for s in records for i in s["article_ids"]}
    groups = {json_key(g): g for i in sorted(ids) for g in reader.duplicate_groups(i)}
    duplicates = [duplicate_from_record(g) for g in groups.values()]
    ids |= {i for d in duplicates for i in d.article_ids}
    found = (reader.get_article(i) for i in sorted(ids))
    articles = {a["id"]: article_from_record(a) for a in found if a is not None}
    figures = outlet_stats(stories, articles, profiles_of(reader), duplicates)
    return {outlet_key(f.outlet): f for f in figures}


def claim_stories(reader: StoryReader) -> dict[str, str]:
    """The story of each claim id, to link an outlet's single-source claims to where they are shown."""
    return {claim["id"]: story["id"] for story in all_stories(reader) for claim in story.get("claims", [])}


def json_key(group: Record) -> tuple[Any, ...]:
    return (group.get("canonical"), tuple(group.get("article_ids", [])))


def profiles_of(reader: StoryReader) -> OutletProfiles:
    record = reader.outlet_profiles()
    return profiles_from_record(record) if record else OutletProfiles()


FIGURES = (
    ("covered", "stories covered", "of all stories"),
    ("missed", "stories missed", "of the stories its peers covered"),
    ("first", "stories where it was first", "of the covered stories with dated articles"),
    ("sole_claims", "single-source claims it alone reports", "of the claims of its stories"),
    ("contradictions", "contradictions with a variant from it", "of those in its stories"),
    ("quote_wording", "quote-wording differences with a variant from it", "of those in its stories"),
)
"""Each figure's field, what it counts and of what: the page says both, so no number stands alone."""


def count_json(count: Count) -> Record:
    return {"count": count.count, "of": count.of, "ids": list(count.ids)}


def stats_json(stats: OutletStats) -> Record:
    figures = {name: count_json(getattr(stats, name)) for name, _, _ in FIGURES}
    return {"outlet": stats.outlet, "profiled": stats.profiled, "peers": list(stats.peers), **figures}


@dataclass(frozen=True)
class Evidence:
    """A figure's id as a link: a story, a claim (in its story) or an evidence span (in its article)."""

    label: str
    url: str


def evidence_links(name: str, ids: Sequence[str], claim_story: dict[str, str]) -> tuple[Evidence, ...]:
    if name in ("covered", "missed", "first"):
        return tuple(Evidence(i, story_url(i)) for i in ids)
    if name == "sole_claims":
        return tuple(Evidence(i, story_url(claim_story[i]) + "#claims") for i in ids if i in claim_story)
    return tuple(Evidence(i, f"/articles/{quote(i.rsplit(':', 1)[0], safe='')}") for i in ids)


# What changed


def update_of(reader: StoryReader, story_id: str, since: str) -> StoryUpdate | None:
    """``story_update`` on the reader's parsed members and settings; None when the articles have no text."""
    members = reader.parsed_members(story_id)
    if members is None:
        return None
    return story_update(story_id, members, since, PipelineConfig.from_settings(reader.settings()))


async def story_changes(reader: StoryReader, view: StoryView, since: str | None) -> ChangesView:
    """The story page's ``since`` block: the visit links, and what is new when ``since`` is given."""
    if not since:
        return ChangesView(visit_days(view))
    try:
        update = await run_in_threadpool(update_of, reader, view.story["id"], since)
    except SinceError as err:
        return ChangesView(visit_days(view), since, str(err))
    if update is None:
        return ChangesView(visit_days(view), since, "this stories.json has no article text to compare")
    return changes_view(view, update, since)


def _not_found(what: str) -> NoReturn:
    raise HTTPException(404, what)


def outlet_router(stories: Served, options: BlindspotOptions, render: Callable[..., HTMLResponse]) -> APIRouter:
    """The routes of this module; ``render`` is the app's template renderer (one environment, one CSP)."""
    router = APIRouter()
    cache = PerReader()

    def lists(share: float | None, minimum: int | None) -> tuple[float, int, dict[str, list[BlindspotEntry]]]:
        share = options.share if share is None else share
        minimum = options.minimum if minimum is None else minimum
        reader = stories.reader
        if (share, minimum) == (options.share, options.minimum):
            return share, minimum, cache.get("blindspots", reader, lambda r: blindspot_lists(r, share, minimum))
        return share, minimum, blindspot_lists(reader, share, minimum)

    share_query = Query(None, gt=0, le=1, description="Least share of a story's rated outlets that share one lean")
    min_query = Query(None, alias="min", ge=1, description="Least number of rated outlets")
    lean_query = Query(None, description="Only the stories whose outlets mostly have this lean")

    @router.get("/blindspots", response_class=HTMLResponse, include_in_schema=False)
    async def blindspots_page(
        share: float | None = share_query, minimum: int | None = min_query, lean: str | None = lean_query
    ) -> HTMLResponse:
        share, minimum, found = lists(share, minimum)
        shown = {k: v for k, v in found.items() if not lean or k == lean}
        profiled = stories.reader.outlet_profiles() is not None
        return render(
            "blindspots.html.j2",
            lists=shown,
            leans=sorted(found),
            lean=lean,
            share=share,
            minimum=minimum,
            profiled=profiled,
        )

    @router.get("/api/blindspots", tags=["outlets"])
    async def blindspots_api(
        share: float | None = share_query, minimum: int | None = min_query, lean: str | None = lean_query
    ) -> Record:
        """Stories covered almost only by outlets of one lean, per lean, the most one-sided first."""
        share, minimum, found = lists(share, minimum)
        return blindspot_json({k: v for k, v in found.items() if not lean or k == lean}, share, minimum)

    def figures(name: str) -> OutletStats:
        found = cache.get("outlets", stories.reader, reader_outlet_stats).get(outlet_key(name))
        return found or _not_found(f"no outlet named {name!r} in these stories")

    @router.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    async def outlet_page(name: str) -> HTMLResponse:
        stats = figures(name)
        claim_story = cache.get("claims", stories.reader, claim_stories)
        rows = [
            (label, of, getattr(stats, field), evidence_links(field, getattr(stats, field).ids, claim_story))
            for field, label, of in FIGURES
        ]
        profile = profiles_of(stories.reader).by_name(stats.outlet)
        return render("outlet.html.j2", stats=stats, rows=rows, profile=profile)

    @router.get("/api/outlets/{name:path}", tags=["outlets"], responses={404: {"description": "No such outlet"}})
    async def outlet_api(name: str) -> Record:
        """An outlet's figures, each a count of a denominator with the ids counted (stories, claims, spans)."""
        return stats_json(figures(name))

    @router.get("/api/updates/{story_id:path}", tags=["stories"], responses={404: {"description": "No such story"}})
    async def update_api(
        story_id: str, since: str = Query(min_length=1, description="An ISO date or datetime, or an article id")
    ) -> Record:
        """What the story gained since ``since``: new articles, outlets, claims, relabelled claims,
        contradictions, quotes, timeline entries, and an update digest of the newer articles."""
        reader = stories.reader
        if reader.get_story(story_id) is None:
            _not_found(f"no story with id {story_id!r}")
        try:
            update = await run_in_threadpool(update_of, reader, story_id, since)
        except SinceError as err:
            raise HTTPException(422, str(err)) from None
        if update is None:
            raise HTTPException(409, "the served stories.json has no article text to compare")
        return update_record(update)

    return router
