"""Cross-source analysis of the two real seed articles (outlet-a, outlet-b, 2019-01-18)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse.analyze.agreement import CONSENSUS, SINGLE_SOURCE, consensus_count
from newsfuse.analyze.story import StoryAnalysis, analyze_story
from newsfuse.analyze.timeline import time_expressions
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, build_story
from newsfuse.records import Article, ParsedArticle, Span, Story
from newsfuse.summarize.digest import make_digest


@pytest.fixture(scope="module")
def articles(parsed_samples: tuple[ParsedArticle, ...]) -> dict[str, ParsedArticle]:
    return {p.article.source or "": p for p in parsed_samples}


@pytest.fixture(scope="module")
def analysis(parsed_samples: tuple[ParsedArticle, ...]) -> StoryAnalysis:
    return analyze_story(sorted(parsed_samples, key=lambda p: (p.article.published or "", p.id)))


def all_spans(analysis: StoryAnalysis | Story) -> Iterator[Span]:
    for claim in analysis.claims:
        yield from claim.evidence
    for contradiction in analysis.contradictions:
        yield from contradiction.variants
    for quote in analysis.quotes:
        yield from quote.parts
    for event in analysis.timeline:
        yield from event.evidence


def test_every_span_is_the_exact_article_text(analysis: StoryAnalysis, articles: dict[str, ParsedArticle]) -> None:
    texts = {p.id: p.article.text for p in articles.values()}
    spans = list(all_spans(analysis))
    assert len(spans) > 50
    for span in spans:
        assert texts[span.article_id][span.start : span.end] == span.text
    for quote in analysis.quotes:
        assert quote.start <= quote.parts[0].start and quote.parts[-1].end <= quote.end
        assert quote.text == " ".join(part.text for part in quote.parts)


def test_sanders_quote_is_one_quotation_with_two_variants_and_a_wording_contradiction(
    analysis: StoryAnalysis, articles: dict[str, ParsedArticle]
) -> None:
    good_steps = [q for q in analysis.quotes if "very good steps" in q.text]
    assert {q.speaker for q in good_steps} == {"Sarah Sanders"}
    assert {q.article_id for q in good_steps} == {articles["outlet-a"].id, articles["outlet-b"].id}
    original = next(q for q in good_steps if q.variant_of is None)
    assert [q.variant_of for q in good_steps if q is not original] == [original.id]
    wording = [c for c in analysis.contradictions if c.kind == "quote_wording"]
    assert len(wording) == 1
    assert "[-in-] {+and+}" in wording[0].diff
    assert "good steps in good faith" in wording[0].variants[0].text
    assert "good steps and good faith" in wording[0].variants[1].text


def test_spelling_and_abbreviations_are_not_contradictions(analysis: StoryAnalysis) -> None:
    diffs = " ".join(c.diff for c in analysis.contradictions)
    assert "denuclear" not in diffs
    assert "united" not in diffs and "us" not in diffs.split()
    assert {c.kind for c in analysis.contradictions} == {"quote_wording"}


def test_guterres_is_resolved_from_the_un_chief(analysis: StoryAnalysis) -> None:
    roadmap = next(q for q in analysis.quotes if q.text.startswith("to know exactly"))
    assert roadmap.speaker == "Antonio Guterres"
    assert next(q for q in analysis.quotes if q.text == "it's high time").speaker == "Antonio Guterres"


def test_scare_quotes_and_unattributed_quotes_get_no_speaker(analysis: StoryAnalysis) -> None:
    texts = {q.text: q.speaker for q in analysis.quotes}
    assert "complete denuclearisation" not in texts  # two words: a phrase, not a statement
    assert texts["Little Rocket Man"] is None  # "Trump called Kim ...": a name in capitals, not a statement


def test_both_summits_are_on_the_timeline_citing_both_articles(
    analysis: StoryAnalysis, articles: dict[str, ParsedArticle]
) -> None:
    both = tuple(sorted(p.id for p in articles.values()))
    by_date = {(e.date, e.modifier): e for e in analysis.timeline if e.article_ids == both}
    singapore = by_date[("2018-06-12", None)]
    assert "Singapore" in singapore.text
    assert {span.article_id for span in singapore.evidence} == set(both)
    second = by_date[("2019-02", "late")]
    assert second.granularity == "month" and "second summit" in second.text
    dates = [e.date for e in analysis.timeline if e.date]
    assert dates == sorted(dates)
    unresolved = [e for e in analysis.timeline if e.date is None]
    assert analysis.timeline[-len(unresolved) :] == tuple(unresolved)
    # "In December, ... The month before, ... Later that month, ...": from the text's own dates
    relative = {
        e.span.text: e.date
        for p in articles.values()
        for e in time_expressions(p)
        if e.span.text in ("In December", "The month before", "Later that month")
    }
    assert relative == {"In December": "2018-12", "The month before": "2018-11", "Later that month": "2018-11"}


def test_single_source_and_consensus_claims(analysis: StoryAnalysis, articles: dict[str, ParsedArticle]) -> None:
    outlet_b = articles["outlet-b"].id

    def labels_of(fragment: str) -> set[tuple[str, tuple[str, ...]]]:
        return {(c.label, c.article_ids) for c in analysis.claims if fragment in c.text}

    assert (SINGLE_SOURCE, (outlet_b,)) in labels_of("90 minutes")
    assert labels_of("Guterres") == {(SINGLE_SOURCE, (outlet_b,))}
    assert labels_of("The UN chief told") == {(SINGLE_SOURCE, (outlet_b,))}
    announcement = labels_of("would take place in late February")
    assert announcement == {(CONSENSUS, tuple(sorted(p.id for p in articles.values())))}


def test_digest_sources_are_the_claims_article_ids(
    analysis: StoryAnalysis, parsed_samples: tuple[ParsedArticle, ...]
) -> None:
    ordered = sorted(parsed_samples, key=lambda p: (p.article.published or "", p.id))
    digest = make_digest(ordered, analysis.alignment)
    claims = {(span.article_id, span.start): claim for claim in analysis.claims for span in claim.evidence}
    sentences = {(s.article_id, s.text): s for p in ordered for s in p.sentences}
    assert digest
    for picked in digest:
        sentence = sentences[(picked.article_id, picked.text)]
        assert picked.sources == claims[(sentence.article_id, sentence.start)].article_ids
    assert any(len(picked.sources) == 2 for picked in digest)


@pytest.mark.parametrize(
    ("outlets", "share", "needed"),
    [(1, None, 2), (2, None, 2), (3, None, 2), (4, None, 2), (5, None, 3), (6, None, 3), (10, 2 / 3, 7), (5, 0.1, 2)],
)
def test_consensus_share(outlets: int, share: float | None, needed: int) -> None:
    """At least two outlets and half of them by default: one outlet is never agreement."""
    assert consensus_count(outlets, share) == needed


FRAGMENTS = (
    "The minister",
    "Kim",
    "Trump",
    "he",
    "she",
    "said",
    "told reporters",
    "on Friday",
    "last June",
    "late February",
    "in 2019",
    "3",
    "1-0",
    "$5 million",
    "12 per cent",
    "Hanoi",
    "the talks",
    "was",
    "and",
    '"',
    "'",
    "\u201c",
    "\u201d",
    "``",
    "''",
    ",",
    ".",
    "--",
    "(",
    ")",
    ":",
    "\n",
    "\n\n",
    "?",
)
words = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(words, words.filter(str.strip), st.sampled_from([None, "2019-02-06", "2019-02-08"])),
        min_size=1,
        max_size=3,
    )
)
def test_any_story_of_odd_real_parses_is_built_with_spans_in_its_texts(
    drafts: list[tuple[str, str, str | None]],
) -> None:
    """Whatever the articles hold (no content word, stray quote marks, bare numbers), a story
    is built and every span and citation points into its own articles."""
    articles = [
        Article(id=f"a{n}", title=title, text=text, source=f"outlet-{n}", published=published)
        for n, (title, text, published) in enumerate(drafts)
    ]
    members = list(parse_articles(articles, len(articles), processes=1))
    story = build_story("s", members, PipelineConfig())
    texts = {a.id: a.text for a in articles}
    for span in all_spans(story):
        assert texts[span.article_id][span.start : span.end] == span.text
    assert all(set(d.sources) <= texts.keys() and d.sources for d in story.digest)


def test_claims_are_labelled_by_outlets_not_articles(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    """Two articles of one outlet agreeing is that outlet saying it twice: single_source, not consensus."""
    same_outlet = [
        ParsedArticle(replace(p.article, source="APW"), p.sentences, p.entities, p.terms) for p in parsed_samples
    ]
    by_outlets = analyze_story(same_outlet).claims
    by_articles = analyze_story(list(parsed_samples)).claims
    shared = [c for c in by_outlets if len(c.article_ids) == 2]
    assert shared and {c.label for c in shared} == {SINGLE_SOURCE}
    assert {c.label for c in by_articles if len(c.article_ids) == 2} == {CONSENSUS}


def test_one_outlet_s_weekend_and_another_s_sunday_are_one_date_the_sunday() -> None:
    """Sunday lies in the weekend: the timeline shows one event on the more precise date, and no
    contradiction of dates."""
    text = "The ceasefire talks in Geneva ended {} without a deal."
    told = [
        Article("a", "Talks end", text.format("over the weekend"), "A", "2000-04-24"),
        Article("b", "Talks end", text.format("on Sunday"), "B", "2000-04-24"),
    ]
    analysis = analyze_story(list(parse_articles(told, len(told))))
    dated = [(e.date, e.granularity, e.article_ids) for e in analysis.timeline if e.date]
    assert dated == [("2000-04-23", "day", ("a", "b"))]
    assert not [c for c in analysis.contradictions if c.kind == "date"]
