from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyze.timeline import MONTHS, dates_compatible, resolve_in_sentence
from newsfuse.records import Granularity, Span, TimeExpression

FRIDAY = date(2019, 1, 18)


def resolved(sentence: str, published: date | None = FRIDAY) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(sentence[s:e], r.date, r.granularity, r.modifier) for s, e, r in resolve_in_sentence(sentence, published)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The White House on Friday announced it.", [("on Friday", "2019-01-18", "day", None)]),
        ("Pence said Wednesday that talks go on.", [("Wednesday", "2019-01-16", "day", None)]),
        ("They met last Friday.", [("last Friday", "2019-01-11", "day", None)]),
        ("They will meet on Tuesday.", [("on Tuesday", "2019-01-22", "day", None)]),
        ("They met last June in Singapore.", [("last June", "2018-06", "month", None)]),
        ("They met on June 12 in Singapore.", [("June 12", "2018-06-12", "day", None)]),
        ("The summit would take place in late February.", [("late February", "2019-02", "month", "late")]),
        (
            "Trump is to hold a summit near the end of February.",
            [("near the end of February", "2019-02", "month", "late")],
        ),
        ("In December, North Korea warned of its plans to dismantle it.", [("In December", "2018-12", "month", None)]),
        ("In August Trump met with Espinoza.", [("In August", "2018-08", "month", None)]),
        ("Last February Chafee's staff had assembled a score.", [("Last February", "2018-02", "month", None)]),
        ("They were close to war in 2017.", [("in 2017", "2017", "year", None)]),
        ("He visited Beijing last week.", [("last week", "2019-01-07", "week", None)]),
        ("It happened two weeks ago.", [("two weeks ago", "2018-12-31", "week", None)]),
        ("Talks began earlier this month.", [("earlier this month", "2019-01", "month", None)]),
        ("The deal was signed on Sept. 3, 2018.", [("Sept. 3, 2018", "2018-09-03", "day", None)]),
        ("The deal was signed on 12 March 2016.", [("12 March 2016", "2016-03-12", "day", None)]),
        ("The talks opened in mid-March 2017.", [("mid-March 2017", "2017-03", "month", "mid")]),
        ("Rates rose yesterday.", [("yesterday", "2019-01-17", "day", None)]),
        ("The month before, it threatened talks.", [("The month before", None, None, None)]),
        ("You may go now.", []),
    ],
)
def test_expressions_resolve_against_the_publication_date(
    sentence: str, expected: list[tuple[str, str | None, str | None, str | None]]
) -> None:
    assert resolved(sentence) == expected


def test_relative_expressions_stay_unresolved_without_a_publication_date() -> None:
    assert resolved("They met last June and on Friday.", None) == [
        ("last June", None, None, None),
        ("on Friday", None, None, None),
    ]
    assert resolved("The deal was signed on Sept. 3, 2018.", None) == [("Sept. 3, 2018", "2018-09-03", "day", None)]


@pytest.mark.parametrize(
    ("sentence", "published"),
    [
        ("It happened 999999999 days ago.", FRIDAY),
        ("It was 2500 years ago.", FRIDAY),
        ("It happens tomorrow.", date.max),
        ("They meet next June.", date.max),
        ("It was 3 weeks ago.", date.min),
    ],
)
def test_expressions_off_the_calendar_stay_unresolved(sentence: str, published: date) -> None:
    assert [(date_, granularity) for _, date_, granularity, _ in resolved(sentence, published)] == [(None, None)]


_PIECES = ["June ", "last ", "Friday ", "late ", "in ", "12", "2017", " ", ",", ".", "-", "May ", "weeks ago", "x"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_expressions_are_exact_non_overlapping_spans(text: str) -> None:
    previous_end = 0
    for start, end, result in resolve_in_sentence(text, FRIDAY):
        assert previous_end <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        assert (result.date is None) == (result.granularity is None)
        previous_end = end


WEDNESDAY = date(1989, 10, 25)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # tense, modals and forward words decide the direction, not a fixed "prefer past"
        ("The dividend is payable Dec. 1 to holders of record.", ("Dec. 1", "1989-12-01")),
        ("The rights, which expire Nov. 21, were issued to holders.", ("Nov. 21", "1989-11-21")),
        ("She said Friday that she would seek a second term.", ("Friday", "1989-10-20")),
        ("They will appeal on Monday.", ("on Monday", "1989-10-30")),
        ("The team planned to leave Nairobi on Thursday.", ("on Thursday", "1989-10-26")),
        ("The thrift announced the plan Aug. 21.", ("Aug. 21", "1989-08-21")),
        ("He must be returned to his father by Jan. 14.", ("Jan. 14", "1990-01-14")),
        ("It will redeem Series H preferred shares on Oct. 31.", ("Oct. 31", "1989-10-31")),
        ("The next court date for his case was set for Aug. 3.", ("Aug. 3", "1990-08-03")),
        # the present tense of a scheduled event points ahead, as news writes it
        ("He and Arafat meet separately Monday with the secretary.", ("Monday", "1989-10-30")),
        ("The Senate convenes Tuesday to debate the bill.", ("Tuesday", "1989-10-31")),
        # 'the week of' a day is the week that holds it
        ("Hearings resume the week of Nov. 8.", ("the week of Nov. 8", "1989-11-06")),
        # with no cue, a day of a month is the nearest one; a bare month the last one
        ("Losses were 6.8% from Oct. 13, when the plunge began.", ("Oct. 13", "1989-10-13")),
        ("In January, a week after the ruling, the clinic closed.", ("In January", "1989-01")),
        # but 'through' a bare month runs up to the nearest one
        ("It lent up to $90 million in revolving loans through January.", ("through January", "1990-01")),
        # the publication day itself is never pushed a year ahead
        ("MOSCOW, October 25 (Xinhua) -- Talks opened.", ("October 25", "1989-10-25")),
        # quarters, fiscal years and seasons
        ("It posted a third-quarter loss of $2 million.", ("third-quarter", "1989-Q3")),
        ("Net rose in the fourth quarter of 1988.", ("the fourth quarter of 1988", "1988-Q4")),
        ("The year-ago results included a charge in the 1988 second quarter.", ("the 1988 second quarter", "1988-Q2")),
        ("In fiscal 1989, Elco earned $7.8 million.", ("fiscal 1989", "1989")),
        ("In this year's third quarter, net was $10 million.", ("this year's third quarter", "1989-Q3")),
        ("The stock began trading this summer at $14.", ("this summer", "1989-SU")),
        ("He was killed by a sniper last fall.", ("last fall", "1988-FA")),
        ("He moved to Ohio in July last year.", ("July last year", "1988-07")),
        # holidays, a year's end, the quarter ended on a day, a transcript's spelled-out years
        ("The boy was found at sea on Thanksgiving Day.", ("Thanksgiving Day", "1988-11-24")),
        ("The store will reopen before Christmas.", ("Christmas", "1989-12-25")),
        ("The boat sank last Thanksgiving.", ("last Thanksgiving", "1988-11-24")),
        ("The sale should be completed by year-end.", ("year-end", "1989-12-31")),
        ("The index is up 12% since year-end.", ("year-end", "1988-12-31")),
        ("It lost $9 million in the quarter ended Sept. 30.", ("the quarter", "1989-Q3")),
        ("In the quarter ended July 31, it sold 5,000 units.", ("the quarter", "1989-Q2")),
        ("Sales should grow 4% in the current year.", ("the current year", "1989")),
        ("In nineteen eighty-six he was convicted of fraud.", ("nineteen eighty-six", "1986")),
        ("He promised full employment by the year two thousand.", ("the year two thousand", "2000")),
    ],
)
def test_direction_quarters_seasons(sentence: str, expected: tuple[str, str]) -> None:
    found = {sentence[s:e]: r.date for s, e, r in resolve_in_sentence(sentence, WEDNESDAY)}
    assert found[expected[0]] == expected[1]


@pytest.mark.parametrize(
    "sentence",
    [
        "Czech Foreign Minister Jan Kavan said he was in Kansas City.",
        "The question came from April Ryan of American Urban Radio.",
        "Protesters gathered at the annual March for Life on Capitol Hill.",
        "The March of the Combatant Mothers walked to the square.",
        "He appeared on ABC's This Week with the host.",
        "The plant employs 1990 workers.",
        "The ship anchored off Christmas Island.",
        "Speaking to CBS This Morning, Rubio declined to predict a result.",
        "Prime Minister Theresa May said the talks would go on.",
        "High winds are expected to continue, said Navy Capt. Burt March.",
        "Thousands walked in the NYC Pride March. The parade went on.",
        "The clip was shown on Entertainment Tonight and Access Hollywood.",
    ],
)
def test_names_titles_and_counts_are_not_dates(sentence: str) -> None:
    assert [r.date for _, _, r in resolve_in_sentence(sentence, WEDNESDAY) if r.date] == []


def test_relative_expressions_follow_the_last_date_the_text_gave() -> None:
    first = list(resolve_in_sentence("Citadel posted a third-quarter net loss.", WEDNESDAY))
    reference = first[-1][2]
    sentence = "Profit rose from $5 million a year earlier; in the year-ago quarter sales fell."
    assert [r.date for _, _, r in resolve_in_sentence(sentence, WEDNESDAY, reference)] == ["1988-Q3", "1988-Q3"]
    may = list(resolve_in_sentence("On May 22, 1995, Farkas was made a general.", WEDNESDAY))[-1][2]
    assert [r.date for _, _, r in resolve_in_sentence("The following year he moved.", WEDNESDAY, may)] == ["1996"]
    assert [r.date for _, _, r in resolve_in_sentence("Later that month he moved.", WEDNESDAY, may)] == ["1995-05"]
    assert [r.date for _, _, r in resolve_in_sentence("Later that month he moved.", WEDNESDAY)] == [None]
    # counted from an event, not from a date: unresolved
    assert [r.date for _, _, r in resolve_in_sentence("It was seen 10 days before the murder.", WEDNESDAY, may)] == []
    # a weekday, a morning or a day's later hours from the day the text is telling
    assert [r.date for _, _, r in resolve_in_sentence("He came the next morning.", WEDNESDAY, may)] == ["1995-05-23"]
    assert [r.date for _, _, r in resolve_in_sentence("He left later in the day.", WEDNESDAY, may)] == ["1995-05-22"]
    closing = "The index fell on Friday, down 4.5% from the previous Friday."
    assert [r.date for _, _, r in resolve_in_sentence(closing, WEDNESDAY)] == ["1989-10-20", "1989-10-13"]
    assert [r.date for _, _, r in resolve_in_sentence("A week or so ago he quit.", WEDNESDAY)] == ["1989-10-16"]


def test_the_latest_quarter_is_the_last_ended_whatever_quarter_the_text_named_last() -> None:
    """An earnings report names an outlook's quarter ('a fourth-quarter charge') or an earlier
    one before 'the latest quarter': that is still the quarter the report is about, and the
    quarter 'a year ago' and 'the year-ago period' compare it with."""
    outlook = list(resolve_in_sentence("It expects a fourth-quarter charge.", WEDNESDAY))[-1][2]
    assert outlook.date == "1989-Q4"
    sentence = "Earnings fell in the latest quarter, against $6 million a year ago."
    assert [r.date for _, _, r in resolve_in_sentence(sentence, WEDNESDAY, outlook)] == ["1989-Q3", "1988-Q3"]
    forecast = list(resolve_in_sentence("Losses may last through the third quarter of 1990.", WEDNESDAY))[-1][2]
    sentence = "In the year-ago period, it earned $101 million."
    assert [r.date for _, _, r in resolve_in_sentence(sentence, WEDNESDAY, forecast)] == ["1988-Q3"]
    # 'the quarter' alone is the one the text is about, and what 'a year ago' then compares with
    assert [r.date for _, _, r in resolve_in_sentence("Sales in the quarter rose.", WEDNESDAY, outlook)] == ["1989-Q4"]
    year = list(resolve_in_sentence("It expects near record earnings in 1990.", WEDNESDAY))[-1][2]
    loans = "New loans were $6.6 million in the quarter compared with $361.8 million a year ago."
    assert [r.date for _, _, r in resolve_in_sentence(loans, WEDNESDAY, year)] == ["1989-Q3", "1988-Q3"]


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31)), st.sampled_from(["said", "will"]))
def test_a_day_of_a_month_lies_within_a_year_on_the_side_the_verb_gives(published: date, verb: str) -> None:
    """Plain date arithmetic: the same day and month as publication is publication day;
    a past verb never gives a future day, a future verb never a past one, and never more
    than a year away."""
    for shift in (0, 1, 40, 200, 364):
        day = published + timedelta(days=shift if verb == "will" else -shift)
        if (day.month, day.day) == (2, 29):
            continue
        name = f"{MONTHS[day.month - 1]} {day.day}"
        sentence = f"They {verb} meet on {name}." if verb == "will" else f"They {verb} on {name} that it was over."
        (found,) = [r for _, _, r in resolve_in_sentence(sentence, published)]
        resolved = date.fromisoformat(found.date or "")
        assert (resolved.month, resolved.day) == (day.month, day.day)
        assert resolved == day or abs((resolved - published).days) <= 366
        assert (resolved >= published) if verb == "will" else (resolved <= published)
        if shift == 0:
            assert resolved == published


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31)), st.integers(1, 4))
def test_a_quarter_without_a_year_is_the_latest_begun(published: date, number: int) -> None:
    ordinal = ("first", "second", "third", "fourth")[number - 1]
    (found,) = [r for _, _, r in resolve_in_sentence(f"Profit fell in the {ordinal} quarter.", published)]
    year, quarter = (found.date or "").split("-Q")
    assert int(quarter) == number and found.granularity == "quarter"
    assert (int(year), number) <= (published.year, (published.month - 1) // 3 + 1)
    assert (int(year), number) > (published.year - 1, (published.month - 1) // 3 + 1)


@given(
    st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31)),
    st.sampled_from(["Thanksgiving", "Labor Day", "Memorial Day", "Christmas", "Independence Day"]),
)
def test_a_past_holiday_is_the_last_one_on_its_own_weekday_or_day(published: date, holiday: str) -> None:
    """'was found on Thanksgiving': the last such holiday not after publication, on the
    fourth Thursday of November, the first Monday of September, the last Monday of May,
    or its fixed day."""
    (found,) = [r for _, _, r in resolve_in_sentence(f"He was found on {holiday}.", published)]
    day = date.fromisoformat(found.date or "")
    assert day <= published and (published - day).days < 366 + 7  # a moveable one falls up to 6 days apart
    if holiday == "Thanksgiving":
        assert (day.month, day.weekday()) == (11, 3) and 22 <= day.day <= 28
    elif holiday == "Labor Day":
        assert (day.month, day.weekday()) == (9, 0) and day.day <= 7
    elif holiday == "Memorial Day":
        assert (day.month, day.weekday()) == (5, 0) and day.day >= 25
    else:
        assert (day.month, day.day) == ((12, 25) if holiday == "Christmas" else (7, 4))


@given(st.integers(1910, 1999))
def test_a_spelled_out_year_is_that_year(year: int) -> None:
    ones = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    tens = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
    teens = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen")
    teens += ("nineteen",)
    rest = year - 1900
    words = teens[rest - 10] if rest < 20 else tens[rest // 10] + (f"-{ones[rest % 10]}" if rest % 10 else "")
    found = [r.date for _, _, r in resolve_in_sentence(f"In nineteen {words} the city grew.", WEDNESDAY)]
    assert found == [str(year)]


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # NYT, 2000-02-24 (a Thursday): the hearing was Tuesday the 22nd, the visit the day before
        (
            "The day before last Tuesday's federal court hearing, Manuel went to Lazaro's home.",
            date(2000, 2, 24),
            ("The day before last Tuesday", "2000-02-21", "day"),
        ),
        ("Two years after 1996 the plant closed.", WEDNESDAY, ("Two years after 1996", "1998", "year")),
        ("He quit three weeks after Jan. 5.", WEDNESDAY, ("three weeks after Jan. 5", "1989-01-26", "day")),
        # Christmas 1988 was a Sunday, the last day of its week
        ("They met the week after Christmas.", WEDNESDAY, ("the week after Christmas", "1988-12-26", "week")),
        ("It rained the day before yesterday.", WEDNESDAY, ("the day before yesterday", "1989-10-23", "day")),
        ("A year before the 1996 election he moved.", WEDNESDAY, ("A year before the 1996", "1995", "year")),
    ],
)
def test_words_that_count_from_a_date_move_it(sentence: str, published: date, expected: tuple[str, str, str]) -> None:
    assert [(sentence[s:e], r.date, r.granularity) for s, e, r in resolve_in_sentence(sentence, published)] == [
        expected
    ]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 400), st.booleans())
def test_days_counted_from_a_calendar_date_are_that_many_days_away(day: date, days: int, before: bool) -> None:
    way = "before" if before else "after"
    sentence = f"It happened {days} days {way} {MONTHS[day.month - 1]} {day.day}, {day.year}, officials said."
    found = [(sentence[s:e], r.date) for s, e, r in resolve_in_sentence(sentence, WEDNESDAY)]
    moved = day + timedelta(days=-days if before else days)
    assert found == [(f"{days} days {way} {MONTHS[day.month - 1]} {day.day}, {day.year}", moved.isoformat())]


MONDAY = date(2000, 4, 24)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        # NYT, Monday 2000-04-24
        ("The decision was confirmed over the weekend.", MONDAY, ("the weekend", "2000-04-22")),
        ("He left last weekend.", MONDAY, ("last weekend", "2000-04-22")),
        ("They will meet this weekend.", MONDAY, ("this weekend", "2000-04-29")),
        ("He will fly home over the weekend.", MONDAY, ("the weekend", "2000-04-29")),
        # told on a Saturday: the weekend is this one, the next is a week on
        ("Talks went on through the weekend.", date(2000, 4, 22), ("the weekend", "2000-04-22")),
        ("They meet again next weekend.", date(2000, 4, 22), ("next weekend", "2000-04-29")),
    ],
)
def test_a_weekend_is_its_saturday(sentence: str, published: date, expected: tuple[str, str]) -> None:
    found = [(sentence[s:e], r.date, r.granularity) for s, e, r in resolve_in_sentence(sentence, published)]
    assert found == [(*expected, "weekend")]


def test_that_weekend_is_the_one_of_the_day_the_text_is_telling() -> None:
    friday = list(resolve_in_sentence("The talks began on Friday, March 3, 2000.", MONDAY))[-1][2]
    found = [(r.date, r.granularity) for _, _, r in resolve_in_sentence("They ended that weekend.", MONDAY, friday)]
    assert found == [("2000-03-04", "weekend")]
    assert [r.date for _, _, r in resolve_in_sentence("They ended that weekend.", MONDAY)] == [None]


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2098, 12, 31)), st.sampled_from(["ended", "will end"]))
def test_the_weekend_is_the_nearest_one_on_the_side_the_verb_gives(published: date, verb: str) -> None:
    """Back: the last Saturday no later than the day (the weekend it is, on a Saturday or Sunday);
    ahead: the coming one (this one, on a Saturday)."""
    sentence = f"The talks {verb} over the weekend."
    (saturday,) = [date.fromisoformat(r.date or "") for _, _, r in resolve_in_sentence(sentence, published)]
    assert saturday.weekday() == 5
    if verb == "ended":
        assert 0 <= (published - saturday).days <= 6
    else:
        assert 0 <= (saturday - published).days <= 6


def _on(value: str, granularity: Granularity) -> TimeExpression:
    return TimeExpression(Span("a", value, 0, len(value)), 0, value, granularity, None)


def test_a_weekend_agrees_with_its_two_days_and_the_periods_that_hold_them() -> None:
    weekend = _on("2000-04-29", "weekend")
    assert dates_compatible(weekend, _on("2000-04-29", "day")) and dates_compatible(_on("2000-04-30", "day"), weekend)
    assert dates_compatible(weekend, _on("2000-04", "month")) and dates_compatible(weekend, _on("2000", "year"))
    assert not dates_compatible(weekend, _on("2000-05-01", "day"))
    assert not dates_compatible(weekend, _on("2000-03", "month"))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A former pilot told the Seattle Post-Intelligencer last night the jet may have stalled.", "1989-10-24"),
        ("Here are five things to watch for tonight.", "1989-10-25"),
        ("Its earnings will be disclosed this morning.", "1989-10-25"),
    ],
)
def test_a_night_or_a_morning_of_the_news_is_its_day(sentence: str, expected: str) -> None:
    assert [r.date for _, _, r in resolve_in_sentence(sentence, WEDNESDAY)] == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Sales fell late last year.", ("late last year", "1988", "year", "late")),
        ("The plant is to close by the end of this year.", ("the end of this year", "1989", "year", "late")),
        ("Talks resume early next week.", ("early next week", "1989-10-30", "week", "early")),
        (
            "Payments start at the beginning of next month.",
            ("the beginning of next month", "1989-11", "month", "early"),
        ),
    ],
)
def test_a_part_of_a_period_counted_from_the_news_keeps_its_part(
    sentence: str, expected: tuple[str, str, str, str]
) -> None:
    found = [(sentence[s:e], r.date, r.granularity, r.modifier) for s, e, r in resolve_in_sentence(sentence, WEDNESDAY)]
    assert found == [expected]


def test_the_end_of_the_year_names_no_year_of_its_own() -> None:
    """The year of a narrative or of the news: 'By the end of the year, he had climbed to 30
    percent' tells of a year an earlier sentence gave, so it is left alone."""
    assert list(resolve_in_sentence("By the end of the year, he had climbed to 30 percent.", WEDNESDAY)) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In May, the company said, sales fell 4%.", ("In May", "1989-05")),
        ("Since April, prices have risen.", ("Since April", "1989-04")),
        ("Last June he quit the board.", ("Last June", "1989-06")),
    ],
)
def test_a_month_after_the_word_that_opens_a_sentence_is_a_date(sentence: str, expected: tuple[str, str]) -> None:
    assert [(sentence[s:e], r.date) for s, e, r in resolve_in_sentence(sentence, WEDNESDAY)] == [expected]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a period, not a day counted back
        ("Investigators studied the days before Sept. 26 closely.", ("Sept. 26", "1989-09-26")),
        # a week cannot be counted from a year
        ("Polls moved in the week before the 1988 election.", ("1988", "1988")),
    ],
)
def test_counting_words_that_cannot_be_carried_leave_the_date_alone(sentence: str, expected: tuple[str, str]) -> None:
    assert [(sentence[s:e], r.date) for s, e, r in resolve_in_sentence(sentence, WEDNESDAY)] == [expected]
