"""Server time of the story page for a 100-article story, against cheaper pages in the same run.

Builds one story from 100 real DUC 2006 dev articles (four topics of 25, joined on purpose)
with the pipeline's own analysis (claims, contradictions, quotes, timeline, digest), so the
page renders every section at the sizes a big story has. Requests go through the whole ASGI
app in process (routing, middleware, view model, template), timed one at a time.

    .venv/bin/python bench/web_story_page.py [--data ../shared/data] [--requests 50] [--articles 100]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from newsfuse.codec import result_document
from newsfuse.ingest.fields import article_from_fields
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, build_story
from newsfuse.records import RunResult
from newsfuse.web import create_app
from newsfuse.web.writes import LiveStories

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
QUOTE = re.compile(r'"([^"\n]{20,400})"')
MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--articles", type=int, default=100, help="Articles of the story.")
    options = parser.parse_args()
    document = big_story_document(options.data / "duc2006-dev.jsonl", options.articles)
    story = document["stories"][0]
    client = TestClient(create_app(LiveStories(document)))
    pages = {
        "story page /stories/{id}": f"/stories/{story['id']}",
        "story list /": "/",
        "story JSON /api/stories/{id}": f"/api/stories/{story['id']}",
        "article page /articles/{id}": f"/articles/{story['article_ids'][0]}",
    }
    sections = {
        key: len(story[key]) for key in ("digest", "entities", "claims", "quotes", "timeline", "contradictions")
    }
    print(f"story: {len(story['article_ids'])} articles, " + ", ".join(f"{n} {k}" for k, n in sections.items()))
    timings = {name: timed(client, path, options.requests) for name, path in pages.items()}
    baseline = statistics.median(timings["story list /"])
    print(f"{'page':32} {'median ms':>10} {'p95 ms':>8} {'x list page':>12}")
    for name, samples in timings.items():
        median, p95 = statistics.median(samples), percentile(samples, 95)
        print(f"{name:32} {median:10.1f} {p95:8.1f} {median / baseline:12.2f}")


def timed(client: TestClient, path: str, requests: int) -> list[float]:
    for _ in range(3):
        client.get(path).raise_for_status()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path).raise_for_status()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], percent: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def big_story_document(path: Path, size: int) -> dict[str, Any]:
    """The first ``size`` articles of the biggest topics, analysed as one story by the pipeline's ``build_story``."""
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_topic[record.pop("story")].append(record)
    topics = sorted(by_topic, key=lambda topic: (-len(by_topic[topic]), topic))
    articles = [article_from_fields(record, str(path)) for topic in topics for record in by_topic[topic]][:size]
    parsed = list(parse_articles(articles, len(articles)))
    story = build_story("bench-story", parsed, PipelineConfig())
    return result_document(RunResult(tuple(articles), (), (story,)))


if __name__ == "__main__":
    main()
