"""Which of a story's entities are listed: confirmed by a second article or by a title."""

from __future__ import annotations

from newsfuse.analyze.entities import listed_entities
from newsfuse.records import StoryEntity


def entity(text: str, label: str, *article_ids: str) -> StoryEntity:
    return StoryEntity(text, label, len(article_ids) * 2, article_ids)


ENTITIES = (
    entity("Jim Hall", "PERSON", "a1"),
    entity("EgyptAir", "ORG", "a1", "a2"),
    entity("Story", "PERSON", "a2"),
    entity("Max", "PERSON", "a3"),
    entity("U.S.", "GPE", "a3"),
    entity("Boeing", "ORG", "a1"),
)


def test_an_entity_of_one_article_is_listed_only_when_a_title_names_it() -> None:
    titles = ["NTSB's Hall Releases EgyptAir Crash Report", "US investigators question crew"]
    kept = listed_entities(ENTITIES, titles, article_count=3)
    assert [e.text for e in kept] == ["Jim Hall", "EgyptAir", "U.S."]


def test_a_name_inside_a_longer_word_is_not_in_the_title() -> None:
    assert listed_entities((entity("Max", "PERSON", "a1"),), ["Maximum security for summit"], 2) == ()
    assert listed_entities((entity("Max", "PERSON", "a1"),), ["Max wins the final"], 2) != ()


def test_a_one_article_story_lists_every_entity() -> None:
    one = tuple(e for e in ENTITIES if e.article_ids == ("a1",))
    assert listed_entities(one, [], article_count=1) == one
