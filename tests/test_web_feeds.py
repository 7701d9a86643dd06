"""Atom feeds on a real server: valid for feedparser, stable ids, dates from the data, 304 on a
repeat, inert hostile text, and a store's feed that follows what another process adds."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import feedparser
import httpx
import pytest

from newsfuse.web import create_app
from newsfuse.web.feeds import ATOM, atom_date, feed_xml, story_feed
from newsfuse.web.writes import LiveStories

from .conftest import seed_paths
from .test_web_store_server import LATE, NEWSFUSE, late_file, serve

ATOM_ELEMENTS = {"feed", "id", "title", "updated", "author", "name", "generator", "link", "entry", "summary"}


@pytest.fixture(scope="module")
def client(analysed_document: dict[str, Any], serve_app: Any) -> Iterator[httpx.Client]:
    with serve_app(create_app(LiveStories(analysed_document))) as url, httpx.Client(base_url=url) as http:
        yield http


def parsed(response: httpx.Response) -> Any:
    """The feed as a feed reader sees it; a feed feedparser had to repair fails the test."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def summit(document: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in document["stories"] if len(s["article_ids"]) > 1)


def test_the_stories_feed_follows_the_list_filters_newest_first(
    client: httpx.Client, analysed_document: dict[str, Any]
) -> None:
    every = parsed(client.get("/feeds/stories.atom"))
    assert len(every.entries) == len(analysed_document["stories"])
    assert [e.updated for e in every.entries] == sorted((e.updated for e in every.entries), reverse=True)
    assert all(e.link.startswith(str(client.base_url)) and "/stories/" in e.link for e in every.entries)
    narrowed = parsed(client.get("/feeds/stories.atom", params={"outlet": "outlet-b"}))
    assert [e.title for e in narrowed.entries] == [summit(analysed_document)["title"]]
    assert "from outlet-b" in narrowed.feed.title
    assert parsed(client.get("/feeds/stories.atom", params={"q": "no-such-word"})).entries == []
    assert client.get("/feeds/stories.atom", params={"from": "soon"}).status_code == 422


def test_a_story_feed_announces_its_articles_contradictions_and_repeated_quotes(
    client: httpx.Client, analysed_document: dict[str, Any]
) -> None:
    story = summit(analysed_document)
    feed = parsed(client.get(f"/stories/{story['id']}/feed.atom"))
    titles = [e.title for e in feed.entries]
    assert sum(t.startswith("Sources differ (quote wording)") for t in titles) == 1
    assert "outlet-b quotes Sarah Sanders too" in titles
    assert len(titles) == len(story["article_ids"]) + 2
    published = {a["published"][:10] for a in analysed_document["articles"] if a["id"] in story["article_ids"]}
    assert {e.updated[:10] for e in feed.entries} <= published, "dates come from the articles"
    assert feed.feed.updated == max(e.updated for e in feed.entries)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    again = parsed(client.get(f"/stories/{story['id']}/feed.atom"))
    assert [e.id for e in again.entries] == ids
    assert client.get("/stories/no-such-story/feed.atom").status_code == 404


def test_a_repeat_with_the_etag_or_the_date_answers_304(
    client: httpx.Client, analysed_document: dict[str, Any]
) -> None:
    for path in ("/feeds/stories.atom", f"/stories/{summit(analysed_document)['id']}/feed.atom"):
        first = client.get(path)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        repeat = client.get(path, headers={"If-None-Match": etag})
        assert (repeat.status_code, repeat.content) == (304, b"")
        assert repeat.headers["etag"] == etag
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert (
            client.get(path, headers={"If-None-Match": 'W/"other"', "If-Modified-Since": modified}).status_code == 200
        )
        assert client.get(path, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200


def test_pages_link_to_their_feeds(client: httpx.Client, analysed_document: dict[str, Any]) -> None:
    story_id = summit(analysed_document)["id"]
    for page, feed in [
        ("/?outlet=outlet-b&sort=newest", "/feeds/stories.atom?outlet=outlet-b"),
        (f"/stories/{story_id}", f"/stories/{story_id}/feed.atom"),
        ("/blindspots", "/feeds/blindspots.atom"),
    ]:
        html = client.get(page).text
        assert '<link rel="alternate" type="application/atom+xml"' in html and f'href="{feed}"' in html, page
        assert html.count(f'href="{feed}"') == 2, "in the head and on the page"
    assert parsed(client.get("/feeds/blindspots.atom")).entries == []


def test_hostile_markup_stays_text_in_feeds(hostile_document: dict[str, Any], serve_app: Any) -> None:
    story = next(s for s in hostile_document["stories"] if "hostile" in s["article_ids"])
    with serve_app(create_app(LiveStories(hostile_document))) as url, httpx.Client(base_url=url) as http:
        for path in ("/feeds/stories.atom?q=envoy", f"/stories/{story['id']}/feed.atom"):
            response = http.get(path)
            tree = ElementTree.fromstring(response.content)
            assert {element.tag.split("}")[1] for element in tree.iter()} <= ATOM_ELEMENTS, "no markup of the text"
            hrefs = [link.get("href", "") for link in tree.iter(f"{{{ATOM}}}link")]
            assert all(href.startswith((url, "https://", "http://")) for href in hrefs), hrefs
            assert "&lt;script&gt;" in response.text or path.startswith("/feeds/")
            feed = parsed(response)
            hostile = [e for e in feed.entries if "onmouseover" in e.title]
            assert hostile, path
            assert all(e.link.startswith(url) for e in feed.entries), "a javascript: url is never a link"
    entry = next(e for e in feedparser.parse(feed_xml_of(story, hostile_document)).entries if "hostile" in e.link)
    assert entry.title == "outlet-x: " + next(a["title"] for a in hostile_document["articles"] if a["id"] == "hostile")


def feed_xml_of(story: dict[str, Any], document: dict[str, Any]) -> bytes:
    members = {a["id"]: a for a in document["articles"] if a["id"] in story["article_ids"]}
    return feed_xml(story_feed(story, members), "http://example.org")


def test_control_characters_are_left_out_and_dates_are_utc() -> None:
    story = {"id": "s1", "title": "Bell\x07 rings\x00", "article_ids": ["a1"]}
    article = {"id": "a1", "title": "T\x1b", "text": "x\x0cy", "source": "o", "published": "2019-01-18T09:30:00+02:00"}
    feed = feedparser.parse(feed_xml(story_feed(story, {"a1": article}), "http://example.org"))
    assert not feed.bozo and feed.feed.title == "Bell rings - newsfuse"
    assert feed.entries[0].updated == "2019-01-18T07:30:00Z"
    assert (
        atom_date("2019-01-18") == "2019-01-18T00:00:00Z" and atom_date("2019-01-18T09:30:00") == "2019-01-18T09:30:00Z"
    )
    assert atom_date("yesterday") is None


def test_a_store_feed_follows_an_add_by_another_process(store_url: str, tmp_path: Path) -> None:
    """``newsfuse add`` in its own process: the served feed's ETag changes and the new story is in it;
    the old ETag no longer answers 304, the new one does. On SQLite and on PostgreSQL: the feed's
    list, dates and ordering come from each backend's own queries."""
    db = store_url
    subprocess.run([NEWSFUSE, "add", *map(str, seed_paths()), "--quiet", "--db", db], check=True)
    late = LATE
    late_file(tmp_path)
    with serve(db) as client:
        before = client.get("/feeds/stories.atom")
        etag = before.headers["etag"]
        assert client.get("/feeds/stories.atom", headers={"If-None-Match": etag}).status_code == 304
        add = [NEWSFUSE, "add", str(tmp_path / "late.jsonl"), "--quiet", "--db", db]
        subprocess.run(add, check=True, capture_output=True)
        after = client.get("/feeds/stories.atom", headers={"If-None-Match": etag})
        feed = parsed(after)
        assert after.headers["etag"] != etag
        assert feed.entries[0].title == late["title"] and feed.entries[0].updated == "2019-02-01T00:00:00Z"
        assert len(feed.entries) == len(parsed(before).entries) + 1
        assert client.get("/feeds/stories.atom", headers={"If-None-Match": after.headers["etag"]}).status_code == 304
        story_id = client.get("/api/stories", params={"article": "late-1"}).json()["items"][0]["id"]
        [entry] = parsed(client.get(f"/stories/{story_id}/feed.atom")).entries
        assert entry.link == late["url"] and entry.author == "outlet-z"
