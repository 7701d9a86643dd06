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


ANALYSIS_KEYS = ("claims", "contradictions", "quotes", "timeline")


def test_story_without_analysis_keys_leaves_those_sections_out(seed_document: dict[str, Any]) -> None:
    """Older stories.json files have no analysis keys; their pages must still render."""
    story = {key: value for key, value in seed_story(seed_document).items() if key not in ANALYSIS_KEYS}
    view = story_page(story, DocumentReader(seed_document))
    assert (view.consensus, view.single_source, view.contradictions, view.quotes, view.timeline) == (None,) * 5
    assert [s.number for s in view.sources] == [1, 2]
    for sentence, record in zip(view.digest, story["digest"], strict=True):
        assert [s.id for s in sentence.sources] == sorted(record["sources"], key=view.story["article_ids"].index)


def test_claims_split_into_consensus_and_what_each_outlet_alone_reports(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_page(story, DocumentReader(analysed_document))
    claims = {c["id"]: c for c in story["claims"]}
    assert [c.text for c in view.consensus or ()] == [claims["c1"]["text"]]
    alone = {group.outlet: [c.text for c in group.claims] for group in view.single_source or ()}
    assert alone == {"outlet-a": [claims["c4"]["text"]], "outlet-b": [claims["c2"]["text"], claims["c3"]["text"]]}


def test_contradiction_variants_highlight_the_differing_words(analysed_document: dict[str, Any]) -> None:
    view = story_page(seed_story(analysed_document), DocumentReader(analysed_document))
    (contradiction,) = view.contradictions or ()
    assert contradiction.kind == "quote_wording"
    changed = [[t.text for t in v.tokens if t.changed] for v in contradiction.variants]
    assert [v.source.outlet for v in contradiction.variants] == ["outlet-a", "outlet-b"]
    assert "in" in changed[0] and "and" in changed[1]
    assert "steps" not in changed[0] + changed[1]


def test_quotes_are_grouped_by_speaker_with_variants_together(analysed_document: dict[str, Any]) -> None:
    view = story_page(seed_story(analysed_document), DocumentReader(analysed_document))
    grouped = {g.speaker: [[v.source.outlet for v in quote] for quote in g.quotes] for g in view.quotes or ()}
    assert grouped == {"Antonio Guterres": [["outlet-b"]], "Sarah Sanders": [["outlet-a", "outlet-b"]]}


def test_timeline_cites_every_article_of_each_event(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_page(story, DocumentReader(analysed_document))
    assert [e.date for e in view.timeline or ()] == [t["date"] for t in story["timeline"]]
    outlets = [[s.outlet for s in e.sources] for e in view.timeline or ()]
    assert outlets == [["outlet-a", "outlet-b"], ["outlet-a", "outlet-b"]]


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
