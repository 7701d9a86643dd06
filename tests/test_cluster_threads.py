from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from newsfuse.cluster.threads import (
    _BLOCK,
    Subject,
    ThreadConfig,
    _nearest,
    _salient_vectors,
    _similarities,
    _weighed_by_shared_neighbours,
    story_words,
    thread_stories,
)
from newsfuse.evaluate.metrics import bcubed
from newsfuse.ingest import read_inputs
from newsfuse.pipeline import PipelineConfig, run_pipeline, run_result
from newsfuse.records import Article, Claim, RunResult, Story


def story(story_id: str, title: str, *sentences: str) -> Story:
    claims = tuple(
        Claim(f"{story_id}c{n}", text, (f"{story_id}a",), "single_source", ()) for n, text in enumerate(sentences)
    )
    return Story(story_id, title, (f"{story_id}a",), claims=claims)


SUMMIT_1 = story(
    "s1", "Trump and Kim meet in Singapore", "The summit on denuclearization of the Korean peninsula ended."
)
SUMMIT_2 = story(
    "s2", "Second Trump Kim summit in Hanoi", "Talks on denuclearization of the peninsula broke down in Hanoi."
)
QUAKE = story("s3", "Earthquake shakes central Italy", "Rescuers searched collapsed houses after the earthquake.")
PUBLISHED = {"s1a": "2018-06-12", "s2a": "2019-02-28", "s3a": "2018-08-01"}


def test_stories_of_one_subject_share_a_thread_and_another_subject_has_its_own() -> None:
    threads = thread_stories([QUAKE, SUMMIT_2, SUMMIT_1], PUBLISHED)
    assert sorted(thread.story_ids for thread in threads) == [("s1", "s2"), ("s3",)]
    summit = next(thread for thread in threads if "s1" in thread.story_ids)
    assert summit.story_ids == ("s1", "s2")  # in order of their first article
    assert summit.title == SUMMIT_1.title  # the largest story, the earliest of equal size


def test_thread_ids_are_stable_as_the_thread_grows_and_do_not_depend_on_input_order() -> None:
    alone = thread_stories([SUMMIT_1], PUBLISHED)
    grown = thread_stories([SUMMIT_2, QUAKE, SUMMIT_1], PUBLISHED)
    assert alone[0].id in {thread.id for thread in grown}
    shuffled = [SUMMIT_1, SUMMIT_2, QUAKE]
    random.Random(3).shuffle(shuffled)
    assert thread_stories(shuffled, PUBLISHED) == grown


def test_a_high_threshold_keeps_every_story_apart() -> None:
    threads = thread_stories([SUMMIT_1, SUMMIT_2, QUAKE], PUBLISHED, ThreadConfig(threshold=0.99))
    assert len(threads) == 3


def test_story_words_are_lower_cased_words_of_title_and_claims() -> None:
    assert story_words(story("s", "Kim's U.S. trip", "It cost 2 billion dollars.")) == [
        "kim",
        "trip",
        "cost",
        "billion",
        "dollars",
    ]


def test_a_run_result_gives_every_story_its_thread() -> None:
    articles = [
        Article(f"{s.id}a", s.title, "text", published=PUBLISHED[f"{s.id}a"]) for s in (SUMMIT_1, SUMMIT_2, QUAKE)
    ]
    result = run_result(articles, [], [QUAKE, SUMMIT_1, SUMMIT_2], [], PipelineConfig())
    assert {s.id: s.thread_id for s in result.stories}.keys() == {"s1", "s2", "s3"}
    listed = {story_id: thread.id for thread in result.threads for story_id in thread.story_ids}
    assert {s.id: s.thread_id for s in result.stories} == listed
    assert result.stories[0].thread_id == result.threads[0].id  # threads ordered by their first listed story


def test_duc_dev_threads_follow_the_topics(duc_dev_run: RunResult) -> None:
    """The thread-level figure of docs/quality.md: DUC 2006 topics are threads of events. It stands at
    0.898 since links are weighed by shared neighbours (0.858 before: the EgyptAir 990 topic, one
    story, threaded with the car-safety topic's stories; one merge of two topics moves this figure by
    0.03)."""
    thread_of = {story.id: story.thread_id for story in duc_dev_run.stories}
    predicted = {a: thread_of[s.id] for s in duc_dev_run.stories for a in s.article_ids}
    gold = {a.id: json.dumps(a.meta["story"]) for a in duc_dev_run.articles if a.id in predicted}
    scores = bcubed(predicted, gold)
    assert scores.f1 >= 0.88, (scores, len(duc_dev_run.threads))
    assert len(duc_dev_run.threads) < len(duc_dev_run.stories)


def test_in_a_store_with_other_news_duc_topics_and_ecbplus_kinds_of_event_keep_apart(
    duc_dev_run: RunResult, ecbplus_dev_path: Path
) -> None:
    """ "Threads beside events" in docs/quality.md: the stories of DUC 2006 dev and of ECB+ dev threaded
    together, as a store that holds both would. ECB+'s 18 topics are kinds of event (a church fire, a
    riot), so a thread that joins two of them is wrong. They stand at 0.911 and 0.750. With raw word
    counts they were 0.851 and 0.608 (one word a story repeats, "fire" or "Indian", carried links
    between subjects); with links not weighed by shared neighbours, 0.891 and 0.750."""
    ingested = read_inputs([ecbplus_dev_path])
    ecbplus_run = run_pipeline(ingested.articles, ingested.skipped)
    runs = (duc_dev_run, ecbplus_run)
    published = {article.id: article.published for run in runs for article in run.articles}
    threads = thread_stories([story for run in runs for story in run.stories], published)
    thread_of = {story_id: thread.id for thread in threads for story_id in thread.story_ids}
    predicted = {a: thread_of[story.id] for run in runs for story in run.stories for a in story.article_ids}
    topics = {a.id: json.dumps(a.meta["story"]) for a in duc_dev_run.articles if a.id in predicted}
    kinds = {a.id: json.dumps(a.meta["topic"]) for a in ecbplus_run.articles if a.id in predicted}
    duc, ecbplus = bcubed(predicted, topics), bcubed(predicted, kinds)
    assert duc.f1 >= 0.90, duc
    assert ecbplus.precision >= 0.72, ecbplus


def test_a_link_is_the_cosine_times_the_shared_neighbourhood_over_a_full_one() -> None:
    """Four stories, each neighbourhood the story and those it is paired with; a full neighbourhood
    is four stories here (the store holds no more)."""
    pairs = {(0, 1): 0.4, (0, 2): 0.2, (1, 2): 0.2, (2, 3): 0.4}
    links = _weighed_by_shared_neighbours(pairs, 4, 20)
    assert links == {
        (0, 1): 0.4 * 3 / 4,  # 0, 1 and 2 are in both neighbourhoods
        (0, 2): 0.2 * 3 / 4,
        (1, 2): 0.2 * 3 / 4,
        (2, 3): 0.4 * 2 / 4,  # only the two stories themselves: 3's one neighbour is 2
    }
    assert _weighed_by_shared_neighbours({(0, 1): 0.3}, 2, 20) == {(0, 1): 0.3}  # a store of two keeps the cosine


def test_a_bridge_between_two_subjects_weighs_less_than_an_equal_cosine_within_one() -> None:
    """Two groups of three stories, all linked within at 0.1, and one story of each linked across at
    0.1 as well: the cosine alone cannot tell the bridge from a link within, the neighbourhoods can."""
    within = {(i, j): 0.1 for group in ((0, 1, 2), (3, 4, 5)) for i in group for j in group if i < j}
    links = _weighed_by_shared_neighbours({**within, (2, 3): 0.1}, 6, 20)
    assert links[2, 3] < min(links[pair] for pair in within)


def nearest_row_by_row(block: csr_matrix, start: int, floor: float, count: int) -> list[tuple[int, int, float]]:
    """Each row's nearest by sorting all of the row: what ``_nearest`` finds with one sort per block."""
    found = []
    for offset in range(block.shape[0]):
        entries = slice(block.indptr[offset], block.indptr[offset + 1])
        columns, values = block.indices[entries], block.data[entries]
        keep = (values >= floor) & (columns != start + offset)
        columns, values = columns[keep], values[keep]
        for k in np.lexsort((columns, -values))[:count]:
            found.append((start + offset, int(columns[k]), float(values[k])))
    return found


COSINES = st.sampled_from([0.0, 0.004, 0.01, 0.0101, 0.3, 0.30001, 0.5, 0.999, 1.0])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(COSINES, min_size=12, max_size=12), min_size=1, max_size=8),
    st.integers(0, 4),
    st.integers(1, 5),
)
def test_the_nearest_of_a_block_are_those_of_each_row_sorted_whole(
    cosines: list[list[float]], start: int, count: int
) -> None:
    """Ties, cosines a hair apart in one 1/1024, rows of fewer than ``count``, and the row itself."""
    block = csr_matrix(np.array(cosines))
    rows, columns, values = _nearest(block, start, 0.01, count)
    found = list(zip(rows.tolist(), columns.tolist(), values.tolist(), strict=True))
    assert found == nearest_row_by_row(block, start, 0.01, count)


def test_a_repeated_word_weighs_one_plus_the_log_of_its_count_in_a_unit_vector_of_the_kept_words() -> None:
    """A fire story says "fire" 30 times: with raw counts that one word would be nearly all of its
    vector, and of its link to any other story that names a fire."""
    subjects = [
        Subject("s1", "", 1, None, Counter({"fire": 30, "church": 1})),
        Subject("s2", "", 1, None, Counter({"fire": 1, "quake": 1})),
        Subject("s3", "", 1, None, Counter({"storm": 1})),
        Subject("s4", "", 1, None, Counter({"vote": 1})),
    ]
    columns = ["church", "fire", "quake", "storm", "vote"]
    fire = (1 + np.log(30)) * np.log(5 / 3)  # in two of four stories
    church = np.log(5 / 2)  # in one
    both = dict(zip(columns, _salient_vectors(subjects, 2).toarray()[0].tolist(), strict=True))
    assert np.isclose(both["fire"], fire / np.hypot(fire, church))
    assert np.isclose(both["church"], church / np.hypot(fire, church))
    only = dict(zip(columns, _salient_vectors(subjects, 1).toarray()[0].tolist(), strict=True))
    assert only["fire"] == 1.0 and only["church"] == 0.0  # normed over the words kept


def test_similarities_over_many_blocks_are_the_nearest_of_the_whole_product() -> None:
    generator = random.Random(11)
    vocabulary = [f"word{n}" for n in range(400)]
    subjects = [
        Subject(f"s{n}", "", 1, None, Counter(generator.choices(vocabulary, k=generator.randint(0, 30))))
        for n in range(2 * _BLOCK + 37)
    ]
    whole = _salient_vectors(subjects, 10)
    expected = {}
    for row, column, value in nearest_row_by_row((whole @ whole.T).tocsr(), 0, 0.01, 5):
        expected[min(row, column), max(row, column)] = value
    assert _similarities(subjects, 10, 0.01, 5) == expected
