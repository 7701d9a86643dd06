"""Lone articles placed by their nearest articles: the vote, the date bound, and nearness kept as articles arrive."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.cluster.attach import (
    NearestArticles,
    NeighboursInMemory,
    PostingBuffer,
    appended,
    attach_lone,
    cluster_and_place,
    nearest_of_lone,
    place_lone,
    stories_from_online,
    unique_with_slots,
)
from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, DocumentFrequencies, cluster_articles, heaviest

CONFIG = ClusterConfig()
DAY = date(1998, 10, 1)


def near(*ids: str) -> list[tuple[float, str]]:
    return [(1.0 - n / 10, article_id) for n, article_id in enumerate(ids)]


STORIES = [("big", ["a1", "a2", "a3", "a4"]), ("other", ["b1", "b2"]), ("lone", ["x"])]


def test_a_lone_article_joins_the_story_of_its_nearest_when_most_of_its_nearest_are_there() -> None:
    moved = attach_lone(STORIES, {"x": near("a1", "b1", "a2", "a3", "b2")}, {}, CONFIG)
    assert moved == [("big", ["a1", "a2", "a3", "a4", "x"]), ("other", ["b1", "b2"])]


def test_a_lone_article_stays_when_its_nearest_are_split_or_its_nearest_is_elsewhere() -> None:
    split_vote = {"x": near("a1", "b1", "a2", "b2", "y")}
    nearest_elsewhere = {"x": near("b1", "a1", "a2", "a3", "a4")}
    for nearest in (split_vote, nearest_elsewhere):
        assert attach_lone(STORIES, nearest, {}, CONFIG) == STORIES


def test_a_lone_article_joins_no_story_of_one_article() -> None:
    stories = [("one", ["a1"]), ("lone", ["x"])]
    assert attach_lone(stories, {"x": near("a1", "a1", "a1")}, {}, CONFIG) == stories


def test_a_lone_article_joins_only_a_story_within_the_time_scale_of_its_dates() -> None:
    published = {f"a{n}": DAY + timedelta(days=n) for n in range(1, 5)}
    nearest = {"x": near("a1", "a2", "a3", "b1", "b2")}
    inside = {**published, "x": DAY + timedelta(days=4 + 30)}
    outside = {**published, "x": DAY + timedelta(days=4 + 31)}
    assert len(attach_lone(STORIES, nearest, inside, CONFIG)) == 2
    assert attach_lone(STORIES, nearest, outside, CONFIG) == STORIES
    assert len(attach_lone(STORIES, nearest, {**published, "x": None}, CONFIG)) == 2


def article(article_id: str, words: str, names: str = "", day: int | None = None) -> ArticleFeatures:
    published = DAY + timedelta(days=day) if day is not None else None
    return ArticleFeatures(article_id, published, tuple(words.split()), tuple(names.split()))


def test_an_off_angle_report_joins_its_event_and_an_unrelated_one_stays_alone() -> None:
    crash = [
        article(f"c{n}", f"airliner crash ocean wreckage investigators recorder c{n}", "egyptair nantucket", n)
        for n in range(6)
    ]
    cameras = article("v", "investigators urge video cameras cockpits recorder crash", "egyptair ntsb", 7)
    recipe = article("r", "bake bread flour oven butter", "paris", 7)
    online = [("crash", [c.id for c in crash]), ("cameras", ["v"]), ("recipe", ["r"])]
    placed = place_lone(online, [*crash, cameras, recipe], CONFIG)
    assert placed == [("crash", [*(c.id for c in crash), "v"]), ("recipe", ["r"])]


def brute_nearest(articles: list[ArticleFeatures], config: ClusterConfig) -> dict[str, list[tuple[float, str]]]:
    """Every pair compared, each article weighed as it arrived: what the index must find, every other
    article it shares a key with, most similar first (similarities to 9 places: two articles told
    alike, weighed at different times, differ in the last bits, in an order the sums decide)."""
    terms, entities = DocumentFrequencies(), DocumentFrequencies()
    keys = {}
    for a in articles:
        terms.observe(a.terms)
        entities.observe(a.entities)
        words, names = terms.unit_vector(a.terms), entities.unit_vector(a.entities)
        share = config.split_entity_share
        kept = {("t", t): (1 - share, words[t]) for t in heaviest(words, config.index_terms)}
        kept |= {("e", n): (share, w) for n, w in names.items()}
        keys[a.id] = kept
    result = {}
    for a in articles:
        scored = []
        for b in articles:
            shared = keys[a.id].keys() & keys[b.id].keys()
            if b.id != a.id and shared:
                scored.append((sum(keys[a.id][k][0] * keys[a.id][k][1] * keys[b.id][k][1] for k in shared), b.id))
        result[a.id] = sorted(((round(s, 9), i) for s, i in scored), key=lambda s: (-s[0], s[1]))
    return result


words = st.lists(
    st.sampled_from(["quake", "flood", "vote", "court", "strike", "goal", "fire", "storm", "mine", "bank"]), max_size=8
)
names = st.lists(st.sampled_from(["chile", "peru", "obama", "kim", "seoul"]), max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(words, names), min_size=1, max_size=14))
def test_nearest_kept_as_articles_arrive_are_every_pair_s_nearest(texts: list[tuple[list[str], list[str]]]) -> None:
    articles = [ArticleFeatures(f"n{n:02}", None, tuple(w), tuple(e)) for n, (w, e) in enumerate(texts)]
    found = nearest_of_lone(articles, [a.id for a in articles], CONFIG)
    expected = brute_nearest(articles, CONFIG)
    assert found.keys() == expected.keys()
    for article_id, kept in found.items():
        nearest = expected[article_id]
        assert [round(s, 9) for s, _ in kept] == [s for s, _ in nearest[: CONFIG.split_min_part]]
        assert all((round(s, 9), i) in nearest for s, i in kept) and len({i for _, i in kept}) == len(kept)


def test_a_term_offers_only_its_newest_articles() -> None:
    config = ClusterConfig(max_postings=2)
    storage = NeighboursInMemory(config.split_min_part, config.max_postings)
    nearest = NearestArticles(config, storage)
    terms = DocumentFrequencies()
    for n in range(4):
        match = article(f"m{n}", "match goal")
        terms.observe(match.terms)
        number = storage.number(match.id)
        nearest.arrive(number, match.id, terms.unit_vector(match.terms), {}, alone=n in (0, 3))
    # m0 fell out of both postings before m3 came, so the two never meet
    assert [[i for _, i in kept] for kept in storage.nearest([0, 3]).values()] == [["m1", "m2"], ["m1", "m2"]]
    assert storage.bars(np.array([0, 1, 2, 3])).tolist() == [-np.inf, np.inf, np.inf, -np.inf]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(-1, 1), max_size=60), st.integers(1, 9))
def test_a_posting_buffer_keeps_what_appending_to_a_copy_keeps(weights: list[float], most: int) -> None:
    buffer, posting = PostingBuffer(), None
    for number, weight in enumerate(weights):
        buffer.append(number, weight, most)
        posting = appended(posting, number, weight, most)
        assert [part.tolist() for part in buffer.posting()] == [part.tolist() for part in posting]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(words, names, st.integers(0, 90)), min_size=1, max_size=30))
def test_placing_in_the_online_pass_ends_as_placing_after_it(texts: list[tuple[list[str], list[str], int]]) -> None:
    """``run`` finds the lone articles' nearest in its online pass, releasing an article whose story
    grows; ``batch`` finds them after, for the articles it knows are lone: the same stories."""
    articles = [article(f"p{n:02}", " ".join(w), " ".join(e), day) for n, (w, e, day) in enumerate(texts)]
    config = ClusterConfig(split_min_part=3)
    online = cluster_articles(articles, config)
    assert cluster_and_place(articles, config) == (online, stories_from_online(online, articles, config))


@given(st.lists(st.lists(st.integers(0, 50), max_size=12), min_size=1, max_size=6), st.booleans())
def test_unique_with_slots_is_numpy_s_unique_with_its_inverse(runs: list[list[int]], sorted_runs: bool) -> None:
    """Postings are sorted runs, but the result must not depend on it."""
    numbers = np.array([n for run in runs for n in (sorted(run) if sorted_runs else run)], dtype=np.int64)
    unique, slots = unique_with_slots(numbers)
    expected, inverse = np.unique(numbers, return_inverse=True)
    assert unique.tolist() == expected.tolist() and slots.tolist() == inverse.tolist()
