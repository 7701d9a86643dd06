"""Requests per second and latency of the biggest story page and ``/api/stories`` under concurrent clients.

Serves a run's ``stories.json`` with a real ``newsfuse serve`` subprocess on loopback; ``--clients``
clients (asyncio tasks in this process) each request one path again and again for ``--seconds``,
as a browser would (``Accept-Encoding: gzip``), then the next path. The biggest story is the one
with the largest record. ``--code DIR`` serves with the ``newsfuse`` package found in DIR (an
older checkout, for a before/after on the same file and the same machine).

    .venv/bin/newsfuse run ../shared/data/duc2006-dev.jsonl --out /tmp/duc
    .venv/bin/python bench/web_concurrency.py /tmp/duc/stories.json [--clients 20] [--seconds 20] [--code DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(stories: Path, port: int, code: Path | None) -> subprocess.Popen[bytes]:
    """``code``: the checkout whose package serves (the child runs there, so ``-c`` finds it first)."""
    env = dict(os.environ, PYTHONPATH=str(code)) if code else None
    command = [
        sys.executable,
        "-c",
        "from newsfuse.cli import main; main()",
        "serve",
        "--stories",
        str(stories.resolve()),
    ]
    server = subprocess.Popen([*command, "--port", str(port)], env=env, cwd=code, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


async def load(url: str, clients: int, seconds: float) -> tuple[list[float], list[int], int]:
    """Latencies and bytes on the wire of every answered request, and the number of errors."""
    latencies: list[float] = []
    sizes: list[int] = []
    errors = 0
    end = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits, headers={"Accept-Encoding": "gzip"}) as client:

        async def one_client() -> None:
            nonlocal errors
            while time.monotonic() < end:
                start = time.perf_counter()
                async with client.stream("GET", url) as response:
                    size = sum([len(chunk) async for chunk in response.aiter_raw()])
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - start)
                    sizes.append(size)
                else:
                    errors += 1

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies, sizes, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stories", type=Path)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--code", type=Path, help="Serve with the newsfuse package of this checkout.")
    args = parser.parse_args()
    document = json.loads(args.stories.read_text(encoding="utf-8"))
    biggest = max(document["stories"], key=lambda story: len(json.dumps(story)))["id"]
    port = free_port()
    server = start_server(args.stories, port, args.code)
    try:
        print("path | requests/s | p50 ms | p99 ms | bytes per response | errors")
        for path in (f"/stories/{biggest}", "/api/stories?limit=20"):
            latencies, sizes, errors = asyncio.run(load(f"http://127.0.0.1:{port}{path}", args.clients, args.seconds))
            cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
            rate = len(latencies) / args.seconds
            mean_size = statistics.fmean(sizes) if sizes else 0
            p50, p99 = 1000 * cuts[49], 1000 * cuts[98]
            print(f"{path[:40]} | {rate:.1f} | {p50:.0f} | {p99:.0f} | {mean_size:,.0f} | {errors}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
