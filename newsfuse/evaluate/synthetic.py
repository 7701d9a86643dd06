"""A seeded wire-copy set: real articles plus copies of some of them as other outlets carry them.

Outlets that run a wire story retitle it, trim the last paragraphs, move a paragraph and
add their own byline; the copies here get one or more of these edits. Every article keeps
``wire``, the id of the original it copies (its own id for originals), as the gold label.
Other articles on the same topic stay as hard negatives: they share words but not text.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

Record = dict[str, Any]

HEADLINE_TAGS = ("UPDATE", "WORLD", "BREAKING", "NEWS ANALYSIS")
BYLINES = ("By Staff Reporter", "By Our Correspondent", "From wire reports", "By News Desk")


def wire_copies(originals: Sequence[Record], seed: int = 1, share: float = 0.4, most: int = 3) -> list[Record]:
    """``originals`` with 1..``most`` copies of a seeded ``share`` of them, in a seeded order."""
    rng = random.Random(seed)
    records = [{**record, "wire": record["id"]} for record in originals]
    for record in originals:
        if rng.random() < share:
            records.extend(_copy(record, number, rng) for number in range(1, rng.randint(1, most) + 1))
    rng.shuffle(records)
    return records


def _copy(record: Record, number: int, rng: random.Random) -> Record:
    outlet = f"outlet-{rng.randint(1, 40):02d}"
    paragraphs = [p for p in str(record["text"]).split("\n") if p.strip()]
    if len(paragraphs) > 4 and rng.random() < 0.7:
        paragraphs = paragraphs[: -rng.randint(1, 2)]
    if len(paragraphs) > 2 and rng.random() < 0.5:
        at = rng.randrange(1, len(paragraphs) - 1)
        paragraphs[at], paragraphs[at + 1] = paragraphs[at + 1], paragraphs[at]
    if rng.random() < 0.6:
        paragraphs.insert(0, f"{rng.choice(BYLINES)}, {outlet}")
    return {
        **record,
        "id": f"{record['id']}-copy{number}",
        "title": _retitle(str(record["title"]), rng),
        "text": "\n".join(paragraphs),
        "source": outlet,
        "wire": record["id"],
    }


def _retitle(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) > 3 and rng.random() < 0.5:
        return " ".join(words[:-1])
    return f"{rng.choice(HEADLINE_TAGS)}: {title}"
