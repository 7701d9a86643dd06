"""``serve --db`` with the SQL reader against today's in-memory export, on the same store, same run.

One SQLite store grows through ``--sizes`` articles of bench/store_add.py's synthetic
stream. At each size, each reader is served by its own process on a real uvicorn server:
"export" builds the store's whole export into a ``DocumentReader`` at start (as ``serve
--db`` did before the store reader), "store" is ``newsfuse serve --db`` itself (``StoreReader``),
and "store-N" the same with ``--workers N``. For each it prints the
time from process start to the first answer, p50/p99 latency of five requests under
``--clients`` concurrent clients (story list page, filtered list page, search, story page,
the same story pages again), and the server's memory after the load (proportional set size,
all its processes). Before the servers start, every story page out of date is rendered and kept
in the store (timed and printed), as a running server renders them ahead: the load meets the
steady state of a server that has run a while, not one still rendering beside it.

    .venv/bin/python bench/web_store_reader.py [--sizes 10000,30000] [--requests 400] [--clients 20] [--db FILE]
        [--readers export,store,store-2]

``--db FILE`` grows the store at FILE (kept after the run) instead of a temporary one, from the
articles it already holds, so a big store is filled once and measured again after a change.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_add import DATA, Stream, parse_pool, percentile
from web_load import children_of, get, server_cpu

from newsfuse.nlp.model import load_model
from newsfuse.store import IncrementalPipeline, Store
from newsfuse.web.serving import PageRenderer

READERS = "export,store,store-2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,30000", help="Store sizes (articles), ascending.")
    parser.add_argument("--requests", type=int, default=400, help="Requests of each kind per reader and size.")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--db", help="A store file to grow and keep (default: a temporary one).")
    parser.add_argument("--readers", default=READERS, help="export, store, store-N (N workers); comma-separated.")
    parser.add_argument("--export", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export:
        serve_export(args.export[0], int(args.export[1]))
        return
    load_model()
    stream = Stream(parse_pool(DATA, args.pool), per_day=5.0, event=20)
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or f"{folder}/store.db"
        grow = Growing(db, stream)
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            grow.to(size)
            filled = time.perf_counter() - started
            threaded = f"threaded in {grow.threading:.1f} s"
            rendered = f"{grow.render_pages()} story pages rendered in {grow.rendering:.0f} s"
            print(f"{size} articles, {grow.stories()} stories (filled in {filled:.0f} s, {threaded}, {rendered})")
            for reader in args.readers.split(","):
                print(f"  {reader:8} {measure(reader, db, args.requests, args.clients)}", flush=True)
        grow.close()


class Growing:
    """The store, filled a thousand articles per ``add`` (one rebuild each), threaded at each size."""

    def __init__(self, db: str, stream: Stream) -> None:
        self.store, self.stream, self.threading, self.rendering = Store(db), stream, 0.0, 0.0
        self.count = int(self.store.db.one("SELECT COUNT(*) FROM articles")[0])  # type: ignore[index]
        self.made: dict[str, object] = {}
        self.pipeline = IncrementalPipeline(self.store, parse=lambda article: self.made.pop(article.id))  # type: ignore[arg-type,return-value]

    def to(self, size: int) -> None:
        for chunk in range(self.count, size, 1000):
            parsed = [self.stream.article(n) for n in range(chunk, min(size, chunk + 1000))]
            self.made.update((p.id, p) for p in parsed)
            self.pipeline.add([p.article for p in parsed])
        started = time.perf_counter()
        self.pipeline.thread()  # as `newsfuse add` does at its end
        self.threading = time.perf_counter() - started
        self.count = size

    def render_pages(self) -> int:
        """Render every story page out of date, as a running server does in the background over its
        first minutes, so that the load meets the steady state rather than a server still
        rendering (half a core, 24 minutes for a new 100,000-article store)."""
        started = time.perf_counter()
        renderer = PageRenderer(self.store, threading.Lock())
        kept = renderer.render(threading.Event(), time.monotonic() + 24 * 3600)
        renderer.close()
        self.rendering = time.perf_counter() - started
        return kept

    def stories(self) -> int:
        row = self.store.db.one("SELECT COUNT(*) FROM stories")
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.store.close()


def serve_export(db: str, port: int) -> None:
    """The store's whole export in memory, as ``serve --db`` served it before the store reader."""
    import uvicorn

    from newsfuse.codec import result_document
    from newsfuse.web import create_app
    from newsfuse.web.writes import LiveStories

    stories = LiveStories(result_document(IncrementalPipeline(Store(db)).result()), {}, db)
    uvicorn.run(create_app(stories), host="127.0.0.1", port=port, log_level="warning")


def server_command(reader: str, db: str, port: int) -> list[str]:
    if reader == "export":
        return [sys.executable, __file__, "--export", db, str(port)]
    workers = reader.removeprefix("store").removeprefix("-") or "1"
    return [sys.executable, "-m", "newsfuse", "serve", "--db", db, "--port", str(port), "--workers", workers]


def measure(reader: str, db: str, requests: int, clients: int) -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen(server_command(reader, db, port), stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        ready = wait_ready(base, process) - started
        cpu = server_cpu(process.pid)
        timings = asyncio.run(load(base, requests, clients))
        cpu = server_cpu(process.pid) - cpu
        memory = memory_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
    figures = ", ".join(
        f"{name} p50 {percentile(t, 0.5) * 1000:.0f} / p99 {percentile(t, 0.99) * 1000:.0f} ms"
        for name, t in timings.items()
    )
    per_request = cpu / sum(map(len, timings.values())) * 1000
    return f"ready {ready:.1f} s; {figures}; server CPU {per_request:.1f} ms a request; PSS {memory:.0f} MB"


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> float:
    while True:
        assert process.poll() is None, "the server died"
        try:
            if httpx.get(f"{base}/api/stories?limit=1", timeout=600).status_code == 200:
                return time.perf_counter()
        except httpx.TransportError:
            time.sleep(0.05)


async def load(base: str, requests: int, clients: int) -> dict[str, list[float]]:
    """``requests`` of each kind, ``clients`` at a time, each client on one keep-alive connection
    (bench/web_load.py's minimal HTTP/1.1, which leaves the CPU to the server)."""
    story_ids: list[str] = []
    while len(story_ids) < requests:
        params = {"limit": 100, "offset": len(story_ids)}
        listed = httpx.get(f"{base}/api/stories", params=params, timeout=600).json()["items"]
        story_ids += [s["id"] for s in listed[: requests - len(story_ids)]]
        if not listed:
            break
    outlets = [f"outlet-{n:02d}" for n in range(1, 51)]
    words = ["summit", "police", "school", "election", "said", "water", "court", "president"]
    urls = {
        "list": [f"/?page={1 + n % 5}" for n in range(requests)],
        "filtered": [f"/?outlet={outlets[n % 50]}&from=2020-03-01&sort=newest" for n in range(requests)],
        "search": [f"/api/search?q={words[n % len(words)]}" for n in range(requests)],
        "story": [f"/stories/{story_ids[n % len(story_ids)]}" for n in range(requests)],
        "story again": [f"/stories/{story_ids[n % len(story_ids)]}" for n in range(requests)],
    }
    host, port = base.removeprefix("http://").split(":")
    timings: dict[str, list[float]] = {}
    for name, batch in urls.items():
        waiting, timings[name] = iter(batch), []
        await asyncio.gather(*(client(host, int(port), waiting, timings[name]) for _ in range(clients)))
    return timings


async def client(host: str, port: int, waiting: Iterator[str], timings: list[float]) -> None:
    """One keep-alive connection taking the next waiting URL until none is left."""
    connection = await asyncio.open_connection(host, port)
    for url in waiting:
        started = time.perf_counter()
        assert await get(*connection, url) == 200, url
        timings.append(time.perf_counter() - started)
    connection[1].close()


def memory_mb(pid: int) -> float:
    """The memory of the process and its children (a server's workers), as proportional set size:
    pages the workers share since the fork are counted once, not once per worker as RSS would."""
    total = 0.0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            total += int(line.split()[1]) / 1024
    return total + sum(memory_mb(int(child)) for child in children_of(pid))


if __name__ == "__main__":
    main()
