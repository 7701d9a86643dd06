"""Mistakes lose nothing: typos, bad lines, odd file names, secrets and tokens (issue 19)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfuse.analyze.story import ANALYSED_SENTENCES
from newsfuse.cli import main
from newsfuse.codec import result_document
from newsfuse.display import redact_url, visible
from newsfuse.ingest import read_inputs
from newsfuse.nlp.parse import PIECE_CHARS, parse_articles
from newsfuse.pipeline import PipelineConfig, run_pipeline

from .conftest import SAMPLES


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def earlier_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("earlier") / "out"
    code, output = invoke("run", str(SAMPLES), "--out", str(out), "--quiet")
    assert code == 0, output
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_misspelt_input_exits_1_and_leaves_the_earlier_output_alone(earlier_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(earlier_out, out)
    before = snapshot(out)
    code, output = invoke("run", str(SAMPLES) + "I", "--out", str(out), "--quiet")
    assert code == 1
    assert f"skipped {SAMPLES}I: no such file or folder" in output
    assert "no article could be read" in output and "left as it was" in output
    assert snapshot(out) == before


def test_inputs_that_are_all_unreadable_write_nothing(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_bytes(b'{"text": "x"\n\x00\x00\n')
    code, output = invoke("run", str(tmp_path / "bad.jsonl"), "--out", str(tmp_path / "out"))
    assert code == 1 and "bad.jsonl:1" in output and "bad.jsonl:2" in output
    assert not (tmp_path / "out").exists()


def test_out_pointing_at_a_file_is_refused_before_reading(tmp_path: Path) -> None:
    target = tmp_path / "stories.json"
    target.write_text("keep me", encoding="utf-8")
    code, output = invoke("run", str(tmp_path / "missing.jsonl"), "--out", str(target))
    assert code == 1 and f"--out {target} is a file, not a folder" in output
    assert "skipped" not in output and "Traceback" not in output
    assert target.read_text(encoding="utf-8") == "keep me"
    code, output = invoke("run", str(SAMPLES), "--out", str(target / "below"))
    assert code == 1 and "is a file, not a folder" in output


def test_outputs_replace_the_old_files_and_leave_others_and_no_temporary_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    (out / "stories.json").write_text("old", encoding="utf-8")
    code, output = invoke("run", str(SAMPLES), "--out", str(out), "--quiet")
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "report.html", "report.md", "stories.json"]
    assert len(json.loads((out / "stories.json").read_text(encoding="utf-8"))["articles"]) == 2


def test_add_with_nothing_readable_creates_no_store(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    code, output = invoke("add", str(tmp_path / "typo"), "--db", str(db))
    assert code == 1 and "nothing added" in output
    assert not db.exists()
    code, output = invoke("add", str(SAMPLES), "--db", str(db), "--quiet")
    assert code == 0 and db.exists(), output


def test_serve_never_creates_a_store_from_a_misspelt_path(tmp_path: Path) -> None:
    code, output = invoke("serve", "--db", str(tmp_path / "nonexistent.db"))
    assert code == 1 and "no store at" in output and "--create" in output
    assert not (tmp_path / "nonexistent.db").exists()


def test_jsonl_is_judged_line_by_line(tmp_path: Path) -> None:
    """A NUL byte on the first line, bytes that are not UTF-8 and broken JSON cost their own lines only."""
    good = [json.dumps({"id": f"a{n}", "title": "Floods", "text": f"Rain flooded valley {n}."}) for n in range(5)]
    lines = [
        b'{"id": "nul", "text": "a\x00b"}',
        good[0].encode(),
        b'{"id": "latin", "text": "caf\xe9"}',
        good[1].encode(),
        b'{"id": "broken", "text": ',
        *(line.encode() for line in good[2:]),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = read_inputs([path])
    assert sorted(a.id for a in result.articles) == [f"a{n}" for n in range(5)]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons == {
        f"{path}:1": "NUL byte at byte 25",
        f"{path}:3": "not UTF-8 at byte 29",
        f"{path}:5": "malformed JSON: Expecting value at column 26",
    }


def test_a_binary_file_that_is_not_jsonl_is_still_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(b"Title\n\x00\x01 body")
    assert [s.reason for s in read_inputs([tmp_path]).skipped] == ["binary file (contains NUL bytes)"]


def test_file_names_with_control_characters_are_printed_escaped(tmp_path: Path) -> None:
    name = "evil\x1b[31mred\nskipped fake.md"
    (tmp_path / name).write_text("", encoding="utf-8")
    code, output = invoke("run", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 1
    assert "\x1b" not in output
    assert "evil\\x1b[31mred\\nskipped fake.md: empty file" in output
    assert visible("tab\there\u202e") == "tab\\there\\u202e"


def test_passwords_in_store_urls_are_never_printed() -> None:
    url = "postgresql://newsfuse:hunter2@127.0.0.1:1/stories"
    assert redact_url(url) == "postgresql://newsfuse:***@127.0.0.1:1/stories"
    assert redact_url("postgresql://127.0.0.1/db") == "postgresql://127.0.0.1/db"
    message = "cannot open postgresql://u:p@ss@db.example/x?a=b@c: refused"
    assert redact_url(message) == "cannot open postgresql://u:***@db.example/x?a=b@c: refused"
    code, output = invoke("check", "--db", url)
    assert code == 1 and "hunter2" not in output and "127.0.0.1" in output


@pytest.mark.parametrize("env", [{"NEWSFUSE_WRITE_TOKEN": ""}, {"NEWSFUSE_WRITE_TOKEN": "  "}])
def test_an_empty_write_token_is_refused_at_start(env: dict[str, str], tmp_path: Path) -> None:
    code, output = invoke("serve", "--stories", str(tmp_path / "none.json"), "--allow-writes", env=env)
    assert code == 1 and "the write token is empty" in output
    code, output = invoke("serve", "--allow-writes", "--write-token", "", "--stories", str(tmp_path / "none.json"))
    assert code == 1 and "the write token is empty" in output


@pytest.mark.parametrize("every", ["0s", "soon", "-1m"])
def test_a_thread_interval_that_is_not_a_duration_is_refused_at_start(every: str, tmp_path: Path) -> None:
    """A zero or negative interval would thread in a busy loop under the write lock: refused before the store opens."""
    db = tmp_path / "store.db"
    code, output = invoke("serve", "--db", str(db), "--create", "--thread-every", every)
    assert code == 2 and "--thread-every" in output and "not a duration" in output
    assert not db.exists()


def long_jsonl(folder: Path, repeats: int) -> Path:
    """One article of ``repeats`` numbered copies of a seed article's text, as a JSONL file."""
    seed = read_inputs([SAMPLES]).articles[0]
    text = "\n\n".join(f"Part {n}. {seed.text}" for n in range(repeats))
    (folder / "long.jsonl").write_text(json.dumps({"id": "long", "text": text}) + "\n", encoding="utf-8")
    return folder / "long.jsonl"


def story_spans(story: dict[str, Any]) -> list[dict[str, Any]]:
    spans = [e for event in story["timeline"] for e in event["evidence"]]
    return spans + [s for claim in story["claims"] for s in claim["evidence"]]


def test_a_long_article_is_parsed_in_pieces_and_its_spans_index_the_whole_text(tmp_path: Path) -> None:
    code, output = invoke("run", str(long_jsonl(tmp_path, 14)), "--out", str(tmp_path / "out"), "--quiet")
    assert code == 0, output
    document = json.loads((tmp_path / "out" / "stories.json").read_text(encoding="utf-8"))
    [article] = document["articles"]
    assert len(article["text"]) > 3 * PIECE_CHARS
    [story] = document["stories"]
    spans = story_spans(story)
    assert spans and all(article["text"][s["start"] : s["end"]] == s["text"] for s in spans)
    assert max(s["end"] for s in spans) > 2 * PIECE_CHARS


def test_an_article_over_the_analysed_sentences_is_kept_whole_and_the_cut_reported(tmp_path: Path) -> None:
    ingested = read_inputs([long_jsonl(tmp_path, 4)])
    result = run_pipeline(ingested.articles, (), PipelineConfig(analysed_sentences=30))
    document = result_document(result)
    [article] = document["articles"]
    [note] = document["skipped"]
    assert note["path"].endswith("long.jsonl:1")
    assert note["reason"] == (
        "article 'long' has 72 sentences: it is clustered whole, but its story's "
        "claims, quotes, timeline and digest read the first 30"
    )
    [parsed] = parse_articles(ingested.articles, 1)
    cut = parsed.sentences[29].end
    spans = story_spans(document["stories"][0])
    assert spans and all(article["text"][s["start"] : s["end"]] == s["text"] for s in spans)
    assert max(s["end"] for s in spans) <= cut < len(article["text"])
    assert ANALYSED_SENTENCES == PipelineConfig().analysed_sentences == 500
