"""Parquet parts written by the workers (one file per partition, named by its index), and read back for a store."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsfuse.codec import (
    article_from_record,
    article_record,
    parsed_from_record,
    parsed_record,
    skipped_from_record,
    skipped_record,
    story_record,
)
from newsfuse.errors import NewsfuseError
from newsfuse.nlp.parse import parse_one
from newsfuse.records import Article, ParsedArticle, Skipped, Story, article_of

ARTICLE_COLUMNS = ("id", "title", "source", "published", "url", "path", "lang", "text", "story_id", "parsed")
ARTICLE_SCHEMA = pa.schema([(name, pa.string()) for name in ARTICLE_COLUMNS])
"""``parsed`` is the store's JSON of the article's parse (``parsed_record``), so ``load`` needs no spaCy;
null for a copy, which the batch did not parse (nor does the store)."""
SKIPPED_SCHEMA = pa.schema([("path", pa.string()), ("reason", pa.string())])
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
        ("speaker_kind", pa.string()),
        ("speaker_evidence_start", pa.int64()),
        ("speaker_evidence_end", pa.int64()),
    ]
)


def part_path(folder: Path, index: int) -> Path:
    return folder / f"part-{index:05d}.parquet"


def write_article_part(articles: Sequence[ParsedArticle | Article], story_of: Mapping[str, str], path: Path) -> int:
    """Parsed articles with their parse; copies (plain articles) without."""
    rows = [
        {
            **article_record(article_of(item)),
            "text": article_of(item).text,
            "story_id": story_of[item.id],
            "parsed": _parse_json(item) if isinstance(item, ParsedArticle) else None,
        }
        for item in sorted(articles, key=lambda item: item.id)
    ]
    _write(rows, ARTICLE_SCHEMA, path)
    return len(rows)


def _parse_json(parsed: ParsedArticle) -> str:
    return json.dumps(parsed_record(parsed), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


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
            "speaker_kind": q.speaker_kind,
            "speaker_evidence_start": q.speaker_evidence.start if q.speaker_evidence else None,
            "speaker_evidence_end": q.speaker_evidence.end if q.speaker_evidence else None,
        }
        for story in ordered
        for q in story.quotes
    ]
    _write(story_rows, STORY_SCHEMA, part_path(folder / "stories", index))
    _write(claim_rows, CLAIM_SCHEMA, part_path(folder / "claims", index))
    _write(quote_rows, QUOTE_SCHEMA, part_path(folder / "quotes", index))
    return len(story_rows)


def write_skipped(skipped: Sequence[Skipped], folder: Path) -> None:
    """What was not read, and duplicate ids, so that a store loaded from the parts reports them too."""
    rows = [skipped_record(item) for item in skipped]
    _write(rows, SKIPPED_SCHEMA, part_path(folder / "skipped", 0))


class BatchOutputError(NewsfuseError, ValueError):
    """A folder that is not a whole batch output of this version."""


@dataclass(frozen=True)
class BatchOutput:
    """What a store needs of a batch's parts: the articles, their parses and what was skipped."""

    articles: tuple[Article, ...]
    parses: Mapping[str, str]
    """Each parsed article's parse as the JSON the parts hold (smaller than the records it
    decodes to), decoded when the store clusters the article. Copies have none."""
    skipped: tuple[Skipped, ...]

    def parse(self, article: Article) -> ParsedArticle:
        """The batch's parse; spaCy's for an article the batch took for a copy and the store
        did not (a store that already held other articles can decide so)."""
        if article.id not in self.parses:
            return parse_one(article)
        return parsed_from_record(article, json.loads(self.parses[article.id]))


def read_batch_output(folder: Path) -> BatchOutput:
    """The parts under ``folder``, checked whole before a store sees any of them."""
    articles: list[Article] = []
    parses: dict[str, str] = {}
    for path in _parts(folder / "articles"):
        table = _read(path)
        if "parsed" not in table.column_names:
            raise BatchOutputError(f"{path}: no parses in it (written by an earlier version); run batch again")
        for row in _expect(table, ARTICLE_SCHEMA, path).to_pylist():
            article = article_from_record(row)
            articles.append(article)
            if row["parsed"] is not None:
                _check_parse(article, row["parsed"], path)
                parses[article.id] = row["parsed"]
    skipped = [
        skipped_from_record(row)
        for path in _parts(folder / "skipped")
        for row in _expect(_read(path), SKIPPED_SCHEMA, path).to_pylist()
    ]
    return BatchOutput(tuple(articles), parses, tuple(skipped))


def _check_parse(article: Article, parse: str, path: Path) -> None:
    try:
        parsed_from_record(article, json.loads(parse))
    except (ValueError, TypeError, KeyError) as err:
        raise BatchOutputError(f"{path}: article {article.id}: unreadable parse ({err!r})") from None


def _parts(folder: Path) -> list[Path]:
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise BatchOutputError(f"no Parquet parts in {folder}: not the output folder of 'newsfuse batch'")
    return parts


def _read(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as err:
        raise BatchOutputError(f"{path}: unreadable Parquet ({err})") from None


def _expect(table: pa.Table, schema: pa.Schema, path: Path) -> pa.Table:
    if not table.schema.equals(schema):
        raise BatchOutputError(f"{path}: columns {table.column_names}, expected {schema.names}")
    return table


def _write(rows: Sequence[Mapping[str, object]], schema: pa.Schema, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
