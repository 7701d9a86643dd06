from __future__ import annotations

import random
from datetime import date, timedelta

from newsfuse.cluster.blocks import (
    BlockConfig,
    Fragment,
    block_tasks,
    cluster_block,
    cluster_in_blocks,
    merge_blocks,
    split_blocks,
)
from newsfuse.cluster.online import (
    ArticleFeatures,
    ArticleVectors,
    DocumentFrequencies,
    cluster_articles,
    publication_order,
)

START = date(2020, 1, 1)


def article(article_id: str, day: int | None, terms: str, entities: str = "") -> ArticleFeatures:
    published = START + timedelta(days=day) if day is not None else None
    return ArticleFeatures(article_id, published, tuple(terms.split()), tuple(entities.split()))


def fragment(*ids: str, lead_in: bool = False, bridged: bool = False) -> Fragment:
    empty = ArticleVectors({}, {}, {}, None)
    return Fragment(ids, empty, None if lead_in else empty, bridged)


def corpus(stories: int = 6, per_story: int = 8, seed: int = 5) -> list[ArticleFeatures]:
    """Stories with their own words, spread over a year and more, plus some undated articles."""
    rng = random.Random(seed)
    articles = []
    for story in range(stories):
        words = [f"w{story}x{n}" for n in range(6)]
        start = rng.randrange(0, 300)
        for n in range(per_story):
            day = None if n == per_story - 1 and story % 2 else start + rng.randrange(0, 120)
            text = " ".join([*rng.sample(words, 4), f"common{rng.randrange(3)}"])
            articles.append(article(f"a{story}-{n}", day, text, f"e{story}"))
    return articles


def test_windows_are_counted_from_the_first_date_and_undated_articles_come_last() -> None:
    articles = [article("c", 61, "x"), article("u", None, "x"), article("a", 0, "x"), article("b", 29, "x")]
    blocks = split_blocks(articles, days=30)
    assert [[a.id for a in block] for block in blocks] == [["a", "b"], ["c"], ["u"]]


def test_each_block_reads_the_blocks_before_it_as_lead_in() -> None:
    articles = [article(name, day, "x") for name, day in [("a", 0), ("b", 10), ("c", 20), ("d", 30)]]
    tasks = block_tasks(articles, BlockConfig(days=10, lead_in=2))
    assert [([a.id for a in t.lead_in], [a.id for a in t.articles]) for t in tasks] == [
        ([], ["a"]),
        (["a"], ["b"]),
        (["a", "b"], ["c"]),
        (["b", "c"], ["d"]),
    ]
    assert [t.counts.documents for t in tasks] == [0, 0, 0, 1]


def test_term_weights_equal_those_of_one_long_run() -> None:
    articles = sorted(corpus(), key=publication_order)
    whole = DocumentFrequencies()
    expected = {}
    for a in articles:
        whole.observe(a.terms)
        expected[a.id] = whole.unit_vector(a.terms)
    for task in block_tasks(articles, BlockConfig(days=30, lead_in=1)):
        frequencies, _ = task.counts.frequencies()
        for a in task.lead_in:
            frequencies.observe(a.terms)
        for a in task.articles:
            frequencies.observe(a.terms)
            assert frequencies.unit_vector(a.terms) == expected[a.id]


def test_a_story_crossing_a_border_is_joined_through_the_lead_in() -> None:
    articles = [
        article("a1", 0, "summit kim trump"),
        article("a2", 25, "summit kim trump talks"),
        article("a3", 35, "summit kim trump talks hanoi"),
        article("b1", 36, "flood river rain"),
    ]
    assert cluster_in_blocks(articles, blocks=BlockConfig(days=30, lead_in=1)) == cluster_articles(articles)


def test_a_story_older_than_the_lead_in_is_found_again() -> None:
    articles = [article("a1", 0, "summit kim trump"), article("a2", 200, "summit kim trump hanoi")]
    assert len(split_blocks(articles, days=30)) == 2
    assert cluster_in_blocks(articles, blocks=BlockConfig(days=30, lead_in=0)) == cluster_articles(articles)


def test_block_articles_join_the_story_holding_most_of_their_lead_in() -> None:
    articles = [article(name, day, "x") for name, day in [("a1", 0), ("a2", 1), ("a3", 2), ("b1", 40), ("b2", 41)]]
    tasks = block_tasks(articles, BlockConfig(days=30, lead_in=1))
    merged = merge_blocks(
        tasks, [[fragment("a1"), fragment("a2", "a3")], [fragment("a1", "a2", "a3", "b1", "b2", lead_in=True)]]
    )
    assert [ids for _, ids in merged] == [["a1"], ["a2", "a3", "b1", "b2"]]


def test_a_block_that_bridged_stories_joins_them_all() -> None:
    articles = [article(name, day, "x") for name, day in [("a1", 0), ("a2", 1), ("b1", 40)]]
    tasks = block_tasks(articles, BlockConfig(days=30, lead_in=1))
    merged = merge_blocks(tasks, [[fragment("a1"), fragment("a2")], [fragment("a1", "a2", "b1", bridged=True)]])
    assert [ids for _, ids in merged] == [["a1", "a2", "b1"]]


def test_fragments_without_the_blocks_articles_are_left_out() -> None:
    articles = [article("a1", 0, "summit kim trump"), article("b1", 40, "flood river rain")]
    later = block_tasks(articles, BlockConfig(days=30, lead_in=1))[1]
    assert [f.article_ids for f in cluster_block(later)] == [("b1",)]


def test_one_block_is_the_single_machine_run_and_the_result_is_deterministic() -> None:
    articles = corpus()
    assert cluster_in_blocks(articles, blocks=BlockConfig(days=10_000)) == cluster_articles(articles)
    shuffled = random.Random(1).sample(articles, len(articles))
    config = BlockConfig(days=20, lead_in=1)
    assert cluster_in_blocks(shuffled, blocks=config) == cluster_in_blocks(articles, blocks=config)
