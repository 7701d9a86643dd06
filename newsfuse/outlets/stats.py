"""Per-outlet figures over a list of stories, each a count with its denominator (no invented scores).

Peers: an outlet's peers are the other outlets with the same ``country`` when its profile names
one, else every other outlet in the stories. A story counts as covered by its peers when at least
``min_peers`` of them (2, or 1 when it has a single peer) have an article in it: one peer's
story alone is that peer's choice, not a story the outlet missed.

First: the outlet published the story's earliest dated article (every tied outlet is first);
when a story mixes dates and datetimes, only the dates are compared, as a date says nothing
about the hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsfuse.analyze.agreement import SINGLE_SOURCE
from newsfuse.analyze.contradictions import QUOTE_WORDING
from newsfuse.outlets.coverage import outlet_of, story_articles
from newsfuse.outlets.profiles import OutletProfiles
from newsfuse.records import Article, Contradiction, DuplicateGroup, Span, Story

COUNTRY = "country"
MIN_PEERS = 2


@dataclass(frozen=True)
class Count:
    """``count`` of ``of``, and the ids counted (stories, claims or evidence spans)."""

    count: int
    of: int
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutletStats:
    outlet: str
    profiled: bool
    peers: tuple[str, ...]
    covered: Count
    missed: Count
    first: Count
    sole_claims: Count
    contradictions: Count
    quote_wording: Count


def span_id(span: Span) -> str:
    """A stable reference to an evidence span: ``ARTICLE_ID:START-END`` of the article's text."""
    return f"{span.article_id}:{span.start}-{span.end}"


@dataclass(frozen=True)
class _Seen:
    """What the figures need of a run: the outlet of each article and the outlets of each story."""

    outlet: dict[str, str]
    profiled: dict[str, bool]
    country: dict[str, str | None]
    by_story: dict[str, frozenset[str]]


def _seen(
    stories: Sequence[Story],
    articles: Mapping[str, Article],
    profiles: OutletProfiles,
    duplicates: Sequence[DuplicateGroup],
) -> _Seen:
    outlet: dict[str, str] = {}
    profiled: dict[str, bool] = {}
    country: dict[str, str | None] = {}
    by_story = {}
    for story in stories:
        names = set()
        for article in story_articles(story, articles, duplicates):
            match = outlet_of(article, profiles)
            if match.outlet is None:
                continue
            outlet[article.id] = match.outlet
            profiled[match.outlet] = match.profile is not None
            country[match.outlet] = match.profile.value(COUNTRY) if match.profile else None
            names.add(match.outlet)
        by_story[story.id] = frozenset(names)
    return _Seen(outlet, profiled, country, by_story)


def outlet_stats(
    stories: Sequence[Story],
    articles: Mapping[str, Article],
    profiles: OutletProfiles,
    duplicates: Sequence[DuplicateGroup] = (),
    min_peers: int = MIN_PEERS,
) -> tuple[OutletStats, ...]:
    """The figures of every outlet seen in the stories, sorted by outlet."""
    seen = _seen(stories, articles, profiles, duplicates)
    firsts = {story.id: _first_outlets(story, articles, seen.outlet) for story in stories}
    return tuple(_stats(name, stories, seen, firsts, min_peers) for name in sorted(seen.profiled))


def _stats(
    name: str, stories: Sequence[Story], seen: _Seen, firsts: Mapping[str, frozenset[str]], min_peers: int
) -> OutletStats:
    peers = _peers(name, seen)
    covered = [story for story in stories if name in seen.by_story[story.id]]
    needed = min(min_peers, len(peers))
    peer_covered = [s.id for s in stories if needed and len(seen.by_story[s.id] & peers) >= needed]
    dated = [story.id for story in covered if firsts[story.id]]
    claims = [claim for story in covered for claim in story.claims]
    sole = [c.id for c in claims if c.label == SINGLE_SOURCE and {seen.outlet.get(i) for i in c.article_ids} == {name}]
    conflicts = [c for story in covered for c in story.contradictions]
    return OutletStats(
        outlet=name,
        profiled=seen.profiled[name],
        peers=tuple(sorted(peers)),
        covered=Count(len(covered), len(stories), tuple(sorted(s.id for s in covered))),
        missed=_count([i for i in peer_covered if name not in seen.by_story[i]], len(peer_covered)),
        first=_count([i for i in dated if name in firsts[i]], len(dated)),
        sole_claims=_count(sole, len(claims)),
        contradictions=_involving(name, [c for c in conflicts if c.kind != QUOTE_WORDING], seen.outlet),
        quote_wording=_involving(name, [c for c in conflicts if c.kind == QUOTE_WORDING], seen.outlet),
    )


def _count(ids: Iterable[str], of: int) -> Count:
    listed = tuple(sorted(ids))
    return Count(len(listed), of, listed)


def _peers(name: str, seen: _Seen) -> frozenset[str]:
    country = seen.country[name]
    others = {other for other in seen.profiled if other != name}
    return frozenset(o for o in others if country is None or seen.country[o] == country)


def _involving(name: str, contradictions: Sequence[Contradiction], outlet: Mapping[str, str]) -> Count:
    """Contradictions with a variant from the outlet, of those in its stories; ids are its variants' spans."""
    mine = [[v for v in c.variants if outlet.get(v.article_id) == name] for c in contradictions]
    spans = sorted({span_id(v) for variants in mine for v in variants})
    return Count(sum(1 for variants in mine if variants), len(contradictions), tuple(spans))


def _first_outlets(story: Story, articles: Mapping[str, Article], outlet: Mapping[str, str]) -> frozenset[str]:
    dated = [articles[i] for i in story.article_ids if i in articles and articles[i].published and i in outlet]
    if not dated:
        return frozenset()
    width = 10 if any(len(a.published or "") <= 10 for a in dated) else None
    keys = {a.id: (a.published or "")[:width] for a in dated}
    earliest = min(keys.values())
    return frozenset(outlet[i] for i, key in keys.items() if key == earliest)
