"""Page view models on real pipeline output, with and without the analysis keys."""

from __future__ import annotations

import copy
from typing import Any

from newsfuse.web.coverage import coverage_chart
from newsfuse.web.pages import article_page, story_marks, story_page
from newsfuse.web.reader import DocumentReader


def by_outlet(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["source"]: a for a in document["articles"]}


def seed_story(document: dict[str, Any]) -> dict[str, Any]:
    first = by_outlet(document)["outlet-a"]["id"]
    return next(s for s in document["stories"] if first in s["article_ids"])


def test_article_marks_cover_exactly_the_story_spans(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    article = by_outlet(analysed_document)["outlet-b"]
    marks = story_marks(story, article)
    quoted = {article["text"][m.start : m.end] for m in marks if m.kind == "quote"}
    assert quoted == {q["text"] for q in story["quotes"] if q["article_id"] == article["id"]}
    dates = {article["text"][m.start : m.end] for m in marks if m.kind == "date"}
    assert dates == {"last June", "end of February"}
    assert {m.kind for m in marks} >= {"claim", "quote", "date", "contradiction"}


def test_article_page_lists_its_stories_and_duplicates(analysed_document: dict[str, Any]) -> None:
    reader = DocumentReader(analysed_document)
    outlets = by_outlet(analysed_document)
    view = article_page(outlets["outlet-a"], reader)
    assert [s["id"] for s in view.stories] == [seed_story(analysed_document)["id"]]
    assert [d["id"] for d in view.duplicates] == [outlets["outlet-c"]["id"]]
    assert "".join(s.text for s in view.segments) == outlets["outlet-a"]["text"]


def test_coverage_puts_one_row_per_outlet_and_bins_long_spans() -> None:
    pairs = [("nyt", "1998-01-01"), ("nyt", "1998-01-01"), ("apw", "1998-03-01T08:00:00"), ("apw", None)]
    chart = coverage_chart(pairs)
    assert [row.outlet for row in chart.rows] == ["apw", "nyt"]
    assert [dot.count for row in chart.rows for dot in row.dots] == [1, 2]
    assert (chart.first, chart.last, chart.undated) == ("1998-01-01", "1998-03-01", 1)
    nyt_dot = chart.rows[1].dots[0]
    assert chart.plot_left < nyt_dot.x < chart.rows[0].dots[0].x < chart.width
    assert "to" in nyt_dot.label


def test_a_story_page_lists_the_earlier_and_later_stories_of_its_thread(seed_document: dict[str, Any]) -> None:
    document = copy.deepcopy(seed_document)
    story = seed_story(document)
    earlier = {**copy.deepcopy(story), "id": "s-earlier"}
    document["stories"].append(earlier)
    document["threads"] = [{"id": "t1", "title": "T", "story_ids": ["s-earlier", story["id"]]}]
    story["thread_id"] = earlier["thread_id"] = "t1"
    view = story_page(story, DocumentReader(document))
    assert view.thread is not None
    assert [(entry.story["id"], entry.when) for entry in view.thread.stories] == [
        ("s-earlier", "earlier"),
        (story["id"], "this story"),
    ]
    alone = story_page(seed_story(seed_document), DocumentReader(seed_document))
    assert alone.thread is None  # a thread of one story is not shown


def test_a_long_thread_lists_the_nearest_stories_and_links_to_the_rest(seed_document: dict[str, Any]) -> None:
    document = copy.deepcopy(seed_document)
    story = seed_story(document)
    others = [{**copy.deepcopy(story), "id": f"s{n}"} for n in range(10)]
    document["stories"] += others
    ids = [other["id"] for other in others[:5]] + [story["id"]] + [other["id"] for other in others[5:]]
    document["threads"] = [{"id": "t1", "title": "T", "story_ids": ids}]
    for member in [story, *others]:
        member["thread_id"] = "t1"
    view = story_page(story, DocumentReader(document))
    assert view.thread is not None
    assert [entry.story["id"] for entry in view.thread.stories] == ids[2:9]
    assert (view.thread.first, view.thread.total) == (3, 11)
