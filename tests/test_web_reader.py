"""The stories.json reader: loading (with clear errors), filters, search and paging."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.errors import NewsfuseError
from newsfuse.store.search import words
from newsfuse.web.reader import DocumentReader, StoryFilter, load_document


def article(article_id: str, source: str, published: str | None, text: str) -> dict[str, Any]:
    return {"id": article_id, "title": f"Title {article_id}", "source": source, "published": published, "text": text}


def story(story_id: str, title: str, article_ids: list[str], entities: list[str]) -> dict[str, Any]:
    return {
        "id": story_id,
        "title": title,
        "article_ids": article_ids,
        "digest": [],
        "entities": [{"text": e, "label": "PERSON", "count": 1, "article_ids": article_ids} for e in entities],
    }


@pytest.fixture
def document() -> dict[str, Any]:
    return small_document()


def small_document() -> dict[str, Any]:
    """Three small stories in stories.json order (biggest, then newest)."""
    return {
        "version": 1,
        "articles": [
            article("a1", "apw", "1998-03-01", "Floods hit the river valley; floods closed roads."),
            article("a2", "nyt", "1998-03-02T10:00:00", "The valley floods kept rising."),
            article("b1", "xie", "1998-05-10", "Elections were held in the capital."),
            article("c1", "apw", None, "An undated note on floods."),
        ],
        "skipped": [],
        "duplicates": [{"canonical": "a1", "article_ids": ["a1", "a2"], "similarity": 0.9}],
        "stories": [
            story("s-floods", "Valley floods", ["a1", "a2"], ["Kim Jong-un"]),
            story("s-vote", "Capital votes", ["b1"], ["Jane Doe"]),
            story("s-note", "A note", ["c1"], []),
        ],
    }


def ids(page: Any) -> list[str]:
    return [item["id"] for item in page.items]


def test_filters_narrow_the_list_and_keep_its_order(document: dict[str, Any]) -> None:
    reader = DocumentReader(document)
    assert ids(reader.list_stories(StoryFilter(), 0, 10)) == ["s-floods", "s-vote", "s-note"]
    assert ids(reader.list_stories(StoryFilter(query="floods"), 0, 10)) == ["s-floods", "s-note"]
    assert ids(reader.list_stories(StoryFilter(query="floods roads"), 0, 10)) == ["s-floods"]
    assert ids(reader.list_stories(StoryFilter(outlet="apw"), 0, 10)) == ["s-floods", "s-note"]
    assert ids(reader.list_stories(StoryFilter(entity="KIM JONG-UN"), 0, 10)) == ["s-floods"]
    assert ids(reader.list_stories(StoryFilter(article="b1"), 0, 10)) == ["s-vote"]


def test_newest_first_orders_by_latest_article_with_undated_last(document: dict[str, Any]) -> None:
    reader = DocumentReader(document)
    assert ids(reader.list_stories(StoryFilter(order="newest"), 0, 10)) == ["s-vote", "s-floods", "s-note"]
    assert ids(reader.list_stories(StoryFilter(outlet="apw", order="newest"), 0, 10)) == ["s-floods", "s-note"]


def test_date_range_keeps_overlapping_stories_and_drops_undated_ones(document: dict[str, Any]) -> None:
    reader = DocumentReader(document)
    assert ids(reader.list_stories(StoryFilter(date_from="1998-03-02"), 0, 10)) == ["s-floods", "s-vote"]
    assert ids(reader.list_stories(StoryFilter(date_to="1998-03-01"), 0, 10)) == ["s-floods"]
    assert ids(reader.list_stories(StoryFilter(date_from="1998-04-01", date_to="1998-04-30"), 0, 10)) == []


def test_pages_report_the_total(document: dict[str, Any]) -> None:
    page = DocumentReader(document).list_stories(StoryFilter(), 1, 1)
    assert (ids(page), page.total, page.offset, page.limit) == (["s-vote"], 3, 1, 1)


def test_search_ranks_by_how_often_the_words_occur(document: dict[str, Any]) -> None:
    reader = DocumentReader(document)
    found = reader.search("Floods", 0, 10)
    assert ids(found) == ["s-floods", "s-note"]
    assert ids(reader.search("floods capital", 0, 10)) == []
    assert reader.search("   ", 0, 10).total == 0


def test_records_duplicates_and_outlets(document: dict[str, Any]) -> None:
    reader = DocumentReader(document)
    assert reader.get_story("s-vote") == document["stories"][1]
    assert reader.get_article("a2") == document["articles"][1]
    assert reader.get_story("missing") is None and reader.get_article("missing") is None
    assert reader.duplicate_groups("a2") == document["duplicates"]
    assert reader.duplicate_groups("b1") == []
    assert reader.outlets() == ["apw", "nyt", "xie"]


def test_search_words_ignore_case_and_punctuation() -> None:
    assert words("Kim's SUMMIT, in Hanoi!") == ["kim", "s", "summit", "in", "hanoi"]


def test_load_document_accepts_a_run_folder(tmp_path: Path, document: dict[str, Any]) -> None:
    (tmp_path / "stories.json").write_text(json.dumps(document), encoding="utf-8")
    assert load_document(tmp_path) == document
    assert load_document(tmp_path / "stories.json") == document


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "no such file"),
        (b"{not json", "malformed JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "not a newsfuse stories.json"),
        (b'{"articles": [{"id": "a"}], "stories": []}', "an article lacks 'id' or 'title'"),
        (b'{"articles": [], "stories": [{"id": "s"}]}', "a story lacks"),
        (
            b'{"articles": [], "stories": [{"id": "s", "title": "t", "article_ids": ["gone"]}]}',
            "cites unknown article gone",
        ),
        (b'{"version": 2, "articles": [], "stories": []}', "format version 2 is newer"),
    ],
)
def test_bad_files_are_named_with_the_reason(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "stories.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(NewsfuseError) as raised:
        load_document(path)
    assert str(path) in str(raised.value)
    assert reason in str(raised.value)


@given(st.lists(st.sampled_from(["floods", "valley", "capital", "note", "kim", "nothing"]), max_size=3))
def test_search_finds_exactly_the_stories_the_query_filter_keeps(query_words: list[str]) -> None:
    reader = DocumentReader(small_document())
    query = " ".join(query_words)
    found = {s["id"] for s in reader.search(query, 0, 10).items}
    kept = {s["id"] for s in reader.list_stories(StoryFilter(query=query or None), 0, 10).items}
    assert found == (kept if query_words else set())
