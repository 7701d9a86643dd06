from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.cli import _duration, main
from newsfuse.store import StoreConfig
from newsfuse.summarize.digest import DigestConfig

from .conftest import SAMPLES


def run_cli(*args: str) -> str:
    result = CliRunner().invoke(main, ["run", "--quiet", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_run_on_the_samples_makes_one_cited_story(tmp_path: Path) -> None:
    run_cli(str(SAMPLES), "--out", str(tmp_path))
    document = json.loads((tmp_path / "stories.json").read_text(encoding="utf-8"))
    assert len(document["articles"]) == 2
    [story] = document["stories"]
    both = sorted(a["id"] for a in document["articles"])
    assert sorted(story["article_ids"]) == both
    cited_by_both = [d for d in story["digest"] if sorted(d["sources"]) == both]
    assert 2 * len(cited_by_both) >= len(story["digest"])
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# newsfuse report")
    assert "<!doctype html>" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_run_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    for name in ("one", "two"):
        run_cli(str(SAMPLES), "--out", str(tmp_path / name))
    for output in ("stories.json", "report.md", "report.html"):
        assert (tmp_path / "one" / output).read_bytes() == (tmp_path / "two" / output).read_bytes()


def test_bad_inputs_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    (corpus / "broken.jsonl").write_text('{"title": "x", "text": "fine body"}\n{oops\n', encoding="utf-8")
    (corpus / "empty.md").write_text("", encoding="utf-8")
    (corpus / "blob.txt").write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(main, ["run", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0
    document = json.loads((tmp_path / "out" / "stories.json").read_text(encoding="utf-8"))
    skipped = {Path(s["path"]).name: s["reason"] for s in document["skipped"]}
    assert set(skipped) == {"broken.jsonl:2", "empty.md", "blob.txt"}
    assert len(document["articles"]) == 3
    assert "skipped" in result.output and "broken.jsonl:2" in result.output


def test_an_article_without_a_content_word_is_a_story_of_its_own_and_the_run_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus)
    score = {"id": "score", "title": "1-0", "text": "3 - 1, 2 - 2.", "published": "2019-02-06"}
    (corpus / "scores.jsonl").write_text(json.dumps(score) + "\n", encoding="utf-8")
    run_cli(str(corpus), "--out", str(tmp_path / "out"))
    document = json.loads((tmp_path / "out" / "stories.json").read_text(encoding="utf-8"))
    by_article = {tuple(story["article_ids"]): story for story in document["stories"]}
    assert by_article[("score",)]["title"] == "1-0"
    assert by_article[("score",)]["digest"] == []
    assert len(document["stories"]) == 2


def test_no_input_runs_the_bundled_sample_corpus(tmp_path: Path) -> None:
    output = CliRunner().invoke(main, ["run", "--out", str(tmp_path)], catch_exceptions=False)
    assert output.exit_code == 0
    assert "1 stories from 2 articles" in output.output
    assert (tmp_path / "stories.json").exists()


def test_python_m_newsfuse_is_the_cli_and_its_help_imports_no_heavy_module() -> None:
    heavy = ("spacy", "nltk", "sklearn", "fastapi", "uvicorn", "warcio", "numpy", "dask", "newsfuse.pipeline")
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['newsfuse', '--help']\n"
        "try:\n    runpy.run_module('newsfuse', run_name='__main__')\n"
        "except SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
        f"print(sorted(m for m in sys.modules if m.startswith({heavy!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "Usage: newsfuse [OPTIONS] COMMAND" in done.stdout
    assert done.stdout.rstrip().endswith("[]"), done.stdout.splitlines()[-1]


def test_version_is_the_package_metadata_s() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.output == f"newsfuse, version {version('newsfuse')}\n"


def commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from commands(sub, (*path, name))


def test_every_option_has_help_and_shows_its_environment_variable() -> None:
    missing = [
        (path, option.name)
        for path, command in commands(main)
        for option in command.params
        if isinstance(option, click.Option) and (not option.help or (option.envvar and not option.show_envvar))
    ]
    assert missing == []


def test_every_command_s_help_shows_the_pipeline_defaults() -> None:
    helps = {path: CliRunner().invoke(main, [*path, "--help"]) for path, _ in commands(main)}
    assert all(result.exit_code == 0 for result in helps.values()), helps
    run, add = (" ".join(helps[(name,)].output.split()) for name in ("run", "add"))
    assert f"[default: {DigestConfig.words}]" in run
    assert f"[default: {StoreConfig.close_after_days};" in add
    assert "[env var: NEWSFUSE_DB; default: newsfuse.db]" in add


@given(
    st.decimals(min_value="0.01", max_value="100000", places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "s", "m", "h", "d"]),
)
def test_a_duration_is_a_positive_number_of_seconds_minutes_hours_or_days(number: Decimal, unit: str) -> None:
    seconds = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    assert _duration(f" {number}{unit} ", "--every") == pytest.approx(float(number) * seconds)


@pytest.mark.parametrize("text", ["", "0", "0s", "-5s", "5 s", "5w", "1e3", "s", "5sm", "five minutes"])
def test_what_is_not_a_duration_is_refused_naming_the_option(text: str) -> None:
    with pytest.raises(click.BadParameter, match="not a duration") as refused:
        _duration(text, "--every")
    assert refused.value.param_hint == "--every"
