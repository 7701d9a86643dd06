"""``newsfuse run`` on every input format at once, and on a feed URL with ``--fetch``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse.cli import main
from newsfuse.ingest.files import read_file
from newsfuse.ingest.options import IngestOptions
from newsfuse.records import Article, Skipped

from .ingest_fixtures import SEED_A, SEED_B, Seed, news_page, rss_feed, rss_item, seed, serving_site, warc_archive
from .test_cli import run_cli


def stories_json(out: Path) -> dict[str, Any]:
    return json.loads((out / "stories.json").read_text(encoding="utf-8"))


def test_a_folder_of_md_html_rss_and_warc_gives_one_story(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    a, b = seed(SEED_A), seed(SEED_B)
    shutil.copy(SEED_A, corpus / "a.md")
    (corpus / "b.html").write_bytes(news_page(b, site="Outlet B"))
    (corpus / "wire.rss").write_bytes(rss_feed("Wire Feed", [rss_item(a, "https://wire.example/1", paragraphs=3)]))
    trimmed = Seed(b.title, b.paragraphs[:-1], b.published)
    (corpus / "crawl.warc.gz").write_bytes(warc_archive([("https://c.example/x", news_page(trimmed, site="C"))]))
    run_cli(str(corpus), "--out", str(tmp_path / "out"))
    document = stories_json(tmp_path / "out")
    assert document["skipped"] == []
    sources = sorted(article["source"] for article in document["articles"])
    assert sources == ["C", "Outlet B", "Wire Feed", "outlet-a"]
    assert {article["lang"] for article in document["articles"]} == {"en"}
    [story] = document["stories"]
    by_source = {article["source"]: article["id"] for article in document["articles"]}
    # The crawl's page is Outlet B's article less its last paragraph: a copy, kept as a duplicate.
    [group] = document["duplicates"]
    assert sorted(group["article_ids"]) == sorted([by_source["Outlet B"], by_source["C"]])
    expected = [group["canonical"], by_source["Wire Feed"], by_source["outlet-a"]]
    assert sorted(story["article_ids"]) == sorted(expected)
    assert story["outlets"] == ["C", "Outlet B", "Wire Feed", "outlet-a"]


def test_run_reads_a_feed_url_and_fetches_its_pages(tmp_path: Path) -> None:
    a, b = seed(SEED_A), seed(SEED_B)
    with serving_site() as site:
        link_a = site.page("/a.html", news_page(a, site="Outlet A News"))
        link_b = site.page("/b.html", news_page(b, site="Outlet B"))
        feed = site.page("/feed.xml", rss_feed("Wire Feed", [rss_item(a, link_a), rss_item(b, link_b)]))
        refused = CliRunner().invoke(main, ["run", feed, "--out", str(tmp_path / "refused")])
        run_cli(feed, "--fetch", "--allow-private", "--out", str(tmp_path / "out"))
    assert refused.exit_code == 1 and "private or local address" in refused.output
    assert not (tmp_path / "refused").exists()
    document = stories_json(tmp_path / "out")
    assert sorted(article["text"] for article in document["articles"]) == sorted([a.text, b.text])
    assert len(document["stories"]) == 1


SUFFIXES = [".md", ".jsonl", ".html", ".rss", ".atom", ".warc", ".warc.gz", ".arc.gz"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SUFFIXES), st.binary(max_size=800))
def test_any_bytes_in_any_format_become_articles_or_skipped(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    for item in read_file(path, IngestOptions(), fetcher=None):
        assert (item.path or "").startswith(str(path))
        assert isinstance(item, Article) or (isinstance(item, Skipped) and item.reason)
