"""Time per ``add`` of one article into a store that already holds many, against a small store.

Articles are synthesised from real DUC 2006 dev articles: each new article takes about
three fifths of the sentences of one article and two fifths of another on the same topic
(so it is no duplicate, and it joins that topic's story), with its own id, outlet and a
publication date that moves forward at ``--per-day`` articles a day. The stream comes in
events of ``--event`` articles, each on the next topic in turn, so a topic comes back
after its story has closed (14 days) and starts a new one, as news does; stories stay
at about one event's size however big the store grows. The default rate, 5 a day, brings
a topic back every 80 days: at 20 a day, five DUC topics about schools came round often
enough that their story never closed and grew by a quarter of the stream (1,018 of
4,000 articles), so each add re-analysed a story of hundreds of articles. The pool is parsed with spaCy
once; the synthetic articles reuse those parses (offsets recomputed), so the figures are
the store's own cost per add: duplicate check, clustering and one transaction ("store"),
then re-analysing the one story the article joined ("story"). spaCy's parse of one
article, the same whatever the store size, is timed apart. The timed adds of the two
stores are interleaved, so that load from elsewhere on the machine weighs on both alike.

    .venv/bin/python bench/store_add.py [--prefill 10000] [--add 200] [--small 500] [--db-url URL]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from newsfuse.nlp.model import load_model
from newsfuse.nlp.parse import parse_articles
from newsfuse.records import Article, EntityMention, ParsedArticle
from newsfuse.store import IncrementalPipeline, Store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"
START = date(2020, 1, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--pool", type=int, default=200, help="Real articles parsed to synthesise from.")
    parser.add_argument("--prefill", type=int, default=10_000, help="Articles in the big store before timing.")
    parser.add_argument("--small", type=int, default=500, help="Articles in the baseline store.")
    parser.add_argument("--add", type=int, default=200, help="Articles added one at a time and timed.")
    parser.add_argument("--small-add", type=int, default=200, help="Articles added and timed in the baseline store.")
    parser.add_argument("--per-day", type=float, default=5.0, help="Publication rate of the synthetic stream.")
    parser.add_argument("--event", type=int, default=20, help="Articles per event (one topic, consecutive).")
    parser.add_argument("--db-url", help="A postgresql:// URL for the big store (default: a SQLite file).")
    args = parser.parse_args()

    load_model()
    started = time.perf_counter()
    pool = parse_pool(args.data, args.pool)
    per_parse = (time.perf_counter() - started) / sum(map(len, pool.values()))
    print(f"spaCy parse: {per_parse * 1000:.0f} ms per article (not in the figures below)")
    stream = Stream(pool, args.per_day, args.event)
    with tempfile.TemporaryDirectory() as folder:
        small_store = Timed(f"{folder}/small.db", stream, args.small)
        big_store = Timed(args.db_url or f"{folder}/big.db", stream, args.prefill)
        measure(small_store, big_store, args.add, args.small_add)
        small, big = small_store.outcome(), big_store.outcome()
    for name, outcome in (("small", small), ("big", big)):
        print(f"{name} store: {outcome.describe()}")
    for part in ("store", "story", "total"):
        ratio = statistics.median(big.times[part]) / statistics.median(small.times[part])
        print(f"median {part} time per add, big / small store: {ratio:.2f}x")


def parse_pool(path: Path, count: int) -> dict[str, list[ParsedArticle]]:
    """``count`` real articles spread over the topics, parsed, by topic."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    by_topic: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
    for record in records:
        by_topic[str(record["story"])].append(record)
    per_topic = max(2, count // len(by_topic))
    chosen = [r for topic in sorted(by_topic) for r in by_topic[topic][:per_topic]]
    articles = [Article(id=r["id"], title=r["title"], text=r["text"], published=r["published"]) for r in chosen]
    topic_of = {r["id"]: str(r["story"]) for r in chosen}
    pool: defaultdict[str, list[ParsedArticle]] = defaultdict(list)
    for parsed in parse_articles(articles, len(articles), processes=1):
        pool[topic_of[parsed.id]].append(parsed)
    return pool


@dataclass
class Stream:
    """Synthetic articles by number: the same number always gives the same article."""

    pool: dict[str, list[ParsedArticle]]
    per_day: float
    event: int

    def article(self, number: int) -> ParsedArticle:
        """Sentences of two same-topic articles, interleaved in order; parse offsets moved to the new text."""
        rng = random.Random(number)
        topics = sorted(self.pool)
        first, second = rng.sample(self.pool[topics[(number // self.event) % len(topics)]], 2)
        picked = [(s, first) for s in first.sentences if rng.random() < 0.6]
        picked += [(s, second) for s in second.sentences if rng.random() < 0.4]
        article_id = f"syn{number:07d}"
        texts, sentences, entities, position = [], [], [], 0
        for index, (sentence, source) in enumerate(picked or [(first.sentences[0], first)]):
            shift = position - sentence.start
            texts.append(sentence.text)
            end = position + len(sentence.text)
            sentences.append(replace(sentence, article_id=article_id, index=index, start=position, end=end))
            entities += [
                EntityMention(e.text, e.name, e.label, e.start + shift, e.end + shift)
                for e in source.entities
                if sentence.start <= e.start and e.end <= sentence.end
            ]
            position = end + 1
        article = Article(
            id=article_id,
            title=first.article.title,
            text="\n".join(texts),
            source=f"outlet-{rng.randint(1, 50):02d}",
            published=(START + timedelta(days=int(number / self.per_day))).isoformat(),
        )
        terms = tuple(term for sentence in sentences for term in sentence.terms)
        return ParsedArticle(article, tuple(sentences), tuple(entities), terms)


@dataclass
class Outcome:
    times: dict[str, list[float]]
    size: int
    articles: int
    stories: int
    largest_story: int
    prefill_s: float
    content: dict[str, int]

    @staticmethod
    def summary(times: dict[str, list[float]]) -> str:
        return "; ".join(
            f"{part} median {statistics.median(t) * 1000:.1f} ms, p99 {percentile(t, 0.99) * 1000:.1f} ms"
            for part, t in times.items()
        )

    def describe(self) -> str:
        shares = ", ".join(f"{name} {size / self.size:.0%}" for name, size in self.content.items())
        return (
            f"{self.articles} articles, {self.stories} stories (largest {self.largest_story} articles),"
            f" {self.size / 1e6:.1f} MB ({shares})"
            f" (prefill {self.prefill_s:.0f} s); per add: " + self.summary(self.times)
        )


class Timed:
    """One store under test: prefilled, then timed one ``add`` at a time."""

    def __init__(self, url: str, stream: Stream, prefill: int) -> None:
        self.url, self.stream, self.made = url, stream, dict[str, ParsedArticle]()
        self.store = Store(url)
        self.pipeline = IncrementalPipeline(self.store, parse=lambda article: self.made.pop(article.id))
        self.times: dict[str, list[float]] = {"store": [], "story": [], "total": []}
        self.next_number = prefill
        started = time.perf_counter()
        for chunk in range(0, prefill, 1000):
            self.pipeline.add(self.articles(range(chunk, min(prefill, chunk + 1000))))
            done = min(prefill, chunk + 1000)
            print(f"  {Path(url).stem} prefill {done}: {time.perf_counter() - started:.0f} s", flush=True)
        self.prefill_s = time.perf_counter() - started

    def articles(self, numbers: range) -> list[Article]:
        parsed = [self.stream.article(n) for n in numbers]
        self.made.update((p.id, p) for p in parsed)
        return [p.article for p in parsed]

    def add_next(self) -> None:
        """Add the stream's next article alone (one transaction), then re-analyse its story; both timed."""
        (article,) = self.articles(range(self.next_number, self.next_number + 1))
        self.next_number += 1
        started = time.perf_counter()
        self.pipeline.add_one(article)
        stored = time.perf_counter()
        self.pipeline.rebuild()
        done = time.perf_counter()
        self.times["store"].append(stored - started)
        self.times["story"].append(done - stored)
        self.times["total"].append(done - started)

    def outcome(self) -> Outcome:
        size, content = store_size(self.store, self.url), stored_bytes(self.store)
        sizes = [len(story.article_ids) for story in self.store.stories()]
        outcome = Outcome(self.times, size, self.next_number, len(sizes), max(sizes), self.prefill_s, content)
        self.store.close()
        return outcome


def measure(small: Timed, big: Timed, big_adds: int, small_adds: int) -> None:
    """Interleave the timed adds of both stores, so that load from elsewhere on the machine weighs on both alike."""
    for number in range(1, big_adds + 1):
        big.add_next()
        if len(small.times["total"]) < small_adds * number // big_adds:
            small.add_next()
        if number % 1000 == 0:
            print(f"  added {number}: big {Outcome.summary(big.times)}", flush=True)


def store_size(store: Store, url: str) -> int:
    if store.db.postgres:
        row = store.db.one("SELECT pg_database_size(current_database())")
        return int(row[0]) if row else 0
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(url).stat().st_size


def stored_bytes(store: Store) -> dict[str, int]:
    """Bytes of the biggest columns (text and JSON), to show what the store size is made of."""
    columns = {
        "article records": "SELECT SUM(LENGTH(record)) FROM articles",
        "parses": "SELECT SUM(LENGTH(parsed)) FROM articles",
        "story records": "SELECT SUM(LENGTH(record)) FROM stories",
        "clustering state": "SELECT SUM(LENGTH(state)) FROM stories",
    }
    return {name: int((store.db.one(sql) or (0,))[0] or 0) for name, sql in columns.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


if __name__ == "__main__":
    main()
