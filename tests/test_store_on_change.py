"""``watch --on-change CMD``: one JSON document per changed story on a real command's stdin; a command
that fails, cannot start or hangs is reported and never stops the watch."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from newsfuse.records import Contradiction, Story
from newsfuse.store.incremental import story_change
from newsfuse.store.watch import OnChange

from .conftest import seed_paths
from .test_store_cli import NEWSFUSE, _interruptible, stored_articles, wait_for

RECORDER = """\
import json, sys, time
document = json.load(sys.stdin)
with open(sys.argv[1], "a", encoding="utf-8") as out:
    out.write(json.dumps(document) + "\\n")
if document["change"] == "updated":
    time.sleep(600)  # hangs: the watch kills it after --on-change-timeout
"""


OPTIONS = ("--on-change-timeout", "1s", "--site-url", "http://news.example/")


def documents(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_watch_runs_the_command_per_changed_story_and_survives_one_that_hangs(tmp_path: Path) -> None:
    folder, db, log = tmp_path / "inbox", tmp_path / "watch.db", tmp_path / "changes.jsonl"
    folder.mkdir()
    (tmp_path / "recorder.py").write_text(RECORDER, encoding="utf-8")
    first, second = seed_paths()
    shutil.copy(first, folder / first.name)
    command = f"'{sys.executable}' '{tmp_path / 'recorder.py'}' '{log}'"
    process = subprocess.Popen(
        [NEWSFUSE, "watch", str(folder), "--every", "0.2s", "--db", str(db), "--on-change", command, *OPTIONS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_interruptible,
    )
    try:
        wait_for(lambda: len(documents(log)) == 1)
        shutil.copy(second, folder / second.name)
        wait_for(lambda: len(documents(log)) == 2)
        third = tmp_path / "third.jsonl"
        third.write_text(json.dumps({"id": "ferry", "title": "Ferry", "text": "The ferry leaves at noon."}) + "\n")
        time.sleep(1.5)  # the hung command has been killed; the watch polls on
        shutil.copy(third, folder / third.name)
        wait_for(lambda: stored_articles(db) == 3 and len(documents(log)) == 3)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    new, updated, ferry = documents(log)
    story = new["story_id"]
    assert isinstance(story, str)
    assert new["change"] == "new" and new["url"] == f"http://news.example/stories/{story}"
    assert [a["source"] for a in new["new_articles"]] == ["outlet-a"]  # type: ignore[index,union-attr]
    assert updated["story_id"] == story and updated["change"] == "updated"
    assert [a["source"] for a in updated["new_articles"]] == ["outlet-b"]  # type: ignore[index,union-attr]
    assert set(updated) == {"story_id", "title", "url", "change", "new_articles", "new_contradictions"}
    assert ferry["change"] == "new" and ferry["title"] == "Ferry"
    assert f"--on-change for story {story}: killed after 1 s" in err
    assert "Traceback" not in err and out.count(" 1 added") == 3


def test_a_failing_or_missing_command_is_reported_and_returns(tmp_path: Path) -> None:
    warnings: list[str] = []
    document = {"story_id": "s1", "change": "new"}
    OnChange((sys.executable, "-c", "import sys; sys.stdin.read(); sys.exit(3)"), warnings.append).run(document)
    OnChange((str(tmp_path / "no-such-command"),), warnings.append).run(document)
    OnChange((sys.executable, "-c", "pass"), warnings.append).run(document)  # never reads its stdin: no error
    assert warnings[0] == "--on-change for story s1: exit status 3"
    assert warnings[1].startswith("--on-change for story s1: cannot run") and len(warnings) == 2


def test_a_change_names_the_new_articles_and_contradictions() -> None:
    contradiction = Contradiction("number", None, (), "3 -> 4")
    before = Story("s1", "Old", ("a1",), contradictions=(contradiction,))
    after = Story("s1", "New", ("a1", "a2"), contradictions=(contradiction, contradiction))
    change = story_change(before, after)
    assert (change.change, change.new_articles, change.new_contradictions, change.title) == (
        "updated",
        ("a2",),
        1,
        "New",
    )
    assert story_change(None, after).change == "new" and story_change(None, after).new_articles == ("a1", "a2")
    assert story_change(after, before).new_contradictions == 0
