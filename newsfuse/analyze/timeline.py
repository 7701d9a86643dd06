"""Temporal expressions resolved against the publication date, and a story's timeline.

News text dates events relative to the day it was written ("Friday", "last June",
"late February"), so every expression is resolved against the article's publication
date, with plain calendar arithmetic. Which way a date without a year or a weekday
points is read from the words nearest before it in its sentence: a past-tense verb
("said Friday", "announced Wednesday") points back; a modal or forward-looking word
("will", "would seek", "payable Dec. 1", "expire Nov. 21", "through June", "plans")
points ahead. With neither, a weekday is the past one (news reports what happened) and
a month or a day of a month is the nearest one to the publication day. Expressions
relative to another date ("a year earlier", "later that month", "the following year")
follow the last date the text established, as HeidelTime's reference time does, and
stay unresolved when there is none. Quarters ("third-quarter", value ``1989-Q3``), seasons
(``1998-FA``) and weekends (valued as their Saturday) have granularities of their own. Words
that count from a date move it: "the day before last Tuesday" is the Monday.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import MAXYEAR, MINYEAR, date, timedelta

from newsfuse.records import Granularity, Modifier, ParsedArticle, Sentence, Span, TimeExpression, TimelineEvent

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
_MODIFIERS: dict[str, Modifier] = {
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
_FORWARD = re.compile(
    r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bits )(?<!\btheir )(?<!\bhis )(?<!\bher )"
    r"\b(?:will|would|shall|is to|are to|was to|were to|going to|scheduled|slated|set to|set for|expected|expects?|"
    r"plans?|planned|planning|intends?|intended|hopes?|aims?|upcoming|coming|next|payable|expires?|expiring|"
    r"starting|effective|deadline|can|may|must|should|"
    r"meets?|begins?|starts?|resumes?|arrives?|leaves?|visits?|travels?|returns?|convenes?|testif(?:y|ies)|"
    r"heads? to|takes? office)\b|'ll\b|\u2019ll\b",
    re.IGNORECASE,
)
_BACKWARD = re.compile(
    r"(?<!\bbe )(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bits )(?<!\btheir )(?<!\bhis )(?<!\bher )(?<![\d%] )"
    r"\b(?:said|says|was|were|had|did|has been|have been|ago|last|earlier|since|previously|began|met|went|came|"
    r"took|made|gave|told|left|held|rose|fell|won|lost|saw|got|ran|spoke|wrote|sent|paid|kept|brought|thought|"
    r"found|became|led|sold|bought|struck|hit|cut|quit|shot|died|(?!(?:un|pre|pro)\w*ed\b)[a-z]+ed)\b",
    re.IGNORECASE,
)
"""A past-tense verb, but not a participle after 'be' ('must be returned by Jan. 14') nor an
adjective after a determiner or number ('the proposed merger', 'Series H preferred shares')."""
_AHEAD = re.compile(r"\b(?i:until|till|by|as (?:soon|early) as)\s+(?:(?:early|mid|late)[- ])?$")
_LEADING = re.compile(r"(?i:(?P<ahead>by|until|till)|through)\s")
"""A deadline or the earliest date of something to come: 'by Jan. 14', 'as soon as Tuesday'."""
_SINCE = re.compile(r"\b(?i:since)\s+$")
"""'since' right before a date points back, whatever stands before it."""
_DEADLINE = re.compile(r"(?:['\u2019]s)? (?i:deadline|target date)\b")
_CLAUSE_WINDOW = 80
_SEASONS = {"spring": ("SP", 3), "summer": ("SU", 6), "fall": ("FA", 9), "autumn": ("FA", 9), "winter": ("WI", 12)}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year", "quarter": "quarter", "period": "quarter"}
_UNITS |= {"morning": "day", "afternoon": "day", "evening": "day", "night": "day"}
_STEPS = {"last": -1, "past": -1, "next": 1, "this": 0, "coming": 1, "the current": 0}
_FIXED_HOLIDAYS = {
    "christmas": (12, 25),
    "christmas eve": (12, 24),
    "new year's day": (1, 1),
    "new year's eve": (12, 31),
    "independence day": (7, 4),
    "the fourth of july": (7, 4),
    "halloween": (10, 31),
    "veterans day": (11, 11),
}
_HOLIDAY_NAMES = {"thanksgiving day": "thanksgiving", "christmas day": "christmas"}
_HOLIDAY = (
    r"(?P<holiday>Thanksgiving(?: Day)?|Christmas(?: Day| Eve)?|New Year['\u2019]s (?:Day|Eve)|Independence Day|"
    r"the Fourth of July|Labor Day|Memorial Day|Veterans Day|Halloween)"
)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TENS |= {"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16}
_TENS |= {"seventeen": 17, "eighteen": 18, "nineteen": 19}
_ONES = r"(?P<ones>one|two|three|four|five|six|seven|eight|nine)"
_LEADING_WORDS = (
    r"(?:In|On|By|Since|Until|Till|During|Through|Throughout|From|Before|After|Last|Next|This|Early|Late|Mid|"
    r"Over|For|Of|Each|Every|Around|About|Between|Starting|Beginning|Ending|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)"
)
"""Capitalised words that open a sentence before a month ('In May, ...'), or a weekday's short form
('Tue March 3'), not a given name ('Theresa May', 'Fredric March') or a march's ('NYC Pride March')."""
_ONE_DAY_SHIFTS = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1}
_ONE_DAY_SHIFTS |= {"this morning": 0, "this afternoon": 0, "this evening": 0}
"""Days from publication: 'last night' is the evening before, 'this morning' the day itself."""
_UNRESOLVABLE = r"at the time|the (?:next|following|previous) (?:week)"


@dataclass(frozen=True)
class Resolved:
    date: str | None
    granularity: Granularity | None
    modifier: Modifier | None = None
    relative: bool = field(default=False, compare=False)
    """Counted from another date of the text ('a year earlier'): not a reference itself."""


@dataclass(frozen=True)
class _Context:
    """What an expression resolves against: the publication day, which way the words around
    it point (``past``, ``future`` or ``nearest``) and the last date the text established."""

    published: date | None
    direction: str
    reference: Resolved | None


Resolver = Callable[["re.Match[str]", _Context], Resolved]


def direction(text: str, start: int, end: int | None = None) -> str:
    """``future`` or ``past`` from the nearest tense cue before ``start`` in its clause
    (a forward word wins over a past-tense one it shares a word with: "planned to"),
    ``through`` right after "through" (the nearest), else ``nearest`` (no cue)."""
    begin = max(0, start - _CLAUSE_WINDOW)
    window = text[begin:start]
    cut = max(window.rfind(";"), window.rfind(". "), window.rfind(", "))
    window = window[cut + 1 :] if cut >= 0 else window
    leading = _LEADING.match(text, start)
    if _AHEAD.search(window) or (end is not None and _DEADLINE.match(text, end)) or (leading and leading["ahead"]):
        return "future"
    if leading:
        return "through"  # 'through January': up to the nearest January, even where a bare month is the last one
    if _SINCE.search(window):
        return "past"  # 'up 12% since year-end'
    forward = [m.end() for m in _FORWARD.finditer(window)]
    backward = [m.end() for m in _BACKWARD.finditer(window)]
    if not forward and not backward:
        return "nearest"
    return "future" if max(forward, default=-1) >= max(backward, default=-1) else "past"


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    if name in _MONTH_ABBREVIATIONS:
        return _MONTH_ABBREVIATIONS[name]
    return MONTHS.index(name) + 1


def _month_iso(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _choose(candidates: Sequence[int], now: int, way: str) -> int:
    """Of positions on a line (days, months, quarters), the one a reader means from ``now``:
    the latest not after it (past), the earliest not before it (future), else the nearest
    (the past one on a tie)."""
    if way == "past":
        return max((c for c in candidates if c <= now), default=min(candidates))
    if way == "future":
        return min((c for c in candidates if c >= now), default=max(candidates))
    return min(candidates, key=lambda c: (abs(c - now), c > now))


def _calendar(match: re.Match[str], context: _Context) -> Resolved:
    """A day of a month, with or without a year; without one, the year the direction gives."""
    groups = match.groupdict()
    month, day = _month_number(match.group("month")), int(match.group("day"))
    if groups.get("year") is not None:
        return Resolved(date(int(groups["year"]), month, day).isoformat(), "day")
    published = context.published
    if published is None:
        return Resolved(None, None)
    options = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            options.append(date(year, month, day).toordinal())
        except ValueError:
            continue  # 29 February of a common year, or off the calendar
    if groups.get("weekday"):  # 'Monday, Oct. 26': the year in which that day is a Monday
        named = WEEKDAYS.index(groups["weekday"])
        options = [o for o in options if date.fromordinal(o).weekday() == named] or options
    if not options:
        return Resolved(None, None)
    return Resolved(date.fromordinal(_choose(options, published.toordinal(), context.direction)).isoformat(), "day")


def _week_of(match: re.Match[str], context: _Context) -> Resolved:
    """'the week of March 6': the week that holds the day."""
    day = _calendar(match, context)
    return Resolved(_monday(date.fromisoformat(day.date)).isoformat(), "week") if day.date else day


def _iso_day(match: re.Match[str], context: _Context) -> Resolved:
    try:
        return Resolved(date.fromisoformat(match.group(0)).isoformat(), "day")
    except ValueError:
        return Resolved(None, None)


def _month(match: re.Match[str], context: _Context) -> Resolved:
    """A month, maybe with a year, a 'last'/'next'/'this', or an early/mid/late modifier."""
    month = _month_number(match.group("month"))
    groups = match.groupdict()
    modifier = _MODIFIERS.get((groups.get("modifier") or "").lower())
    if groups.get("year"):
        return _month_resolved(int(groups["year"]), month, modifier)
    published = context.published
    if published is None:
        return Resolved(None, None)
    relative = (groups.get("relative") or "").lower()
    if relative == "last":
        year = published.year if month < published.month else published.year - 1
    elif relative == "next":
        year = published.year if month > published.month else published.year + 1
    elif relative == "this":
        year = published.year
    else:
        now = published.year * 12 + published.month - 1
        options = [(published.year + shift) * 12 + month - 1 for shift in (-1, 0, 1)]
        way = "past" if context.direction == "nearest" else context.direction
        year = _choose(options, now, way) // 12
    return _month_resolved(year, month, modifier)


def _month_of_year(match: re.Match[str], context: _Context) -> Resolved:
    """'July last year', 'February this year'."""
    if context.published is None:
        return Resolved(None, None)
    shift = {"last": -1, "this": 0, "next": 1}[match.group("which").lower()]
    return _month_resolved(context.published.year + shift, _month_number(match.group("month")))


def _weekday(match: re.Match[str], context: _Context) -> Resolved:
    """The nearest such weekday on or before publication (after, for 'next' or the future)."""
    published = context.published
    if published is None:
        return Resolved(None, None)
    relative = (match.groupdict().get("relative") or "").lower()
    wanted = WEEKDAYS.index(match.group("weekday"))
    if relative == "next" or (context.direction == "future" and relative not in ("last", "earlier")):
        ahead = (wanted - published.weekday()) % 7 or (7 if relative == "next" else 0)
        return Resolved((published + timedelta(days=ahead)).isoformat(), "day")
    back = (published.weekday() - wanted) % 7
    if relative == "last" and back == 0:
        back = 7
    return Resolved((published - timedelta(days=back)).isoformat(), "day")


def _weekend(match: re.Match[str], context: _Context) -> Resolved:
    """A weekend, as its Saturday: 'last weekend' is the one before this week's, 'next weekend' the
    coming one (after this one, when told on a weekend), 'that weekend' the one of the day the text
    is telling. 'The weekend' and 'this weekend' go the way the words point: back to the last
    weekend begun, or ahead to the first not yet over. Without a cue 'the weekend' is the last one
    (news reports what happened) and 'this weekend' the nearer one, the last on a tie."""
    which = (match.group("which") or "").lower()
    day = _day_of(context.reference) if which == "that" else context.published
    if day is None:
        return Resolved(None, None)
    week = timedelta(weeks=1)
    this = day + timedelta(days=5 - day.weekday())  # the Saturday of the day's week, which ends on a Sunday
    begun, ahead = (this if day.weekday() >= 5 else this - week), (this if day.weekday() <= 5 else this + week)
    if which in ("last", "past", "this past"):
        saturday = this - week
    elif which in ("next", "coming", "this coming"):
        saturday = this + week if day.weekday() >= 5 else this
    elif which == "that":
        saturday = this
    elif context.direction == "future":
        saturday = ahead
    elif context.direction == "past" or which == "the":
        saturday = begun
    else:  # the nearer weekend, counted to its nearer day: from a Wednesday, the last one on a tie
        saturday = ahead if (ahead - day).days < (day - begun).days - 1 else begun
    return Resolved(saturday.isoformat(), "weekend")


def _day_of(resolved: Resolved | None) -> date | None:
    """The day a date names, when it names one (a weekend: its Saturday)."""
    if resolved is None or resolved.date is None or resolved.granularity not in ("day", "weekend"):
        return None
    return date.fromisoformat(resolved.date)


def _telling_day(context: _Context) -> date | None:
    """The day the text is telling: the last day it gave, else the publication day."""
    return _day_of(context.reference) or context.published


def _weekday_from_reference(match: re.Match[str], context: _Context) -> Resolved:
    """'the previous Friday', 'the following Monday': the nearest such weekday before (after) the
    day the text is telling."""
    anchor = _telling_day(context)
    if anchor is None:
        return Resolved(None, None)
    wanted = WEEKDAYS.index(match.group("weekday"))
    if match.group("way").lower() in ("previous", "preceding"):
        return Resolved((anchor - timedelta(days=(anchor.weekday() - wanted - 1) % 7 + 1)).isoformat(), "day")
    return Resolved((anchor + timedelta(days=(wanted - anchor.weekday() - 1) % 7 + 1)).isoformat(), "day")


def _year(match: re.Match[str], context: _Context) -> Resolved:
    modifier = _MODIFIERS.get((match.groupdict().get("modifier") or "").lower())
    return Resolved(match.group("year"), "year", modifier)


def _fiscal(match: re.Match[str], context: _Context) -> Resolved:
    """'fiscal 1989' is that year; 'the current/last/next fiscal year' one near publication."""
    groups = match.groupdict()
    if groups.get("year"):
        return Resolved(groups["year"], "year")
    if context.published is None:
        return Resolved(None, None)
    shift = {"last": -1, "previous": -1, "latest": -1, "next": 1, "coming": 1}.get(
        (groups.get("which") or "").lower(), 0
    )
    return _shift(context.published, "year", shift)


def _quarter(match: re.Match[str], context: _Context) -> Resolved:
    """'the third quarter', 'third-quarter', 'the fourth quarter of 1998': ``1998-Q4``."""
    groups = match.groupdict()
    number = _ORDINALS[groups["ordinal"].lower()]
    if groups.get("year"):
        return Resolved(f"{groups['year']}-Q{number}", "quarter")
    published = context.published
    if published is None:
        return Resolved(None, None)
    if groups.get("which"):  # "this year's third quarter", "last year's fourth quarter"
        year = published.year + {"this": 0, "last": -1, "next": 1}[groups["which"].lower()]
        return Resolved(f"{year:04d}-Q{number}", "quarter")
    now = _quarter_of(published.year, published.month)
    options = [(published.year + shift) * 4 + number - 1 for shift in (-1, 0)]
    chosen = _choose(options, now, "past")  # results are reported, and forecast, for the quarter under way
    if groups.get("ago"):  # 'the year-ago third quarter'
        chosen -= 4
    return _quarter_value(chosen)


def _season(match: re.Match[str], context: _Context) -> Resolved:
    """'last fall', 'this summer', 'the spring of 1998': ``1998-FA`` (a winter is the year it begins)."""
    groups = match.groupdict()
    code, first_month = _SEASONS[groups["season"].lower()]
    if groups.get("year"):
        return Resolved(f"{groups['year']}-{code}", "season")
    published = context.published
    if published is None:
        return Resolved(None, None)
    # seasons as months since year 0: each starts at its first month
    now = published.year * 12 + published.month - 1
    starts = [(published.year + shift) * 12 + first_month - 1 for shift in (-2, -1, 0, 1)]
    current = max(s for s in starts if s <= now)
    relative = (groups.get("relative") or "").lower()
    if relative in ("last", "this past"):
        chosen = current - 12 if now - current < 3 else current
    elif relative == "next":
        chosen = current + 12
    elif relative == "this":
        chosen = current if now - current < 9 else current + 12
    else:
        way = "past" if context.direction == "nearest" else context.direction
        chosen = current if way == "past" or now - current < 3 else current + 12
    return Resolved(f"{chosen // 12:04d}-{code}", "season")


def _relative_period(match: re.Match[str], context: _Context) -> Resolved:
    """'last week', 'this year', 'earlier this month', 'yesterday', 'two weeks ago'."""
    published = context.published
    if published is None:
        return Resolved(None, None)
    groups = match.groupdict()
    if groups.get("oneday"):
        shift = _ONE_DAY_SHIFTS[groups["oneday"].lower()]
        return Resolved((published + timedelta(days=shift)).isoformat(), "day")
    unit = groups["unit"].lower().rstrip("s")
    steps = -_count(groups["count"]) if groups.get("count") else _STEPS[groups["relative"].lower()]
    return _shift(published, unit, steps)


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def _anchored(match: re.Match[str], context: _Context) -> Resolved:
    """'a year earlier', 'two months later', 'the year before', 'the following year',
    'later that month', 'that year', 'the year-ago quarter': from the last date the text
    established, at the coarser of its precision and the unit's."""
    reference = context.reference
    if reference is None or reference.date is None or reference.granularity is None:
        return Resolved(None, None)
    groups = match.groupdict()
    unit = _UNITS[groups["unit"].lower().rstrip("s")]
    way = (groups.get("way") or "").lower()
    steps = _count(groups["count"]) if groups.get("count") else (0 if not way else 1)
    if way in ("before", "earlier", "previous", "preceding", "prior", "previously") or way.startswith("year-"):
        steps = -steps
    return _moved(reference, unit, steps)


def _quarter_index(resolved: Resolved) -> int | None:
    value = resolved.date or ""
    if resolved.granularity == "quarter":
        return int(value[:4]) * 4 + int(value[-1]) - 1
    if resolved.granularity in ("month", "day", "week", "weekend"):
        return _quarter_of(int(value[:4]), int(value[5:7]))
    return None


def _year_ago_quarter(match: re.Match[str], context: _Context) -> Resolved:
    """'the year-ago quarter': the quarter of the last date the text gave, a year before;
    a quarter still to come (an outlook: 'through the third quarter of 1990') is not the one
    a report compares with, so the last quarter ended stands in for it."""
    index = _quarter_index(context.reference) if context.reference and context.reference.date else None
    ended = _last_ended_quarter(context.published)
    if index is None or (ended is not None and index > ended):
        index = ended
    return Resolved(None, None) if index is None else _quarter_value(index - 4)


def _last_ended_quarter(published: date | None) -> int | None:
    """The last quarter ended by publication, as a count of quarters."""
    return None if published is None else _quarter_of(published.year, published.month) - 1


def _quarter_of(year: int, month: int) -> int:
    """The quarter a month lies in, as a count of quarters (``_quarter_value`` names it)."""
    return year * 4 + (month - 1) // 3


def _current_quarter(match: re.Match[str], context: _Context) -> Resolved:
    published = context.published
    return Resolved(None, None) if published is None else _quarter_value(_quarter_of(published.year, published.month))


def _this_period(match: re.Match[str], context: _Context) -> Resolved:
    """'earlier in the year': this year; 'later in the day': the day the text is telling, else
    the publication day."""
    unit = match.group("unit").lower()
    if unit == "day":
        day = _telling_day(context)
        return Resolved(day.isoformat(), "day") if day else Resolved(None, None)
    return _shift(context.published, unit, 0) if context.published else Resolved(None, None)


def _the_quarter(match: re.Match[str], context: _Context) -> Resolved:
    """'the quarter', 'the period': the quarter the text last gave, else the last one ended. It is
    then the quarter under discussion, so it is the reference of what follows ('in the quarter,
    against $361.8 million a year ago'), as a quarter the text names is."""
    reference = context.reference
    index = _quarter_index(reference) if reference and reference.granularity == "quarter" else None
    return _latest_quarter(match, context) if index is None else _quarter_value(index)


def _latest_quarter(match: re.Match[str], context: _Context) -> Resolved:
    """'the latest quarter': the last one ended, the one a report is about, whatever quarter
    the text named last ('a fourth-quarter charge', 'the year-earlier period')."""
    index = _last_ended_quarter(context.published)
    return Resolved(None, None) if index is None else _quarter_value(index)


def _quarter_value(index: int) -> Resolved:
    """A quarter given as a count of quarters: ``1989-Q3``."""
    return Resolved(f"{index // 4:04d}-Q{index % 4 + 1}", "quarter")


def _year_ago(match: re.Match[str], context: _Context) -> Resolved:
    """'a year ago' and 'a year earlier' compare with the quarter under discussion when the
    text last gave one (earnings reports); else they are a year before the reference
    ('a year earlier') or the publication ('a year ago')."""
    reference = context.reference
    if reference and reference.granularity == "quarter":
        return _moved(reference, "year", -1)
    if not match.group(0).lower().endswith("ago"):
        return _moved(reference, "year", -1) if reference and reference.date else Resolved(None, None)
    return _shift(context.published, "year", -1) if context.published else Resolved(None, None)


def _moved(reference: Resolved, unit: str, steps: int) -> Resolved:
    """``reference`` moved by ``steps`` units, kept at its own precision where that is at
    least as coarse as the unit's ('a year earlier' than 1989-Q3 is 1988-Q3; than a day,
    a year)."""
    value, granularity = reference.date or "", reference.granularity or ""
    year = int(value[:4])
    if granularity == "quarter":
        if unit not in ("quarter", "year"):
            return Resolved(None, None)
        return _quarter_value(year * 4 + int(value[-1]) - 1 + steps * (4 if unit == "year" else 1))
    if granularity == "season":
        return Resolved(f"{year + steps:04d}-{value[5:]}", "season") if unit == "year" else Resolved(None, None)
    if unit == "year" or granularity == "year":
        if unit != "year":
            return Resolved(None, None) if steps else Resolved(f"{year:04d}", "year")
        return Resolved(f"{year + steps:04d}", "year")
    month = int(value[5:7])
    if unit in ("month", "quarter") or granularity == "month":
        if unit not in ("month", "quarter"):
            return Resolved(None, None) if steps else _month_resolved(year, month)
        index = year * 12 + month - 1 + steps * (3 if unit == "quarter" else 1)
        return _month_resolved(index // 12, index % 12 + 1)
    day = date.fromisoformat(value)
    if unit == "week":
        return Resolved(_monday(day + timedelta(weeks=steps)).isoformat(), "week")
    return Resolved((day + timedelta(days=steps)).isoformat(), "day")


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


def _month_resolved(year: int, month: int, modifier: Modifier | None = None) -> Resolved:
    """A month on the calendar; "next June" from the year 9999 stays unresolved."""
    return Resolved(_month_iso(year, month), "month", modifier) if MINYEAR <= year <= MAXYEAR else Resolved(None, None)


def _holiday_day(name: str, year: int) -> date:
    """The day of a holiday in ``year``: a fixed day, or the fourth Thursday of November
    (Thanksgiving), the first Monday of September (Labor Day), the last Monday of May
    (Memorial Day)."""
    if name in _FIXED_HOLIDAYS:
        return date(year, *_FIXED_HOLIDAYS[name])
    if name == "thanksgiving":
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if name == "labor day":
        first = date(year, 9, 1)
        return first + timedelta(days=(0 - first.weekday()) % 7)
    last = date(year, 5, 31)  # memorial day
    return last - timedelta(days=last.weekday())


def _holiday(match: re.Match[str], context: _Context) -> Resolved:
    """'Thanksgiving Day', 'last Christmas', 'New Year's Day': the holiday's day in the year
    the words give, else the one the direction points to, as for a day of a month."""
    published = context.published
    if published is None:
        return Resolved(None, None)
    name = re.sub(r"\s+", " ", match.group("holiday").lower().replace("\u2019", "'"))
    name = _HOLIDAY_NAMES.get(name, name)
    relative = (match.groupdict().get("relative") or "").lower()
    way = {"last": "past", "next": "future"}.get(relative, context.direction)
    if relative == "this":
        return Resolved(_holiday_day(name, published.year).isoformat(), "day")
    options = [_holiday_day(name, published.year + shift).toordinal() for shift in (-1, 0, 1)]
    now = published.toordinal() - (relative == "last") + (relative == "next")
    return Resolved(date.fromordinal(_choose(options, now, way)).isoformat(), "day")


def _year_end(match: re.Match[str], context: _Context) -> Resolved:
    """'by year-end', 'since year end': the last day of the year, this one ahead of the
    words and the last one behind them; with no cue the nearest."""
    published = context.published
    if published is None:
        return Resolved(None, None)
    options = [date(published.year + shift, 12, 31).toordinal() for shift in (-1, 0)]
    return Resolved(date.fromordinal(_choose(options, published.toordinal(), context.direction)).isoformat(), "day")


def _spelled_year(match: re.Match[str], context: _Context) -> Resolved:
    """'nineteen ninety-one' (1991), 'the year two thousand' (2000), as a transcript spells them."""
    groups = match.groupdict()
    tens = _TENS.get((groups.get("tens") or "").lower(), 0)
    ones = _NUMBER_WORDS.get((groups.get("ones") or "").lower(), 0)
    century = 2000 if groups.get("thousand") else 1900
    return Resolved(f"{century + tens + ones:04d}", "year")


def _quarter_ended(match: re.Match[str], context: _Context) -> Resolved:
    """'the quarter ended Sept. 30': the three months up to that day, named by the calendar
    quarter that holds most of them (its middle month: the quarter ended July 31 is Q2)."""
    ended = _calendar(match, replace(context, direction="past"))
    if ended.date is None:
        return ended
    year, month = int(ended.date[:4]), int(ended.date[5:7])
    middle = year * 12 + month - 2  # the middle month, counted from 0
    return _quarter_value(middle // 3)


def _unresolvable(match: re.Match[str], context: _Context) -> Resolved:
    return Resolved(None, None)


def _not_a_date(match: re.Match[str], context: _Context) -> Resolved | None:
    return None


_COUNT = r"(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)"
_SEASON = r"(?P<season>spring|summer|fall|autumn|winter)"
_ORDINAL = r"(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th)"
_NAME_WORD = r"[A-Z][a-z]+\b"
_TIME_WORDS = ("in", "since", "until", "till", "during", "through", "last", "next", "early", "late")
_GIVEN_NAME_MONTH = (
    r"\b(?=[JFMASOND])"
    + "".join(rf"(?<!\b{word} )(?<!\b{word.title()} )" for word in _TIME_WORDS)
    + r"(?:Jan|"
    + "|".join(MONTHS)
    + r")(?= (?!"
    + "|".join(MONTHS)
    + r")"
    + _NAME_WORD
    + r")"
)
"""A month's name before a name is a given name ('Jan Kavan', 'April Ryan'), unless a word puts it in
time: 'In August Trump met with ...', 'Last February Chafee's staff'. Fewer words than
``_LEADING_WORDS``, which only opens a sentence: after 'by', 'from' or 'of' a name is as likely
('a question from April Ryan')."""
_COUNTED = (
    r"(?i:people|persons|workers|employees|shares|tons|troops|soldiers|cars|vehicles|units|homes|jobs|members|"
    r"votes|miles|feet|meters|metres|kilometers|kilometres|acres|pounds|barrels|dollars|yen|points)\b"
)
"""'1990 employees' is a number of things, not a year."""
_NO_OBJECT = r"(?!\s+(?:the|a|an|his|her|their|its|this|that|last|next|yesterday|today|tomorrow|[A-Z\d]))"
"""'10 days before the murder' counts from an event, not from a date of the text."""
_TRIGGERS = tuple(
    (name, re.compile(words))
    for name, words in (
        ("month", r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"),
        ("weekday", r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"),
        ("quarter", r"(?i:quarter|period)"),
        ("season", r"(?i:spring|summer|fall|autumn|winter)"),
        ("fiscal", r"(?i:fiscal)"),
        ("year", r"\d{4}|(?i:nineteen)"),
        (
            "holiday",
            r"Thanksgiving|Christmas|New Year|Independence|Fourth of July|Labor Day|Memorial|Veterans|Halloween",
        ),
        ("relative", r"(?i:day|week|month|year|ago|today|yesterday|tomorrow|time|morning|afternoon|evening|night)"),
    )
)
"""Words without which a pattern cannot match: a sentence runs only the patterns it may hold. Each kind
is searched on its own, so a word inside another ('day' in 'Sunday') still counts, and a search stops
at its first word."""


def _trigger(pattern: str) -> str:
    for name, marks in (
        ("relative", ("(?P<unit>", "(?P<oneday>")),
        ("month", ("(?P<month>", "January", "March", "April")),
        ("weekday", ("(?P<weekday>",)),
        ("quarter", ("quarter", "period")),
        ("season", ("(?P<season>",)),
        ("fiscal", ("fiscal",)),
        ("year", ("(?P<year>", "(?P<tens>")),
        ("holiday", ("(?P<holiday>",)),
    ):
        if any(mark in pattern for mark in marks):
            return name
    return "relative"


_PATTERNS: tuple[tuple[re.Pattern[str], Resolver | None, str], ...] = tuple(
    (re.compile(pattern), resolver, _trigger(pattern))
    for pattern, resolver in (
        # names and titles, not dates: 'Jan Kavan', 'March for Life', 'the March of the Mothers', 'This Week'
        (_GIVEN_NAME_MONTH, None),
        (r"\b(?!" + _LEADING_WORDS + r"\b)[A-Z][a-z]+ (?:March|April|May|June|August)\b(?! \d)", None),
        (r"\b(?:the|annual) (?:[A-Z][a-z]+ )*March (?:for|of|on|to)\b", None),
        (r"\bMarch (?:for|of the|on) [A-Z]", None),
        (
            r"(?:(?<=[a-z,] )|(?<=[\"\u201c]))(?:This|Next|Last) (?:Week|Year|Month|Night|Morning|Afternoon|Evening)\b",
            None,
        ),
        (r"\b[A-Z][A-Za-z]+ (?:Today|Tonight|This Morning)\b", None),
        (r"\b\d{4}-\d{2}-\d{2}\b", _iso_day),
        (r"\b(?i:(?P<relative>last|next|this) )?" + _HOLIDAY + r"(?! [A-Z])", _holiday),
        (r"\b(?i:nineteen[- ](?P<tens>" + "|".join(_TENS) + r")(?:[- ]" + _ONES + r")?)\b", _spelled_year),
        (r"\b(?i:the year (?P<thousand>two thousand)(?:(?: and)? " + _ONES + r")?)\b", _spelled_year),
        (r"\b(?i:the quarter)(?= (?i:ended|ending) " + _MONTH + r" " + _DAY + r"\b)", _quarter_ended),
        (r"\b(?i:year[- ]end)\b", _year_end),
        (r"\b(?i:the week of) " + _MONTH + r" " + _DAY + r"(?:,? " + _YEAR + r")?\b", _week_of),
        (r"\b" + _WEEKDAY + r",? " + _MONTH + r" " + _DAY + r"(?:,? " + _YEAR + r")?\b", _calendar),
        (_MONTH + r" (?i:(?P<which>last|this|next) year)\b", _month_of_year),
        (
            r"\b(?i:the )?" + _YEAR + r" (?i:" + _ORDINAL + r"[- ](?:fiscal[- ])?quarter)\b",
            _quarter,
        ),
        (_MONTH + r" " + _DAY + r",? " + _YEAR + r"\b", _calendar),
        (_DAY + r" " + _MONTH + r",? " + _YEAR + r"\b", _calendar),
        (r"(?i:" + _MODIFIER + r")\s*" + _MONTH + r"(?:,? " + _YEAR + r")?\b", _month),
        (_MONTH + r" " + _DAY + r"\b(?![,.]?\d)", _calendar),
        (_DAY + r" (?:of )?" + _MONTH + r"(?![a-z])", _calendar),
        (_MONTH + r",? " + _YEAR + r"\b", _month),
        (r"\b(?i:(?P<relative>last|next|this)) " + _MONTH + r"(?![a-z])", _month),
        (r"\b(?i:the (?P<way>previous|preceding|following|next)) " + _WEEKDAY + r"\b", _weekday_from_reference),
        (r"\b(?i:(?P<relative>last|next|this|earlier|on)) " + _WEEKDAY + r"\b", _weekday),
        (r"\b" + _WEEKDAY + r"\b", _weekday),
        (r"\b(?i:in|since|during|until|through|from|before|after|by|of) " + _MONTH + r"(?![a-z])", _month),
        (r"\b(?!May\b)" + _MONTH + r"(?![a-z])", _month),
        (
            r"\b(?i:(?:the |(?P<which>this|last|next) year['\u2019]s )?(?:(?P<ago>year-ago|year-earlier) )?"
            + _ORDINAL
            + r"[- ](?:fiscal[- ])?quarter)"
            r"(?:(?: of)?(?: fiscal)? " + _YEAR + r"\b)?",
            _quarter,
        ),
        (r"\b(?i:the )?(?i:year-ago|year-earlier) (?i:quarter|period)\b", _year_ago_quarter),
        (r"\b(?i:(?:a|one) year (?:ago|earlier))\b", _year_ago),
        (r"\b(?i:year-(?:earlier|ago))\b", _year_ago),
        (r"\b(?i:the latest (?:quarter|period))\b(?! (?:of|ended|ending))", _latest_quarter),
        (r"\b(?i:the (?:quarter|period))\b(?! (?:of|ended|ending))", _the_quarter),
        (r"\b(?i:the current quarter)\b", _current_quarter),
        (r"\b(?i:(?:earlier|later) in the (?P<unit>year|month|week|day))\b", _this_period),
        (r"\b(?i:(?:the )?(?P<which>latest|current) fiscal year|the fiscal year)\b", _fiscal),
        (r"\b(?i:fiscal) " + _YEAR + r"\b", _fiscal),
        (r"\b(?i:(?:the )?(?P<which>current|last|previous|next|coming|this) fiscal year)\b", _fiscal),
        (
            r"\b(?i:(?P<relative>last|this past|next|this|early|late|the|in|during|by|until|since) " + _SEASON + r")"
            r"(?:(?: of)? " + _YEAR + r"\b)?(?! of (?!\d))",
            _season,
        ),
        (r"\b(?i:" + _SEASON + r")(?: of)? " + _YEAR + r"\b", _season),
        (r"\b(?i:" + _MODIFIER + r")\s*" + _YEAR + r"\b", _year),
        (r"\b(?i:in|since|during|until|through|from|before|after|by|of) " + _YEAR + r"\b(?!-\d)", _year),
        (r"(?<![$#\d.,])(?<!No\. )\b" + _YEAR + r"\b(?![-,.]?\d|%| " + _COUNTED + r")", _year),
        (
            r"\b(?i:(?P<oneday>yesterday|today|tomorrow|tonight|last night|this (?:morning|afternoon|evening)))\b"
            r"(?! (?i:show)\b)",
            _relative_period,
        ),
        (r"\b(?i:(?P<which>the|this|last|next|this past|past|this coming|coming|that) weekend)\b", _weekend),
        (
            r"\b(?i:(?:earlier |later )?(?P<relative>last|past|next|this|coming|the current) "
            r"(?P<unit>week|month|year))\b",
            _relative_period,
        ),
        (r"\b(?i:" + _COUNT + r" (?P<unit>days?|weeks?|months?|years?)(?: or so)? ago)\b", _relative_period),
        (
            r"\b(?i:" + _COUNT + r" (?P<unit>days?|weeks?|months?|quarters?|years?) "
            r"(?P<way>earlier|later|before|after|previously))\b" + _NO_OBJECT,
            _anchored,
        ),
        (
            r"\b(?i:the (?P<unit>day|week|month|year|quarter) (?P<way>before|after|earlier|later|prior))\b"
            + _NO_OBJECT,
            _anchored,
        ),
        (
            r"\b(?i:the (?P<way>next|following|previous|preceding|prior) "
            r"(?P<unit>day|month|year|quarter|morning|afternoon|evening|night))\b",
            _anchored,
        ),
        (
            r"\b(?i:(?:(?:later|earlier) )?(?:that|the same) (?P<unit>day|week|month|year|quarter))\b",
            _anchored,
        ),
        (r"\b(?i:" + _UNRESOLVABLE + r")\b", _unresolvable),
    )
)


_OFFSET = re.compile(
    r"\b(?i:(?P<count>(?:the|a|an|one)(?= \w+[^s] )|two|three|four|five|six|seven|eight|nine|ten|\d{1,3}) "
    r"(?P<unit>days?|weeks?|months?|years?) (?P<way>before|after) (?:the )?)$"
)
"""Words that count from the date right after them ('the day before last Tuesday's hearing');
the date an expression names is then that many units away."""
_PART_BEFORE = re.compile(r"\b(?i:" + _MODIFIER + r")\s*$")
_PART_LONGEST = 20
"""Characters the part of a period takes at most ('near the end of ')."""
_OFFSET_LONGEST = 32
"""Characters the counting words take at most ('three months before the ')."""
_LEADING_WAY = re.compile(r"(?i:before|after) ")
"""'before' or 'after' an expression takes in itself ('after 1996'), which may end the counting words."""
_OPENS = re.compile(r"[\s\"'\u201c\u2018`]*(?i:(?:in|on|by|during) )?")
"""What may stand before a relative expression that sets the time of its sentence."""
_FROM_REFERENCE = (_anchored, _year_ago, _year_ago_quarter)


def resolve_in_sentence(
    text: str, published: date | None, reference: Resolved | None = None
) -> Iterator[tuple[int, int, Resolved]]:
    """Non-overlapping temporal expressions in ``text``: (start, end, resolution), in order.

    Patterns are tried most specific first; a later pattern never takes characters an
    earlier one matched, so "late February" is one expression, not "February" alone.
    ``reference`` is the last date established before the sentence; within it, each
    resolved expression becomes the reference of the ones after it.
    """
    taken: list[tuple[int, int, Resolver | None, re.Match[str]]] = []
    present = {name for name, words in _TRIGGERS if words.search(text)}
    if "quarter" in present:
        present.add("relative")  # 'two quarters earlier'
    for pattern, resolver, needs in _PATTERNS:
        if needs not in present:
            continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end, _, _ in taken):
                continue
            taken.append((start, end, resolver, match))
    spans = [(start, end) for start, end, _, _ in taken]
    for start, end, resolver, match in sorted(taken, key=lambda item: item[:2]):
        if resolver is None:
            continue
        context = _Context(published, direction(text, start, end), reference)
        resolved = _resolved(resolver, match, context)
        start, resolved = _counted_from(text, start, end, resolved, spans)
        if resolver is _relative_period:
            start, resolved = _part_of(text, start, resolved, spans)
        if resolver in _FROM_REFERENCE and not _OPENS.fullmatch(text[:start]):
            resolved = replace(resolved, relative=True)  # a comparison: 'up from $2 million a year earlier'
        elif resolved.date is not None:
            reference = resolved  # the text's time: 'The month before, North Korea threatened ...'
        yield start, end, resolved


def _counted_from(
    text: str, start: int, end: int, resolved: Resolved, taken: Sequence[tuple[int, int]]
) -> tuple[int, Resolved]:
    """The expression at ``start:end`` with the words that count from it, when they stand right
    before it and belong to no other expression: 'the day before last Tuesday', 'two weeks after
    June 12'; else the expression as it was, as also when its precision cannot carry the count
    ('the week before the 2016 election' stays 2016)."""
    lead = _LEADING_WAY.match(text, start, end)
    offset = _free_words_before(_OFFSET, _OFFSET_LONGEST, text, start, lead.end() if lead else start, taken)
    if offset is None or resolved.date is None:
        return start, resolved
    moved = _offset(offset, resolved)
    return (offset.start(), moved) if moved.date is not None else (start, resolved)


def _part_of(text: str, start: int, resolved: Resolved, taken: Sequence[tuple[int, int]]) -> tuple[int, Resolved]:
    """A period counted from the news with the part of it named right before: 'late last year',
    'early next week', 'the end of this month' (as 'late February' is, in its own pattern)."""
    part = _free_words_before(_PART_BEFORE, _PART_LONGEST, text, start, start, taken)
    if part is None or resolved.date is None or resolved.granularity == "day":
        return start, resolved
    return part.start(), replace(resolved, modifier=_MODIFIERS[" ".join(part.group("modifier").lower().split())])


def _free_words_before(
    words: re.Pattern[str], longest: int, text: str, start: int, until: int, taken: Sequence[tuple[int, int]]
) -> re.Match[str] | None:
    """What ``words`` (at most ``longest`` characters) finds ending at ``until``, next to the expression
    at ``start``, unless another expression of the sentence holds any of it."""
    found = words.search(text, max(0, until - longest), until)
    if found is None or any(s < start and found.start() < e for s, e in taken):
        return None
    return found


def _offset(offset: re.Match[str], resolved: Resolved) -> Resolved:
    """The date counted from the one named."""
    counted = offset.group("count").lower() != "the"
    steps = (_count(offset.group("count")) if counted else 1) * (-1 if offset.group("way").lower() == "before" else 1)
    unit = offset.group("unit").lower().rstrip("s")
    if unit == "week" and counted and resolved.granularity == "day":
        unit, steps = "day", 7 * steps  # 'three weeks after Jan. 5' is a day; 'the week after Christmas' a week
    try:
        return _moved(resolved, unit, steps)
    except (OverflowError, ValueError):
        return Resolved(None, None)


def _resolved(resolver: Resolver, match: re.Match[str], context: _Context) -> Resolved:
    """A date off the calendar ("999999 days ago", "tomorrow" on 9999-12-31) stays unresolved."""
    try:
        return resolver(match, context)
    except (OverflowError, ValueError):
        return Resolved(None, None)


def time_expressions(article: ParsedArticle) -> tuple[TimeExpression, ...]:
    """Every temporal expression of the article body, with spans into ``Article.text``;
    the last date resolved in a sentence is the reference of relative ones after it."""
    published = article.article.published_date
    found = []
    reference: Resolved | None = None
    for sentence in article.sentences:
        for start, end, resolved in resolve_in_sentence(sentence.text, published, reference):
            if resolved.date is not None and not resolved.relative:
                reference = resolved
            found.append(
                TimeExpression(
                    Span(article.id, sentence.text[start:end], sentence.start + start, sentence.start + end),
                    sentence.index,
                    resolved.date,
                    resolved.granularity,
                    resolved.modifier,
                )
            )
    return tuple(found)


_PERIOD_STARTS = {"Q1": "01", "Q2": "04", "Q3": "07", "Q4": "10", "SP": "03", "SU": "06", "FA": "09", "WI": "12"}


def _sortable(value: str | None) -> str:
    """A quarter or season sorts at its first month: ``1989-Q3`` as ``1989-07``."""
    text = value or ""
    return text[:5] + _PERIOD_STARTS[text[5:]] if text[5:] in _PERIOD_STARTS else text


def _contains(coarse: str, fine: str) -> bool:
    return fine == coarse or fine.startswith(coarse + "-")


def dates_compatible(a: TimeExpression, b: TimeExpression) -> bool:
    if a.date is None or b.date is None or "week" in (a.granularity, b.granularity):
        return a.date == b.date and a.granularity == b.granularity
    if "weekend" in (a.granularity, b.granularity) and a.granularity != b.granularity:
        weekend, other = (a.date, b.date) if a.granularity == "weekend" else (b.date, a.date)
        return any(_contains(other, day) for day in _weekend_days(weekend))  # a month, or its Saturday or Sunday
    return _contains(a.date, b.date) or _contains(b.date, a.date)


def _weekend_days(saturday: str) -> tuple[str, str]:
    day = date.fromisoformat(saturday)
    return saturday, (day + timedelta(days=1)).isoformat()


@dataclass
class _Event:
    members: list[tuple[TimeExpression, Sentence]]

    @property
    def best(self) -> tuple[TimeExpression, Sentence]:
        """The most precise member (a day before the weekend that holds it); the first one on a tie."""
        return max(self.members, key=lambda member: (len(member[0].date or ""), member[0].granularity == "day"))


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
    resolved = sorted((e for e in built if e.date), key=lambda e: (_sortable(e.date), e.granularity or "", e.text))
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
