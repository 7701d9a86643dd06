"""JSON Lines: one article object per line, each line judged on its own.

A line with a NUL byte, bytes that are not UTF-8 (JSON text is UTF-8, RFC 8259) or broken
JSON is skipped and reported as ``path:line``; the other lines are read. There is no
whole-file binary sniffing here, so one bad byte never costs the rest of a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from newsfuse.ingest.fields import article_from_fields
from newsfuse.ingest.normalize import IngestError
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
            yield parse_jsonl_line(line_text(raw), where)
        except IngestError as err:
            yield Skipped(where, str(err))
    if empty and whole_file:
        yield Skipped(path, "empty file")


def line_text(raw: bytes) -> str:
    """The text of one line, or IngestError saying why it is not a JSON line."""
    if len(raw) > MAX_LINE_BYTES:
        raise IngestError(f"line too large ({len(raw)} bytes; limit {MAX_LINE_BYTES})")
    nul = raw.find(b"\x00")
    if nul != -1:
        raise IngestError(f"NUL byte at byte {nul + 1}")
    try:
        return raw.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as err:
        raise IngestError(f"not UTF-8 at byte {err.start + 1}") from None


def parse_jsonl_line(line: str, where: str) -> Article:
    try:
        fields = json.loads(line)
    except json.JSONDecodeError as err:
        raise IngestError(f"malformed JSON: {err.msg} at column {err.colno}") from None
    if not isinstance(fields, dict):
        raise IngestError("expected a JSON object per line")
    return article_from_fields(fields, where)
