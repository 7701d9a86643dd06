from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.analyze.timeline import resolve_in_sentence

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
