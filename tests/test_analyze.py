from __future__ import annotations

from newsfuse.analyze.entities import story_entities
from newsfuse.records import ParsedArticle


def test_story_entities_merge_surnames_and_spellings(parsed_samples: tuple[ParsedArticle, ...]) -> None:
    entities = {e.text: e for e in story_entities(parsed_samples)}
    assert "Sanders" not in entities
    assert entities["Sarah Sanders"].label == "PERSON"
    assert entities["Sarah Sanders"].count == 4  # 2 x "Sarah Sanders" + 2 x "Sanders"
    assert entities["Mike Pompeo"].label == "PERSON"
    assert "US" not in entities or "U.S." not in entities  # one entity for U.S./US
    both = tuple(sorted(p.id for p in parsed_samples))
    assert entities["Singapore"].article_ids == both
    counts = [e.count for e in story_entities(parsed_samples)]
    assert counts == sorted(counts, reverse=True)
