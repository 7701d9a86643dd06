"""Parquet parts written by the workers: one file per partition, named by its index."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsfuse.records import ParsedArticle, Story
from newsfuse.report.stories_json import article_record, story_record

ARTICLE_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("id", "title", "source", "published", "url", "path", "lang", "text", "story_id")]
)
STORY_SCHEMA = pa.schema(
    [("id", pa.string()), ("title", pa.string()), ("article_ids", pa.list_(pa.string())), ("record", pa.string())]
)
CLAIM_SCHEMA = pa.schema(
    [
        ("story_id", pa.string()),
        ("id", pa.string()),
        ("text", pa.string()),
        ("label", pa.string()),
        ("article_ids", pa.list_(pa.string())),
    ]
)
QUOTE_SCHEMA = pa.schema(
    [
        ("story_id", pa.string()),
        ("id", pa.string()),
        ("speaker", pa.string()),
        ("text", pa.string()),
        ("article_id", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("variant_of", pa.string()),
    ]
)


def part_path(folder: Path, index: int) -> Path:
    return folder / f"part-{index:05d}.parquet"


def write_article_part(articles: Sequence[ParsedArticle], story_of: Mapping[str, str], path: Path) -> int:
    rows = [
        {**article_record(p.article), "text": p.article.text, "story_id": story_of[p.id]}
        for p in sorted(articles, key=lambda p: p.id)
    ]
    _write(rows, ARTICLE_SCHEMA, path)
    return len(rows)


def write_story_part(stories: Sequence[Story], folder: Path, index: int) -> int:
    """Stories, and their claims and quotes as tables of their own, for querying across stories."""
    ordered = sorted(stories, key=lambda s: s.id)
    story_rows = [
        {
            "id": story.id,
            "title": story.title,
            "article_ids": list(story.article_ids),
            "record": json.dumps(story_record(story), ensure_ascii=False, sort_keys=True),
        }
        for story in ordered
    ]
    claim_rows = [
        {"story_id": story.id, "id": c.id, "text": c.text, "label": c.label, "article_ids": list(c.article_ids)}
        for story in ordered
        for c in story.claims
    ]
    quote_rows = [
        {
            "story_id": story.id,
            "id": q.id,
            "speaker": q.speaker,
            "text": q.text,
            "article_id": q.article_id,
            "start": q.start,
            "end": q.end,
            "variant_of": q.variant_of,
        }
        for story in ordered
        for q in story.quotes
    ]
    _write(story_rows, STORY_SCHEMA, part_path(folder / "stories", index))
    _write(claim_rows, CLAIM_SCHEMA, part_path(folder / "claims", index))
    _write(quote_rows, QUOTE_SCHEMA, part_path(folder / "quotes", index))
    return len(story_rows)


def _write(rows: Sequence[Mapping[str, object]], schema: pa.Schema, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
