"""Typed records passed between pipeline stages.

Every stage takes and returns these frozen dataclasses, so a stage can be tested
with records built in memory, without files or servers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

ClaimLabel = Literal["consensus", "partial", "single_source"]
ContradictionKind = Literal["number", "date", "quote_wording"]
SpeakerKind = Literal["person", "organisation", "role", "unknown"]
Granularity = Literal["year", "quarter", "season", "month", "week", "weekend", "day"]
Modifier = Literal["early", "mid", "late"]


@dataclass(frozen=True)
class Article:
    """One news article as ingested; ``text`` is the body without the title."""

    id: str
    title: str
    text: str
    source: str | None = None
    published: str | None = None
    url: str | None = None
    path: str | None = None
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def published_date(self) -> date | None:
        if not self.published:
            return None
        return datetime.fromisoformat(self.published).date()


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, with the reason shown to the user."""

    path: str
    reason: str


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article body; ``start``/``end`` index ``Article.text``."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class EntityMention:
    """A named entity in an article body: ``text`` is the exact span, ``name`` its normal form."""

    text: str
    name: str
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class ParsedArticle:
    """An article with the linguistic features later stages need."""

    article: Article
    sentences: tuple[Sentence, ...]
    entities: tuple[EntityMention, ...]
    terms: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.article.id


def article_of(item: ParsedArticle | Article) -> Article:
    """The article, parsed or not: a batch keeps copies of other articles unparsed."""
    return item.article if isinstance(item, ParsedArticle) else item


@dataclass(frozen=True)
class DigestSentence:
    """One sentence of a story digest and every article that states it."""

    text: str
    article_id: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class StoryEntity:
    text: str
    label: str
    count: int
    article_ids: tuple[str, ...]


@dataclass(frozen=True)
class Span:
    """An exact piece of one article's text: ``Article.text[start:end] == text``."""

    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    """Aligned sentences that state the same content, one per article that states it.

    ``label`` is ``consensus`` (enough sources state it), ``single_source`` (one article
    only) or ``partial`` (several, but fewer than the consensus share). ``salience`` ranks
    claims for a reader (``newsfuse.analyze.salience``): 0 for a sentence that says nothing.
    """

    id: str
    text: str
    article_ids: tuple[str, ...]
    label: ClaimLabel
    evidence: tuple[Span, ...]
    salience: float = 0.0


@dataclass(frozen=True)
class Contradiction:
    """Sources that differ on a number, date, name or the wording of the same quote."""

    kind: ContradictionKind
    claim_id: str | None
    variants: tuple[Span, ...]
    diff: str


@dataclass(frozen=True)
class Quote:
    """A direct quotation; ``parts`` are the quoted pieces when an attribution splits it.

    ``start``/``end`` cover the whole quotation (with any attribution between parts);
    ``text`` is the quoted words only, the parts joined by a space. ``variant_of`` is the
    id of the first quote (by article order) of the same words from the same speaker.
    ``speaker_kind`` is ``person``, ``organisation``, ``role`` or ``unknown`` (no speaker);
    ``speaker_evidence`` is the span of the quote's own article that names the speaker
    (for a pronoun, the mention of the person it stands for).
    """

    id: str
    speaker: str | None
    text: str
    article_id: str
    start: int
    end: int
    parts: tuple[Span, ...]
    variant_of: str | None = None
    speaker_kind: SpeakerKind = "unknown"
    speaker_evidence: Span | None = None


@dataclass(frozen=True)
class TimeExpression:
    """A temporal expression resolved against the article's publication date.

    ``date`` is ISO (``2019``, ``2019-02``, ``2019-01-18``, or a week's Monday) at
    ``granularity`` year/month/week/day; ``None`` when it cannot be resolved.
    ``modifier`` is ``early``/``mid``/``late`` for parts of a period.
    """

    span: Span
    sentence_index: int
    date: str | None
    granularity: Granularity | None
    modifier: Modifier | None = None


@dataclass(frozen=True)
class TimelineEvent:
    """One dated event of a story, merged across the articles that report it."""

    date: str | None
    granularity: Granularity | None
    modifier: Modifier | None
    text: str
    expression: str
    article_ids: tuple[str, ...]
    evidence: tuple[Span, ...]


@dataclass(frozen=True)
class DuplicateGroup:
    """Copies of one article; ``canonical`` (the earliest) is the one clustered.

    ``article_ids`` lists every copy, the canonical first; ``similarity`` is the lowest
    estimated Jaccard similarity (word 3-grams) of a copy to the article it matched.
    """

    canonical: str
    article_ids: tuple[str, ...]
    similarity: float


@dataclass(frozen=True)
class Story:
    """A group of articles about one real-world event."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    digest: tuple[DigestSentence, ...] = ()
    entities: tuple[StoryEntity, ...] = ()
    claims: tuple[Claim, ...] = ()
    contradictions: tuple[Contradiction, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    outlets: tuple[str, ...] = ()
    thread_id: str | None = None
    coverage: Coverage | None = None
    """Articles and outlets per value of each outlet-profile column; only when the run had profiles."""


@dataclass(frozen=True)
class Thread:
    """Stories on one ongoing subject, in order of their first article."""

    id: str
    title: str
    story_ids: tuple[str, ...]


@dataclass(frozen=True)
class RunResult:
    """What a run, a store export or a batch produce: the articles, what was skipped, the stories."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    stories: tuple[Story, ...]
    duplicates: tuple[DuplicateGroup, ...] = ()
    threads: tuple[Thread, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """The pipeline settings the stories were made with (``PipelineConfig.settings``)."""
    outlets: OutletProfiles | None = None
    """The user's outlet profiles the stories' coverage was counted with, if any."""


def article_order(article: Article) -> tuple[str, str]:
    """Reading order: by publication time as written (undated first), then id."""
    return (article.published or "", article.id)


def arrival_order(article: Article) -> tuple[bool, date, str]:
    """The order articles are deduplicated and clustered in: by day, undated last, then id.

    The store adds articles in this order too, so that it finds the same copies and stories as a run.
    """
    return arrival_key(article.published_date, article.id)


def arrival_key(published: date | None, item_id: str) -> tuple[bool, date, str]:
    """``arrival_order`` of anything with a publication day and an id (an article's clustering features)."""
    return (published is None, published or date.min, item_id)


@dataclass(frozen=True)
class OutletProfile:
    """One outlet: its name, the web domains it publishes on, and the user's columns (non-empty only)."""

    outlet: str
    domains: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()

    def value(self, column: str) -> str | None:
        return dict(self.fields).get(column)


@dataclass(frozen=True)
class OutletProfiles:
    """Every profile of a file, sorted by outlet; ``columns`` are the user columns, sorted."""

    profiles: tuple[OutletProfile, ...] = ()
    columns: tuple[str, ...] = ()

    def by_name(self, name: str) -> OutletProfile | None:
        """The profile whose outlet is ``name``, ignoring case and surrounding spaces."""
        return self._names().get(outlet_key(name))

    def by_domain(self, host: str) -> OutletProfile | None:
        """The profile with the longest domain that is ``host`` or a parent of it (news.bbc.co.uk -> bbc.co.uk)."""
        domains = self._domains()
        labels = normal_domain(host).split(".")
        for start in range(len(labels)):
            found = domains.get(".".join(labels[start:]))
            if found:
                return found
        return None

    def _names(self) -> dict[str, OutletProfile]:
        return {outlet_key(profile.outlet): profile for profile in self.profiles}

    def _domains(self) -> dict[str, OutletProfile]:
        return {domain: profile for profile in self.profiles for domain in profile.domains}


def outlet_key(name: str) -> str:
    """Outlets are the same when their names differ only in case or surrounding spaces."""
    return " ".join(name.split()).casefold()


def normal_domain(domain: str) -> str:
    """Lower case, no scheme, path, port, trailing dot or leading ``www.``."""
    text = domain.strip().lower()
    text = text.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].rstrip(".")
    return text.removeprefix("www.")


UNKNOWN = "unknown"
"""The value of a profile column for an outlet without a profile, or whose profile leaves it empty."""


@dataclass(frozen=True)
class CoverageValue:
    """One value of a column: how many of the story's articles, and which outlets, have it."""

    value: str
    articles: int
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class ColumnCoverage:
    column: str
    values: tuple[CoverageValue, ...]


@dataclass(frozen=True)
class Coverage:
    """A story's coverage; ``articles`` and ``outlets`` are the denominators of every value.

    ``unprofiled`` lists the outlets without a profile; ``articles_without_outlet`` counts
    articles with neither source nor URL (in ``unknown``, but no outlet to list)."""

    articles: int
    outlets: int
    columns: tuple[ColumnCoverage, ...]
    unprofiled: tuple[str, ...]
    articles_without_outlet: int = 0


@dataclass(frozen=True)
class Relabelled:
    """A claim whose label changed: ``before`` is the label of ``earlier_id`` on the earlier articles."""

    claim: Claim
    before: str
    earlier_id: str


@dataclass(frozen=True)
class StoryUpdate:
    """What the story gained since ``since``; ``earlier`` and ``newer`` split its article ids."""

    story_id: str
    since: str
    earlier: tuple[str, ...]
    newer: tuple[str, ...]
    new_outlets: tuple[str, ...]
    new_claims: tuple[Claim, ...]
    relabelled: tuple[Relabelled, ...]
    new_contradictions: tuple[Contradiction, ...]
    new_quotes: tuple[Quote, ...]
    new_timeline: tuple[TimelineEvent, ...]
    digest: tuple[DigestSentence, ...]
