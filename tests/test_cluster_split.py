"""Splitting a story whose articles form dense groups apart: pure cases, and two real events the online pass fuses."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.cluster.online import ArticleFeatures, ClusterConfig, story_id
from newsfuse.cluster.split import part_id, split_stories, split_story
from newsfuse.ingest import read_inputs
from newsfuse.pipeline import run_pipeline


def article(article_id: str, words: str, names: str = "") -> ArticleFeatures:
    return ArticleFeatures(article_id, None, tuple(words.split()), tuple(names.split()))


def parts_of(
    members: list[ArticleFeatures], smallest: int = 5, entity_share: float = 0.3
) -> list[tuple[str, list[str]]]:
    return split_story("s", members, ClusterConfig(split_min_part=smallest, split_entity_share=entity_share))


def two_events(first: int, second: int) -> list[ArticleFeatures]:
    """Articles of two events with no word in common, each article with a word of its own."""
    quake = [article(f"q{n:02}", f"earthquake magnitude rubble rescue chile q{n}") for n in range(first)]
    final = [article(f"f{n:02}", f"final goal penalty trophy stadium f{n}") for n in range(second)]
    return quake + final


def test_a_story_of_two_events_splits_and_the_bigger_part_keeps_its_id() -> None:
    members = two_events(7, 5)
    parts = split_story("s-one", members, ClusterConfig())
    assert [(name, len(ids)) for name, ids in parts] == [("s-one", 7), (part_id("f00"), 5)]
    assert {i[0] for i in parts[0][1]} == {"q"} and {i[0] for i in parts[1][1]} == {"f"}


def test_a_story_of_one_event_or_too_few_articles_stays_whole() -> None:
    one_event = [article(f"a{n:02}", f"summit leaders trade talks a{n}") for n in range(12)]
    assert parts_of(one_event) == [("s", [a.id for a in one_event])]
    assert parts_of(two_events(5, 4)) == [("s", [a.id for a in two_events(5, 4)])]  # under 2 x 5
    assert len(parts_of(two_events(7, 5), smallest=1)) == 1  # below 2: splitting is off


def test_the_split_does_not_depend_on_the_order_of_the_members() -> None:
    members = two_events(8, 6)
    shuffled = list(members)
    random.Random(7).shuffle(shuffled)
    assert parts_of(shuffled) == parts_of(members)
    assert len(parts_of(members)) == 2


def test_two_events_told_in_the_same_words_part_by_their_names() -> None:
    """Two title fights of one champion: the words are the fight's, the names say which one."""
    words = "heavyweight champion retains title stopping challenger round"
    rahman = [article(f"r{n:02}", f"{words} r{n}", "Klitschko Rahman Mannheim") for n in range(6)]
    thompson = [article(f"t{n:02}", f"{words} t{n}", "Klitschko Thompson Bern") for n in range(6)]
    parts = parts_of(rahman + thompson)
    assert sorted(sorted(ids) for _, ids in parts) == [[a.id for a in rahman], [a.id for a in thompson]]
    assert len(parts_of(rahman + thompson, entity_share=0.0)) == 1  # words alone see one event


def test_a_part_id_is_no_story_id() -> None:
    assert part_id("a") != story_id("a")
    assert part_id("a") == part_id("a") != part_id("b")


words = st.lists(st.sampled_from(["vote", "quake", "goal", "court", "fire", "storm", "deal", "trial"]), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(words, min_size=0, max_size=16))
def test_parts_hold_every_member_once_and_the_first_keeps_the_story_id(texts: list[list[str]]) -> None:
    members = [ArticleFeatures(f"a{n:02}", None, tuple(terms), ()) for n, terms in enumerate(texts)]
    parts = parts_of(members, smallest=3)
    assert parts[0][0] == "s"
    assert sorted(i for _, ids in parts for i in ids) == sorted(a.id for a in members)
    assert len(parts) > 1 or parts[0][1] == [a.id for a in members]  # a whole story keeps its order
    assert len({name for name, _ in parts}) == len(parts)
    assert split_stories([("s", [a.id for a in members])], members, ClusterConfig(split_min_part=3)) == parts


def test_two_pirate_captures_fused_by_the_online_pass_are_two_stories(
    pirate_captures: list[dict[str, Any]], tmp_path: Path
) -> None:
    """The online pass puts 29 of the 30 articles in one story; ``run`` gives each capture its own."""
    data = tmp_path / "topic.jsonl"
    data.write_text("".join(json.dumps(record) + "\n" for record in pirate_captures), encoding="utf-8")
    gold = {record["id"]: record["story"] for record in pirate_captures}
    result = run_pipeline(read_inputs([data]).articles)
    events = [Counter(gold[i] for i in story.article_ids) for story in result.stories]
    big = [event for event in events if sum(event.values()) >= 5]  # wire copies aside
    assert len(big) == 2 and all(len(event) == 1 for event in big), events
    assert {next(iter(event)) for event in big} == set(gold.values())
