"""API schemas for the OpenAPI document: the stories.json record shapes.

Every model allows extra keys, because stories.json only ever gains keys (claims,
quotes, timeline, ...) and the API passes records through unchanged.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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


class StoryOut(_Open):
    id: str
    title: str
    article_ids: list[str]
    digest: list[DigestSentenceOut] = []
    entities: list[EntityOut] = []
    thread_id: str | None = Field(None, description="The thread of stories on the same subject")


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
