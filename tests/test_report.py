from __future__ import annotations

import json
from dataclasses import replace

from rich.console import Console

from newsfuse.codec import dumps, result_document
from newsfuse.records import Article, DigestSentence, RunResult, Skipped, Story, StoryEntity, Thread
from newsfuse.report.html import render_html
from newsfuse.report.markdown import render_markdown
from newsfuse.report.table import summary_table

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def hostile_result() -> RunResult:
    articles = (
        Article("a1", HOSTILE, "Body " + HOSTILE, source="outlet-a", published="2019-01-18", url="javascript:alert(1)"),
        Article(
            "a2", "Plain title", "Body two.", source="outlet-b", published="2019-01-19", url="https://example.org/x"
        ),
    )
    story = Story(
        id="s1",
        title=HOSTILE,
        article_ids=("a1", "a2"),
        digest=(DigestSentence("Said " + HOSTILE, "a1", ("a1", "a2")),),
        entities=(StoryEntity("Kim Jong-un", "PERSON", 3, ("a1", "a2")),),
    )
    return RunResult(articles, (Skipped("bad.bin", "binary file"),), (story,))


def test_stories_json_keeps_the_contract_key_names() -> None:
    document = result_document(hostile_result())
    assert list(document) == ["version", "articles", "skipped", "stories", "duplicates", "threads", "settings"]
    assert set(document["articles"][0]) == {"id", "title", "source", "published", "url", "path", "lang", "text"}
    story = document["stories"][0]
    assert {"id", "title", "article_ids", "digest", "entities"} <= set(story)
    assert story["digest"][0] == {"text": "Said " + HOSTILE, "article_id": "a1", "sources": ["a1", "a2"]}
    assert json.loads(dumps(document)) == document


def test_stories_json_lists_threads_and_each_story_names_its_thread() -> None:
    result = hostile_result()
    thread = Thread("t1", "A subject", ("s1",))
    document = result_document(
        replace(result, stories=(replace(result.stories[0], thread_id="t1"),), threads=(thread,))
    )
    assert document["threads"] == [{"id": "t1", "title": "A subject", "story_ids": ["s1"]}]
    assert document["stories"][0]["thread_id"] == "t1"


def test_html_report_escapes_article_text() -> None:
    html = render_html(result_document(hostile_result()))
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=&#34;", "")
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'href="https://example.org/x"' in html
    assert "Content-Security-Policy" in html


def test_markdown_report_cites_sources_by_number() -> None:
    markdown = render_markdown(result_document(hostile_result()))
    assert "[1][2]" in markdown
    assert "<script>" not in markdown
    assert "`bad.bin`: binary file" in markdown


def test_the_terminal_table_counts_known_outlets_and_says_when_none_is_known() -> None:
    result = hostile_result()
    unknown = replace(result, articles=tuple(replace(a, source=None) for a in result.articles))
    console = Console(width=120, record=True)
    for shown in (result, unknown):
        console.print(summary_table(shown))
    lines = [line for line in console.export_text().splitlines() if line.startswith("│ 1 ")]
    assert [[cell.strip() for cell in line.split("│")][3] for line in lines] == ["2", "unknown"]
