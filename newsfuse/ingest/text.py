"""Plain-text and Markdown articles with optional YAML front matter."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml

from newsfuse.ingest.fields import article_from_fields
from newsfuse.ingest.normalize import IngestError
from newsfuse.records import Article

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def split_front_matter(raw: str) -> tuple[dict[str, Any], str]:
    """Return the front-matter mapping (empty if none) and the rest of the document."""
    match = _FRONT_MATTER.match(raw)
    if not match:
        return {}, raw
    try:
        data = yaml.safe_load(match.group(1) or "")
    except (yaml.YAMLError, ValueError) as err:  # ValueError: a well-formed but impossible date
        raise IngestError(f"bad front matter: {_first_line(str(err))}") from None
    except RecursionError:
        raise IngestError("bad front matter: nested too deeply") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise IngestError("bad front matter: expected a mapping of field: value")
    for key, value in data.items():
        if not _plain(value) and not (isinstance(value, list) and all(_plain(item) for item in value)):
            raise IngestError(f"bad front matter: {key!s:.40} must be a value or a list of values")
    return data, raw[match.end() :]


def _plain(value: Any) -> bool:
    """Scalars only: nested YAML (and its aliases, which can expand a few lines into gigabytes
    once written out) has no place in an article's fields."""
    return isinstance(value, str | int | float | bool | date | None)


def parse_text_article(raw: str, path: str | None = None) -> Article:
    """Parse a text or Markdown article: the first non-empty line is the title."""
    fields, body = split_front_matter(raw.lstrip("\ufeff"))
    lines = body.strip().split("\n")
    if not lines or not lines[0].strip():
        raise IngestError("empty article")
    title = _MARKDOWN_HEADING.sub("", lines[0]).strip()
    text = "\n".join(lines[1:])
    return article_from_fields({**fields, "title": fields.get("title") or title, "text": text}, path)


def _first_line(message: str) -> str:
    return message.strip().split("\n")[0]
