"""A reader's view of one story: numbered citations, claims by outlet, aligned variants,
quotes by speaker, a timeline. The one view the reports and the web pages render.

It is built from the codec's records (a story and its articles), by pure functions, so
a stories.json, a store and the API give the same view. Optional analysis keys of a story
(claims, contradictions, quotes, timeline) give ``None`` when the story lacks them, so a
renderer leaves the section out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from newsfuse.view.coverage import CoverageView, coverage_view
from newsfuse.view.diff import Token, word_diff

Record = dict[str, Any]
UNKNOWN_OUTLET = "unknown outlet"
UNKNOWN_SPEAKER = "Unknown speaker"


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
    """One source's version of a statement; ``tokens`` mark the words the other version lacks."""

    source: Source
    text: str
    tokens: tuple[Token, ...]


@dataclass(frozen=True)
class Contradiction:
    kind: str
    variants: tuple[Variant, ...]
    diff: str


@dataclass(frozen=True)
class SpeakerQuotes:
    """One speaker's quotes; each entry holds the aligned variants of one quote."""

    speaker: str
    quotes: tuple[tuple[Variant, ...], ...]


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    granularity: str
    modifier: str
    expression: str
    text: str
    sources: tuple[Source, ...]

    @property
    def when(self) -> str:
        """``late 2019-02``: the date with its part of the period."""
        return f"{self.modifier} {self.date}" if self.modifier else self.date


@dataclass(frozen=True)
class StoryView:
    story: Record
    sources: tuple[Source, ...]
    digest: tuple[Cited, ...]
    consensus: tuple[Cited, ...] | None
    single_source: tuple[OutletClaims, ...] | None
    contradictions: tuple[Contradiction, ...] | None
    quotes: tuple[SpeakerQuotes, ...] | None
    timeline: tuple[TimelineEntry, ...] | None
    entities: tuple[Record, ...]
    coverage: CoverageView | None = None
    """Bars of the story's outlets per profile column; None for stories made without outlet profiles."""

    @property
    def size(self) -> str:
        return "1 article" if len(self.sources) == 1 else f"{len(self.sources)} articles"

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({s.article["source"] for s in self.sources if s.article.get("source")}))

    @property
    def span(self) -> str:
        return date_span([s.article for s in self.sources])


def story_view(story: Record, members: Sequence[Record]) -> StoryView:
    """The view of ``story`` whose articles, in the story's order, are ``members``."""
    sources = tuple(Source(n, a) for n, a in enumerate(members, start=1))
    by_id = {s.id: s for s in sources}

    def cite(article_ids: Iterable[str]) -> tuple[Source, ...]:
        found = {by_id[i].number: by_id[i] for i in article_ids if i in by_id}
        return tuple(found[number] for number in sorted(found))

    claims = story.get("claims")
    return StoryView(
        story=story,
        sources=sources,
        digest=tuple(Cited(d["text"], cite(d.get("sources") or [d["article_id"]])) for d in story.get("digest", [])),
        consensus=None if claims is None else _consensus(claims, cite),
        single_source=None if claims is None else _single_source(claims, cite),
        contradictions=_optional(story, "contradictions", lambda items: _contradictions(items, by_id)),
        quotes=_optional(story, "quotes", lambda items: _quotes_by_speaker(items, by_id)),
        timeline=_optional(story, "timeline", lambda items: _timeline(items, cite)),
        entities=tuple(story.get("entities", [])),
        coverage=coverage_view(story.get("coverage")),
    )


def document_views(document: Record) -> list[StoryView]:
    """The view of every story of a stories.json document, in its order."""
    articles = {a["id"]: a for a in document["articles"]}
    return [story_view(story, [articles[i] for i in story["article_ids"]]) for story in document["stories"]]


def date_span(articles: Sequence[Record]) -> str:
    """``2019-01-18 to 2019-01-20``, one day, or ``undated``."""
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
        Contradiction(item.get("kind", "unknown"), _aligned(item.get("variants", []), by_id), item.get("diff", ""))
        for item in items
    )


def _aligned(variants: list[Record], by_id: dict[str, Source]) -> tuple[Variant, ...]:
    """Variants with the words each lacks from the first (and the first's from the second) marked."""
    known = [v for v in variants if v.get("article_id") in by_id]
    aligned = []
    for position, variant in enumerate(known):
        tokens = [Token(variant["text"])]
        if len(known) > 1:
            tokens = word_diff(variant["text"], known[1 if position == 0 else 0]["text"])
        aligned.append(Variant(by_id[variant["article_id"]], variant["text"], tuple(tokens)))
    return tuple(aligned)


def _quotes_by_speaker(quotes: list[Record], by_id: dict[str, Source]) -> tuple[SpeakerQuotes, ...]:
    """Group quotes by speaker, then a quote with its variants (``variant_of``: the id of another quote).

    Speakers in name order, the unknown speaker last."""
    ids = {q["id"]: n for n, q in enumerate(quotes) if "id" in q}

    def root(number: int, seen: frozenset[int] = frozenset()) -> int:
        target = ids.get(quotes[number].get("variant_of"))
        if target is not None and target not in seen | {number}:
            return root(target, seen | {number})
        return number

    groups: dict[str | None, dict[int, list[Record]]] = {}
    for number, quote in enumerate(quotes):
        groups.setdefault(quote.get("speaker"), {}).setdefault(root(number), []).append(quote)
    return tuple(
        SpeakerQuotes(
            speaker or UNKNOWN_SPEAKER, tuple(_aligned(variants, by_id) for variants in groups[speaker].values())
        )
        for speaker in sorted(groups, key=lambda name: (name is None, name or ""))
    )


def _timeline(items: list[Record], cite: Cite) -> tuple[TimelineEntry, ...]:
    return tuple(
        TimelineEntry(
            date=item.get("date") or "unresolved",
            granularity=item.get("granularity") or "",
            modifier=item.get("modifier") or "",
            expression=item.get("expression", ""),
            text=item.get("text", ""),
            sources=cite(item.get("article_ids", [])),
        )
        for item in items
    )
