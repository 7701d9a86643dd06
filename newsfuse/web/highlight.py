"""Pure text markup for the pages: highlighted spans and word-level differences.

Both return plain pieces of the original text (never HTML), so the templates escape
every character of article text and markup cannot leak in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import pairwise

_TOKEN = re.compile(r"\s+|\S+")
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Mark:
    """A span of an article's text that a story uses; ``note`` says how (shown on hover)."""

    start: int
    end: int
    kind: str
    note: str


@dataclass(frozen=True)
class Segment:
    """A run of text covered by the same marks (none for plain text)."""

    text: str
    kinds: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Token:
    """A run of words; ``changed`` when the other variant lacks them."""

    text: str
    changed: bool = False


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


def word_diff(text: str, other: str) -> list[Token]:
    """Split ``text`` into runs of words, marking those that the aligned ``other`` text does not share.

    Words compare case-insensitively and without punctuation, so typographic quotes
    or a trailing comma do not count as a difference.
    """
    tokens = _TOKEN.findall(text)
    positions = [i for i, token in enumerate(tokens) if not token.isspace()]
    mine = [_comparable(tokens[i]) for i in positions]
    theirs = [_comparable(word) for word in other.split()]
    shared: set[int] = set()
    for block in SequenceMatcher(a=mine, b=theirs, autojunk=False).get_matching_blocks():
        shared.update(range(block.a, block.a + block.size))
    changed = {positions[k] for k in range(len(mine)) if k not in shared}
    return _runs(Token(token, i in changed) for i, token in enumerate(tokens))


def _runs(tokens: Iterable[Token]) -> list[Token]:
    """Join neighbouring tokens of the same state, so a page renders a few runs, not every word."""
    runs: list[Token] = []
    for token in tokens:
        if runs and runs[-1].changed == token.changed:
            runs[-1] = Token(runs[-1].text + token.text, token.changed)
        else:
            runs.append(token)
    return runs


def _comparable(word: str) -> str:
    return _NOT_WORD.sub("", word.casefold())
