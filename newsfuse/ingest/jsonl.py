"""JSON Lines: one article object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from newsfuse.ingest.fields import article_from_fields
from newsfuse.ingest.normalize import IngestError, decode
from newsfuse.records import Article, Skipped

MAX_LINE_BYTES = 5_000_000


def parse_jsonl(
    lines: Iterable[bytes], path: str, first_line: int = 1, whole_file: bool = True
) -> Iterator[Article | Skipped]:
    """Yield an Article per good line and a Skipped (``path:line``) per bad one.

    A part of a file (``whole_file=False``) numbers its lines from ``first_line`` and is
    never reported as empty: only a whole file with no content is.
    """
    empty = True
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        empty = False
        where = f"{path}:{number}"
        try:
            if len(raw) > MAX_LINE_BYTES:
                raise IngestError(f"line too large ({len(raw)} bytes; limit {MAX_LINE_BYTES})")
            yield parse_jsonl_line(decode(raw), where)
        except IngestError as err:
            yield Skipped(where, str(err))
    if empty and whole_file:
        yield Skipped(path, "empty file")


def parse_jsonl_line(line: str, where: str) -> Article:
    try:
        fields = json.loads(line)
    except json.JSONDecodeError as err:
        raise IngestError(f"malformed JSON: {err.msg} at column {err.colno}") from None
    if not isinstance(fields, dict):
        raise IngestError("expected a JSON object per line")
    return article_from_fields(fields, where)
