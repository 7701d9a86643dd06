"""Who covers a story: each article's outlet, and articles and outlets per value of each profile column.

Articles whose outlet has no profile are never dropped: they count under ``unknown`` in every
column (as do outlets whose profile leaves that column empty), and their outlets are listed, so a
reader sees how much of a story the profiles do not describe.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from newsfuse.codec import coverage_record
from newsfuse.records import (
    UNKNOWN,
    Article,
    ColumnCoverage,
    Coverage,
    CoverageValue,
    DuplicateGroup,
    OutletProfile,
    OutletProfiles,
    Story,
    normal_domain,
)


@dataclass(frozen=True)
class OutletMatch:
    """An article's outlet: the profile's name when one matches, else its ``source`` or its URL's
    domain (``outlet`` is None when the article has neither)."""

    outlet: str | None
    profile: OutletProfile | None


def outlet_of(article: Article, profiles: OutletProfiles) -> OutletMatch:
    """``source`` matched to a profile first; else the URL's host against the profiles' domains."""
    host = url_host(article.url)
    source = " ".join((article.source or "").split())
    profile = (profiles.by_name(source) if source else None) or (profiles.by_domain(host) if host else None)
    if profile:
        return OutletMatch(profile.outlet, profile)
    return OutletMatch(source or host or None, None)


def url_host(url: str | None) -> str | None:
    """The URL's host without ``www.``; None for no URL or one without a host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return normal_domain(host) if host else None


def story_articles(
    story: Story, articles: Mapping[str, Article], duplicates: Iterable[DuplicateGroup] = ()
) -> list[Article]:
    """The story's articles and their copies: a copy adds its outlet to the story (as ``Story.outlets`` does)."""
    members = set(story.article_ids)
    copies = {i for group in duplicates if group.canonical in members for i in group.article_ids}
    return [articles[i] for i in sorted(members | copies) if i in articles]


def story_coverage(articles: Sequence[Article], profiles: OutletProfiles) -> Coverage:
    """Articles and outlets per value of each profile column, ``unknown`` last in each column."""
    matches = [outlet_of(article, profiles) for article in articles]
    named = {m.outlet: m.profile for m in matches if m.outlet is not None}
    columns = tuple(ColumnCoverage(column, _values(column, matches)) for column in profiles.columns)
    return Coverage(
        articles=len(matches),
        outlets=len(named),
        columns=columns,
        unprofiled=tuple(sorted(name for name, profile in named.items() if profile is None)),
        articles_without_outlet=sum(1 for m in matches if m.outlet is None),
    )


def with_coverage(
    stories: Iterable[Story],
    articles: Iterable[Article],
    duplicates: Iterable[DuplicateGroup],
    profiles: OutletProfiles,
) -> list[Story]:
    """The stories with their ``coverage`` counted on ``profiles``: a run, a store's export and a
    served stories.json given other profiles all count it here."""
    by_id = {article.id: article for article in articles}
    groups = tuple(duplicates)
    return [replace(s, coverage=story_coverage(story_articles(s, by_id, groups), profiles)) for s in stories]


coverage_json = coverage_record
"""The additive ``coverage`` key of a story in stories.json (the codec's encoder)."""


def column_value(match: OutletMatch, column: str) -> str:
    return (match.profile.value(column) if match.profile else None) or UNKNOWN


def _values(column: str, matches: Sequence[OutletMatch]) -> tuple[CoverageValue, ...]:
    articles: defaultdict[str, int] = defaultdict(int)
    outlets: defaultdict[str, set[str]] = defaultdict(set)
    for match in matches:
        value = column_value(match, column)
        articles[value] += 1
        if match.outlet is not None:
            outlets[value].add(match.outlet)
    order = sorted(articles, key=lambda value: (value == UNKNOWN, value))
    return tuple(CoverageValue(value, articles[value], tuple(sorted(outlets[value]))) for value in order)


@dataclass(frozen=True)
class OutletCount:
    """An outlet seen in the articles, how many articles it has, and whether a profile describes it."""

    outlet: str
    articles: int
    profiled: bool


def outlet_counts(articles: Iterable[Article], profiles: OutletProfiles) -> tuple[OutletCount, ...]:
    """Every outlet of the articles (``newsfuse outlets``): most articles first, then by name."""
    counts: defaultdict[str, int] = defaultdict(int)
    profiled: dict[str, bool] = {}
    for article in articles:
        match = outlet_of(article, profiles)
        if match.outlet is not None:
            counts[match.outlet] += 1
            profiled[match.outlet] = match.profile is not None
    ordered = sorted(counts, key=lambda name: (-counts[name], name))
    return tuple(OutletCount(name, counts[name], profiled[name]) for name in ordered)
