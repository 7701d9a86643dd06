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
Granularity = Literal["year", "quarter", "season", "month", "week", "day"]
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
