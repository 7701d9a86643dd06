"""Word-level differences between variants of one statement, as plain pieces of the text (never markup)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKEN = re.compile(r"\s+|\S+")
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Token:
    """A run of words; ``changed`` when the other variant lacks them."""

    text: str
    changed: bool = False


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
