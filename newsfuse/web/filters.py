"""The story list's query parameters, shared by the list page, the list API and the stories feed.

One parser and one writer of the same parameters, so a feed follows exactly the list a
reader filtered, and a page links to the feed of what it shows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query

from newsfuse.web.reader import Order, StoryFilter, StoryReader


async def story_filter(
    q: str | None = Query(None, description="Words that must all occur in the story"),
    date_from: str | None = Query(None, alias="from", description="Stories with an article on or after (YYYY-MM-DD)"),
    date_to: str | None = Query(None, alias="to", description="Stories with an article on or before (YYYY-MM-DD)"),
    outlet: str | None = Query(None, description="Stories with an article from this outlet"),
    entity: str | None = Query(None, description="Stories naming this entity (case-insensitive)"),
    article: str | None = Query(None, description="Stories containing this article id"),
    thread: str | None = Query(None, description="Stories of this thread id"),
    sort: Annotated[Order, Query(description="biggest (then newest) first, or newest first")] = "biggest",
) -> StoryFilter:
    """Query parameters shared by the stories page and /api/stories; empty means unset (as forms send it)."""
    return StoryFilter(
        query=(q or "").strip() or None,
        date_from=_day(date_from, "from"),
        date_to=_day(date_to, "to"),
        outlet=outlet or None,
        entity=(entity or "").strip() or None,
        article=article or None,
        thread=thread or None,
        order=sort,
    )


Filters = Annotated[StoryFilter, Depends(story_filter)]


def _day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"'{name}' is not a date (YYYY-MM-DD): {value!r}") from None


def filter_query(filters: StoryFilter, page: int = 1) -> str:
    """The query string that ``story_filter`` reads back as ``filters`` (defaults left out), so equal
    filters give equal URLs: a feed's id is made from it."""
    params = {
        "q": filters.query,
        "from": filters.date_from,
        "to": filters.date_to,
        "outlet": filters.outlet,
        "entity": filters.entity,
        "article": filters.article,
        "thread": filters.thread,
        "sort": filters.order if filters.order != "biggest" else None,
        "page": page if page > 1 else None,
    }
    return urlencode({key: value for key, value in params.items() if value})


@lru_cache(maxsize=4096)
def entity_url(text: str) -> str:
    """The list of stories naming an entity; kept, as every list and story page links its entities."""
    return list_url(StoryFilter(entity=text), 1)


def list_url(filters: StoryFilter, page: int) -> str:
    """The stories page of ``filters``, at ``page``."""
    query = filter_query(filters, page)
    return f"/?{query}" if query else "/"


def continued(reader: StoryReader, filters: StoryFilter) -> StoryFilter | None:
    """The filters with their thread, gone since threading regrouped it, replaced by the thread it goes
    on in (``StoryReader.continued_in``), so that a link or feed of a thread follows its subject;
    None for a thread found, unknown, or not asked for."""
    if not filters.thread or reader.get_thread(filters.thread) is not None:
        return None
    into = reader.continued_in(filters.thread)
    return None if into is None else replace(filters, thread=into)
