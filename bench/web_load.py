"""Load on ``newsfuse serve --db``: many concurrent clients against a store of 10k stories, and one client.

The store is synthesised, not parsed: real DUC 2006 dev articles (``--source`` of them,
a few per topic) go through the real ``add`` (spaCy, dedup, clustering, analysis) into a
small store, whose stories are then copied until there are ``--stories``, each copy with
its own story and article ids, a distinct word in its titles and its dates moved by whole
days; the rows go straight into the big store's tables through the store's connection, so
the big store passes ``newsfuse check``. It is kept at ``--db`` and reused by later runs.

The server is a real ``newsfuse serve --db`` subprocess on loopback. Each client (an
asyncio task, all in this process) sends the next request of a seeded mix as soon as the
last one is answered: the stories page (some later pages), story pages, article pages,
``/api/stories`` pages and ``/api/search``. Figures: requests/s, p50/p99 latency and errors
(any status but 200, or no answer), first with one client (the baseline), then under load.

    .venv/bin/python bench/web_load.py [--clients 200] [--seconds 60] [--stories 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from newsfuse.records import Article
from newsfuse.store import IncrementalPipeline, Store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"
NEWSFUSE = str(Path(sys.executable).with_name("newsfuse"))
TAGS = ("amber", "basalt", "cobalt", "delta", "ember", "fjord", "granite", "harbor", "indigo", "jasper", "kestrel")
MIX = (("/", 20), ("story page", 30), ("article page", 20), ("/api/stories", 15), ("/api/search", 15))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--db", type=Path, help="The store to serve (built when absent).")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--source", type=int, default=60, help="Real articles parsed to copy stories from.")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    args = parser.parse_args()

    db = args.db or Path(tempfile.gettempdir()) / f"newsfuse-web-load-{args.stories}.db"
    if db.exists():
        print(f"reusing {db}")
    else:
        started = time.perf_counter()
        build_store(db, args.data, args.source, args.stories)
        print(f"built {db} in {time.perf_counter() - started:.0f} s")
    checked = subprocess.run([NEWSFUSE, "check", "--db", str(db)], capture_output=True, text=True, check=False)
    print(f"newsfuse check: {checked.stdout.strip() or checked.stderr.strip()}")
    targets = Targets.of(db)
    with served(db) as (url, startup, pid):
        print(f"server ready in {startup:.1f} s: {url}")
        baseline = measure(pid, load(url, targets, 1, args.baseline_seconds))
        loaded = measure(pid, load(url, targets, args.clients, args.seconds))
    print(baseline.describe(f"baseline, 1 client, {args.baseline_seconds:.0f} s"))
    print(loaded.describe(f"load, {args.clients} clients, {args.seconds:.0f} s"))
    print(
        f"under load / baseline: {loaded.rate / baseline.rate:.2f}x requests/s, "
        f"{loaded.percentile(50) / baseline.percentile(50):.1f}x p50 latency"
    )


def build_store(db: Path, data: Path, source: int, stories: int) -> None:
    """Real stories from a real ``add``, copied with new ids until the store holds ``stories``."""
    with tempfile.TemporaryDirectory() as folder:
        small = Store(f"{folder}/source.db")
        try:
            IncrementalPipeline(small).add(source_articles(data, source))
            rows = {table: small.db.rows(f"SELECT * FROM {table}") for table in ("articles", "stories")}
            groups = small.db.rows("SELECT * FROM duplicate_groups")
        finally:
            small.close()
    print(f"{len(rows['stories'])} real stories from {len(rows['articles'])} articles, copied {stories} times over")
    big = Store(str(db))
    try:
        with big.transaction():
            clustered = copy_rows(big, rows, groups, stories)
            for key in ("generation", "term_documents", "entity_documents"):
                big.set_meta(key, str(clustered))
    finally:
        big.close()


def source_articles(data: Path, count: int) -> list[Article]:
    """The first few articles of each topic, so stories stay small and many topics are covered."""
    records = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines()]
    topic = itemgetter("story")
    per_topic = max(1, count // len({topic(r) for r in records}))
    chosen = [r for _, group in groupby(sorted(records, key=topic), key=topic) for r in islice(group, per_topic)]
    return [
        Article(id=r["id"], title=r["title"], text=r["text"], published=r["published"], source=r.get("source"))
        for r in chosen
    ]


def copy_rows(big: Store, rows: dict[str, list[tuple[Any, ...]]], groups: list[tuple[Any, ...]], count: int) -> int:
    """Copy ``k`` of story ``k mod n``: every id renamed, a tag word in the titles, dates ``k // n`` days later."""
    sources = sorted(rows["stories"], key=lambda row: row[1])
    articles_by_story: defaultdict[str, list[tuple[Any, ...]]] = defaultdict(list)
    canonical_story = {row[0]: row[7] for row in rows["articles"] if row[7]}
    for row in rows["articles"]:
        articles_by_story[row[7] or canonical_story.get(row[6], "")].append(row)
    seq, clustered = 0, 0
    for k in range(count):
        story_id, _, article_ids, _, record = sources[k % len(sources)]
        members = articles_by_story[story_id]
        names = {row[0]: f"{row[0]}~{k}" for row in members} | {story_id: f"{story_id}~{k}"}
        tag, shift = TAGS[k % len(TAGS)], timedelta(days=k // len(sources))
        for row in members:
            seq += 1
            clustered += row[7] is not None
            article = renamed(json.loads(row[2]), names)
            article["title"] = f"{article['title']} ({tag})"
            if article.get("published"):
                article["published"] = (date.fromisoformat(article["published"][:10]) + shift).isoformat()
            parsed = json.dumps(renamed(json.loads(row[3]), names)) if row[3] else None
            big.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (names[row[0]], seq, json.dumps(article), parsed, row[4], row[5], names.get(row[6]), names.get(row[7])),
            )
        story = renamed(json.loads(record), names)
        story["title"] = f"{story['title']} ({tag})"
        big.db.execute(
            "INSERT INTO stories VALUES (?, ?, ?, NULL, ?)",
            (names[story_id], k, json.dumps(renamed(json.loads(article_ids), names)), json.dumps(story)),
        )
        for canonical, ids, similarity in groups:
            if canonical in names:
                big.db.execute(
                    "INSERT INTO duplicate_groups VALUES (?, ?, ?)",
                    (names[canonical], json.dumps(renamed(json.loads(ids), names)), similarity),
                )
    return clustered


def renamed(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every string (and key) that is a renamed id replaced by its new name."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, list):
        return [renamed(item, names) for item in value]
    if isinstance(value, dict):
        return {names.get(key, key): renamed(item, names) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Targets:
    """What the clients ask for: ids and search words read from the store."""

    stories: list[str]
    articles: list[str]
    words: list[str]

    @classmethod
    def of(cls, db: Path) -> Targets:
        store = Store(str(db))
        try:
            stories = sorted(row[0] for row in store.db.rows("SELECT id FROM stories"))
            articles = sorted(row[0] for row in store.db.rows("SELECT id FROM articles"))
            titles = [json.loads(row[0])["title"] for row in store.db.rows("SELECT record FROM stories LIMIT 200")]
        finally:
            store.close()
        words = sorted({w.lower() for title in titles for w in re.findall(r"[A-Za-z]{5,}", title)})
        return cls(stories, articles, words)

    def path(self, kind: str, rng: random.Random) -> str:
        if kind == "/":
            return "/" if rng.random() < 0.7 else f"/?page={rng.randint(2, 50)}"
        if kind == "story page":
            return f"/stories/{quote(rng.choice(self.stories), safe='')}"
        if kind == "article page":
            return f"/articles/{quote(rng.choice(self.articles), safe='')}"
        if kind == "/api/stories":
            return f"/api/stories?offset={rng.randrange(0, len(self.stories), 20)}&limit=20"
        return f"/api/search?q={quote(rng.choice(self.words))}"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    by_kind: defaultdict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, percent: int, latencies: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if latencies is None else latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))] * 1000

    def describe(self, name: str) -> str:
        lines = [
            f"{name}: {len(self.latencies)} requests, {self.rate:.1f} requests/s, "
            f"p50 {self.percentile(50):.1f} ms, p99 {self.percentile(99):.1f} ms, "
            f"errors {sum(self.errors.values())} {dict(self.errors) or ''}".rstrip(),
            f"  CPU: server {self.server_cpu / self.seconds:.0%} of one core, "
            f"clients {self.client_cpu / self.seconds:.0%}",
        ]
        for kind, latencies in sorted(self.by_kind.items()):
            lines.append(
                f"  {kind:<13} {len(latencies):>7} requests, p50 {self.percentile(50, latencies):8.1f} ms, "
                f"p99 {self.percentile(99, latencies):8.1f} ms, mean {statistics.fmean(latencies) * 1000:8.1f} ms"
            )
        return "\n".join(lines)


def measure(pid: int, phase: Coroutine[Any, Any, Tally]) -> Tally:
    """Run one phase, adding the server's CPU time over it (Linux: /proc)."""
    before = server_cpu(pid)
    tally = asyncio.run(phase)
    tally.server_cpu = server_cpu(pid) - before
    return tally


def server_cpu(pid: int) -> float:
    """User and system CPU seconds of the server so far, its workers' included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(server_cpu(int(child)) for child in children_of(pid))


def children_of(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


async def load(url: str, targets: Targets, clients: int, seconds: float) -> Tally:
    tally = Tally()
    host, port = url.removeprefix("http://").split(":")
    started = time.perf_counter()
    cpu = os.times()
    deadline = started + seconds
    tasks = (one_client(host, int(port), targets, number, deadline, tally) for number in range(clients))
    await asyncio.gather(*tasks)
    tally.seconds = time.perf_counter() - started
    tally.client_cpu = sum(os.times()[:2]) - sum(cpu[:2])
    return tally


async def one_client(host: str, port: int, targets: Targets, number: int, deadline: float, tally: Tally) -> None:
    """One keep-alive connection (reopened after a failure), one request at a time, as a browser tab would."""
    rng = random.Random(number)
    kinds, weights = [kind for kind, _ in MIX], [weight for _, weight in MIX]
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.perf_counter() < deadline:
        kind = rng.choices(kinds, weights)[0]
        path = targets.path(kind, rng)
        started = time.perf_counter()
        try:
            connection = connection or await asyncio.open_connection(host, port)
            status = await get(*connection, path)
        except (OSError, asyncio.IncompleteReadError, ValueError) as err:
            status, kind, connection = 0, f"{kind} ({type(err).__name__})", None
        latency = time.perf_counter() - started
        tally.latencies.append(latency)
        tally.by_kind[kind].append(latency)
        if status != 200:
            tally.errors[f"{kind}: {status}"] += 1
    if connection:
        connection[1].close()


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """A minimal HTTP/1.1 GET (the server always sends Content-Length): far less client CPU than a full client."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    status = int((await reader.readuntil(b"\r\n")).split()[1])
    length = None
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length is None:
        raise ValueError("no Content-Length")
    await reader.readexactly(length)
    return status


class served:
    """``newsfuse serve --db`` on a free loopback port, from ready to stopped."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        command = [NEWSFUSE, "serve", "--db", str(db), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def __enter__(self) -> tuple[str, float, int]:
        url, started = f"http://127.0.0.1:{self.port}", time.perf_counter()
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the server stopped: {self.process.stderr.read() if self.process.stderr else ''}")
            try:
                if httpx.get(f"{url}/api/stories?limit=1", timeout=5).status_code == 200:
                    return url, time.perf_counter() - started, self.process.pid
            except httpx.HTTPError:
                time.sleep(0.5)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        _, errors = self.process.communicate(timeout=60)
        if "Traceback" in errors:
            print(f"server errors:\n{errors}")


if __name__ == "__main__":
    main()
