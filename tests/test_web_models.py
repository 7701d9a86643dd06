"""The API's schemas describe every key of the codec's records, so the OpenAPI document is whole."""

from __future__ import annotations

import json

from hypothesis import given
from pydantic import BaseModel

from newsfuse.codec import article_record, story_record, thread_record
from newsfuse.records import Article, Story, Thread
from newsfuse.web.models import ArticleOut, StoryOut, ThreadOut

from .test_codec import articles, stories, threads

OPTIONAL_KEYS = frozenset({"coverage"})
"""Keys the codec writes only when there is a value (a story's coverage, with outlet profiles)."""


def described(model: type[BaseModel], record: dict[str, object]) -> None:
    """The model names exactly the record's keys and accepts its values, nested records included."""
    assert set(record) <= set(model.model_fields) <= set(record) | OPTIONAL_KEYS
    validated = model.model_validate(json.loads(json.dumps(record)))
    assert validated.model_dump(mode="json", exclude_unset=True) == record


@given(stories)
def test_the_story_schema_is_the_story_record(story: Story) -> None:
    described(StoryOut, story_record(story))


@given(articles, threads)
def test_the_article_and_thread_schemas_are_their_records(article: Article, thread: Thread) -> None:
    described(ArticleOut, article_record(article))
    described(ThreadOut, thread_record(thread))
