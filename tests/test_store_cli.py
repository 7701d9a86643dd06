"""The store's commands as separate processes: SIGKILL during add, Ctrl-C and SIGTERM during watch."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsfuse.evaluate.synthetic import wire_copies

from .conftest import seed_paths
from .test_store import dump

NEWSFUSE = str(Path(sys.executable).with_name("newsfuse"))


def stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def wait_for(condition: object, seconds: float = 120) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.mark.slow
def test_sigkill_during_add_then_add_again_equals_an_uninterrupted_add(duc_dev_path: Path, tmp_path: Path) -> None:
    """1,000 real articles and wire copies of them (the copies keep parsing short)."""
    records = [json.loads(line) for line in duc_dev_path.read_text(encoding="utf-8").splitlines()]
    originals = [r for r in records if r["text"].count("\n") >= 8][:25]
    data = tmp_path / "thousand.jsonl"
    lines = [json.dumps(r) for r in wire_copies(originals, seed=7, share=1.0, most=77)[:1000]]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = [NEWSFUSE, "add", str(data), "--quiet", "--db"]

    whole, killed = tmp_path / "whole.db", tmp_path / "killed.db"
    subprocess.run([*command, str(whole)], check=True, capture_output=True)
    process = subprocess.Popen([*command, str(killed)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: stored_articles(killed) >= 150 or process.poll() is not None)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    assert 150 <= stored_articles(killed) < 1000
    subprocess.run([*command, str(killed)], check=True, capture_output=True)

    assert stored_articles(killed) == 1000
    assert dump(str(killed)) == dump(str(whole))


def _interruptible() -> None:
    """Ctrl-C's default in the child: a shell that runs the tests in the background ignores SIGINT
    for them, the child inherits that, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_watch_adds_new_files_and_stops_cleanly_on_ctrl_c_or_sigterm(tmp_path: Path, stop: signal.Signals) -> None:
    """SIGTERM is how systemd and ``docker stop`` end a service: it stops as Ctrl-C does."""
    folder, db = tmp_path / "inbox", tmp_path / "watch.db"
    folder.mkdir()
    first, second = seed_paths()
    shutil.copy(first, folder / first.name)
    process = subprocess.Popen(
        [NEWSFUSE, "watch", str(folder), "--every", "0.2s", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        wait_for(lambda: stored_articles(db) == 1)
        shutil.copy(second, folder / second.name)
        wait_for(lambda: stored_articles(db) == 2)
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "stopped" in err and "Traceback" not in err
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} 1 added", out.splitlines()[0]), out
    assert re.search(r"T\d\d:\d\d:\d\d[+-]\d{4} stopped$", err.rstrip()), err
    with sqlite3.connect(db) as connection:
        [(article_ids,)] = connection.execute("SELECT article_ids FROM stories").fetchall()
    assert len(json.loads(article_ids)) == 2
