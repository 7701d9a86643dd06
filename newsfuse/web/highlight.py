"""Pure text markup for the article page: highlighted spans.

It returns plain pieces of the original text (never HTML), so the templates escape
every character of article text and markup cannot leak in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise


@dataclass(frozen=True)
class Mark:
    """A span of an article's text that a story uses; ``note`` says how (shown on hover)."""

    start: int
    end: int
    kind: str
    note: str
    key: str = ""
    """What the mark shows, as ``STORY_ID/claim:ID``: a reader who follows a citation sees this mark alone."""


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same marks (none for plain text)."""

    text: str
    kinds: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def segment_text(text: str, marks: Iterable[Mark]) -> list[Segment]:
    """Cut ``text`` at every mark boundary; overlapping marks give segments with several kinds.

    Marks outside the text (stale offsets) are ignored rather than trusted.
    """
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    bounds = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    segments = []
    for start, end in pairwise(bounds):
        covering = [m for m in valid if m.start <= start and end <= m.end]
        kinds = tuple(sorted({m.kind for m in covering}))
        notes = tuple(dict.fromkeys(m.note for m in covering))
        segments.append(Segment(text[start:end], kinds, notes))
    return segments


def paragraphs(segments: Iterable[Segment]) -> list[list[Segment]]:
    """Split segments at line breaks, so each paragraph of an article renders as its own block."""
    blocks: list[list[Segment]] = [[]]
    for segment in segments:
        for number, part in enumerate(segment.text.split("\n")):
            if number:
                blocks.append([])
            if part:
                blocks[-1].append(replace(segment, text=part))
    return [block for block in blocks if block]
