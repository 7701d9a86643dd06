"""Temporal expressions resolved against the publication date, and a story's timeline.

News text dates events relative to the day it was written ("Friday", "last June",
"late February"), so every expression is resolved against the article's publication
date. Calendar dates ("June 12", "Sept. 3, 2018") go through dateparser with that date
as the relative base; weekdays, month names, parts of months and relative periods use
the rules below, because dateparser resolves those inconsistently. A bare month or
weekday points to the past unless its sentence speaks of the future ("will", "is to").
Expressions that need other context ("the month before") are kept unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta

import dateparser

from newsfuse.records import ParsedArticle, Sentence, Span, TimeExpression, TimelineEvent

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Aug": 8, "Sep": 9, "Sept": 9, "Oct": 10}
_MONTH_ABBREVIATIONS |= {"Nov": 11, "Dec": 12}
_MONTH = r"(?P<month>" + "|".join(MONTHS) + r"|(?:" + "|".join(_MONTH_ABBREVIATIONS) + r")\.?)"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_NUMBER_WORDS |= {"seven": 7, "eight": 8, "nine": 9, "ten": 10}
_MODIFIERS = {
    "early": "early",
    "the beginning of": "early",
    "the start of": "early",
    "mid": "mid",
    "mid-": "mid",
    "the middle of": "mid",
    "late": "late",
    "the end of": "late",
    "near the end of": "late",
    "end of": "late",
    "end-": "late",
}
_MODIFIER = (
    r"(?P<modifier>near the end of|the end of|end of|the beginning of|the start of|the middle of|early|late|mid-|mid)"
)
_FUTURE = re.compile(
    r"\b(?:will|would|shall|is to|are to|to be held|scheduled to|upcoming|expected to)\b|'ll\b|\u2019ll\b",
    re.IGNORECASE,
)
_FUTURE_MONTHS = 6
_UNRESOLVABLE = (
    r"(?:the )?(?:month|week|day|year) (?:before|after|earlier|later)|later that (?:month|week|day|year)"
    r"|earlier that (?:month|week|day|year)|that (?:month|week|day|year)|the (?:next|following|previous) "
    r"(?:day|week|month|year)|at the time"
)


@dataclass(frozen=True)
class Resolved:
    date: str | None
    granularity: str | None
    modifier: str | None = None


Resolver = Callable[["re.Match[str]", date | None, bool], Resolved]


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    if name in _MONTH_ABBREVIATIONS:
        return _MONTH_ABBREVIATIONS[name]
    return MONTHS.index(name) + 1


def _month_iso(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _ahead(published: date, month: int, future: bool) -> bool:
    """Whether a month without a year lies ahead: only in future-tense text, and at most
    six months ahead, since news speaks of the near future and of any past."""
    return future and (month - published.month) % 12 <= _FUTURE_MONTHS


def _calendar(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    """A day of a month, with or without a year: dateparser with the publication date as base."""
    has_year = match.groupdict().get("year") is not None
    if published is None and not has_year:
        return Resolved(None, None)
    ahead = published is not None and _ahead(published, _month_number(match.group("month")), future)
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if ahead else "past",
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    parsed = dateparser.parse(match.group(0).replace(".", ""), languages=["en"], settings=settings)
    if parsed is None:
        return Resolved(None, None)
    return Resolved(parsed.date().isoformat(), "day")


def _iso_day(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    try:
        return Resolved(date.fromisoformat(match.group(0)).isoformat(), "day")
    except ValueError:
        return Resolved(None, None)


def _month(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    """A month, maybe with a year, a 'last'/'next'/'this', or an early/mid/late modifier."""
    month = _month_number(match.group("month"))
    groups = match.groupdict()
    modifier = _MODIFIERS.get((groups.get("modifier") or "").lower())
    if groups.get("year"):
        return _month_resolved(int(groups["year"]), month, modifier)
    if published is None:
        return Resolved(None, None)
    relative = (groups.get("relative") or "").lower()
    if relative == "last":
        year = published.year if month < published.month else published.year - 1
    elif relative == "next":
        year = published.year if month > published.month else published.year + 1
    elif relative == "this":
        year = published.year
    elif _ahead(published, month, future):
        year = published.year if month >= published.month else published.year + 1
    else:
        year = published.year if month <= published.month else published.year - 1
    return _month_resolved(year, month, modifier)


def _weekday(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    """The nearest such weekday on or before publication (after, for 'next' or the future)."""
    if published is None:
        return Resolved(None, None)
    relative = (match.groupdict().get("relative") or "").lower()
    wanted = WEEKDAYS.index(match.group("weekday"))
    if relative == "next" or (future and relative not in ("last", "earlier")):
        ahead = (wanted - published.weekday()) % 7 or (7 if relative == "next" else 0)
        return Resolved((published + timedelta(days=ahead)).isoformat(), "day")
    back = (published.weekday() - wanted) % 7
    if relative == "last" and back == 0:
        back = 7
    return Resolved((published - timedelta(days=back)).isoformat(), "day")


def _year(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    modifier = _MODIFIERS.get((match.groupdict().get("modifier") or "").lower())
    return Resolved(match.group("year"), "year", modifier)


def _relative_period(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    """'last week', 'this year', 'earlier this month', 'yesterday', 'two weeks ago'."""
    if published is None:
        return Resolved(None, None)
    groups = match.groupdict()
    if groups.get("oneday"):
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["oneday"].lower()]
        return Resolved((published + timedelta(days=shift)).isoformat(), "day")
    unit = groups["unit"].lower().rstrip("s")
    if groups.get("count"):
        count = groups["count"].lower()
        steps = -(int(count) if count.isdigit() else _NUMBER_WORDS[count])
    else:
        steps = {"last": -1, "past": -1, "next": 1, "this": 0, "coming": 1}[groups["relative"].lower()]
    return _shift(published, unit, steps)


def _shift(published: date, unit: str, steps: int) -> Resolved:
    if unit == "day":
        return Resolved((published + timedelta(days=steps)).isoformat(), "day")
    if unit == "week":
        return Resolved(_monday(published + timedelta(weeks=steps)).isoformat(), "week")
    if unit == "month":
        index = published.year * 12 + published.month - 1 + steps
        return _month_resolved(index // 12, index % 12 + 1)
    year = published.year + steps
    return Resolved(f"{year:04d}", "year") if MINYEAR <= year <= MAXYEAR else Resolved(None, None)


def _month_resolved(year: int, month: int, modifier: str | None = None) -> Resolved:
    """A month on the calendar; "next June" from the year 9999 stays unresolved."""
    return Resolved(_month_iso(year, month), "month", modifier) if MINYEAR <= year <= MAXYEAR else Resolved(None, None)


def _unresolvable(match: re.Match[str], published: date | None, future: bool) -> Resolved:
    return Resolved(None, None)


_PATTERNS: tuple[tuple[re.Pattern[str], Resolver], ...] = tuple(
    (re.compile(pattern), resolver)
    for pattern, resolver in (
        (r"\b\d{4}-\d{2}-\d{2}\b", _iso_day),
        (_MONTH + r" " + _DAY + r",? " + _YEAR + r"\b", _calendar),
        (_DAY + r" " + _MONTH + r",? " + _YEAR + r"\b", _calendar),
        (r"(?i:" + _MODIFIER + r")\s*" + _MONTH + r"(?:,? " + _YEAR + r")?\b", _month),
        (_MONTH + r" " + _DAY + r"\b(?![,.]?\d)", _calendar),
        (_DAY + r" (?:of )?" + _MONTH + r"(?![a-z])", _calendar),
        (_MONTH + r",? " + _YEAR + r"\b", _month),
        (r"\b(?i:(?P<relative>last|next|this)) " + _MONTH + r"(?![a-z])", _month),
        (r"\b(?i:(?P<relative>last|next|this|earlier|on)) " + _WEEKDAY + r"\b", _weekday),
        (r"\b" + _WEEKDAY + r"\b", _weekday),
        (r"\b(?i:in|since|during|until|through|from|before|after|by|of) " + _MONTH + r"(?![a-z])", _month),
        (r"\b(?!May\b)" + _MONTH + r"(?![a-z])", _month),
        (r"\b(?i:" + _MODIFIER + r")\s*" + _YEAR + r"\b", _year),
        (r"\b(?i:in|since|during|until|through|from|before|after|by|of) " + _YEAR + r"\b(?!-\d)", _year),
        (r"\b(?i:(?P<oneday>yesterday|today|tomorrow))\b", _relative_period),
        (
            r"\b(?i:(?:earlier |later )?(?P<relative>last|past|next|this|coming) (?P<unit>week|month|year))\b",
            _relative_period,
        ),
        (
            r"\b(?i:(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten) "
            r"(?P<unit>days?|weeks?|months?|years?) ago)\b",
            _relative_period,
        ),
        (r"\b(?i:" + _UNRESOLVABLE + r")\b", _unresolvable),
    )
)


def resolve_in_sentence(text: str, published: date | None) -> Iterator[tuple[int, int, Resolved]]:
    """Non-overlapping temporal expressions in ``text``: (start, end, resolution), in order.

    Patterns are tried most specific first; a later pattern never takes characters an
    earlier one matched, so "late February" is one expression, not "February" alone.
    """
    future = bool(_FUTURE.search(text))
    taken: list[tuple[int, int, Resolved]] = []
    for pattern, resolver in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end, _ in taken):
                continue
            taken.append((start, end, _resolved(resolver, match, published, future)))
    return iter(sorted(taken, key=lambda item: item[:2]))


def _resolved(resolver: Resolver, match: re.Match[str], published: date | None, future: bool) -> Resolved:
    """A date off the calendar ("999999 days ago", "tomorrow" on 9999-12-31) stays unresolved."""
    try:
        return resolver(match, published, future)
    except (OverflowError, ValueError):
        return Resolved(None, None)


def time_expressions(article: ParsedArticle) -> tuple[TimeExpression, ...]:
    """Every temporal expression of the article body, with spans into ``Article.text``."""
    published = article.article.published_date
    return tuple(
        TimeExpression(
            Span(article.id, sentence.text[start:end], sentence.start + start, sentence.start + end),
            sentence.index,
            resolved.date,
            resolved.granularity,
            resolved.modifier,
        )
        for sentence in article.sentences
        for start, end, resolved in resolve_in_sentence(sentence.text, published)
    )


def _contains(coarse: str, fine: str) -> bool:
    return fine == coarse or fine.startswith(coarse + "-")


def dates_compatible(a: TimeExpression, b: TimeExpression) -> bool:
    if a.date is None or b.date is None or "week" in (a.granularity, b.granularity):
        return a.date == b.date and a.granularity == b.granularity
    return _contains(a.date, b.date) or _contains(b.date, a.date)


@dataclass
class _Event:
    members: list[tuple[TimeExpression, Sentence]]

    @property
    def best(self) -> tuple[TimeExpression, Sentence]:
        """The most precise member; the first one on a tie."""
        return max(self.members, key=lambda member: len(member[0].date or ""))


def story_timeline(
    articles: Sequence[ParsedArticle],
    expressions: dict[str, tuple[TimeExpression, ...]],
    same_statement: Callable[[Sentence, Sentence], bool],
) -> tuple[TimelineEvent, ...]:
    """Merge expressions with compatible dates whose sentences state the same thing.

    ``same_statement`` decides whether two sentences report the same event (the claim
    alignment). Resolved events are ordered by date; unresolved ones follow, in article order.
    """
    events: list[_Event] = []
    for article in articles:
        sentences = {sentence.index: sentence for sentence in article.sentences}
        for expression in expressions[article.id]:
            sentence = sentences[expression.sentence_index]
            event = next((e for e in events if _joins(e, expression, sentence, same_statement)), None)
            if event is None:
                events.append(_Event([(expression, sentence)]))
            else:
                event.members.append((expression, sentence))
    built = [_timeline_event(event) for event in events]
    resolved = sorted((e for e in built if e.date), key=lambda e: (e.date or "", e.granularity or "", e.text))
    return tuple(resolved) + tuple(e for e in built if not e.date)


def _joins(
    event: _Event, expression: TimeExpression, sentence: Sentence, same: Callable[[Sentence, Sentence], bool]
) -> bool:
    if expression.date is None:
        return False
    return all(dates_compatible(other, expression) for other, _ in event.members) and any(
        other_sentence == sentence or same(other_sentence, sentence) for _, other_sentence in event.members
    )


def _timeline_event(event: _Event) -> TimelineEvent:
    expression, sentence = event.best
    evidence = sorted(
        {Span(s.article_id, s.text, s.start, s.end) for _, s in event.members},
        key=lambda span: (span.article_id, span.start),
    )
    modifiers = {e.modifier for e, _ in event.members if e.modifier}
    return TimelineEvent(
        date=expression.date,
        granularity=expression.granularity,
        modifier=expression.modifier or (min(modifiers) if len(modifiers) == 1 else None),
        text=sentence.text,
        expression=expression.span.text,
        article_ids=tuple(sorted({s.article_id for _, s in event.members})),
        evidence=tuple(evidence),
    )
