"""``serve --db`` with the SQL reader against today's in-memory export, on the same store, same run.

One SQLite store grows through ``--sizes`` articles of bench/store_add.py's synthetic
stream. At each size, each reader is served by its own process on a real uvicorn server:
"export" builds the store's whole export into a ``DocumentReader`` at start (as ``serve
--db`` did before the store reader), "store" is ``StoreReader``. For each it prints the
time from process start to the first answer, p50/p99 latency of four requests under
``--clients`` concurrent clients (story list page, filtered list page, search, story page),
and the server's resident memory after the load.

    .venv/bin/python bench/web_store_reader.py [--sizes 10000,30000] [--requests 400] [--clients 20] [--db FILE]

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
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store_add import DATA, Stream, parse_pool, percentile

from newsfuse.nlp.model import load_model
from newsfuse.store import IncrementalPipeline, Store

KINDS = ("export", "store")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,30000", help="Store sizes (articles), ascending.")
    parser.add_argument("--requests", type=int, default=400, help="Requests of each kind per reader and size.")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--pool", type=int, default=200)
    parser.add_argument("--db", help="A store file to grow and keep (default: a temporary one).")
    parser.add_argument("--serve", nargs=3, metavar=("KIND", "DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], args.serve[1], int(args.serve[2]))
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
            print(f"{size} articles, {grow.stories()} stories (filled in {filled:.0f} s, {threaded})")
            for kind in KINDS:
                print(f"  {kind:6} {measure(kind, db, args.requests, args.clients)}", flush=True)
        grow.close()


class Growing:
    """The store, filled a thousand articles per ``add`` (one rebuild each), threaded at each size."""

    def __init__(self, db: str, stream: Stream) -> None:
        self.store, self.stream, self.threading = Store(db), stream, 0.0
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

    def stories(self) -> int:
        row = self.store.db.one("SELECT COUNT(*) FROM stories")
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.store.close()


def serve(kind: str, db: str, port: int) -> None:
    """One server process: today's export in memory, or the store reader."""
    import uvicorn

    from newsfuse.codec import result_document
    from newsfuse.web import create_app
    from newsfuse.web.reader import DocumentReader
    from newsfuse.web.serving import StoreStories

    pipeline = IncrementalPipeline(Store(db))
    stories = StoreStories(pipeline)
    if kind == "export":
        stories.reader = DocumentReader(result_document(pipeline.result()))  # type: ignore[assignment]
    uvicorn.run(create_app(stories), host="127.0.0.1", port=port, log_level="warning")


def measure(kind: str, db: str, requests: int, clients: int) -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--serve", kind, db, str(port)])
    try:
        base = f"http://127.0.0.1:{port}"
        ready = wait_ready(base, process) - started
        timings = asyncio.run(load(base, requests, clients))
        rss = resident_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)
    figures = ", ".join(
        f"{name} p50 {percentile(t, 0.5) * 1000:.0f} / p99 {percentile(t, 0.99) * 1000:.0f} ms"
        for name, t in timings.items()
    )
    return f"ready {ready:.1f} s; {figures}; RSS {rss:.0f} MB"


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> float:
    while True:
        assert process.poll() is None, "the server died"
        try:
            if httpx.get(f"{base}/api/stories?limit=1", timeout=600).status_code == 200:
                return time.perf_counter()
        except httpx.TransportError:
            time.sleep(0.05)


async def load(base: str, requests: int, clients: int) -> dict[str, list[float]]:
    """``requests`` of each kind, ``clients`` at a time; URLs vary so that no single answer is reused."""
    async with httpx.AsyncClient(base_url=base, timeout=600, limits=httpx.Limits(max_connections=clients)) as client:
        listed = (await client.get("/api/stories", params={"limit": 100})).json()["items"]
        story_ids = [s["id"] for s in listed]
        outlets = [f"outlet-{n:02d}" for n in range(1, 51)]
        words = ["summit", "police", "school", "election", "said", "water", "court", "president"]
        urls = {
            "list": [f"/?page={1 + n % 5}" for n in range(requests)],
            "filtered": [f"/?outlet={outlets[n % 50]}&from=2020-03-01&sort=newest" for n in range(requests)],
            "search": [f"/api/search?q={words[n % len(words)]}" for n in range(requests)],
            "story": [f"/stories/{story_ids[n % len(story_ids)]}" for n in range(requests)],
        }
        gate = asyncio.Semaphore(clients)

        async def timed(url: str) -> float:
            async with gate:
                started = time.perf_counter()
                response = await client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return time.perf_counter() - started

        return {name: list(await asyncio.gather(*map(timed, batch))) for name, batch in urls.items()}


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    main()
