"""Peak memory and time of ``newsfuse run`` on very long articles.

Writes the inputs to a temporary folder, then runs the real command line once per case in
a child process and prints its peak resident set size (``wait4``) and wall time. The
articles are the paragraphs of the seed articles (``--seeds``) drawn again and again, each
paragraph's words shuffled with a seeded generator so that no two articles are near copies
(which the run would not parse). A JSONL line holds 5,000,000 bytes at most, hence 4.8 MB.

    .venv/bin/python bench/big_articles.py                       # one 4.8 MB article, ten 1 MB articles
    .venv/bin/python bench/big_articles.py --cases 1x1,1x2,3x1   # COUNTxMB: one 1 MB, one 2 MB, three 1 MB
    .venv/bin/python bench/big_articles.py --cases 1x1 --post    # also POST each case's first article

``--post`` starts ``newsfuse serve --db NEW --create --allow-writes`` on a free loopback port,
POSTs the first article of each case to ``/api/articles`` and prints the server's peak RSS
(``VmHWM``) and the request's time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
MB = 1_000_000


def seed_paragraphs(seeds: Path) -> list[str]:
    lines = (line.strip() for path in sorted(seeds.iterdir()) for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if len(line.split()) > 5]


def big_article(paragraphs: list[str], size: int, number: int) -> dict[str, str]:
    """An article of about ``size`` characters: seed paragraphs with their words shuffled."""
    rng = random.Random(number)
    pieces: list[str] = []
    length = 0
    while length < size:
        words = rng.choice(paragraphs).split()
        rng.shuffle(words)
        pieces.append(" ".join(words).rstrip(".") + ".")
        length += len(pieces[-1]) + 2
    return {"id": f"big-{number}", "title": f"Long article {number}", "text": "\n\n".join(pieces)}


def measure(inputs: Path, out: Path) -> tuple[int, float, int]:
    """(peak RSS in bytes, seconds, exit code) of ``newsfuse run INPUTS --out OUT --quiet``."""
    command = [str(Path(sys.executable).parent / "newsfuse"), "run", str(inputs), "--out", str(out), "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    if status:
        print(f"    stderr: {errors[-1] if errors else ''}")
    return usage.ru_maxrss * 1024, seconds, os.waitstatus_to_exitcode(status)


def measure_post(article: dict[str, str], store: Path) -> tuple[int, float, int]:
    """(server peak RSS in bytes, seconds, HTTP status) of one POST of ``article`` to a new store at ``store``."""
    command = [str(Path(sys.executable).parent / "newsfuse"), "serve", "--port", "0", "--allow-writes"]
    command += ["--db", str(store), "--create"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        port = re.search(r":(\d+)/", server.stderr.readline())
        assert port, "the server did not start"
        url = f"http://127.0.0.1:{port.group(1)}/api/articles"
        request = urllib.request.Request(url, json.dumps(article).encode(), {"Content-Type": "application/json"})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=3600) as response:
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
        seconds = time.perf_counter() - started
        status_file = Path(f"/proc/{server.pid}/status").read_text()
        peak = int(re.search(r"VmHWM:\s+(\d+) kB", status_file).group(1)) * 1024  # type: ignore[union-attr]
    finally:
        server.terminate()
        server.communicate(timeout=30)
    return peak, seconds, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--cases", default="1x4.8,10x1", help="COUNTxMB, comma-separated")
    parser.add_argument("--post", action="store_true", help="also POST each case's first article to a server")
    args = parser.parse_args()
    paragraphs = seed_paragraphs(args.seeds)
    print(f"{'case':>8} {'input MB':>9} {'peak RSS MB':>12} {'seconds':>8} {'exit':>5} {'stories':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for case in args.cases.split(","):
            count, size = (float(part) for part in case.split("x"))
            inputs = Path(folder) / f"{case}.jsonl"
            articles = [big_article(paragraphs, int(size * MB), number) for number in range(int(count))]
            inputs.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
            out = Path(folder) / f"out-{case}"
            peak, seconds, code = measure(inputs, out)
            stories = out / "stories.json"
            made = len(json.loads(stories.read_text("utf-8"))["stories"]) if code == 0 and stories.exists() else "-"
            megabytes = inputs.stat().st_size / MB
            print(f"{case:>8} {megabytes:>9.2f} {peak / MB:>12.0f} {seconds:>8.1f} {code:>5} {made:>8}", flush=True)
            if args.post:
                peak, seconds, status = measure_post(articles[0], Path(folder) / f"post-{case}.db")
                print(
                    f"{'POST':>8} {len(articles[0]['text']) / MB:>9.2f} {peak / MB:>12.0f} {seconds:>8.1f} {status:>5}"
                )


if __name__ == "__main__":
    main()
