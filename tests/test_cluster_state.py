"""The clusterer's state survives being stored: a restored clusterer goes on as if never stopped."""

from __future__ import annotations

import json
from datetime import date

import pytest

from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, DocumentFrequencies, OnlineClusterer


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
