"""What a story page would rank and cap, measured on ``stories.json`` files (issue 21).

    .venv/bin/newsfuse run ../shared/data/duc2006-dev.jsonl --out /tmp/duc --quiet
    .venv/bin/python bench/story_agreement.py /tmp/duc/stories.json

Prints, per file: claims by label, contradictions by kind, for the 12 biggest stories their
articles, outlets and how many claims are reported across sources (and by some), claims of
salience 0, and the entities ``listed_entities`` drops, with a sample of those dropped from
each story's top 6 (what the story list shows).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from newsfuse.analyze.agreement import story_agreement
from newsfuse.analyze.entities import listed_entities
from newsfuse.codec import story_from_record

TOP_STORIES = 12
TOP_ENTITIES = 6


def report(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    articles = {article["id"]: article for article in document["articles"]}
    outlets = {article_id: article.get("source") or article_id for article_id, article in articles.items()}
    stories = [story_from_record(record) for record in document["stories"]]
    claims = [claim for story in stories for claim in story.claims]
    print(f"== {path}")
    print(" claims by label:", dict(Counter(claim.label for claim in claims)), "of", len(claims))
    print(" contradictions by kind:", dict(Counter(c.kind for story in stories for c in story.contradictions)))
    top = [story_agreement(story, outlets) for story in stories[:TOP_STORIES]]
    rows = [
        (len(s.article_ids), len(a.outlets), len(a.across), len(a.some)) for s, a in zip(stories, top, strict=False)
    ]
    print(f" top {TOP_STORIES} (articles, outlets, across, some):", rows)
    print(f" top {TOP_STORIES} with nothing reported across sources:", sum(1 for a in top if not a.across))
    print(" claims of salience 0:", sum(1 for claim in claims if claim.salience == 0), "of", len(claims))
    total, dropped, dropped_top = 0, Counter[str](), []
    for story in stories:
        titles = [story.title, *(articles[i]["title"] for i in story.article_ids)]
        listed = set(listed_entities(story.entities, titles, len(story.article_ids)))
        total += len(story.entities)
        dropped.update(entity.label for entity in story.entities if entity not in listed)
        dropped_top += [(e.text, e.label, e.count) for e in story.entities[:TOP_ENTITIES] if e not in listed]
    print(f" entities: {total}, dropped {sum(dropped.values())}: {dict(dropped.most_common(6))}")
    print(f" dropped from a top {TOP_ENTITIES}: {len(dropped_top)}, e.g. {dropped_top[:20]}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        report(Path(argument))
