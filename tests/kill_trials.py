"""SIGKILL ``newsfuse add`` and ``newsfuse watch`` at seeded random moments, then check and rerun.

Run by tests/test_store_crash.py as ``python -m tests.kill_trials``. This process loads
spaCy once and forks each command as a real child process running the real command line
(as ``newsfuse ...`` would, minus the interpreter start and model load, which would
otherwise take most of each trial's time). Each trial starts on an empty store, kills the
child at a uniform random moment within the time an uninterrupted ``add`` takes (or a
little after), runs ``newsfuse check``, reruns ``add`` to completion, checks again and
compares every table with an uninterrupted run's. One JSON line per trial on stdout.
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
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from newsfuse.cli import main

from .test_store import dump


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


def command(mode: str, inputs: Path, db: Path) -> list[str]:
    if mode == "watch":
        return ["watch", str(inputs), "--every", "0.05s", "--db", str(db)]
    return ["add", str(inputs), "--quiet", "--db", str(db)]


def trial(mode: str, kill_at: float, inputs: Path, db: Path, reference: dict[str, Any]) -> dict[str, Any]:
    log = db.with_suffix(".log")
    pid = spawn(command(mode, inputs, db), log)
    time.sleep(kill_at)
    ended_first = os.waitpid(pid, os.WNOHANG)[0] != 0
    if not ended_first:
        os.kill(pid, signal.SIGKILL)
        finish(pid)
    outcome: dict[str, Any] = {"mode": mode, "kill_at": round(kill_at, 3), "killed": not ended_first}
    if db.exists():  # killed before the store was created: nothing to check
        outcome["check"] = run(["check", "--db", str(db)], log)
    outcome["rerun"] = run(command("add", inputs, db), log)
    outcome["check_after"] = run(["check", "--db", str(db)], log)
    outcome["equal"] = dump(str(db)) == reference
    return outcome


def reference_seconds(mode: str, inputs: Path, db: Path) -> float:
    """How long an uninterrupted ``add`` takes, or ``watch`` until its first poll is reported."""
    log = db.with_suffix(".log")
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


def main_loop(inputs: Path, trials: int, seed: int, folder: Path) -> None:
    with open(os.devnull, "w") as quiet, redirect_stdout(quiet), redirect_stderr(quiet):
        main(command("add", inputs, folder / "warm-up.db"), standalone_mode=False)  # imports and caches, once
    durations = {mode: reference_seconds(mode, inputs, folder / f"{mode}.db") for mode in ("watch", "add")}
    reference = dump(str(folder / "add.db"))
    assert dump(str(folder / "watch.db")) == reference, "watch and add store the same"
    print(json.dumps({"reference_seconds": durations}), flush=True)
    chooser = random.Random(seed)
    for number in range(trials):
        mode = ("add", "watch")[number % 2]
        db = folder / f"trial-{number}.db"
        outcome = trial(mode, chooser.uniform(0, durations[mode] * 1.1), inputs, db, reference)
        print(json.dumps({"trial": number, **outcome}), flush=True)
        for path in folder.glob(f"trial-{number}.*"):
            path.unlink()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("inputs", type=Path)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        main_loop(options.inputs, options.trials, options.seed, Path(workdir))
