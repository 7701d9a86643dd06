"""How long ``newsfuse --help`` takes, and which imports it spends the time on.

Usage: .venv/bin/python bench/cli_startup.py [--runs 5] [--top 10] [--command "--help"]

Runs the installed ``newsfuse`` script (next to this Python) ``--runs`` times and prints the
best and median wall-clock seconds, then the ``--top`` imports by cumulative time from
``python -X importtime -m newsfuse``: the modules that a start-up pays for.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

NEWSFUSE = Path(sys.executable).with_name("newsfuse")


def wall_seconds(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(NEWSFUSE), *args], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def top_imports(args: list[str], top: int) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest imports, slowest first."""
    command = [sys.executable, "-X", "importtime", "-m", "newsfuse", *args]
    stderr = subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    rows = []
    for line in stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if len(fields) == 3 and fields[1].strip().isdigit():
            rows.append((int(fields[1]), fields[2].rstrip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--command", default="--help", help="Arguments to newsfuse, as one shell-quoted string.")
    options = parser.parse_args()
    args = shlex.split(options.command)
    times = wall_seconds(args, options.runs)
    print(f"newsfuse {options.command}: best {min(times):.3f} s, median {statistics.median(times):.3f} s")
    print("slowest imports (cumulative ms):")
    for micros, module in top_imports(args, options.top):
        print(f"{micros / 1000:9.1f}  {module}")


if __name__ == "__main__":
    main()
