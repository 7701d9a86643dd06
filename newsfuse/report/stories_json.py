"""The stories.json contract: key names are stable; later versions only add keys."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from newsfuse.pipeline import RunResult
from newsfuse.records import Article, Story

FORMAT_VERSION = 1


def article_record(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published,
        "url": article.url,
        "path": article.path,
        "lang": article.lang,
        "text": article.text,
    }


def stories_document(result: RunResult) -> dict[str, Any]:
    return {
        "version": FORMAT_VERSION,
        "articles": [article_record(article) for article in result.articles],
        "skipped": [asdict(skipped) for skipped in result.skipped],
        "stories": [story_record(story) for story in result.stories],
    }


def story_record(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "article_ids": list(story.article_ids),
        "digest": [{"text": d.text, "article_id": d.article_id, "sources": list(d.sources)} for d in story.digest],
        "entities": [
            {"text": e.text, "label": e.label, "count": e.count, "article_ids": list(e.article_ids)}
            for e in story.entities
        ],
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
