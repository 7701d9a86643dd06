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
    assert (view.agreed, view.additions, view.contradictions, view.quotes, view.timeline) == (None,) * 5
    assert [s.number for s in view.sources] == [1, 2]
    for sentence, record in zip(view.digest, story["digest"], strict=True):
        assert [s.id for s in sentence.sources] == sorted(record["sources"], key=view.story["article_ids"].index)


def test_claims_split_into_what_outlets_agree_on_and_what_each_alone_adds(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    claims = {c["id"]: c for c in story["claims"]}
    assert view.agreed is not None and [c.text for c in view.agreed.all] == [claims["c1"]["text"]]
    alone = {group.outlet: [c.text for c in group.claims.all] for group in view.additions or ()}
    assert alone == {"outlet-a": [claims["c4"]["text"]], "outlet-b": [claims["c2"]["text"], claims["c3"]["text"]]}


def test_contradiction_variants_highlight_the_differing_words(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    (contradiction,) = view.contradictions.all if view.contradictions else ()
    assert contradiction.kind == "quote_wording"
    changed = [[t.text for t in v.tokens if t.changed] for v in contradiction.variants]
    assert [v.source.outlet for v in contradiction.variants] == ["outlet-a", "outlet-b"]
    assert "in" in changed[0] and "and" in changed[1]
    assert "steps" not in changed[0] + changed[1]


def test_quotes_are_grouped_by_speaker_with_variants_together(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    speakers = view.quotes.all if view.quotes else ()
    grouped = {g.speaker: [[v.source.outlet for v in quote] for quote in g.quotes.all] for g in speakers}
    assert grouped == {"Antonio Guterres": [["outlet-b"]], "Sarah Sanders": [["outlet-a", "outlet-b"]]}


def test_timeline_cites_every_article_of_each_event(analysed_document: dict[str, Any]) -> None:
    story = seed_story(analysed_document)
    view = story_view(story, members(story, analysed_document))
    assert [e.date for e in (view.timeline.all if view.timeline else ())] == [t["date"] for t in story["timeline"]]
    outlets = [[s.outlet for s in e.sources] for e in (view.timeline.all if view.timeline else ())]
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


def claim(text: str, article_ids: list[str], label: str = "consensus", salience: float = 0.0) -> dict[str, Any]:
    return {"id": text, "text": text, "article_ids": article_ids, "label": label, "salience": salience}


def test_claims_are_ranked_by_how_many_outlets_state_them_then_salience() -> None:
    """The labels come from the analysis (support counted in outlets); the view ranks within them."""
    articles = [{"id": f"a{n}", "source": f"outlet-{n % 5}", "published": "2019-01-18"} for n in range(10)]
    claims = [
        claim("Three outlets, dull", ["a0", "a1", "a2"], salience=1.0),
        claim("Three outlets, salient", ["a2", "a3", "a4"], salience=5.0),
        claim("All five, in six articles", ["a0", "a1", "a2", "a3", "a9", "a5"]),
        claim("Two outlets", ["a0", "a1"], "partial", salience=9.0),
        claim("WASHINGTON (AP) -- One outlet twice", ["a0", "a5"], "single_source", salience=9.0),
    ]
    view = story_view({"id": "s", "title": "t", "article_ids": [a["id"] for a in articles], "claims": claims}, articles)
    assert view.outlet_count == 5 and view.agreed is not None and view.partly is not None
    ranked = ["All five, in six articles", "Three outlets, salient", "Three outlets, dull"]
    assert [c.text for c in view.agreed.all] == ranked
    assert [c.text for c in view.partly.all] == ["Two outlets"]
    assert {g.outlet: [c.text for c in g.claims.all] for g in view.additions or ()} == {
        "outlet-0": ["One outlet twice"]
    }


def test_long_lists_are_cut_with_the_rest_kept() -> None:
    articles = [{"id": f"a{n}", "source": f"outlet-{n}", "published": "2019-01-18"} for n in range(2)]
    claims = [claim(f"claim {n}", ["a0", "a1"], salience=n) for n in range(8)]
    claims += [claim(f"alone {n}", ["a0"], "single_source", salience=n) for n in range(5)]
    view = story_view({"id": "s", "title": "t", "article_ids": ["a0", "a1"], "claims": claims}, articles)
    assert view.agreed is not None and [c.text for c in view.agreed.shown] == [f"Claim {n}" for n in (7, 6, 5, 4, 3)]
    assert len(view.agreed.rest) == 3 and len(view.agreed) == 8
    (alone,) = view.additions or ()
    assert [c.text for c in alone.claims.shown] == ["Alone 4", "Alone 3", "Alone 2"] and len(alone.claims) == 5


def test_a_quote_and_its_contradiction_show_the_quoted_words_without_the_attribution() -> None:
    text = '"We will not stop," Hall said Friday in a statement, "until we know."'
    articles = [{"id": "a0", "source": "x", "published": "2019-01-18", "text": text}]
    parts = [{"article_id": "a0", "text": "We will not stop,", "start": 1, "end": 18}]
    parts.append({"article_id": "a0", "text": "until we know.", "start": 55, "end": 69})
    quote = {"id": "q0", "speaker": "Hall", "text": "x", "article_id": "a0", "start": 0, "end": 70, "parts": parts}
    variant = {"article_id": "a0", "text": text, "start": 0, "end": 70}
    contradiction = {"kind": "quote_wording", "variants": [variant], "diff": ""}
    story = {"id": "s", "title": "t", "article_ids": ["a0"], "contradictions": [contradiction], "quotes": [quote]}
    view = story_view(story, articles)
    (shown,) = view.contradictions.all  # type: ignore[union-attr]
    assert shown.variants[0].text == "We will not stop, ... until we know."
    (hall,) = view.quotes.all  # type: ignore[union-attr]
    assert [variant.text for variant in hall.quotes.all[0]] == ["We will not stop, ... until we know."]


def test_numbers_and_dates_come_before_wording_and_speakers_by_how_often_they_are_quoted() -> None:
    articles = [{"id": "a0", "source": "x", "published": "2019-01-18"}]
    span = {"article_id": "a0", "text": "t", "start": 0, "end": 1}
    kinds = ["quote_wording", "date", "number", "quote_wording"]
    quotes = [
        {"id": f"q{n}", "speaker": speaker, "text": f"words {n}", "article_id": "a0", "variant_of": None}
        for n, speaker in enumerate(["Ann", None, "Bob", "Bob", None, "Bob"])
    ]
    story = {
        "id": "s",
        "title": "t",
        "article_ids": ["a0"],
        "contradictions": [{"kind": kind, "variants": [span], "diff": ""} for kind in kinds],
        "quotes": quotes,
    }
    view = story_view(story, articles)
    assert [c.kind for c in view.contradictions.all] == ["number", "date", "quote_wording", "quote_wording"]
    assert [(s.speaker, len(s.quotes), s.known) for s in (view.quotes.all if view.quotes else ())] == [
        ("Bob", 3, True),
        ("Ann", 1, True),
        ("Unknown speaker", 2, False),
    ]


def test_dates_of_years_before_the_story_are_background() -> None:
    articles = [{"id": "a0", "source": "x", "published": "2019-01-18"}]
    dates = ["2019-02", "2018-06-12", "2017-12", "1996", "2018-Q1", "2017-Q4", None]
    timeline = [{"date": d, "text": str(d), "article_ids": ["a0"]} for d in dates]
    view = story_view({"id": "s", "title": "t", "article_ids": ["a0"], "timeline": timeline}, articles)
    assert [e.date for e in (view.timeline.all if view.timeline else ())] == ["2019-02", "2018-06-12", "2018-Q1"]
    assert [e.date for e in view.background] == ["2017-12", "1996", "2017-Q4", "unresolved"]


def test_a_quote_two_outlets_carry_counts_twice_for_its_speaker() -> None:
    articles = [{"id": f"a{n}", "source": f"outlet-{n}", "published": "2019-01-18"} for n in range(2)]
    quotes = [
        {"id": "q0", "speaker": "Zoe", "text": "we will", "article_id": "a0", "variant_of": None},
        {"id": "q1", "speaker": "Zoe", "text": "we shall", "article_id": "a1", "variant_of": "q0"},
        {"id": "q2", "speaker": "Abe", "text": "no comment", "article_id": "a0", "variant_of": None},
    ]
    view = story_view({"id": "s", "title": "t", "article_ids": ["a0", "a1"], "quotes": quotes}, articles)
    assert [(s.speaker, len(s.quotes)) for s in (view.quotes.all if view.quotes else ())] == [("Zoe", 1), ("Abe", 1)]
