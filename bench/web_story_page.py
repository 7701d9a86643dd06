"""Server time of the story page for a 50-article story, against cheaper pages in the same run.

Builds one story from 50 real DUC 2006 dev articles (two topics of 25, joined on purpose)
through the real pipeline (parse, digest, entities). Until the analysis stage lands, the
story's claims, quotes, timeline and contradictions are derived from the articles' own
sentences and quotation marks, at the sizes that analysis gives, with real character spans,
so the page renders every section. Requests go through the whole ASGI app in process
(routing, middleware, view model, template), timed one at a time.

    .venv/bin/python bench/web_story_page.py [--data ../shared/data] [--requests 50]
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
from newsfuse.records import ParsedArticle, RunResult
from newsfuse.web import create_app
from newsfuse.web.writes import LiveStories

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
QUOTE = re.compile(r'"([^"\n]{20,400})"')
MONTH = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|December)\b")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--requests", type=int, default=50)
    options = parser.parse_args()
    document = fifty_article_document(options.data / "duc2006-dev.jsonl")
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


def fifty_article_document(path: Path) -> dict[str, Any]:
    by_topic: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        by_topic[record.pop("story")].append(record)
    topics = sorted(by_topic, key=lambda topic: (-len(by_topic[topic]), topic))[:2]
    articles = [article_from_fields(record, str(path)) for topic in topics for record in by_topic[topic]][:50]
    parsed = list(parse_articles(articles, len(articles)))
    story = build_story("bench-story", parsed, PipelineConfig())
    document = result_document(RunResult(tuple(articles), (), (story,)))
    add_analysis_sized_keys(document["stories"][0], parsed)
    return document


def add_analysis_sized_keys(story: dict[str, Any], parsed: list[ParsedArticle]) -> None:
    """Claims, quotes, timeline and contradictions from the articles' own text, with exact spans."""
    story["claims"] = [
        {"id": f"d{n}", "text": d["text"], "article_ids": d["sources"], "label": "consensus"}
        for n, d in enumerate(story["digest"])
    ]
    story["claims"] += [
        {"id": f"s{p.id}-{s.index}", "text": s.text, "article_ids": [p.id], "label": "single_source"}
        for p in parsed
        for s in p.sentences[1:4]
    ]
    story["quotes"] = [quote(p, match) for p in parsed for match in QUOTE.finditer(p.article.text)]
    story["timeline"] = [
        {
            "date": f"{p.article.published[:7]}",
            "granularity": "month",
            "text": p.sentences[0].text,
            "article_ids": [p.id],
            "evidence": [{"article_id": p.id, "start": m.start(), "end": m.end()}],
        }
        for p in parsed
        if p.article.published and (m := MONTH.search(p.article.text))
    ]
    story["contradictions"] = [
        {
            "kind": "number",
            "claim_id": None,
            "diff": None,
            "variants": [variant(first.sentences[0], first.id), variant(second.sentences[0], second.id)],
        }
        for first, second in zip(parsed[0:40:2], parsed[1:40:2], strict=True)
    ]


def quote(article: ParsedArticle, match: re.Match[str]) -> dict[str, Any]:
    people = [e.text for e in article.entities if e.label == "PERSON" and e.end <= match.start()]
    return {
        "speaker": people[-1] if people else None,
        "text": match.group(1),
        "article_id": article.id,
        "start": match.start(1),
        "end": match.end(1),
        "variant_of": None,
    }


def variant(sentence: Any, article_id: str) -> dict[str, Any]:
    return {"article_id": article_id, "text": sentence.text, "start": sentence.start, "end": sentence.end}


if __name__ == "__main__":
    main()
