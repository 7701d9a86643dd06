"""Store records round-trip: stories through their stories.json records, parses, clusterer state."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, DocumentFrequencies, OnlineClusterer
from newsfuse.records import (
    Claim,
    Contradiction,
    DigestSentence,
    ParsedArticle,
    Quote,
    Span,
    Story,
    StoryEntity,
    TimelineEvent,
)
from newsfuse.report.stories_json import article_record, story_record
from newsfuse.store.codec import article_from_record, parsed_from_record, parsed_record, story_from_record

text = st.text(max_size=30)
maybe = st.none() | text
ids = st.lists(text, max_size=3).map(tuple)
offsets = st.integers(min_value=0, max_value=10_000)
spans = st.lists(st.builds(Span, text, text, offsets, offsets), max_size=3).map(tuple)
speaker_kinds = st.sampled_from(("person", "organisation", "role", "unknown"))
evidence = st.none() | st.builds(Span, st.just(""), text, offsets, offsets)
quote = st.builds(Quote, text, maybe, text, text, offsets, offsets, spans, maybe, speaker_kinds, evidence).map(
    # the evidence lies in the quote's own article, so its record leaves the article id out
    lambda q: replace(q, speaker_evidence=q.speaker_evidence and replace(q.speaker_evidence, article_id=q.article_id))
)
stories = st.builds(
    Story,
    id=text,
    title=text,
    article_ids=ids,
    digest=st.lists(st.builds(DigestSentence, text, text, ids), max_size=3).map(tuple),
    entities=st.lists(st.builds(StoryEntity, text, text, offsets, ids), max_size=3).map(tuple),
    claims=st.lists(st.builds(Claim, text, text, ids, text, spans), max_size=3).map(tuple),
    contradictions=st.lists(st.builds(Contradiction, text, maybe, spans, text), max_size=3).map(tuple),
    quotes=st.lists(quote, max_size=3).map(tuple),
    timeline=st.lists(st.builds(TimelineEvent, maybe, maybe, maybe, text, text, ids, spans), max_size=3).map(tuple),
    outlets=ids,
)


@given(stories)
def test_a_story_survives_its_json_record(story: Story) -> None:
    record = json.loads(json.dumps(story_record(story)))
    assert story_from_record(record) == story


def test_a_quote_stored_before_speaker_kinds_reads_as_person_or_unknown() -> None:
    named = Quote("q1", "Ann Diaz", "We will", "a1", 0, 9, ())
    record = story_record(Story("s1", "T", ("a1",), quotes=(named, replace(named, id="q2", speaker=None))))
    for stored in record["quotes"]:
        del stored["speaker_kind"], stored["speaker_evidence"]
    assert [q.speaker_kind for q in story_from_record(record).quotes] == ["person", "unknown"]
    assert all(q.speaker_evidence is None for q in story_from_record(record).quotes)


def test_parsed_articles_survive_their_records(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    for parsed in parsed_samples:
        article = article_from_record(json.loads(json.dumps(article_record(parsed.article))))
        record = json.loads(json.dumps(parsed_record(parsed)))
        assert parsed_from_record(article, record) == parsed


def features(article_id: str, words: str, day: int) -> ArticleFeatures:
    return ArticleFeatures(article_id, date(2019, 1, day), tuple(words.split()), tuple(words.split()[:1]))


ARTICLES = [
    features("a", "summit korea trump kim february today", 1),
    features("b", "flood valley rain school closed today", 1),
    features("c", "summit kim trump hanoi talks today", 2),
    features("d", "rain flood river valley rescue today", 3),
    features("e", "election vote parliament poll today", 4),
    features("f", "summit trump kim hanoi february date today", 5),
    features("g", "vote poll parliament result today", 6),
]


def postings(clusterer: OnlineClusterer) -> dict[str, list[int]]:
    """The inverted index in offer order (the order postings were made)."""
    return {term: list(stories) for term, stories in clusterer._index.items() if stories}


@pytest.mark.parametrize("max_postings", [200, 1])
def test_a_restored_clusterer_goes_on_as_if_never_stopped(max_postings: int) -> None:
    """With one posting per term, which story a term offers depends on the order postings were made."""
    config = ClusterConfig(threshold=0.05, max_postings=max_postings)
    straight = OnlineClusterer(config)
    for article in ARTICLES:
        straight.add(article)
    for stop in range(1, len(ARTICLES)):
        first = OnlineClusterer(config)
        for article in ARTICLES[:stop]:
            first.add(article)
        frequencies = (first.term_frequencies, first.entity_frequencies)
        opened = {p: s for p in range(len(ARTICLES)) if (s := first.open_story(p))}
        states = {p: json.loads(json.dumps(s.state())) for p, s in opened.items()}
        restored = OnlineClusterer(
            config,
            tuple(DocumentFrequencies(f.documents, dict(f.counts)) for f in frequencies),  # type: ignore[arg-type]
            {p: type(s).from_state(states[p]) for p, s in opened.items()},
        )
        assert postings(restored) == postings(first)
        for article in ARTICLES[stop:]:
            restored.add(article)
        assert restored.stories == straight.stories
    assert len(straight.stories) == 3


def test_closed_stories_take_no_new_articles() -> None:
    clusterer = OnlineClusterer(ClusterConfig(threshold=0.2))
    clusterer.add(features("a", "summit korea trump kim february", 1))
    assert clusterer.close_before(date(2019, 1, 2)) == [0]
    clusterer.add(features("c", "summit korea trump kim february", 9))
    assert [ids for _, ids in clusterer.stories] == [["c"]]


def test_an_open_story_saved_before_the_lead_centroid_goes_on() -> None:
    """Stores written before title words were a clustering feature keep their open stories."""
    clusterer = OnlineClusterer(ClusterConfig(threshold=0.05))
    for article in ARTICLES[:3]:
        clusterer.add(article)
    story = clusterer.open_story(0)
    assert story is not None
    old_state = {key: value for key, value in json.loads(json.dumps(story.state())).items() if key != "lead"}
    restored = type(story).from_state(old_state)
    assert restored.article_ids == story.article_ids and restored.lead.norm_sq == 0.0
    frequencies = (clusterer.term_frequencies, clusterer.entity_frequencies)
    again = OnlineClusterer(ClusterConfig(threshold=0.05), frequencies, {0: restored})
    assert again.add(ARTICLES[5]) == story.id  # the Hanoi summit article still joins the summit story
