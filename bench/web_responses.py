"""Bytes per response of the list endpoints and the biggest story page, plain and gzipped.

Runs the real pipeline on the first ``--articles`` articles of DUC 2006 dev, serves the
result on a real server and fetches ``/api/stories?limit=20``, ``/api/search?q=...`` and the
biggest story's page and record, without and with ``Accept-Encoding: gzip``. The list
endpoints used to return every story's full record; that size is given too (the same
stories' records from ``/api/stories/{id}``, as one list).

    .venv/bin/python bench/web_responses.py [--data ../shared/data] [--articles 150] [--query school]
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from newsfuse.codec import result_document
from newsfuse.ingest import read_inputs
from newsfuse.pipeline import run_pipeline
from newsfuse.web import create_app
from newsfuse.web.writes import LiveStories

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def serve(document: dict[str, object]) -> tuple[uvicorn.Server, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(LiveStories(document)), log_level="warning"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def sizes(client: httpx.Client, path: str) -> tuple[int, int]:
    """(plain bytes, bytes on the wire with gzip) of one GET."""
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as zipped:
        wire = sum(len(chunk) for chunk in zipped.iter_raw())
    return len(plain.content), wire


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--query", default="school")
    args = parser.parse_args()
    ingested = read_inputs([args.data / "duc2006-dev.jsonl"])
    articles = sorted(ingested.articles, key=lambda a: a.id)[: args.articles]
    document = result_document(run_pipeline(articles))
    stories = document["stories"]
    assert isinstance(stories, list)
    biggest = max(stories, key=lambda story: len(json.dumps(story)))["id"]
    server, url = serve(document)
    print(f"{len(articles)} articles, {len(stories)} stories", file=sys.stderr)
    print(f"{'response':<40} {'bytes':>10} {'gzip':>9} {'before':>10}")
    with httpx.Client(base_url=url, timeout=60) as client:
        for path in ("/api/stories?limit=20", f"/api/search?q={args.query}&limit=20"):
            items = client.get(path).json()["items"]
            full = [client.get(item["url"]).json() for item in items]
            before = len(json.dumps({"items": full, "total": 0, "offset": 0, "limit": 20}, separators=(",", ":")))
            plain, wire = sizes(client, path)
            print(f"{path:<40} {plain:>10,} {wire:>9,} {before:>10,}")
        for path in (f"/stories/{biggest}", f"/api/stories/{biggest}"):
            plain, wire = sizes(client, path)
            print(f"{path[:40]:<40} {plain:>10,} {wire:>9,} {plain:>10,}")
    server.should_exit = True


if __name__ == "__main__":
    main()
