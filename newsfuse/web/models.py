"""API schemas for the OpenAPI document: the shapes of ``newsfuse.codec``'s records.

They describe every key the codec writes (a test checks each model against the codec's
records), and allow extra keys, because the format only ever gains keys and the API
passes records through unchanged (a story's record is returned as stored, not through its
model). Keys that older versions did not write have defaults, so the schema holds for them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from newsfuse.records import ClaimLabel, ContradictionKind, Granularity, Modifier, SpeakerKind


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ArticleOut(_Open):
    id: str
    title: str
    source: str | None = None
    published: str | None = Field(None, description="ISO date or datetime")
    url: str | None = None
    path: str | None = Field(None, description="Where the article was read from")
    lang: str | None = None
    text: str | None = Field(None, description="The body without the title")


class DigestSentenceOut(_Open):
    text: str
    article_id: str = Field(description="The article the sentence is taken from")
    sources: list[str] = Field(description="Every article of the story that states it")


class EntityOut(_Open):
    text: str
    label: str
    count: int
    article_ids: list[str]


class SpanOut(_Open):
    """An exact piece of one article's text: ``text`` is the article's ``text[start:end]``."""

    article_id: str
    text: str = ""
    start: int
    end: int


class SpeakerEvidenceOut(_Open):
    """The span of the quote's own article that names its speaker."""

    text: str
    start: int
    end: int


class ClaimOut(_Open):
    id: str
    text: str
    article_ids: list[str] = Field(description="Every article that states it")
    label: ClaimLabel
    evidence: list[SpanOut] = Field([], description="The sentence of each article that states it")
    salience: float = Field(0.0, description="What the claim tells a reader, to rank claims by (0: nothing)")


class ContradictionOut(_Open):
    kind: ContradictionKind
    claim_id: str | None = Field(description="The claim whose sources differ, if any")
    variants: list[SpanOut] = Field(description="Each source's version, as a span of its article")
    diff: str


class QuoteOut(_Open):
    id: str
    speaker: str | None
    text: str = Field(description="The quoted words only")
    article_id: str
    start: int
    end: int
    variant_of: str | None = Field(None, description="The first quote of the same words by the same speaker")
    parts: list[SpanOut] = []
    speaker_kind: SpeakerKind = "unknown"
    speaker_evidence: SpeakerEvidenceOut | None = None


class TimelineEventOut(_Open):
    date: str | None = Field(description="ISO year, month, week's Monday or day")
    granularity: Granularity | None
    modifier: Modifier | None = None
    expression: str = ""
    text: str
    article_ids: list[str]
    evidence: list[SpanOut] = []


class CoverageValueOut(_Open):
    value: str = Field(description="A value of the column; 'unknown' for outlets without a profile or the value")
    articles: int
    outlets: list[str]


class CoverageOut(_Open):
    """Articles and outlets per value of each outlet-profile column; ``articles``/``outlets`` are the totals."""

    articles: int
    outlets: int
    columns: dict[str, list[CoverageValueOut]]
    unprofiled: list[str] = Field(description="Outlets of the story that no profile describes")
    articles_without_outlet: int = 0


class StoryOut(_Open):
    id: str
    title: str
    article_ids: list[str]
    digest: list[DigestSentenceOut] = []
    entities: list[EntityOut] = []
    claims: list[ClaimOut] = []
    contradictions: list[ContradictionOut] = []
    quotes: list[QuoteOut] = []
    timeline: list[TimelineEventOut] = []
    outlets: list[str] = []
    thread_id: str | None = Field(None, description="The thread of stories on the same subject")
    coverage: CoverageOut | None = Field(None, description="Only for stories made with outlet profiles")


class ThreadOut(_Open):
    id: str
    title: str
    story_ids: list[str] = Field(description="Its stories, in order of their first article")


class EntitySummaryOut(_Open):
    text: str
    label: str
    count: int


class StorySummaryOut(_Open):
    """A story in a list: the full record is at ``url``."""

    id: str
    title: str
    url: str = Field(description="The full story record")
    article_ids: list[str]
    articles: int
    outlets: list[str]
    first_published: str | None = None
    last_published: str | None = None
    counts: dict[str, int] = Field(description="Items of each list of the full record: digest, claims, ...")
    entities: list[EntitySummaryOut] = Field(description="The most mentioned entities")
    thread_id: str | None = Field(None, description="The thread of stories on the same subject")


class StoryList(BaseModel):
    items: list[StorySummaryOut]
    total: int = Field(description="Matching stories on all pages")
    offset: int
    limit: int


class ArticleIn(_Open):
    """The fields of a JSONL input line; other fields are kept as metadata."""

    text: str = Field(description="The body without the title")
    title: str | None = Field(None, description="Default: the first line of the text")
    id: str | int | None = Field(None, description="Default: a hash of the title and text")
    source: str | None = None
    published: str | None = Field(None, description="ISO date or datetime")
    url: str | None = None
    lang: str | None = None


class Problem(BaseModel):
    detail: str
