"""Crash safety: ``add``, ``watch`` and ``load`` SIGKILLed at random moments leave a sound store that a rerun completes.

``NEWSFUSE_KILL_TRIALS`` sets the number of trials (a third each of ``add``, ``watch`` and
``load`` of a batch output of the same inputs; default 100, about 70 s on two shared cores);
tests/kill_trials.py runs them (see docs/reliability.md, "Crash safety").
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, SAMPLES

DEFAULT_TRIALS = 100
SECONDS_PER_TRIAL = 6


def trial_inputs(folder: Path) -> Path:
    """Short articles: the seeds' openings, a wire copy of each, a story of their own, and a broken line."""
    inputs = folder / "inbox"
    inputs.mkdir()
    for path in sorted(SAMPLES.glob("*.md")):
        opening = "\n".join(path.read_text(encoding="utf-8").splitlines()[:8]) + "\n"
        (inputs / path.name).write_text(opening, encoding="utf-8")
        copy = opening.replace("source: outlet-", "source: wire-") + "Reporting by the wire desk.\n"
        (inputs / f"copy-{path.name}").write_text(copy, encoding="utf-8")
    lines = [
        {
            "id": f"flood-{n}",
            "title": f"Floods in the valley, day {n}",
            "published": f"2019-01-2{n}",
            "source": source,
            "text": f"Heavy rain flooded the valley again on day {n}. Rescuers from {source} moved families.",
        }
        for n, source in ((1, "outlet-a"), (2, "outlet-b"))
    ]
    (inputs / "floods.jsonl").write_text("\n".join(map(json.dumps, lines)) + '\n{"id": "broken", \n', encoding="utf-8")
    return inputs


@pytest.mark.slow
def test_sigkill_during_add_watch_and_load_leaves_a_sound_store_that_a_rerun_completes(tmp_path: Path) -> None:
    trials = int(os.environ.get("NEWSFUSE_KILL_TRIALS", DEFAULT_TRIALS))
    started = time.monotonic()
    inputs = trial_inputs(tmp_path)
    batch = tmp_path / "batch"
    command = [sys.executable, "-m", "newsfuse", "batch", str(inputs), "--out", str(batch), "--workers", "1", "--quiet"]
    made = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stderr
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.kill_trials",
            str(inputs),
            "--batch",
            str(batch),
            "--trials",
            str(trials),
            "--seed",
            "8",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60 + SECONDS_PER_TRIAL * trials,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    header, *results = [json.loads(line) for line in finished.stdout.splitlines()]
    assert len(results) == trials
    failures = [result for result in results if not trial_passed(result)]
    assert not failures, json.dumps(failures, indent=1)
    killed = [result for result in results if result["killed"]]
    assert len(killed) >= trials * 0.7, "most kills must land while the command runs"
    left = Counter(stored_when_killed(result) for result in killed)
    print(f"{trials} trials in {time.monotonic() - started:.0f} s, {len(killed)} killed mid-run; {header}")
    print("articles stored when killed:", dict(sorted(left.items())))


def trial_passed(result: dict[str, Any]) -> bool:
    """The store opens and checks sound after the kill, the rerun succeeds, and nothing is lost or doubled."""
    checks = [result.get("check", [0, ""]), result["rerun"], result["check_after"]]
    return all(code == 0 for code, _ in checks) and result["equal"]


def stored_when_killed(result: dict[str, Any]) -> str:
    found = re.search(
        r"sound: (\d+ articles, \d+ stories \(\d+ open, \d+ to rebuild\))", result.get("check", [0, ""])[1]
    )
    return found[1] if found else "no store yet"
