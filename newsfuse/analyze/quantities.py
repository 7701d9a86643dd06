"""Numbers with the thing they count ("90 minutes", "a 90-minute meeting", "12 people")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_QUANTITY = re.compile(
    r"(?<![\w.,-])(?<!\d\.\s)(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(_NUMBER_WORDS)
    + r")(?:\s+(?P<scale>"
    + "|".join(_SCALES)
    + r"))?(?:\s*(?=%)|\s+|-)(?P<unit>%|[a-z]{3,}\b)",
    re.IGNORECASE,
)
_NOT_UNITS = frozenset(
    [
        "and",
        "or",
        "of",
        "the",
        "a",
        "an",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "from",
        "as",
        "than",
        "that",
        "which",
        "who",
        "was",
        "were",
        "are",
        "is",
        "be",
        "has",
        "have",
        "had",
        "more",
        "less",
        "other",
        "others",
        "when",
        "where",
        "after",
        "before",
        "since",
    ]
)


@dataclass(frozen=True)
class Quantity:
    """``value`` of ``unit`` (singular, lower case) at ``start:end`` of the text searched."""

    start: int
    end: int
    value: float
    unit: str
    digits: bool


@lru_cache(maxsize=4096)
def quantities(text: str) -> tuple[Quantity, ...]:
    """Counted quantities; years and bare numbers are left out (they count nothing).

    Kept for the last texts asked: a story's alignment, claims, salience and contradictions each
    ask for the quantities of the same sentences."""
    found = []
    for match in _QUANTITY.finditer(text):
        unit = _singular(match.group("unit").lower())
        if unit in _NOT_UNITS:
            continue
        raw = match.group("value").lower()
        if re.fullmatch(r"1[89]\d\d|20\d\d", raw):
            continue
        value = _NUMBER_WORDS[raw] if raw in _NUMBER_WORDS else float(raw.replace(",", ""))
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        found.append(Quantity(match.start(), match.end(), float(value), unit, raw[0].isdigit()))
    return tuple(found)


def _singular(unit: str) -> str:
    if unit == "percent":
        return "%"
    if unit.endswith("ies") and len(unit) > 4:
        return unit[:-3] + "y"
    if unit.endswith("s") and not unit.endswith("ss"):
        return unit[:-1]
    return unit
