"""The JSON API and the HTML pages, over HTTP against a real uvicorn server."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.store.search import LISTING_COUNTS
from newsfuse.web import create_app
from newsfuse.web.writes import LiveStories


@pytest.fixture(scope="module")
def client(analysed_document: dict[str, Any], serve_app: Any) -> Iterator[httpx.Client]:
    with serve_app(create_app(LiveStories(analysed_document))) as url, httpx.Client(base_url=url) as http:
        yield http


def test_story_list_is_paged_and_lists_summaries_of_the_stories(
    client: httpx.Client, analysed_document: dict[str, Any]
) -> None:
    first = client.get("/api/stories", params={"limit": 1}).json()
    assert first["total"] == len(analysed_document["stories"])
    everything = client.get("/api/stories", params={"limit": 100}).json()
    assert [s["id"] for s in everything["items"]] == [s["id"] for s in analysed_document["stories"]]
    assert everything["items"][:1] == first["items"]
    story = analysed_document["stories"][0]
    summary = first["items"][0]
    assert client.get(summary["url"]).json() == story
    assert summary["counts"] == {key: len(story[key]) for key in LISTING_COUNTS}
    assert summary["counts"]["claims"] > 0 and "claims" not in summary
    assert summary["entities"][0] == {key: story["entities"][0][key] for key in ("text", "label", "count")}
    published = sorted(a["published"] for a in analysed_document["articles"] if a["id"] in story["article_ids"])
    assert (summary["first_published"], summary["last_published"]) == (published[0], published[-1])
    assert summary["outlets"] == story["outlets"] == ["outlet-a", "outlet-b", "outlet-c"]


def test_story_and_article_records_round_trip(client: httpx.Client, analysed_document: dict[str, Any]) -> None:
    story = analysed_document["stories"][0]
    assert client.get(f"/api/stories/{story['id']}").json() == story
    article = analysed_document["articles"][0]
    assert client.get(f"/api/articles/{article['id']}").json() == article


def test_search_and_filters(client: httpx.Client, analysed_document: dict[str, Any]) -> None:
    found = client.get("/api/search", params={"q": "Guterres"}).json()
    guterres = [
        s["id"] for s in analysed_document["stories"] if any(e["text"] == "Antonio Guterres" for e in s["entities"])
    ]
    assert [s["id"] for s in found["items"]] == guterres
    assert client.get("/api/search", params={"q": "zzyzx"}).json()["total"] == 0
    assert client.get("/api/stories", params={"outlet": "nobody"}).json()["total"] == 0
    assert client.get("/api/stories", params={"from": "2019-01-19"}).json()["total"] == 0
    assert client.get("/api/stories", params={"entity": "antonio guterres"}).json()["total"] == len(guterres)


def test_api_errors_are_json_without_internals(client: httpx.Client) -> None:
    missing = client.get("/api/stories/nope")
    assert (missing.status_code, missing.json()) == (404, {"detail": "no story with id 'nope'"})
    bad_date = client.get("/api/stories", params={"from": "yesterday"})
    assert bad_date.status_code == 422 and "'from' is not a date" in bad_date.json()["detail"]
    assert client.get("/api/stories", params={"limit": 1000}).status_code == 422
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/stories", params={"sort": "random"}).status_code == 422


def test_writes_are_off_by_default(client: httpx.Client) -> None:
    refused = client.post("/api/articles", json={"text": "Some news."})
    assert refused.status_code == 403 and "--allow-writes" in refused.json()["detail"]


def test_pages_are_html_with_a_strict_content_security_policy(
    client: httpx.Client, analysed_document: dict[str, Any]
) -> None:
    story = analysed_document["stories"][0]
    for path in ("/", f"/stories/{story['id']}", f"/articles/{story['article_ids'][0]}", "/api"):
        page = client.get(path)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "script-src" not in page.headers["content-security-policy"]
        assert "default-src 'none'" in page.headers["content-security-policy"]
    assert story["title"] in client.get("/").text
    assert client.get("/static/newsfuse.css").status_code == 200


def test_story_page_shows_every_analysis_section(client: httpx.Client, analysed_document: dict[str, Any]) -> None:
    story = next(s for s in analysed_document["stories"] if "claims" in s)
    page = client.get(f"/stories/{story['id']}").text
    for section in ("digest", "claims", "contradictions", "quotes", "timeline", "entities", "coverage", "sources"):
        assert f'<section id="{section}">' in page
    assert "What only outlet-b adds" in page and '<mark class="diff">in</mark>' in page


def test_html_errors_are_pages(client: httpx.Client) -> None:
    missing = client.get("/stories/nope")
    assert missing.status_code == 404 and "no story with id" in missing.text and "<html" in missing.text
    bad = client.get("/", params={"page": "x"})
    assert bad.status_code == 422 and "bad request" in bad.text and "Traceback" not in bad.text


def test_openapi_documents_every_endpoint(client: httpx.Client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= paths.keys()
    assert "post" in paths["/api/articles"]


def test_serve_reports_a_missing_stories_file(tmp_path: Any) -> None:
    result = CliRunner().invoke(main, ["serve", "--stories", str(tmp_path / "nowhere.json")])
    assert result.exit_code != 0 and "nowhere.json: no such file" in result.output


def test_serve_workers_need_a_store(seed_document: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "stories.json"
    path.write_text(json.dumps(seed_document), encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--stories", str(path), "--workers", "2"])
    assert result.exit_code == 2 and "--workers needs --db" in result.output


def test_server_errors_hide_the_details(seed_document: dict[str, Any], serve_app: Any) -> None:
    broken = copy.deepcopy(seed_document)
    story = broken["stories"][0]
    first = story["article_ids"][0]
    story["digest"] = [{"text": "A sentence without its sources.", "article_id": first}]
    story["contradictions"] = [{"kind": "number", "variants": [{"article_id": first}]}]
    with serve_app(create_app(LiveStories(broken))) as url, httpx.Client(base_url=url) as client:
        page = client.get(f"/stories/{story['id']}")
        assert page.status_code == 500 and "internal server error" in page.text
        assert "Traceback" not in page.text and "KeyError" not in page.text
        record = client.get(f"/api/stories/{story['id']}")  # the API passes a record through as stored
        assert (record.status_code, record.json()["contradictions"]) == (200, story["contradictions"])


def threaded(document: dict[str, Any]) -> dict[str, Any]:
    """The document with a later story on the same subject as its first, both in one thread."""
    threaded = copy.deepcopy(document)
    first = threaded["stories"][0]
    later = {**copy.deepcopy(first), "id": "s-later", "title": "The talks went on"}
    threaded["stories"].append(later)
    threaded["threads"] = [{"id": "t-one", "title": first["title"], "story_ids": [first["id"], "s-later"]}]
    first["thread_id"] = later["thread_id"] = "t-one"
    return threaded


def test_threads_are_served_listed_and_shown_on_story_pages(analysed_document: dict[str, Any], serve_app: Any) -> None:
    document = threaded(analysed_document)
    first = document["stories"][0]
    with serve_app(create_app(LiveStories(document))) as url, httpx.Client(base_url=url) as http:
        assert http.get("/api/threads/t-one").json() == document["threads"][0]
        assert http.get("/api/threads/nope").status_code == 404
        listed = http.get("/api/stories", params={"thread": "t-one"}).json()
        assert [(s["id"], s["thread_id"]) for s in listed["items"]] == [(first["id"], "t-one"), ("s-later", "t-one")]
        assert "in one thread" in http.get("/", params={"thread": "t-one"}).text
        page = http.get(f"/stories/{first['id']}").text
        assert "Earlier and later in this thread" in page
        assert 'href="/stories/s-later"' in page and "later" in page
        assert 'href="/?thread=t-one"' in page


def test_big_responses_are_gzipped_every_get_answers_head_and_there_is_a_favicon(
    client: httpx.Client, analysed_document: dict[str, Any]
) -> None:
    story_id = analysed_document["stories"][0]["id"]
    paths = ["/", "/api/stories", f"/stories/{story_id}", f"/api/stories/{story_id}", "/favicon.ico", "/api"]
    for path in paths:
        got = client.get(path, headers={"Accept-Encoding": "gzip"})
        head = client.head(path, headers={"Accept-Encoding": "gzip"})
        assert got.status_code == head.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"], path
        big = len(got.content) > 1_000
        assert (got.headers.get("content-encoding") == "gzip") == big, path
        assert head.headers.get("content-encoding") == got.headers.get("content-encoding"), path
    for path in ["/", f"/stories/{story_id}"]:  # kept gzipped: unpacked for a client that takes no gzip
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        packed = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert plain.headers.get("content-encoding") is None and packed.headers["content-encoding"] == "gzip"
        assert plain.headers["vary"] == packed.headers["vary"] == "Accept-Encoding"
        assert plain.text == packed.text and "</html>" in plain.text
        assert int(packed.headers["content-length"]) < len(plain.content) / 2
    icon = client.get("/favicon.ico")
    assert icon.headers["content-type"] == "image/svg+xml" and icon.text.startswith("<svg")
    assert client.get("/api/stories", headers={"Accept-Encoding": "identity"}).headers.get("content-encoding") is None
