"""A reader's view of one story: numbered citations, claims by outlet, aligned variants,
quotes by speaker, a timeline. The one view the reports and the web pages render.

It is built from the codec's records (a story and its articles), by pure functions, so
a stories.json, a store and the API give the same view. Optional analysis keys of a story
(claims, contradictions, quotes, timeline) give ``None`` when the story lacks them, so a
renderer leaves the section out.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from newsfuse.analyze.agreement import outlet_name
from newsfuse.analyze.dateline import without_dateline
from newsfuse.view.coverage import CoverageView, coverage_view
from newsfuse.view.diff import Token, word_diff

Record = dict[str, Any]
UNKNOWN_OUTLET = "unknown outlet"
UNKNOWN_SPEAKER = "Unknown speaker"
SHOWN_AGREED = 5
SHOWN_PER_OUTLET = 3
SHOWN_CONTRADICTIONS = 5
SHOWN_QUOTES_PER_SPEAKER = 3
SHOWN_SPEAKERS = 3
SHOWN_DATES = 6
BACKGROUND_BEFORE = timedelta(days=365)
"""A dated event that ends this long before the story's first article is background."""
CONTRADICTION_ORDER = {"number": 0, "date": 1, "quote_wording": 2}
"""Numbers and dates first: a reader checks figures before wording."""
T = TypeVar("T")


@dataclass(frozen=True)
class Shown(Generic[T]):
    """A ranked list cut for reading: ``shown`` first, the ``rest`` behind a "show all"."""

    shown: tuple[T, ...]
    rest: tuple[T, ...] = ()
    hidden: int = 0
    """Items beyond ``rest`` that a view built with a ``limit`` left out (a page lists them in JSON)."""

    @property
    def all(self) -> tuple[T, ...]:
        return self.shown + self.rest

    def __len__(self) -> int:
        return len(self.shown) + len(self.rest) + self.hidden


def shown(items: Iterable[T], count: int) -> Shown[T]:
    ordered = tuple(items)
    return Shown(ordered[:count], ordered[count:])


def shown_built(ranked: Sequence[Record], build: Callable[[Record], T], count: int, limit: int | None) -> Shown[T]:
    """``shown`` of ranked records, building only the items a reader may see: the first ``count``
    and ``limit`` more (all with no limit). A story of a hundred articles has thousands of claims."""
    end = len(ranked) if limit is None else min(len(ranked), count + limit)
    built = [build(record) for record in ranked[:end]]
    return Shown(tuple(built[:count]), tuple(built[count:]), len(ranked) - end)


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
    def outlet_id(self) -> str:
        """The outlet as agreement counts it (``outlet_name``): an article without a source is its own."""
        return outlet_name(self.article.get("source"), self.id)

    @property
    def date(self) -> str:
        published = self.article.get("published")
        return published[:10] if published else "undated"


@dataclass(frozen=True)
class Cited:
    """A statement and its sources; ``focus`` names it for the article page (``claim:ID``), which
    then highlights just its span when a reader follows a citation."""

    text: str
    sources: tuple[Source, ...]
    focus: str = ""

    @property
    def outlets(self) -> tuple[str, ...]:
        """The outlets that state it; an article without a source counts as its own outlet."""
        return tuple(sorted({s.outlet_id for s in self.sources}))


@dataclass(frozen=True)
class OutletClaims:
    """The single-source claims of one outlet: what only it reports."""

    outlet: str
    claims: Shown[Cited]


@dataclass(frozen=True)
class Variant:
    """One source's version of a statement; ``tokens`` mark the words the other version lacks."""

    source: Source
    text: str
    tokens: tuple[Token, ...]
    focus: str = ""


@dataclass(frozen=True)
class Contradiction:
    kind: str
    variants: tuple[Variant, ...]
    diff: str


@dataclass(frozen=True)
class SpeakerQuotes:
    """One speaker's quotes; each entry holds the aligned variants of one quote."""

    speaker: str
    quotes: Shown[tuple[Variant, ...]]
    known: bool = True


@dataclass(frozen=True)
class TimelineEntry:
    date: str
    granularity: str
    modifier: str
    expression: str
    text: str
    sources: tuple[Source, ...]
    focus: str = ""

    @property
    def when(self) -> str:
        """``late 2019-02``: the date with its part of the period."""
        return f"{self.modifier} {self.date}" if self.modifier else self.date


@dataclass(frozen=True)
class StoryView:
    """Each section ranked for a reader: the part worth reading first is ``shown``.

    ``agreed`` holds the claims stated by at least two outlets and at least half of the
    story's outlets (``consensus``), by how many outlets state them, then salience; ``partly``
    those of two or more outlets but fewer (``partial``), the same way; ``additions`` what each
    outlet alone reports, by salience; ``timeline`` the story's own dates, ``background``
    those of years before it and unresolved ones.
    """

    story: Record
    sources: tuple[Source, ...]
    digest: tuple[Cited, ...]
    agreed: Shown[Cited] | None
    partly: Shown[Cited] | None
    additions: tuple[OutletClaims, ...] | None
    contradictions: Shown[Contradiction] | None
    quotes: Shown[SpeakerQuotes] | None
    timeline: Shown[TimelineEntry] | None
    background: tuple[TimelineEntry, ...]
    entities: tuple[Record, ...]
    coverage: CoverageView | None = None
    """Bars of the story's outlets per profile column; None for stories made without outlet profiles."""

    @property
    def outlet_count(self) -> int:
        return len({s.outlet_id for s in self.sources})

    @property
    def size(self) -> str:
        return "1 article" if len(self.sources) == 1 else f"{len(self.sources)} articles"

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({s.article["source"] for s in self.sources if s.article.get("source")}))

    @property
    def span(self) -> str:
        return date_span([s.article for s in self.sources])


def story_view(story: Record, members: Sequence[Record], limit: int | None = None) -> StoryView:
    """The view of ``story`` whose articles, in the story's order, are ``members``; each list's
    "show all" holds at most ``limit`` claims beyond those shown (``None``: all)."""
    sources = tuple(Source(n, a) for n, a in enumerate(members, start=1))
    by_id = {s.id: s for s in sources}
    cite = citer(sources)

    claims, contradictions, quotes = story.get("claims"), story.get("contradictions"), story.get("quotes", [])
    timeline = None if "timeline" not in story else _timeline(story["timeline"], cite)
    first_day = min((s.date for s in sources if s.date != "undated"), default=None)
    own, background = _split_background(timeline or (), first_day)
    return StoryView(
        story=story,
        sources=sources,
        digest=tuple(
            Cited(d["text"], cite(d.get("sources") or [d["article_id"]]), f"digest:{n}")
            for n, d in enumerate(story.get("digest", []))
        ),
        agreed=None if claims is None else _labelled(claims, "consensus", cite, limit),
        partly=None if claims is None else _labelled(claims, "partial", cite, limit),
        additions=None if claims is None else _additions(claims, cite, limit),
        contradictions=None if contradictions is None else _contradictions(contradictions, quotes, by_id),
        quotes=None if "quotes" not in story else _quotes_by_speaker(story["quotes"], by_id),
        timeline=None if timeline is None else _most_cited(own),
        background=background,
        entities=tuple(story.get("entities", [])),
        coverage=coverage_view(story.get("coverage")),
    )


def document_views(document: Record) -> list[StoryView]:
    """The view of every story of a stories.json document, in its order."""
    articles = {a["id"]: a for a in document["articles"]}
    return [story_view(story, [articles[i] for i in story["article_ids"]]) for story in document["stories"]]


def date_span(articles: Sequence[Record]) -> str:
    """``2019-01-18 to 2019-01-20``, one day, or ``undated``."""
    dates = sorted(a["published"] for a in articles if a.get("published"))
    return day_span(dates[0], dates[-1]) if dates else "undated"


def day_span(first: str | None, last: str | None) -> str:
    """The days of a first and a last publication time (``None``: undated)."""
    if first is None or last is None:
        return "undated"
    return first[:10] if first[:10] == last[:10] else f"{first[:10]} to {last[:10]}"


Cite = Callable[[Iterable[str]], tuple[Source, ...]]


def citer(sources: Sequence[Source]) -> Cite:
    """Article ids to the story's sources that cite them, in citation-number order (unknown ids dropped)."""
    by_id = {s.id: s for s in sources}

    def cite(article_ids: Iterable[str]) -> tuple[Source, ...]:
        found = {by_id[i].number: by_id[i] for i in article_ids if i in by_id}
        return tuple(found[number] for number in sorted(found))

    return cite


def _salience(claim: Record) -> float:
    """Stories written before claims had a salience rank them by outlets alone."""
    return float(claim.get("salience") or 0.0)


def _labelled(claims: list[Record], label: str, cite: Cite, limit: int | None) -> Shown[Cited]:
    """The claims of one label (the analysis counts support in outlets: ``agreement``), the most
    outlets first, then the most salient."""
    keyed = []
    for position, claim in enumerate(claims):
        if claim.get("label") == label:
            outlets = {source.outlet_id for source in cite(claim["article_ids"])}
            keyed.append(((-len(outlets), -_salience(claim), position), claim))
    ranked = [claim for _, claim in sorted(keyed, key=lambda row: row[0])]
    return shown_built(ranked, lambda claim: _cited_claim(claim, cite), SHOWN_AGREED, limit)


def _cited_claim(claim: Record, cite: Cite) -> Cited:
    """A claim's text without a dateline ("WASHINGTON (AP) --" is no part of what is claimed)."""
    return Cited(without_dateline(claim["text"]), cite(claim["article_ids"]), f"claim:{claim.get('id', '')}")


def _additions(claims: list[Record], cite: Cite, limit: int | None) -> tuple[OutletClaims, ...]:
    """Per outlet, the claims no other outlet states (``single_source``), most salient first."""
    by_outlet: dict[str, list[tuple[tuple[float, int], Record]]] = {}
    for position, claim in enumerate(claims):
        sources = cite(claim["article_ids"]) if claim.get("label") == "single_source" else ()
        if sources:
            by_outlet.setdefault(sources[0].outlet, []).append(((-_salience(claim), position), claim))
    return tuple(
        OutletClaims(
            outlet,
            shown_built(
                [c for _, c in sorted(rows, key=lambda row: row[0])],
                lambda c: _cited_claim(c, cite),
                SHOWN_PER_OUTLET,
                limit,
            ),
        )
        for outlet, rows in sorted(by_outlet.items())
    )


def _contradictions(items: list[Record], quotes: list[Record], by_id: dict[str, Source]) -> Shown[Contradiction]:
    """Numbers and dates first; a quote's variants show the quoted words alone, so the
    attribution between its parts ("Hall said Friday in a statement") is no difference."""
    parts = {(q.get("article_id"), q.get("start"), q.get("end")): q.get("parts") for q in quotes}

    def quoted(variant: Record) -> Record:
        return _spoken(variant, parts.get((variant.get("article_id"), variant.get("start"), variant.get("end"))))

    built = [
        Contradiction(
            item.get("kind", "unknown"),
            _aligned([quoted(v) for v in item.get("variants", [])], by_id, f"contradiction:{n}"),
            item.get("diff", ""),
        )
        for n, item in enumerate(items)
    ]
    order = sorted(
        range(len(built)), key=lambda k: (CONTRADICTION_ORDER.get(built[k].kind, len(CONTRADICTION_ORDER)), k)
    )
    return shown((built[k] for k in order), SHOWN_CONTRADICTIONS)


def _aligned(variants: list[Record], by_id: dict[str, Source], focus: str | None = None) -> tuple[Variant, ...]:
    """Variants with the words each lacks from the first (and the first's from the second) marked.

    Each variant's ``focus`` is ``focus``, or for quotes (``None``) the quote's own id."""
    known = [v for v in variants if v.get("article_id") in by_id]
    aligned = []
    for position, variant in enumerate(known):
        tokens = [Token(variant["text"])]
        if len(known) > 1:
            tokens = word_diff(variant["text"], known[1 if position == 0 else 0]["text"])
        aligned.append(
            Variant(
                by_id[variant["article_id"]], variant["text"], tuple(tokens), focus or f"quote:{variant.get('id', '')}"
            )
        )
    return tuple(aligned)


def _spoken(record: Record, pieces: list[Record] | None) -> Record:
    """The quoted words alone: the parts (``pieces``) of a quote cut by its attribution ('"...,"
    Sanders added. "We\u2019ve had ..."') with an ellipsis where the attribution stood."""
    return {**record, "text": " ... ".join(p["text"] for p in pieces)} if pieces else record


def _quotes_by_speaker(quotes: list[Record], by_id: dict[str, Source]) -> Shown[SpeakerQuotes]:
    """Group quotes by speaker, then a quote with its variants (``variant_of``: the id of another quote).

    Speakers by how often outlets quote them (a quote two outlets carry counts twice), the
    unknown speaker last; the first named ones shown."""
    ids = {q["id"]: n for n, q in enumerate(quotes) if "id" in q}

    def root(number: int, seen: frozenset[int] = frozenset()) -> int:
        target = ids.get(quotes[number].get("variant_of"))
        if target is not None and target not in seen | {number}:
            return root(target, seen | {number})
        return number

    groups: dict[str | None, dict[int, list[Record]]] = {}
    for number, quote in enumerate(quotes):
        groups.setdefault(quote.get("speaker"), {}).setdefault(root(number), []).append(quote)
    quoted = {name: sum(len(variants) for variants in groups[name].values()) for name in groups}
    speakers = sorted(groups, key=lambda name: (name is None, -quoted[name], name or ""))
    return shown(
        (
            SpeakerQuotes(
                speaker or UNKNOWN_SPEAKER,
                shown(
                    (
                        _aligned([_spoken(quote, quote.get("parts")) for quote in group], by_id)
                        for group in groups[speaker].values()
                    ),
                    SHOWN_QUOTES_PER_SPEAKER,
                ),
                known=speaker is not None,
            )
            for speaker in speakers
        ),
        min(SHOWN_SPEAKERS, sum(1 for speaker in speakers if speaker is not None)),
    )


def _most_cited(entries: Sequence[TimelineEntry]) -> Shown[TimelineEntry]:
    """The dates most articles report, in the timeline's order; the others after them."""
    ranked = sorted(range(len(entries)), key=lambda k: (-len(entries[k].sources), k))
    first = sorted(ranked[:SHOWN_DATES])
    return Shown(tuple(entries[k] for k in first), tuple(entries[k] for k in sorted(ranked[SHOWN_DATES:])))


def _timeline(items: list[Record], cite: Cite) -> tuple[TimelineEntry, ...]:
    return tuple(
        TimelineEntry(
            date=item.get("date") or "unresolved",
            granularity=item.get("granularity") or "",
            modifier=item.get("modifier") or "",
            expression=item.get("expression", ""),
            text=item.get("text", ""),
            sources=cite(item.get("article_ids", [])),
            focus=f"date:{n}",
        )
        for n, item in enumerate(items)
    )


def _split_background(
    entries: Sequence[TimelineEntry], first_day: str | None
) -> tuple[tuple[TimelineEntry, ...], tuple[TimelineEntry, ...]]:
    """The story's own dates, and background: unresolved dates and those that end a year or more
    before the story's first article (an earlier summit, a law of 1996)."""
    if first_day is None:
        return tuple(entries), ()
    cutoff = date.fromisoformat(first_day) - BACKGROUND_BEFORE
    is_own = [e.date != "unresolved" and _period_end(e.date) >= cutoff for e in entries]
    own = tuple(e for e, keep in zip(entries, is_own, strict=True) if keep)
    return own, tuple(e for e, keep in zip(entries, is_own, strict=True) if not keep)


def _period_end(value: str) -> date:
    """The last day of a resolved date: ``2019``, ``2019-02``, ``2019-02-18``, ``2019-Q3``, ``2019-SU``."""
    year = int(value[:4])
    rest = value[5:]
    if len(rest) == 5:
        return date.fromisoformat(value)
    if rest.isdigit():
        month = int(rest)
        return date(year, month, calendar.monthrange(year, month)[1])
    if rest.startswith("Q") and rest[1:].isdigit():
        month = 3 * int(rest[1:])
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 12, 31)
