"""Wire datelines ("WASHINGTON (AP) -- ", "AUSTIN, Texas _ ") and lines that are only a place or a date.

A dateline says where a wire story was filed, not what happened: out of its article it
reads as noise, a sentence that is only a dateline says nothing, and as a story's title it
tells the reader nothing about the event. The digest, the claims' salience and the title
all recognise them here, with one pattern.
"""

from __future__ import annotations

import re

_PLACE = r"[A-Z][A-Z.'\- ]{1,40}(?:, [A-Z][A-Za-z.]* ?\d{0,2})?"
_DATELINE = re.compile(_PLACE + r"(?: ?\([A-Za-z ]{1,20}\)?)? ?(?:--|_|\u2014|\u2013|-)(?: +|$)")
_PLACE_ONLY = re.compile(r"[A-Z][A-Z.'\- ]{1,40}, [A-Z][A-Za-z.]+\.?")
_DATE_WORD = re.compile(
    r"(?:\d{1,4}(?:st|nd|rd|th)?|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|"
    r"june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)\.?"
)


def dateline_length(text: str) -> int:
    """How many leading characters of ``text`` are a wire dateline and its separator (0 if none).

    The place must be upper case ("GENEVA", "NEW YORK"), optionally followed by a state or
    date ("AUSTIN, Texas", "GENEVA, July 9") and an agency ("(Xinhua)"), then a dash or an
    underscore: "U.S. President Trump said" has no separator, so it is not a dateline.
    """
    match = _DATELINE.match(text)
    return match.end() if match else 0


def without_dateline(text: str) -> str:
    """Drop a wire dateline ("GENEVA, July 9 (Xinhua) -- ") that reads badly out of its article."""
    stripped = text[dateline_length(text) :]
    return stripped[:1].upper() + stripped[1:] if stripped else text


def is_dateline(text: str) -> bool:
    """The whole of ``text`` (trimmed) is a dateline, a bare place ("WEST PALM BEACH, Fla.") or a date
    ("MONDAY, MAY 23, 2005"): what feeds and corpora put in a title field when a story has no headline."""
    line = text.strip()
    if not line:
        return False
    if dateline_length(line) == len(line) or _PLACE_ONLY.fullmatch(line):
        return True
    words = [word.strip(",").casefold() for word in line.split()]
    return all(_DATE_WORD.fullmatch(word) for word in words if word)
