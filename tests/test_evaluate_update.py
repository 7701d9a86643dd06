"""The update-digest evaluation: content words, novelty, the median split and the scores."""

from __future__ import annotations

import json

import pytest

from newsfuse.evaluate.update import content_words, evaluate_update, median_split, novelty
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article
from newsfuse.summarize.groups import Group

STORM = "The storm killed twelve people in the coastal town of Brava on Monday, officials said."
TEXTS = {
    "a": ("2020-01-01", STORM),
    "b": ("2020-01-02", "Officials said the storm killed twelve people in Brava and cut power to the coastal town."),
    "c": ("2020-01-03", f"{STORM} Rescue teams found three survivors under the rubble of a school on Tuesday."),
    "d": ("2020-01-04", f"{STORM} Engineers restored power to most homes as the government promised new funds."),
}


@pytest.fixture(scope="module")
def group() -> Group:
    articles = [Article(i, f"Storm {i}", text, f"wire-{i}", day) for i, (day, text) in TEXTS.items()]
    return Group("storm", tuple(parse_articles(articles, len(articles))))


def test_content_words_are_stemmed_without_stop_words_or_numbers() -> None:
    assert content_words("The rescuers found 3 survivors, and they're rescuing more!") == [
        "rescuer",
        "survivor",
        "rescu",
    ]


def test_median_split_and_novelty(group: Group) -> None:
    earlier, newer = median_split(group)
    assert ([p.id for p in earlier], [p.id for p in newer]) == (["a", "b"], ["c", "d"])
    assert novelty(["The storm killed people in Brava."], earlier) == 0.0
    assert novelty(["Rescue teams found survivors in Brava."], earlier) == pytest.approx(
        3 / 4
    )  # "found" is a stop word
    assert novelty([], earlier) is None


def test_update_digest_is_more_novel_than_the_plain_one(group: Group) -> None:
    refs = {json.dumps("storm"): ["Rescue teams found survivors and power came back in Brava."]}
    scores = evaluate_update([group], refs, words=12, covered_weight=0.01)
    assert (scores.groups, scores.referenced) == (1, 1)
    assert scores.novelty["update"] > scores.novelty["plain"]
    assert all(0 < scores.rouge1_recall[s] <= 100 for s in ("update", "plain"))
    single = Group("one", (group.articles[0],))
    assert evaluate_update([single], {}, words=12, covered_weight=0.01).groups == 0
