"""Who covers what, and what changed, on a real server: the coverage bar, blindspots, outlet figures
and a story's update since a visit, through the JSON API and in headless Chromium."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from newsfuse.cli import main
from newsfuse.codec import digest_record, result_document
from newsfuse.ingest import read_inputs
from newsfuse.outlets import read_outlets
from newsfuse.pipeline import PipelineConfig, run_pipeline
from newsfuse.web import create_app
from newsfuse.web.outlets import BlindspotOptions, update_of
from newsfuse.web.writes import LiveStories

from .conftest import seed_paths
from .test_store import cli
from .test_web_browser import CHROMIUM, browser, page  # noqa: F401 (fixtures)

FOLLOW_UP = """---
source: outlet-d
published: 2019-01-20
---
Vietnam emerges as venue for second Trump-Kim summit
U.S. President Donald Trump said on Sunday that Vietnam is the likely venue for his second summit with North Korean leader Kim Jong-un at the end of February.
Trump told reporters at the White House that his meeting on Friday with North Korean envoy Kim Yong Chol had been "incredible" and that both sides had made a lot of progress on denuclearization.
White House press secretary Sarah Sanders said the second summit would take place near the end of February and that the location would be announced at a later date.
South Korean President Moon Jae-in welcomed the plan and said on Sunday that Seoul would work closely with Washington and Pyongyang before the summit.
Officials in Hanoi said Vietnam was ready to host the meeting, and diplomats said the capital and the resort <city> of Da Nang were both under consideration.
Trump had his first meeting with Kim last June in Singapore, where the two leaders signed a vague agreement on the denuclearization of the Korean peninsula.
"""  # noqa: E501 (article text)
PROFILES = "outlet,lean,country\noutlet-a,left,US\noutlet-b,left,US\noutlet-d,right,GB\n"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The two seeds (2019-01-18) and a follow-up from a third outlet (2019-01-20), one story, with profiles."""
    folder = tmp_path_factory.mktemp("follow-up")
    (folder / "outlet-d.md").write_text(FOLLOW_UP, encoding="utf-8")
    (folder / "outlets.csv").write_text(PROFILES, encoding="utf-8")
    ingested = read_inputs([*seed_paths(), folder / "outlet-d.md"])
    config = PipelineConfig(outlets=read_outlets(folder / "outlets.csv"))
    result = result_document(run_pipeline(ingested.articles, ingested.skipped, config))
    assert len(result["stories"]) == 1
    return result


@pytest.fixture(scope="module")
def site(document: dict[str, Any], serve_app: Any) -> Iterator[str]:
    with serve_app(create_app(LiveStories(document), blindspots=BlindspotOptions(0.6, 3))) as url:
        yield url


def story_id(document: dict[str, Any]) -> str:
    return str(document["stories"][0]["id"])


def test_blindspots_api_lists_the_story_under_its_lean_with_the_servers_defaults(site: str) -> None:
    found = httpx.get(f"{site}/api/blindspots").json()
    assert (found["share"], found["min"]) == (0.6, 3)
    (entry,) = found["leans"]["left"]
    assert (entry["outlets"], entry["rated"], entry["unrated"]) == (2, 3, 0)
    assert httpx.get(f"{site}/api/blindspots", params={"share": 0.8}).json()["leans"] == {}
    assert httpx.get(f"{site}/api/blindspots", params={"lean": "right"}).json()["leans"] == {}
    assert httpx.get(f"{site}/api/blindspots", params={"min": 0}).status_code == 422


def test_outlet_api_gives_each_figure_with_its_denominator(site: str, document: dict[str, Any]) -> None:
    figures = httpx.get(f"{site}/api/outlets/OUTLET-D").json()
    assert figures["outlet"] == "outlet-d" and figures["profiled"]
    assert figures["covered"] == {"count": 1, "of": 1, "ids": [story_id(document)]}
    assert figures["first"]["count"] == 0 and figures["first"]["of"] == 1
    assert figures["peers"] == []  # no other outlet from GB
    assert figures["sole_claims"]["count"] == len(figures["sole_claims"]["ids"]) > 0
    assert httpx.get(f"{site}/api/outlets/nobody").status_code == 404


def test_update_api_says_what_the_story_gained_since_a_date_or_an_article(site: str, document: dict[str, Any]) -> None:
    follow_up = next(a["id"] for a in document["articles"] if a["source"] == "outlet-d")
    update = httpx.get(f"{site}/api/updates/{story_id(document)}", params={"since": "2019-01-19"}).json()
    assert update["newer"] == [follow_up] and update["new_outlets"] == ["outlet-d"]
    assert update["digest"] and all(d["article_id"] == follow_up for d in update["digest"])
    assert any("Moon Jae-in" in c["text"] for c in update["new_claims"])
    by_article = httpx.get(f"{site}/api/updates/{story_id(document)}", params={"since": follow_up}).json()
    assert by_article["newer"] == [] and by_article["digest"] == []
    bad = httpx.get(f"{site}/api/updates/{story_id(document)}", params={"since": "last week"})
    assert bad.status_code == 422 and "neither an ISO date" in bad.json()["detail"]
    assert httpx.get(f"{site}/api/updates/nope", params={"since": "2019-01-19"}).status_code == 404


def test_a_second_since_view_reuses_the_parses(site: str, document: dict[str, Any]) -> None:
    url = f"{site}/api/updates/{story_id(document)}"
    httpx.get(url, params={"since": "2019-01-19"}, timeout=60)
    started = time.perf_counter()
    httpx.get(url, params={"since": "2019-01-20"}, timeout=60)
    assert time.perf_counter() - started < 2


needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM}")


@needs_chromium
def test_story_page_shows_a_coverage_bar_per_column(page: Page, site: str, document: dict[str, Any]) -> None:  # noqa: F811
    page.goto(f"{site}/stories/{story_id(document)}")
    lean = page.locator(".coverage-column").filter(has_text="lean")
    bars = lean.locator("svg.coverage-bar rect")
    expect(bars).to_have_count(2)
    widths = [float(bars.nth(i).get_attribute("width") or 0) for i in range(2)]
    assert widths == pytest.approx([66.67, 33.33])
    assert bars.first.evaluate("e => getComputedStyle(e).fill") != bars.nth(1).evaluate(
        "e => getComputedStyle(e).fill"
    )  # the stylesheet colours the segments: no inline style needed
    expect(lean.locator(".coverage-legend li")).to_have_text(["left 2 of 3 outlets", "right 1 of 3 outlets"])
    lean.get_by_role("link", name="left").click()
    expect(page).to_have_url(f"{site}/blindspots#lean-left")


@needs_chromium
def test_blindspot_list_filters_by_lean_and_share(page: Page, site: str, document: dict[str, Any]) -> None:  # noqa: F811
    page.goto(f"{site}/blindspots")
    listed = page.locator("#lean-left .blindspots li")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("2 of 3 rated outlets left")
    page.get_by_label("Share").fill("0.9")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".blindspots li")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No story is a blindspot at these settings.")
    page.goto(f"{site}/blindspots")
    page.locator(".blindspots a").first.click()
    expect(page.locator("h1")).to_have_text(document["stories"][0]["title"])


@needs_chromium
def test_since_link_shows_what_is_new_cited_and_escaped(page: Page, site: str, document: dict[str, Any]) -> None:  # noqa: F811
    page.goto(f"{site}/stories/{story_id(document)}")
    expect(page.locator("#changes")).to_have_count(0)
    page.locator(".visits").get_by_role("link", name="2019-01-18").click()
    expect(page).to_have_url(f"{site}/stories/{story_id(document)}?since=2019-01-19")
    changes = page.locator(".changes")
    expect(changes.locator("h2")).to_have_text("New since 2019-01-19")
    expect(changes).to_contain_text("1 new article (2 before); new outlets: outlet-d.")
    expect(changes.locator(".new-articles li")).to_contain_text("Vietnam emerges as venue")
    digest = changes.locator("h3:has-text('Update digest') + ul li")
    expect(digest.first).to_contain_text("Vietnam")
    cited = digest.first.locator("a.cite").first.get_attribute("href") or ""
    assert cited.endswith(next(a["id"] for a in document["articles"] if a["source"] == "outlet-d"))
    expect(changes).to_contain_text("resort <city> of Da Nang")  # article text stays text
    assert page.locator("script").count() == 0
    page.goto(f"{site}/stories/{story_id(document)}?since=yesterday")
    expect(page.locator(".since .problem")).to_contain_text("neither an ISO date nor an article of the story")


def test_stories_made_without_profiles_have_no_bar(seed_document: dict[str, Any], serve_app: Any) -> None:
    with serve_app(create_app(LiveStories(seed_document))) as url:
        html = httpx.get(f"{url}/stories/{seed_document['stories'][0]['id']}").text
        assert "who-covers" not in html
        assert "without outlet profiles" in httpx.get(f"{url}/blindspots").text


def test_export_since_prints_a_stored_storys_update(store_url: str, tmp_path: Path, document: dict[str, Any]) -> None:
    """The store's kept parses give the update a stories.json's fresh parses give, on both backends."""
    (tmp_path / "outlet-d.md").write_text(FOLLOW_UP, encoding="utf-8")
    cli("add", *map(str, seed_paths()), str(tmp_path / "outlet-d.md"), "--db", store_url, "--quiet")
    cli("export", "--db", store_url, "--out", str(tmp_path / "out"))
    (story,) = json.loads((tmp_path / "out" / "stories.json").read_text(encoding="utf-8"))["stories"]
    shown = cli("export", "--db", store_url, "--story", story["id"], "--since", "2019-01-19")
    assert shown.startswith(f"# New since 2019-01-19: {story['title']}\n")
    assert "1 new articles (2 before); new outlets: outlet-d." in shown
    assert "## Update digest" in shown and "[3]" in shown
    assert "3. Vietnam emerges as venue for second Trump-Kim summit (outlet-d, 2019-01-20)" in shown
    stored = json.loads(cli("export", "--db", store_url, "--story", story["id"], "--since", "2019-01-19", "--json"))
    served = LiveStories(document).reader
    fresh = update_of(served, story_id(document), "2019-01-19")
    assert fresh is not None
    assert stored["digest"] == [digest_record(d) for d in fresh.digest]
    assert [c["text"] for c in stored["new_claims"]] == [c.text for c in fresh.new_claims]
    refused = CliRunner().invoke(main, ["export", "--db", store_url, "--story", story["id"], "--since", "soon"])
    assert refused.exit_code == 1 and "since 'soon' is neither an ISO date" in refused.output
