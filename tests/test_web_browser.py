"""End to end in headless Chromium: a reader follows a citation; hostile markup stays inert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from newsfuse.codec import result_document
from newsfuse.ingest import read_inputs
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import PipelineConfig, build_story, run_result
from newsfuse.records import article_order
from newsfuse.web import create_app
from newsfuse.web.writes import LiveStories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"needs Debian's chromium at {CHROMIUM} (`make test` installs it)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(hostile_document: dict[str, Any], serve_app: Any) -> Iterator[str]:
    with serve_app(create_app(LiveStories(hostile_document))) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def story_of(document: dict[str, Any], source: str) -> dict[str, Any]:
    article_id = next(a["id"] for a in document["articles"] if a["source"] == source)
    return next(s for s in document["stories"] if article_id in s["article_ids"])


def test_reader_opens_the_seed_story_and_follows_a_citation(
    page: Page, site: str, hostile_document: dict[str, Any]
) -> None:
    story = story_of(hostile_document, "outlet-a")
    page.goto(site + "/")
    page.get_by_role("link", name=story["title"]).click()
    expect(page.locator("h1")).to_have_text(story["title"])

    citation = page.locator("#digest a.cite").first
    citation.hover()
    expect(citation.locator(".pop")).to_be_visible()
    cited_id = (citation.get_attribute("href") or "").removeprefix("/articles/").split("?")[0]
    cited = next(a for a in hostile_document["articles"] if a["id"] == cited_id)
    expect(citation.locator(".pop")).to_contain_text(cited["source"])
    sentence = page.locator("#digest li").first.inner_text().split("\n")[0].strip()

    citation.click()
    expect(page).to_have_url(re.compile(re.escape(f"{site}/articles/{cited_id}?focus=") + ".*#focus$"))
    expect(page.locator("h1")).to_have_text(cited["title"])
    expect(page.locator(".article-text")).to_contain_text(cited["text"].split("\n")[0])
    # only the cited sentence is highlighted, and the page says what it is without a tooltip
    expect(page.locator(".focus-note")).to_contain_text("a sentence of the story's digest")
    marks = page.locator(".article-text mark")
    expect(marks.first).to_have_id("focus")
    assert sentence.startswith(" ".join(marks.all_inner_texts())[:40])


def test_every_highlight_explains_itself_to_keyboard_and_touch(
    page: Page, site: str, hostile_document: dict[str, Any]
) -> None:
    article = next(a for a in hostile_document["articles"] if a["source"] == "outlet-a")
    page.goto(f"{site}/articles/{article['id']}")
    expect(page.locator(".article-text mark")).to_have_count(0)  # plain text until the reader asks
    page.get_by_role("link", name="Highlight everything the stories use").click()
    first = page.locator(".article-text mark").first
    expect(first.locator(".note")).to_be_hidden()
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "MARK":
        page.keyboard.press("Tab")
    focused = page.locator(".article-text mark:focus")
    expect(focused.locator(".note")).to_be_visible()
    expect(focused.locator(".note")).not_to_be_empty()


def test_search_box_finds_the_story(page: Page, site: str, hostile_document: dict[str, Any]) -> None:
    story = story_of(hostile_document, "outlet-b")
    page.goto(site + "/")
    page.get_by_role("searchbox").fill("Guterres")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".story-card")).to_have_count(1)
    expect(page.locator(".story-card h2")).to_have_text(story["title"])


def test_markup_in_article_text_title_and_url_stays_inert(
    page: Page, site: str, hostile_document: dict[str, Any]
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    story = story_of(hostile_document, "outlet-x")
    for path in ("/articles/hostile", f"/stories/{story['id']}", "/?q=envoy"):
        page.goto(site + path)
        page.locator("h1").hover()
        assert page.evaluate("window.__pwned") is None
        assert page.locator("script").count() == 0
        assert (
            page.evaluate(
                "[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on')))"
                ".length"
            )
            == 0
        )
        assert page.evaluate("[...document.links].filter(a => !a.href.startsWith('http')).length") == 0
    page.goto(site + "/articles/hostile")
    expect(page.locator("h1")).to_have_text("Envoy <b onmouseover=\"window.__pwned='title'\">visit</b>")
    expect(page.locator(".article-text")).to_contain_text("<script>window.__pwned = 'script'</script>")
    expect(page.locator(".article-text")).to_contain_text('<a href="javascript:window.__pwned')
    page.get_by_text("Read more").click()
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


@pytest.fixture(scope="module")
def big_story(duc_dev_path: Path, serve_app: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """The story page the issue measured: DUC 2006 dev topic D0617 (EgyptAir crash, 25 articles from
    3 outlets) analysed as one story by the pipeline's own ``build_story``."""
    topic = sorted(
        (a for a in read_inputs([duc_dev_path]).articles if a.meta.get("story") == "D0617"), key=article_order
    )
    config = PipelineConfig()
    built = build_story("s-egyptair", list(parse_articles(topic, len(topic))), config)
    document = result_document(run_result(topic, [], [built], [], config))
    story = max(document["stories"], key=lambda s: len(s["article_ids"]))
    with serve_app(create_app(LiveStories(document))) as url:
        yield f"{url}/stories/{story['id']}", story


CONTRAST = """() => {
    const rgb = text => text.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {
        const linear = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        const [R, G, B] = [r, g, b].map(linear);
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const background = el => {
        for (; el; el = el.parentElement) {
            const color = rgb(getComputedStyle(el).backgroundColor);
            if (color.length < 4 || color[3] > 0) return color.slice(0, 3);
        }
        return [255, 255, 255];
    };
    const worst = {};
    for (const el of document.querySelectorAll("main *")) {
        const hasText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        if (!el.getClientRects().length || !hasText) continue;
        const a = luminance(rgb(getComputedStyle(el).color)), b = luminance(background(el));
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        const key = el.tagName + "." + el.className;
        if (!(key in worst) || ratio < worst[key]) worst[key] = ratio;
    }
    return worst;
}"""


def test_a_25_article_story_fits_on_five_screens_and_every_section_is_reachable(
    browser: Browser, big_story: tuple[str, dict[str, Any]]
) -> None:
    url, story = big_story
    assert len(story["article_ids"]) >= 20
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollHeight") <= 5 * 800
    for link in page.locator("nav.sections a").all():
        target = (link.get_attribute("href") or "").removeprefix("#")
        assert page.locator(f"section#{target}").count() == 1, target
    details = page.locator("main details summary").first
    details.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open")
    page.close()


def test_the_story_page_reads_on_a_phone_and_passes_the_accessibility_basics(
    browser: Browser, big_story: tuple[str, dict[str, Any]]
) -> None:
    url, _ = big_story
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    smallest = page.evaluate(
        "Math.min(...[...document.querySelectorAll('.cite')].filter(e => e.getClientRects().length)"
        ".map(e => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height)))"
    )
    assert smallest >= 24
    assert page.locator("h1").count() == 1 and page.evaluate("document.documentElement.lang") == "en"
    levels = [int(tag[1]) for tag in page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4')].map(h => h.tagName)")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels))
    unlabelled = page.evaluate(
        "[...document.querySelectorAll('input, select, textarea')].filter(f => !f.labels.length && "
        "!f.getAttribute('aria-label')).length"
    )
    assert unlabelled == 0
    low = {key: ratio for key, ratio in page.evaluate(CONTRAST).items() if ratio < 4.5}
    assert not low, low
    page.keyboard.press("Tab")
    style = page.evaluate("getComputedStyle(document.activeElement)")
    assert style["outlineStyle"] != "none" or style["boxShadow"] != "none"
    page.close()
