"""How much a reader must scroll: the biggest story's page of each dev set, measured in Chromium.

Runs the pipeline on each DATA file, serves its stories.json on a real server, opens the page
of the story with the most articles at 1280x800 and at 390x844 (a phone), and prints its
height in screens, the tab stops, where the contradictions start, whether the phone view
scrolls sideways and the smallest citation marker; then the server time of that page
(in process, p50 over repeated requests).

    .venv/bin/python bench/story_page_height.py [--data ../shared/data] [--parse-cache DIR] [DATA.jsonl ...]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from playwright.sync_api import Page, sync_playwright
from web_responses import serve
from web_story_page import timed

from newsfuse.codec import result_document
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import parse_cached
from newsfuse.pipeline import run_pipeline
from newsfuse.web import create_app
from newsfuse.web.writes import LiveStories

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SETS = ("duc2006-dev.jsonl", "ecbplus-dev.jsonl")
CHROMIUM = "/usr/bin/chromium"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
FOCUSABLE = "a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex='-1'])"
MEASURE = f"""() => {{
    const visible = el => el.getClientRects().length > 0;
    const focusable = [...document.querySelectorAll("{FOCUSABLE}")].filter(visible);
    const section = document.getElementById("contradictions");
    const markers = [...document.querySelectorAll(".cite")].filter(visible).map(el => el.getBoundingClientRect());
    return {{
        height: document.documentElement.scrollHeight,
        tabStops: focusable.length,
        contradictionsTop: section ? section.getBoundingClientRect().top + window.scrollY : null,
        sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
        smallestMarker: markers.length ? Math.min(...markers.map(r => Math.min(r.width, r.height))) : null,
    }};
}}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--parse-cache", type=Path)
    parser.add_argument("--requests", type=int, default=30)
    options = parser.parse_args()
    files = options.files or [options.data / name for name in SETS]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        for path in files:
            document = run_document(path, options.parse_cache)
            story = max(document["stories"], key=lambda s: (len(s["article_ids"]), s["id"]))
            url_path = f"/stories/{story['id']}"
            server, url = serve(document)
            desktop = measure(browser.new_page(viewport=DESKTOP), url + url_path)
            phone = measure(browser.new_page(viewport=PHONE), url + url_path)
            server.should_exit = True
            app = create_app(LiveStories(document))
            server_ms = statistics.median(timed(TestClient(app), url_path, options.requests))
            report(path.name, story, desktop, phone, server_ms)
        browser.close()


def run_document(path: Path, parse_cache: Path | None) -> dict[str, Any]:
    ingested = read_inputs([path])
    result = run_pipeline(ingested.articles, ingested.skipped, parse=lambda a: parse_cached(a, parse_cache))
    return result_document(result)


def measure(page: Page, url: str) -> dict[str, Any]:
    page.goto(url)
    figures: dict[str, Any] = page.evaluate(MEASURE)
    page.close()
    return figures


def report(name: str, story: dict[str, Any], desktop: dict[str, Any], phone: dict[str, Any], server_ms: float) -> None:
    screens = desktop["height"] / DESKTOP["height"]
    top = desktop["contradictionsTop"]
    print(f"{name}: story of {len(story['article_ids'])} articles, {len(story.get('outlets', []))} outlets")
    print(f"  1280x800: {desktop['height']} px = {screens:.1f} screens; {desktop['tabStops']} tab stops; ", end="")
    print("no contradictions section" if top is None else f"contradictions start at {top:.0f} px")
    print(f"  390x844: {phone['height']} px; scrolls sideways: {phone['sideways']}; ", end="")
    print(f"smallest citation marker {phone['smallestMarker']} px")
    print(f"  server time p50 {server_ms:.1f} ms")


if __name__ == "__main__":
    main()
