"""Outlet profiles through the product: --outlets on run, add and serve, kept by a store (both
backends) and a stories.json, each story's coverage, the ``outlets`` command, bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.codec import document_outlets
from newsfuse.outlets import read_outlets
from newsfuse.pipeline import OutletsChoice
from newsfuse.store import Store
from newsfuse.view.coverage import coverage_line, coverage_view
from newsfuse.web.writes import LiveStories

from .conftest import SAMPLES
from .test_store import cli

PROFILES = "outlet,domains,lean,country\noutlet-a,a.example,left,US\noutlet-b,,right,US\nnobody,,centre,GB\n"
EDITED = PROFILES.replace("outlet-b,,right", "outlet-b,,left")


def profiles_file(folder: Path, text: str = PROFILES, name: str = "outlets.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def stories_of(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "stories.json").read_text(encoding="utf-8")))


def lean(story: dict[str, Any]) -> list[tuple[str, int, list[str]]]:
    return [(v["value"], v["articles"], v["outlets"]) for v in story["coverage"]["columns"]["lean"]]


def test_run_counts_each_storys_coverage_and_keeps_the_profiles(tmp_path: Path) -> None:
    cli("run", "--quiet", "--out", str(tmp_path / "out"), "--outlets", str(profiles_file(tmp_path)))
    document = stories_of(tmp_path / "out")
    assert document_outlets(document) == read_outlets(tmp_path / "outlets.csv")
    (summit,) = document["stories"]
    assert lean(summit) == [("left", 1, ["outlet-a"]), ("right", 1, ["outlet-b"])]
    assert summit["coverage"]["articles"] == summit["coverage"]["outlets"] == 2
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "Coverage by lean (outlets): left 1 of 2, right 1 of 2" in report
    assert "coverage-bar" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_without_profiles_stories_json_is_as_before(tmp_path: Path) -> None:
    cli("run", "--quiet", "--out", str(tmp_path / "out"))
    document = stories_of(tmp_path / "out")
    assert "outlets" not in document
    assert all("coverage" not in story for story in document["stories"])


def test_a_store_keeps_its_profiles_and_replaces_them_only_when_asked(store_url: str, tmp_path: Path) -> None:
    first, edited = profiles_file(tmp_path), profiles_file(tmp_path, EDITED, "edited.csv")
    cli("add", str(SAMPLES / "outlet-a-trump-kim-second-summit.md"), "--db", store_url, "--outlets", str(first))
    cli("add", str(SAMPLES), "--db", store_url, "--quiet")  # no --outlets: the store's own
    cli("export", "--db", store_url, "--out", str(tmp_path / "export"))
    assert lean(stories_of(tmp_path / "export")["stories"][0]) == [
        ("left", 1, ["outlet-a"]),
        ("right", 1, ["outlet-b"]),
    ]

    refused = CliRunner().invoke(main, ["add", str(SAMPLES), "--db", store_url, "--outlets", str(edited)])
    assert refused.exit_code == 1
    assert f"this store has other outlet profiles (3 outlets) than {edited}" in refused.output
    assert "--replace-outlets" in refused.output
    cli("add", str(SAMPLES), "--db", store_url, "--outlets", str(first), "--quiet")  # the same profiles: fine

    store = Store(store_url)
    try:  # the stored records carry the coverage, for readers of the store itself
        assert [c.values[0].value for c in store.stories()[0].coverage.columns] == ["US", "left"]
    finally:
        store.close()
    added = cli("add", str(SAMPLES), "--db", store_url, "--outlets", str(edited), "--replace-outlets", "--quiet")
    assert added.startswith("0 added") and "0 stories rebuilt" in added  # recounted, not re-analysed
    store = Store(store_url)
    try:
        lean_of = {c.column: c.values for c in store.stories()[0].coverage.columns}["lean"]
        assert [(v.value, v.outlets) for v in lean_of] == [("left", ("outlet-a", "outlet-b"))]
    finally:
        store.close()
    cli("export", "--db", store_url, "--out", str(tmp_path / "again"))
    again = stories_of(tmp_path / "again")
    assert lean(again["stories"][0]) == [("left", 2, ["outlet-a", "outlet-b"])]
    assert document_outlets(again) == read_outlets(edited)


def test_the_outlets_command_lists_every_outlet_and_those_without_a_profile(tmp_path: Path) -> None:
    partial = profiles_file(tmp_path, "outlet,lean\noutlet-a,left\nnobody,right\n", "partial.csv")
    cli("run", "--quiet", "--out", str(tmp_path / "out"), "--outlets", str(partial))
    shown = cli("outlets", "--stories", str(tmp_path / "out"))
    assert shown.splitlines() == [
        "       1  outlet-a  lean=left",
        "       1  outlet-b  no profile",
        "2 outlets, 1 with a profile; 2 articles",
        "no profile (1): outlet-b",
        "profiles matching no article (1): nobody",
    ]
    checked = cli("outlets", "--stories", str(tmp_path / "out"), "--outlets", str(profiles_file(tmp_path)))
    assert "       1  outlet-b  country=US lean=right" in checked.splitlines()


def test_the_outlets_command_reads_a_store(store_url: str, tmp_path: Path) -> None:
    cli("add", str(SAMPLES), "--db", store_url, "--outlets", str(profiles_file(tmp_path)), "--quiet")
    assert "2 outlets, 2 with a profile; 2 articles" in cli("outlets", "--db", store_url)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("name,lean\noutlet-a,left\n", "bad.csv:1: no 'outlet' column"),
        ("outlet,lean\noutlet-a,left\nOutlet-A,right\n", "bad.csv:3: outlet 'Outlet-A' is already on line 2"),
        (b"outlet,lean\noutlet-a,left\nLe Monde \xe9,centre\n", "bad.csv:3: not UTF-8"),
    ],
)
def test_a_bad_outlets_file_is_one_clear_line_naming_the_line(tmp_path: Path, content: str | bytes, where: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    for command in (["run", "--out", str(tmp_path / "out")], ["add", str(SAMPLES), "--db", str(tmp_path / "s.db")]):
        result = CliRunner().invoke(main, [*command, "--outlets", str(bad)])
        assert result.exit_code == 1
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"Error: {tmp_path}/{where}")
        assert not (tmp_path / "out").exists() and not (tmp_path / "s.db").exists()


def test_serving_a_stories_json_with_other_profiles_needs_replace(
    seed_document: dict[str, Any], tmp_path: Path
) -> None:
    first, edited = read_outlets(profiles_file(tmp_path)), read_outlets(profiles_file(tmp_path, EDITED, "e.csv"))
    served = LiveStories(seed_document, outlets=OutletsChoice(first, "outlets.csv"))
    story = served.reader.get_story(seed_document["stories"][0]["id"])
    assert story is not None and lean(story) == [("left", 1, ["outlet-a"]), ("right", 1, ["outlet-b"])]
    kept = LiveStories({**seed_document, "outlets": served._document["outlets"]}, name="stories.json")
    with pytest.raises(Exception, match=r"stories.json has other outlet profiles .* than e.csv"):
        LiveStories(kept._document, name="stories.json", outlets=OutletsChoice(edited, "e.csv"))
    replaced = LiveStories(kept._document, outlets=OutletsChoice(edited, "e.csv", replace=True))
    assert lean(replaced.reader.get_story(story["id"]) or {}) == [("left", 2, ["outlet-a", "outlet-b"])]


def test_coverage_bars_put_lean_first_and_count_articles_only_without_outlets() -> None:
    record = {
        "articles": 3,
        "outlets": 2,
        "columns": {
            "country": [{"value": "US", "articles": 3, "outlets": ["a", "b"]}],
            "lean": [
                {"value": "left", "articles": 2, "outlets": ["a"]},
                {"value": "unknown", "articles": 1, "outlets": ["b"]},
            ],
        },
        "unprofiled": ["b"],
    }
    view = coverage_view(record)
    assert view is not None and [bar.column for bar in view.bars] == ["lean", "country"]
    left, unknown = view.bars[0].segments
    assert (left.count, left.of, left.x, left.width, left.css) == (1, 2, 0.0, 50.0, "seg-0")
    assert (unknown.x, unknown.css, unknown.label) == (50.0, "seg-unknown", "unknown: 1 of 2, 1 article")
    assert coverage_line(view.bars[0]) == "Coverage by lean (outlets): left 1 of 2, unknown 1 of 2"
    no_outlets = coverage_view({**record, "outlets": 0})
    assert no_outlets is not None and no_outlets.bars[0].unit == "articles"
    assert [s.count for s in no_outlets.bars[0].segments] == [2, 1]
    assert coverage_view(None) is None
