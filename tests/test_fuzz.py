"""Every fuzz target runs briefly under atheris in CI; longer runs are by hand (docs/reliability.md).

The suite's run is repeatable: a fixed seed and a fixed number of inputs per target, so a
new finding comes from a longer run by hand and lands with its fix, never as a red CI run.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[1] / "fuzz" / "run.py"
INPUTS_PER_TARGET = 2000


@pytest.mark.slow
def test_fuzz_targets_do_not_crash(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    run = subprocess.run(
        [sys.executable, str(RUNNER), "--runs", str(INPUTS_PER_TARGET), "--seed", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    rows = [line.split() for line in run.stdout.splitlines()[1:]]
    assert {row[0] for row in rows} >= {"file.md", "file.jsonl", "published", "timeline", "quotes"}
    assert all(row[-1] == "ok" and int(row[1]) > 0 for row in rows), run.stdout
    assert not list(scratch.iterdir()), "the runs left temporary files behind"


def test_a_broken_contract_is_reported_as_a_crash(tmp_path: Path) -> None:
    """The runner itself can fail: a target whose contract breaks makes it exit non-zero."""
    crash = tmp_path / "input"
    crash.write_text("x")
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]); import targets;"
        "targets.TARGETS['timeline'] = lambda data: (_ for _ in ()).throw(AssertionError('broken'));"
        "sys.argv = [sys.argv[0], 'timeline', '--replay', sys.argv[2]]; import run; run.main()"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, str(RUNNER.parent), str(crash)], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode != 0 and "broken" in run.stderr
