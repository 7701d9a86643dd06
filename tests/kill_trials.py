"""SIGKILL ``newsfuse add``, ``watch`` and ``load`` at seeded random moments, then check and rerun.

Run by tests/test_store_crash.py as ``python -m tests.kill_trials``. This process loads
spaCy once and forks each command as a real child process running the real command line
(as ``newsfuse ...`` would, minus the interpreter start and model load, which would
otherwise take most of each trial's time). Each trial starts on an empty store, kills the
child at a uniform random moment within the time an uninterrupted command takes (or a
little after), runs ``newsfuse check``, reruns ``add`` (``load`` after a ``load``) to
completion, checks again and compares every table with an uninterrupted run's. ``load``
trials need ``--batch``, a batch output of the same inputs. With ``--postgres SERVER_URL`` each
store, the references' too, is a new database on that server instead of a SQLite file. One JSON
line per trial on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from newsfuse.cli import main

from .test_store import dump

Outcome = dict[str, Any]


def spawn(args: list[str], log: Path) -> int:
    """Fork a child running ``newsfuse ARGS`` with its output in ``log``; return its pid."""
    log.write_bytes(b"")
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        descriptor = os.open(log, os.O_WRONLY)
        os.dup2(descriptor, 1)
        os.dup2(descriptor, 2)
        main(args, prog_name="newsfuse")
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:  # the child reports any failure by its exit status and log
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def finish(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def run(args: list[str], log: Path) -> tuple[int, str]:
    code = finish(spawn(args, log))
    return code, log.read_text(encoding="utf-8", errors="replace")


class Places:
    """Where a store lives: the SQLite file at a path (its log beside it), or with ``server`` a
    new database on that PostgreSQL server for each path (the log still at the path)."""

    def __init__(self, server: str | None) -> None:
        self.server = server

    def store(self, path: Path) -> str:
        if self.server is None:
            return str(path)
        import psycopg

        name = f"k_{path.stem.replace('-', '_')}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.server.rsplit("/", 1)[0] + "/" + name

    def holds_a_store(self, url: str) -> bool:
        """Whether the command got as far as creating the store (a kill may come before)."""
        if self.server is None:
            return Path(url).exists()
        import psycopg

        with psycopg.connect(url) as connection:
            found = connection.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()
        return bool(found and found[0])


def command(mode: str, inputs: Path, db: str) -> list[str]:
    """``inputs`` is the inbox folder, or for ``load`` the batch output of it."""
    if mode == "watch":
        return ["watch", str(inputs), "--every", "0.05s", "--db", db]
    if mode == "load":
        return ["load", str(inputs), "--db", db]
    return ["add", str(inputs), "--quiet", "--db", db]


def rerun_mode(mode: str) -> str:
    """What completes a killed command: ``add`` after ``add`` or ``watch`` (they store the same), else ``load``."""
    return "load" if mode == "load" else "add"


def trial(mode: str, kill_at: float, inputs: Path, path: Path, reference: dict[str, Any], places: Places) -> Outcome:
    log, db = path.with_suffix(".log"), places.store(path)
    pid = spawn(command(mode, inputs, db), log)
    time.sleep(kill_at)
    ended_first = os.waitpid(pid, os.WNOHANG)[0] != 0
    if not ended_first:
        os.kill(pid, signal.SIGKILL)
        finish(pid)
    outcome: dict[str, Any] = {"mode": mode, "kill_at": round(kill_at, 3), "killed": not ended_first}
    if places.holds_a_store(db):  # killed before the store was created: nothing to check
        outcome["check"] = run(["check", "--db", db], log)
    outcome["rerun"] = run(command(rerun_mode(mode), inputs, db), log)
    outcome["check_after"] = run(["check", "--db", db], log)
    outcome["equal"] = dump(db) == reference
    return outcome


REFERENCE_RUNS = 3
"""Kill moments are drawn within the fastest of these uninterrupted runs: a run slowed by a busy
machine (other tests, a build) would otherwise stretch the window past the end of most commands."""


REFERENCE_EVERY = 12
"""Each mode is timed again every this many trials, and the fastest time so far kept: references timed
while the machine was busy (the other pytest worker) would leave most kills after the command's end
once the machine is quiet."""


def reference_seconds(mode: str, inputs: Path, db: str, log: Path) -> float:
    """How long an uninterrupted ``add`` takes, or ``watch`` until its first poll is reported."""
    started = time.monotonic()
    pid = spawn(command(mode, inputs, db), log)
    if mode == "watch":
        while " added, " not in log.read_text(encoding="utf-8", errors="replace"):
            time.sleep(0.005)
        os.kill(pid, signal.SIGKILL)
    code = finish(pid)
    seconds = time.monotonic() - started
    assert code in (0, -signal.SIGKILL), log.read_text(encoding="utf-8")
    return seconds


def warm_up(inputs: Path, folder: Path) -> None:
    """One quiet ``add`` in this process: imports, spaCy's model and caches are loaded once, for every child."""
    with open(os.devnull, "w") as quiet, redirect_stdout(quiet), redirect_stderr(quiet):
        main(command("add", inputs, str(folder / "warm-up.db")), standalone_mode=False)


def main_loop(inputs: Path, batch: Path | None, trials: int, seed: int, folder: Path, places: Places) -> None:
    warm_up(inputs, folder)
    sources = {"add": inputs, "watch": inputs} | ({"load": batch} if batch else {})
    stores = {mode: places.store(folder / f"{mode}.db") for mode in sources}
    durations = {
        mode: min(
            reference_seconds(mode, source, store, folder / f"{mode}.log")
            for store in [stores[mode]] + [places.store(folder / f"{mode}-{n}.db") for n in range(1, REFERENCE_RUNS)]
        )
        for mode, source in sources.items()
    }
    references = {mode: dump(stores[mode]) for mode in sources if mode != "watch"}
    assert dump(stores["watch"]) == references["add"], "watch and add store the same"
    print(json.dumps({"reference_seconds": durations}), flush=True)
    modes = list(sources)

    def one(number: int, chooser: random.Random, db: Path) -> dict[str, Any]:
        mode = modes[number % len(modes)]
        if number >= len(modes) and number % REFERENCE_EVERY < len(modes):
            timed = places.store(db.with_suffix(".timed"))
            again = reference_seconds(mode, sources[mode], timed, db.with_suffix(".log"))
            durations[mode] = min(durations[mode], again)
        kill_at = chooser.uniform(0, durations[mode] * 1.1)
        return trial(mode, kill_at, sources[mode], db, references[rerun_mode(mode)], places)

    each_trial(trials, seed, folder, one)


def each_trial(trials: int, seed: int, folder: Path, one: Callable[[int, random.Random, Path], Outcome]) -> None:
    """Run ``one(number, chooser, db)`` per trial on a fresh store path, all drawing from one seeded
    chooser (a seed gives the same kill moments); print its JSON line, then remove its files."""
    chooser = random.Random(seed)
    for number in range(trials):
        outcome = one(number, chooser, folder / f"trial-{number}.db")
        print(json.dumps({"trial": number, **outcome}), flush=True)
        for path in folder.glob(f"trial-{number}.*"):
            path.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", type=Path)
    parser.add_argument("--batch", type=Path, help="A batch output of INPUTS: adds load trials.")
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", help="A PostgreSQL server's URL: stores are new databases there.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        places = Places(options.postgres)
        main_loop(options.inputs, options.batch, options.trials, options.seed, Path(workdir), places)
