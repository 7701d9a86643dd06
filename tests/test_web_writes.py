"""POST /api/articles with --allow-writes: token, validation, and the re-run pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from newsfuse.ingest import read_inputs
from newsfuse.pipeline import SettingsError
from newsfuse.web import create_app
from newsfuse.web.reader import StoriesFileError, StoryFilter
from newsfuse.web.writes import LiveStories, articles_of


def test_stories_json_keeps_what_a_rerun_needs(seed_document: dict[str, Any], seed_files: list[Path]) -> None:
    ingested = read_inputs(seed_files).articles
    assert articles_of(seed_document) == sorted(ingested, key=lambda a: (a.published or "", a.id))


def test_a_document_without_article_text_is_not_writable(seed_document: dict[str, Any]) -> None:
    old = {
        **seed_document,
        "articles": [{k: v for k, v in a.items() if k != "text"} for a in seed_document["articles"]],
    }
    with pytest.raises(StoriesFileError, match="no article text"):
        LiveStories(old).check_writable()


def test_posted_article_joins_the_stories(seed_document: dict[str, Any], serve_app: Any) -> None:
    outlet_b = next(a for a in seed_document["articles"] if a["source"] == "outlet-b")
    posted = {
        "id": "posted-1",
        "title": "Second Trump-Kim summit set for February",
        "text": "\n".join(outlet_b["text"].split("\n")[1:4]),
        "source": "outlet-p",
        "published": "2019-01-19",
        "desk": "world",
    }
    app = create_app(LiveStories(seed_document), allow_writes=True, write_token="s3cret")
    auth = {"Authorization": "Bearer s3cret"}
    with serve_app(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.post("/api/articles", json=posted).status_code == 401
        assert client.post("/api/articles", json=posted, headers={"Authorization": "Bearer nope"}).status_code == 401
        empty = client.post("/api/articles", json={**posted, "text": "  "}, headers=auth)
        assert empty.status_code == 422 and "no body text" in empty.json()["detail"]
        bad_date = client.post("/api/articles", json={**posted, "published": "soon"}, headers=auth)
        assert bad_date.status_code == 422 and "published" in bad_date.json()["detail"]

        created = client.post("/api/articles", json=posted, headers=auth)
        assert created.status_code == 201 and created.headers["location"] == "/api/articles/posted-1"
        assert created.json()["text"] == posted["text"] and created.json()["source"] == "outlet-p"
        assert client.get("/api/articles/posted-1").json() == created.json()
        stories = client.get("/api/stories", params={"article": "posted-1"}).json()["items"]
        assert len(stories) == 1 and "posted-1" in stories[0]["article_ids"]
        assert "posted-1" in client.get(f"/stories/{stories[0]['id']}").text

        again = client.post("/api/articles", json=posted, headers=auth)
        assert again.status_code == 409 and "already exists" in again.json()["detail"]
    assert all(a["id"] != "posted-1" for a in seed_document["articles"]), "the loaded document is not mutated"


def test_an_added_article_is_analysed_with_the_settings_the_document_was_made_with(
    seed_document: dict[str, Any],
) -> None:
    made = {**seed_document, "settings": {"consensus": None, "words": 30}}
    with pytest.raises(SettingsError, match="was made with --words 30, not 100"):
        LiveStories(made, {"words": 100}, "stories.json")
    outlet_b = next(a for a in seed_document["articles"] if a["source"] == "outlet-b")
    text = "\n".join(outlet_b["text"].split("\n")[1:4])
    added = {"id": "added-1", "title": "Second Trump-Kim summit set", "text": text, "source": "outlet-x"}

    def digest_words(document: dict[str, Any]) -> int:
        stories = LiveStories(document)
        stories.add_article(added)
        listing = stories.reader.list_stories(StoryFilter(article=outlet_b["id"]), 0, 1).items[0]
        story = stories.reader.get_story(listing["id"])
        assert story is not None
        return sum(len(sentence["text"].split()) for sentence in story["digest"])

    assert digest_words(made) <= 30 + 60 < digest_words({**seed_document, "settings": {"words": 120}})
