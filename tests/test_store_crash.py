"""Crash safety: ``add``, ``watch``, ``load`` and ``serve --db`` SIGKILLed at random moments leave
a sound store that a rerun (or a restarted server and a client's re-POSTs) completes.

``NEWSFUSE_KILL_TRIALS`` sets the number of trials (a third each of ``add``, ``watch`` and
``load`` of a batch output of the same inputs; default 100, about 70 s on two shared cores);
tests/kill_trials.py runs them, and ``NEWSFUSE_POSTGRES_KILL_TRIALS`` (default 20) of ``add``
and ``watch`` on PostgreSQL stores. ``NEWSFUSE_SERVE_KILL_TRIALS`` sets the number of server
trials on each backend (default 12, about 50 s on SQLite); tests/serve_kill_trials.py runs them (see
docs/reliability.md, "Crash safety").
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
DEFAULT_SERVE_TRIALS = 12
DEFAULT_POSTGRES_TRIALS = 20
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


def run_trials(module: str, arguments: list[str], trials: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``python -m MODULE ARGUMENTS`` with seed 8, in a process of its own: its header line and one result per trial."""
    finished = subprocess.run(
        [sys.executable, "-m", module, *arguments, "--trials", str(trials), "--seed", "8"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60 + SECONDS_PER_TRIAL * trials,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    header, *results = [json.loads(line) for line in finished.stdout.splitlines()]
    assert len(results) == trials
    return header, results


@pytest.mark.slow
def test_sigkill_during_add_watch_and_load_leaves_a_sound_store_that_a_rerun_completes(tmp_path: Path) -> None:
    trials = int(os.environ.get("NEWSFUSE_KILL_TRIALS", DEFAULT_TRIALS))
    started = time.monotonic()
    inputs = trial_inputs(tmp_path)
    batch = tmp_path / "batch"
    command = [sys.executable, "-m", "newsfuse", "batch", str(inputs), "--out", str(batch), "--workers", "1", "--quiet"]
    made = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    assert made.returncode == 0, made.stderr
    header, results = run_trials("tests.kill_trials", [str(inputs), "--batch", str(batch)], trials)
    check_command_trials(header, results, f"{trials} trials in {time.monotonic() - started:.0f} s")


@pytest.mark.slow
def test_sigkill_during_add_and_watch_on_postgresql_leaves_a_sound_store_that_a_rerun_completes(
    tmp_path: Path, postgres_server: str
) -> None:
    """The same trials on PostgreSQL stores (``add`` and ``watch``; ``load`` shares their writes)."""
    trials = int(os.environ.get("NEWSFUSE_POSTGRES_KILL_TRIALS", DEFAULT_POSTGRES_TRIALS))
    started = time.monotonic()
    arguments = [str(trial_inputs(tmp_path)), "--postgres", postgres_server]
    header, results = run_trials("tests.kill_trials", arguments, trials)
    check_command_trials(header, results, f"{trials} PostgreSQL trials in {time.monotonic() - started:.0f} s")


def check_command_trials(header: dict[str, Any], results: list[dict[str, Any]], ran: str) -> None:
    """Every trial passed and most kills landed while the command ran; what the kills left, printed."""
    failures = [result for result in results if not trial_passed(result)]
    assert not failures, json.dumps(failures, indent=1)
    killed = [result for result in results if result["killed"]]
    assert len(killed) >= len(results) * 0.7, "most kills must land while the command runs"
    left = Counter(stored_when_killed(result) for result in killed)
    print(f"{ran}, {len(killed)} killed mid-run; {header}")
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


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_of_a_server_taking_posts_loses_no_answered_article_and_reposts_complete_it(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    trials = int(os.environ.get("NEWSFUSE_SERVE_KILL_TRIALS", DEFAULT_SERVE_TRIALS))
    started = time.monotonic()
    arguments = [str(trial_inputs(tmp_path))]
    if backend == "postgresql":
        arguments += ["--postgres", request.getfixturevalue("postgres_server")]
    header, results = run_trials("tests.serve_kill_trials", arguments, trials)
    failures = [result for result in results if not server_trial_passed(result)]
    assert not failures, json.dumps(failures, indent=1)
    cut = [result for result in results if result["stored"] < header["articles"]]
    assert len(cut) >= trials / 2, "most kills must land before the last article is stored"
    left = Counter(stored_when_killed(result) for result in results)
    print(f"{trials} server trials on {backend} in {time.monotonic() - started:.0f} s; {header}")
    print("store when killed:", dict(sorted(left.items())))
    in_flight = Counter("stored" if r["stored"] > r["answered"] else "absent" for r in cut)
    print("article in flight when killed:", dict(in_flight))


def server_trial_passed(result: dict[str, Any]) -> bool:
    """Sound after the kill; every answered article kept and the one in flight whole or absent
    (served as by a store that got exactly those); re-POSTs complete it to the uninterrupted store."""
    in_flight_stored = result["stored"] > result["answered"]
    expected = [409 if in_flight_stored else 201] + [201] * (len(result["reposted"]) - 1)
    checks = [result["check"], result["check_after"]]
    return (
        all(code == 0 for code, _ in checks)
        and result["committed"]
        and result["served_equal"]
        and result["reposted"] == expected[: len(result["reposted"])]
        and result["served_after_equal"]
        and result["equal"]
    )
