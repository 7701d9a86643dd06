"""Word sequences compared for meaning, not typography, and their word-level diff.

"denuclearisation"/"denuclearization", "neighbourhood"/"neighborhood", curly/straight
quotes, "I'm"/"I am", "6:00 p.m."/"6 p.m." and "U.S."/"US"/"United States" are the same
words to a reader, so they must never surface as differences. Words in brackets inside a
quotation ("when he (Bouchard) talks") are the outlet's, not the speaker's, and are dropped.
Possessive apostrophes ("population's"/"populations'") and ordinals ("11th"/"eleventh")
are spellings too.

Only the speaker's words are compared (the quoted pieces, never the attribution between
them). Where an outlet marks an elision ("...", "\u2026") it says it left words out: words
another outlet has at that point are not a change of wording. Where an attribution splits a
quotation (``"... has been accepted," Hall said. "There is much ..."``) nothing says so, and
another outlet quoting "has been accepted, and the activities ... indicate that there is
much" worded the statement differently: the hand-judged gold (docs/analysis-gold.json,
D0617) counts that as a true contradiction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_ORDINALS = {
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
    "eleventh": "11th",
    "twelfth": "12th",
}
_SAME_MEANING = (
    (re.compile(r"\([^()]*\)|\[[^\[\]]*\]"), " "),
    (re.compile(r"(?<=\d)\s*:\s*00\b"), ""),
    (re.compile(r"\b(neighb|col|fav|lab|hon|behavi|harb|rum|hum|arm|vig|endeav|sav|flav)our"), r"\1or"),
    (re.compile(r"(?<=[a-z]) ?' ?(?=(?:m|s|re|ve|ll|d|t)\b)"), "'"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'m\b"), " am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"(?<=[a-z])'s\b"), "s"),
    (re.compile(r"(?<=s)'(?!\w)"), ""),
    (re.compile(r"\b(?:" + "|".join(_ORDINALS) + r")\b"), lambda m: _ORDINALS[m.group(0)]),
    (re.compile(r"\bunited states\b|\bu\.s\.(?:a\.)?(?=\W|$)"), "us"),
    (re.compile(r"\bunited nations\b|\bu\.n\.(?=\W|$)"), "un"),
    (re.compile(r"\bu\.k\.(?=\W|$)|\bunited kingdom\b"), "uk"),
    (re.compile(r"(?<=[a-z])is(ation|ing|ed|e|es)\b"), r"iz\1"),
)
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u2013": "-", "\u2014": "-"})
_CONTEXT_WORDS = 2
_ELISION = re.compile(r"\.\s?\.\s?\.|\u2026")


@dataclass(frozen=True)
class Quoted:
    """A quotation's normalised words, and ``gaps``: the word positions where the outlet
    marked an elision."""

    words: list[str]
    gaps: frozenset[int]


def quoted_words(quoted: str) -> Quoted:
    """The words of a quotation (the text inside its quote marks), with a gap at every elision."""
    words: list[str] = []
    gaps: set[int] = set()
    for segment in _ELISION.split(quoted):
        if words:
            gaps.add(len(words))
        words += normalized_words(segment)
    return Quoted(words, frozenset(gaps))


def normalized_words(text: str) -> list[str]:
    """Lower-cased words with spelling, typography and abbreviation variants folded."""
    folded = text.translate(_TYPOGRAPHY).lower()
    for pattern, replacement in _SAME_MEANING:
        folded = pattern.sub(replacement, folded)
    return _WORD.findall(folded)


def wording_changes(
    first: list[str],
    second: list[str],
    first_gaps: frozenset[int] = frozenset(),
    second_gaps: frozenset[int] = frozenset(),
) -> list[tuple[int, int, int, int]]:
    """Differences inside the stretch both sequences share: (i1, i2, j1, j2) word ranges.

    One outlet quoting more or less of the same statement is not a change, so words
    added or dropped at either end are ignored, and so are words one side lacks at one of
    its ``gaps`` (where it left words out); substitutions anywhere and other additions
    strictly inside count.
    """
    opcodes = SequenceMatcher(a=first, b=second, autojunk=False).get_opcodes()
    equal = [op for op in opcodes if op[0] == "equal"]
    if not equal:
        return []
    inner_start, inner_end = equal[0][1], equal[-1][2]
    return [
        _trimmed(i1, i2, j1, j2, first_gaps, second_gaps)
        for tag, i1, i2, j1, j2 in opcodes
        if tag != "equal"
        and inner_start <= i1
        and i2 <= inner_end
        and (tag == "replace" or inner_start < i1 < inner_end)
        and not (tag == "insert" and _at_gap(first, second, i1, j1, j2, first_gaps))
        and not (tag == "delete" and _at_gap(second, first, j1, i1, i2, second_gaps))
    ]


def _at_gap(short: list[str], long: list[str], at: int, start: int, end: int, gaps: frozenset[int]) -> bool:
    """``long[start:end]`` is missing from ``short`` at ``at``, or at a position it slides to
    over repeated words ("the the [the] plane"): anywhere it could sit, a gap explains it."""
    left = 0
    while at - left > 0 and start - left > 0 and short[at - left - 1] == long[end - left - 1]:
        left += 1
    right = 0
    while at + right < len(short) and end + right < len(long) and short[at + right] == long[start + right]:
        right += 1
    return any(position in gaps for position in range(at - left, at + right + 1))


def _trimmed(
    i1: int, i2: int, j1: int, j2: int, first_gaps: frozenset[int], second_gaps: frozenset[int]
) -> tuple[int, int, int, int]:
    """A replacement that runs into a gap of the shorter side: the extra words of the longer
    side are what that outlet left out, so only as many words as the shorter side has count."""
    if j2 - j1 > i2 - i1 and (i2 in first_gaps or i1 in first_gaps):
        return (i1, i2, j1, j1 + i2 - i1) if i2 in first_gaps else (i1, i2, j2 - (i2 - i1), j2)
    if i2 - i1 > j2 - j1 and (j2 in second_gaps or j1 in second_gaps):
        return (i1, i1 + j2 - j1, j1, j2) if j2 in second_gaps else (i2 - (j2 - j1), i2, j1, j2)
    return (i1, i2, j1, j2)


def word_diff(first: list[str], second: list[str], changes: list[tuple[int, int, int, int]]) -> str:
    """'good steps [-in-] {+and+} good faith', with a little context, changes joined by ' | '."""
    pieces = []
    for i1, i2, j1, j2 in changes:
        before = first[max(0, i1 - _CONTEXT_WORDS) : i1]
        after = first[i2 : i2 + _CONTEXT_WORDS]
        removed = [f"[-{' '.join(first[i1:i2])}-]"] if i2 > i1 else []
        added = [f"{{+{' '.join(second[j1:j2])}+}}"] if j2 > j1 else []
        pieces.append(" ".join(before + removed + added + after))
    return " | ".join(pieces)
