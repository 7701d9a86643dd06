"""The story view every reader renders, on real pipeline output, with and without the analysis keys."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.view.diff import word_diff
from newsfuse.view.story import story_view

from .test_web_pages import seed_story


def members(story: dict[str, Any], document: dict[str, Any]) -> list[dict[str, Any]]:
    articles = {a["id"]: a for a in document["articles"]}
    return [articles[i] for i in story["article_ids"]]


ANALYSIS_KEYS = ("claims", "contradictions", "quotes", "timeline")


def test_story_without_analysis_keys_leaves_those_sections_out(seed_document: dict[str, Any]) -> None:
    """Older stories.json files have no analysis keys; their pages must still render."""
    story = {key: value for key, value in seed_story(seed_document).items() if key not in ANALYSIS_KEYS}
    view = story_view(story, members(story, seed_document))
    assert (view.consensus, view.single_source, view.contradictions, view.quotes, view.timeline) == (None,) * 5
    assert [s.number for s in view.sources] == [1, 2]
    for sentence, record in zip(view.digest, story["digest"], strict=True):
        assert [s.id for s in sentence.sources] == sorted(record["sources"], key=view.story["article_ids"].index)


def test_claims_split_into_consensus_and_what_each_outlet_alone_reports(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    claims = {c["id"]: c for c in story["claims"]}
    assert [c.text for c in view.consensus or ()] == [claims["c1"]["text"]]
    alone = {group.outlet: [c.text for c in group.claims] for group in view.single_source or ()}
    assert alone == {"outlet-a": [claims["c4"]["text"]], "outlet-b": [claims["c2"]["text"], claims["c3"]["text"]]}


def test_contradiction_variants_highlight_the_differing_words(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    (contradiction,) = view.contradictions or ()
    assert contradiction.kind == "quote_wording"
    changed = [[t.text for t in v.tokens if t.changed] for v in contradiction.variants]
    assert [v.source.outlet for v in contradiction.variants] == ["outlet-a", "outlet-b"]
    assert "in" in changed[0] and "and" in changed[1]
    assert "steps" not in changed[0] + changed[1]


def test_quotes_are_grouped_by_speaker_with_variants_together(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    grouped = {g.speaker: [[v.source.outlet for v in quote] for quote in g.quotes] for g in view.quotes or ()}
    assert grouped == {"Antonio Guterres": [["outlet-b"]], "Sarah Sanders": [["outlet-a", "outlet-b"]]}


def test_timeline_cites_every_article_of_each_event(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    assert [e.date for e in view.timeline or ()] == [t["date"] for t in story["timeline"]]
    outlets = [[s.outlet for s in e.sources] for e in view.timeline or ()]
    assert outlets == [["outlet-a", "outlet-b"], ["outlet-a", "outlet-b"]]


@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_keeps_the_text(text: str, other: str) -> None:
    assert "".join(t.text for t in word_diff(text, other)) == text


@given(st.text(max_size=60))
def test_a_text_does_not_differ_from_itself(text: str) -> None:
    assert not any(t.changed for t in word_diff(text, text))


def test_word_diff_marks_the_changed_word_and_ignores_quote_typography() -> None:
    first = "\u201cWe've had very good steps in good faith,\u201d she said"
    second = '"We\'ve had very good steps and good faith" she said'
    assert [t.text for t in word_diff(first, second) if t.changed] == ["in"]
    assert [t.text for t in word_diff(second, first) if t.changed] == ["and"]
