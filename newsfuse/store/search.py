"""What the web reader looks a story up by, derived once when the story is built.

Search words are split here, in Python, for both the stories.json reader and the store:
the full-text index is fed the words already split and case-folded (and a query is split
the same way), so SQLite's FTS5, PostgreSQL's ``tsvector`` and the in-memory reader agree
on which stories hold a word. Only the ranking among them differs by backend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from newsfuse.analyze.entities import listed_entities
from newsfuse.codec import entity_from_record
from newsfuse.records import Article, Story

_WORD = re.compile(r"\w+")

Json = dict[str, Any]

LISTED_ENTITIES = 6
"""Entities a story's listing names."""
LISTING_COUNTS = ("digest", "claims", "contradictions", "quotes", "timeline", "entities")

POSTGRES_POSITIONS = 16_383
"""PostgreSQL keeps word positions up to this; words past it are indexed once each, so they still match."""


def words(text: str) -> list[str]:
    """Search tokens: case-folded word characters, so "Kim's" finds "kim"."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True)
class StoryIndex:
    """A story's sort keys, filter values and search words, as the reader's tables hold them."""

    size: int
    latest: str
    """Newest publication time as written ('' when undated): the tie-break of the biggest-first order."""
    earliest: str | None
    first_day: str | None
    last_day: str
    """'' when undated, so that it sorts last among the newest and matches no date filter."""
    outlets: tuple[str, ...]
    entities: tuple[str, ...]
    terms: tuple[str, ...]
    headline: tuple[str, ...]
    """The words of the title and digest, the first of ``terms``: what PostgreSQL ranks by."""


def story_index(story: Story, members: Sequence[Article]) -> StoryIndex:
    """The same values the stories.json reader computes from a story and its member articles."""
    published = sorted(a.published for a in members if a.published)
    days = sorted(p[:10] for p in published)
    headline = [story.title, *(d.text for d in story.digest)]
    texts = [*headline, *(e.text for e in story.entities), *(f"{a.title}\n{a.text}" for a in members)]
    return StoryIndex(
        size=len(story.article_ids),
        latest=max((a.published or "" for a in members), default=""),
        earliest=published[0] if published else None,
        first_day=days[0] if days else None,
        last_day=days[-1] if days else "",
        outlets=tuple(sorted({a.source for a in members if a.source})),
        entities=tuple(sorted({e.text.casefold() for e in story.entities})),
        terms=tuple(term for text in texts for term in words(text)),
        headline=tuple(term for text in headline for term in words(text)),
    )


def story_listing(story: Json, members: Sequence[Json]) -> Json:
    """What a list of stories shows of one (stories.json records in, a small fixed size out), worked
    out once when the story is built: a list page then reads neither the story's claims nor its
    articles. The reader adds the story's ``url`` and its ``thread_id`` as of the last threading."""
    published = sorted(a["published"] for a in members if a.get("published"))
    sources = sorted({a["source"] for a in members if a.get("source")})
    return {
        "id": story["id"],
        "title": story["title"],
        "article_ids": list(story["article_ids"]),
        "articles": len(members),
        "outlets": list(story.get("outlets") or sources),
        "first_published": published[0] if published else None,
        "last_published": published[-1] if published else None,
        "counts": {key: len(story[key]) for key in LISTING_COUNTS if isinstance(story.get(key), list)},
        "entities": [{key: e[key] for key in ("text", "label", "count")} for e in _listed(story, members)],
    }


def _listed(story: Json, members: Sequence[Json]) -> list[Json]:
    """The first ``LISTED_ENTITIES`` of the story's entities that two of its articles or a title name:
    a list shows few, and the tagger's one-article mistakes ("Story" as a person) should not be
    among them. Entities come most mentioned first, so the first few usually suffice."""
    titles = [story["title"], *(a.get("title", "") for a in members)]
    records = story.get("entities", [])
    kept: list[Json] = []
    for start in range(0, len(records), 4 * LISTED_ENTITIES):
        chunk = records[start : start + 4 * LISTED_ENTITIES]
        listed = listed_entities([entity_from_record(e) for e in chunk], titles, len(members))
        names = {(e.text, e.label) for e in listed}
        kept += [e for e in chunk if (e["text"], e["label"]) in names]
        if len(kept) >= LISTED_ENTITIES:
            break
    return kept[:LISTED_ENTITIES]


def fts_query(query_words: Sequence[str]) -> str:
    """An FTS5 query holding every word (each quoted, so no word is read as an operator)."""
    return " ".join(f'"{word}"' for word in query_words)


def tsvector_literal(terms: Sequence[str]) -> str:
    """A ``tsvector`` of exactly these words and their positions, without PostgreSQL's parser.

    Positions past PostgreSQL's limit are dropped, but every word past it is kept once."""
    head = list(terms[:POSTGRES_POSITIONS])
    tail = sorted(set(terms[POSTGRES_POSITIONS:]) - set(head))
    positions: dict[str, list[int]] = {}
    for number, term in enumerate([*head, *tail], start=1):
        positions.setdefault(term, []).append(min(number, POSTGRES_POSITIONS))
    return " ".join(f"{_lexeme(term)}:{','.join(map(str, sorted(set(p))[:256]))}" for term, p in positions.items())


def tsquery_literal(query_words: Sequence[str]) -> str:
    """A ``tsquery`` requiring every word, matched as written."""
    return " & ".join(_lexeme(word) for word in query_words)


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
