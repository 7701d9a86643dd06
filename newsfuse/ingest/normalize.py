"""Pure normalisers shared by every input format."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from html.entities import html5
from typing import Any

import ftfy

from newsfuse.errors import NewsfuseError

SNIFF_BYTES = 8192
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_MAY_NEED_REPAIR = re.compile(r"[^\x20-\x7e\t\n]|&")


class IngestError(NewsfuseError, ValueError):
    """An input that cannot become an article; the message is shown to the user."""


def clean_text(text: str) -> str:
    """Repair mojibake, apply NFC and tidy whitespace, keeping paragraph breaks."""
    text = _repaired(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


_TICKS = re.compile(r"``[ \t]?|(?:(?<=\S)[ \t])?''")
_OPENS_AFTER = frozenset(" \t\n([{\u2014\u2013-")


def display_quotes(text: str) -> str:
    """Tokenised corpora's quote marks (```` `` ```` and ``''``) as the quotation marks they stand for.

    PTB-style tokenisers write an opening quote as two backticks and a closing one as two
    apostrophes, and detokenisers leave spaces inside them (```` `` We appreciate ... , '' ````).
    A reader should see “We appreciate ...,”. ``''`` opens a quotation where a word follows it
    straight after a space or the start of a line (some corpora use it for both marks: ``''We
    finally ...,''``). The space a detokeniser left inside the marks goes with them. Done at
    ingest, before anything indexes the text, so every span is a span of what the reader sees.
    """
    return _TICKS.sub(lambda match: _quotation_mark(text, match), text)


def _quotation_mark(text: str, match: re.Match[str]) -> str:
    """The mark ``match`` stands for, with the space beside it kept when it separates words."""
    mark = match.group(0)
    if mark.startswith("``"):
        return "\u201c"
    start, end = match.start() + len(mark) - 2, match.end()
    before = text[start - 1] if start else "\n"
    after = text[end] if end < len(text) else " "
    if before in _OPENS_AFTER and not after.isspace() and after not in ",.;:!?":
        return mark[:-2] + "\u201c"
    return "\u201d"


def _repaired(text: str) -> str:
    """ftfy's repair with unknown references dropped, to a fixed point: dropping ``&HT;`` from
    ``&&HT;amp;`` makes a reference that the next repair would decode. Printable ASCII without
    ``&`` has nothing to repair (no mojibake, reference or control character) and skips ftfy,
    which costs about a millisecond an article: most newswire text is such."""
    if not _MAY_NEED_REPAIR.search(text):
        return text
    while True:
        fixed = ftfy.fix_text(
            _NAMED_REFERENCE.sub(_drop_unknown_reference, text), normalization="NFC", uncurl_quotes=False
        )
        if fixed == text or "&" not in fixed:
            return fixed
        text = fixed


def _drop_unknown_reference(match: re.Match[str]) -> str:
    """Typesetting codes of old newswire feeds (``&QL;``, ``&HT;``) are markup, not words;
    references that HTML knows (``&amp;``) stay for the formats that decode them."""
    return match.group(0) if match.group(1) + ";" in html5 else ""


def normalize_published(value: Any) -> str | None:
    """Return an ISO date or datetime string, or raise IngestError.

    YAML front matter already turns ``2019-01-18`` into a ``date``; JSON gives strings.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            if len(text) == 10:
                return date.fromisoformat(text).isoformat()
            return datetime.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise IngestError(f"published is not an ISO date or datetime: {value!r}")


def optional_str(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    raise IngestError(f"{name} must be a string, got {type(value).__name__}")


def content_id(title: str, text: str) -> str:
    """A stable id from the normalised content, so re-ingesting gives the same id."""
    key = unicodedata.normalize("NFKC", f"{title}\n{text}").casefold()
    key = " ".join(key.split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def check_not_binary(head: bytes) -> None:
    if b"\x00" in head:
        raise IngestError("binary file (contains NUL bytes)")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, the usual legacy news encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError("not UTF-8 or Windows-1252 text") from None
