from __future__ import annotations

import html
from pathlib import Path

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.ingest import read_inputs
from newsfuse.ingest.fields import article_or_skipped
from newsfuse.ingest.html import declared_date, parse_html
from newsfuse.ingest.options import IngestLimits, IngestOptions
from newsfuse.records import Article, Skipped

from .ingest_fixtures import SEED_A, SEED_B, Seed, news_page, seed


def test_seed_page_gives_text_title_and_metadata() -> None:
    story = seed(SEED_A)
    article = parse_html(news_page(story), "a.html", url="https://outlet-a.example/world/summit")
    assert article.title == story.title
    assert article.text == story.text
    assert article.source == "Outlet A News"
    assert article.published == "2019-01-18T10:00:00+05:30"
    assert article.url == "https://outlet-a.example/world/summit"
    assert article.lang == "en"
    assert article.meta == {"author": "Jane Reporter"}
    assert article.path == "a.html"


def test_a_page_that_declares_no_date_has_none() -> None:
    """No date is taken from the URL, the text, the copyright line or a modification time."""
    original = seed(SEED_B)
    dateline = "WASHINGTON, January 18, 2019 (AP) - " + original.paragraphs[0]
    story = Seed(original.title, (dateline, *original.paragraphs[1:]), original.published)
    modified = '<meta property="article:modified_time" content="2019-01-20T08:00:00Z">'
    page = news_page(story, published=None, head_extra=modified)
    article = parse_html(page, "b.html", url="https://outlet-b.example/2019/01/18/trump-kim-summit.html")
    assert "January 18, 2019" in article.text
    assert article.published is None


def test_meta_date_is_used_when_there_is_no_json_ld() -> None:
    meta = '<meta property="article:published_time" content="2019-01-18T21:05:00Z">'
    page = news_page(seed(SEED_B), published=None, head_extra=meta)
    assert parse_html(page, "b.html").published == "2019-01-18T21:05:00+00:00"


def test_json_ld_date_wins_over_meta_and_rejects_implausible_years() -> None:
    meta = '<meta property="article:published_time" content="2019-01-19">'
    assert parse_html(news_page(seed(SEED_A), published="2019-01-18", head_extra=meta), "a").published == "2019-01-18"
    assert parse_html(news_page(seed(SEED_A), published="0019-01-18", head_extra=meta), "a").published == "2019-01-19"


def test_language_is_detected_when_the_page_names_none() -> None:
    page = news_page(seed(SEED_A)).replace(b'<html lang="en-GB">', b"<html>")
    assert parse_html(page, "a.html").lang == "en"


def test_mojibake_in_a_page_is_repaired() -> None:
    story = seed(SEED_A)
    garbled = Seed(story.title, tuple(p.encode("utf-8").decode("cp1252", "replace") for p in story.paragraphs), "")
    article = parse_html(news_page(garbled), "a.html")
    assert "â€" not in article.text
    assert "North Korea\u2019s lead negotiator" in article.text


def test_folder_of_pages_and_size_limit(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_bytes(news_page(seed(SEED_A)))
    (tmp_path / "b.htm").write_bytes(news_page(seed(SEED_B), site="Outlet B"))
    result = read_inputs([tmp_path])
    assert sorted(a.source or "" for a in result.articles) == ["Outlet A News", "Outlet B"]
    assert not result.skipped
    small = read_inputs([tmp_path], IngestOptions(limits=IngestLimits(max_article_bytes=1000)))
    assert not small.articles
    assert all("file too large" in s.reason for s in small.skipped)


def test_deeply_nested_page_is_skipped_past_the_limit(tmp_path: Path) -> None:
    story = seed(SEED_A)
    paragraphs = "".join(f"<p>{p}</p>" for p in story.paragraphs)
    page = f"<html><body>{'<div>' * 150}{paragraphs}{'</div>' * 150}</body></html>"
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    assert len(read_inputs([tmp_path]).articles) == 1
    strict = read_inputs([tmp_path], IngestOptions(limits=IngestLimits(max_html_depth=100)))
    assert not strict.articles
    assert strict.skipped == (Skipped(str(tmp_path / "deep.html"), "HTML nested too deeply (153 levels; limit 100)"),)


def test_pages_without_an_article_are_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (tmp_path / "binary.html").write_bytes(b"\x89PNG\r\n\x00\x00\x00")
    (tmp_path / "zero.htm").write_bytes(b"")
    reasons = {Path(s.path).name: s.reason for s in read_inputs([tmp_path]).skipped}
    assert reasons == {
        "binary.html": "binary file (contains NUL bytes)",
        "empty.html": "no article text found in the page",
        "zero.htm": "empty file",
    }


_TAGS = st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<html>", "<body>", "<script>", "<!--", "<meta ", "&amp;"])
_HTMLISH = st.lists(st.one_of(_TAGS, st.text(max_size=30)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=2000), _HTMLISH.map(str.encode)))
def test_html_parser_never_raises(data: bytes) -> None:
    item = article_or_skipped("page.html", lambda: parse_html(data, "page.html"))
    if isinstance(item, Skipped):
        assert item.path == "page.html" and item.reason
    else:
        assert isinstance(item, Article) and item.text


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_declared_date_is_iso_or_none(value: str) -> None:
    meta = f'<meta property="article:published_time" content="{html.escape(value)}">'
    tree = lxml.html.document_fromstring(f"<html><head>{meta}</head><body><p>t</p></body></html>")
    found = declared_date(tree)
    assert found is None or found[:4].isdigit()


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
        '<meta charset="US-ASCII">',
        "",
    ],
)
def test_legacy_encoded_pages_keep_their_curly_quotes(declaration: str) -> None:
    page = news_page(seed(SEED_A)).decode().replace('<meta charset="utf-8">', declaration)
    article = parse_html(page.encode("cp1252"), "legacy.html")
    assert "North Korea\u2019s lead negotiator" in article.text
    assert article.text == seed(SEED_A).text
