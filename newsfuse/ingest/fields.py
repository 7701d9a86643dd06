"""Build an Article from a mapping of fields, as given by front matter or JSONL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsfuse.ingest.language import detect_language
from newsfuse.ingest.normalize import (
    IngestError,
    clean_text,
    content_id,
    display_quotes,
    normalize_published,
    optional_str,
)
from newsfuse.records import Article, Skipped

KNOWN_FIELDS = ("id", "title", "text", "source", "published", "url", "lang")


def article_from_fields(fields: dict[str, Any], path: str | None) -> Article:
    """Validate and normalise the fields; unknown fields are kept as metadata.

    Every format ends here, so every article gets the same repair (mojibake, NFC) and,
    when the input names no language, the detected one. A content id is computed before
    ``display_quotes``, so articles keep the ids (and URLs) they had before quote marks
    were shown as such; everything after ingest indexes the displayed text.
    """
    title = clean_text(optional_str(fields.get("title"), "title") or "")
    text = clean_text(_require_text(fields.get("text")))
    if not text:
        raise IngestError("article has no body text")
    article_id = optional_str(fields.get("id"), "id") or content_id(title, text)
    title, text = display_quotes(title), display_quotes(text)
    return Article(
        id=article_id,
        title=title or text.split("\n", 1)[0][:120],
        text=text,
        source=optional_str(fields.get("source"), "source"),
        published=normalize_published(fields.get("published")),
        url=optional_str(fields.get("url"), "url"),
        path=path,
        lang=optional_str(fields.get("lang"), "lang") or detect_language(text),
        meta={key: value for key, value in fields.items() if key not in KNOWN_FIELDS},
    )


def _require_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IngestError(f"text must be a string, got {type(value).__name__}")
    return value


def article_or_skipped(where: str, build: Callable[[], Article]) -> Article | Skipped:
    """The article ``build`` makes, or the reason it cannot, reported at ``where``."""
    try:
        return build()
    except IngestError as err:
        return Skipped(where, str(err))
