from __future__ import annotations

import gzip
import itertools
from importlib.metadata import version
from pathlib import Path

import httpcore
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.ingest import read_inputs
from newsfuse.ingest.feeds import FeedEntry, entry_article, parse_feed
from newsfuse.ingest.fetch import Fetcher, FetchError, GlobalOnlyBackend
from newsfuse.ingest.options import FetchPolicy, IngestLimits, IngestOptions
from newsfuse.records import Article, Skipped

from .ingest_fixtures import SEED_A, SEED_B, news_page, rss_feed, rss_item, seed, serving_site

LOOPBACK = IngestOptions(fetch=FetchPolicy(allow_private=True, host_interval_s=0.0, timeout_s=5.0))
FETCH_PAGES = IngestOptions(fetch=FetchPolicy(pages=True, allow_private=True, host_interval_s=0.0, timeout_s=5.0))

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Outlet &lt;b&gt;B&lt;/b&gt;</title>
<entry><title>Second summit</title><link href="https://outlet-b.example/summit"/><id>urn:b:1</id>
<published>2019-01-18T21:05:00Z</published><updated>2019-01-19T08:00:00Z</updated>
<content type="html">&lt;p&gt;Donald Trump will meet Kim Jong-un again in late February.&lt;/p&gt;&lt;p&gt;The place is
not yet announced.&lt;/p&gt;</content></entry>
<entry><title>Only updated</title><id>urn:b:2</id><updated>2019-01-19T09:00:00Z</updated>
<summary>The White House said the talks with North Korea would go on at the working level.</summary></entry>
</feed>"""


def both_seeds_feed(link_a: str, link_b: str) -> bytes:
    return rss_feed("Wire Feed", [rss_item(seed(SEED_A), link_a), rss_item(seed(SEED_B), link_b)])


def test_rss_file_entries_become_articles(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_bytes(both_seeds_feed("https://a.example/1", "https://b.example/2"))
    result = read_inputs([tmp_path])
    assert not result.skipped
    a, b = sorted(result.articles, key=lambda article: article.path or "")
    story = seed(SEED_A)
    midnight = f"{story.published}T00:00:00+00:00"
    assert (a.title, a.url, a.source, a.published) == (story.title, "https://a.example/1", "Wire Feed", midnight)
    assert a.text == "\n".join(story.paragraphs[:2])
    assert a.path == f"{tmp_path / 'wire.rss'}#1" and b.path == f"{tmp_path / 'wire.rss'}#2"
    assert a.meta["guid"] == "https://a.example/1"
    assert a.lang == "en"


def test_atom_feed_uses_published_never_updated(tmp_path: Path) -> None:
    (tmp_path / "b.atom").write_bytes(ATOM)
    first, second = read_inputs([tmp_path]).articles
    assert first.source == "Outlet B"
    assert first.published == "2019-01-18T21:05:00+00:00"
    assert first.text == "Donald Trump will meet Kim Jong-un again in late February.\nThe place is not yet announced."
    assert first.meta["updated"] == "2019-01-19T08:00:00Z"
    assert second.published is None
    assert second.text.startswith("The White House said")


def test_entry_count_and_feed_size_limits(tmp_path: Path) -> None:
    story = seed(SEED_A)
    items = [rss_item(story, f"https://a.example/{n}", paragraphs=n) for n in range(1, 6)]
    (tmp_path / "many.xml").write_bytes(rss_feed("Wire", items))
    capped = read_inputs([tmp_path], IngestOptions(limits=IngestLimits(max_feed_entries=2)))
    assert [a.url for a in capped.articles] == ["https://a.example/1", "https://a.example/2"]
    assert capped.skipped == (Skipped(str(tmp_path / "many.xml"), "feed has 5 entries; read the first 2"),)
    small = read_inputs([tmp_path], IngestOptions(limits=IngestLimits(max_feed_bytes=500)))
    assert not small.articles
    assert small.skipped[0].reason.startswith("file too large")


def test_feed_url_is_fetched_with_a_polite_user_agent() -> None:
    with serving_site() as site:
        feed = both_seeds_feed("https://a.example/1", "https://b.example/2")
        url = site.page("/feed.xml", feed, "application/rss+xml")
        result = read_inputs([url], LOOPBACK)
    assert len(result.articles) == 2 and not result.skipped
    assert {a.path for a in result.articles} == {f"{url}#1", f"{url}#2"}
    assert site.requests[0][2].startswith(f"newsfuse/{version('newsfuse')} (")


def test_private_addresses_are_refused_unless_allowed() -> None:
    with serving_site() as site:
        url = site.page("/feed.xml", both_seeds_feed("https://a.example/1", "https://b.example/2"))
        result = read_inputs([url])
    assert not result.articles and not site.requests
    assert result.skipped == (
        Skipped(url, "127.0.0.1 resolves to 127.0.0.1, a private or local address (see --allow-private)"),
    )


def test_fetch_replaces_entries_with_their_pages_and_falls_back_per_url() -> None:
    with serving_site() as site:
        link_a = site.page("/a.html", news_page(seed(SEED_A), site="Outlet A News"))
        link_b = site.url + "/gone.html"
        site.redirect("/feed", "/news/feed.xml")
        site.page("/news/feed.xml", both_seeds_feed("../a.html", link_b))
        feed = site.url + "/feed"
        result = read_inputs([feed], FETCH_PAGES)
    a, b = sorted(result.articles, key=lambda article: article.path or "")
    assert a.text == seed(SEED_A).text
    assert (a.source, a.url, a.published, a.meta["author"]) == (
        "Outlet A News",
        link_a,
        "2019-01-18T10:00:00+05:30",
        "Jane Reporter",
    )
    assert b.text == "\n".join(seed(SEED_B).paragraphs[:2])
    assert b.source == "Wire Feed"
    assert result.skipped == (Skipped(link_b, "linked page not used (HTTP 404); the feed entry's own text is kept"),)


def test_redirects_are_followed_up_to_the_limit() -> None:
    with serving_site() as site:
        target = site.page("/a.html", news_page(seed(SEED_A)))
        site.redirect("/r2", "/a.html")
        site.redirect("/r1", "/r2")
        policy = FetchPolicy(allow_private=True, host_interval_s=0.0, max_redirects=2)
        with Fetcher(policy) as fetcher:
            assert fetcher.get(site.url + "/r1", 1_000_000).url == target
        strict = FetchPolicy(allow_private=True, host_interval_s=0.0, max_redirects=1)
        with Fetcher(strict) as fetcher, pytest.raises(FetchError, match="more than 1 redirects"):
            fetcher.get(site.url + "/r1", 1_000_000)


def test_redirect_to_another_scheme_is_refused() -> None:
    with serving_site() as site:
        site.redirect("/r", "file:///etc/passwd")
        refused = pytest.raises(FetchError, match="only http and https URLs are fetched, not 'file'")
        with Fetcher(FetchPolicy(allow_private=True)) as fetcher, refused:
            fetcher.get(site.url + "/r", 1_000_000)


def test_size_and_time_limits() -> None:
    with serving_site() as site:
        big = site.page("/big.html", b"<p>" + b"x" * 50_000 + b"</p>")
        slow = site.page("/slow.html", b"<p>late</p>")
        site.delays["/slow.html"] = 2.0
        with Fetcher(FetchPolicy(allow_private=True, host_interval_s=0.0, timeout_s=0.5)) as fetcher:
            with pytest.raises(FetchError, match="response too large"):
                fetcher.get(big, 10_000)
            with pytest.raises(FetchError, match="ReadTimeout"):
                fetcher.get(slow, 10_000)


def test_requests_to_one_host_are_spaced() -> None:
    with serving_site() as site:
        pages = [site.page(f"/{n}.html", b"<p>page</p>") for n in range(3)]
        with Fetcher(FetchPolicy(allow_private=True, host_interval_s=0.2)) as fetcher:
            for page in pages:
                fetcher.get(page, 10_000)
    times = [when for when, _, _ in site.requests]
    assert all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(times))


_FEED_PARTS = ["<rss>", "<channel>", "<item>", "<title>x</title>", "<feed>", "<entry>", "<![CDATA[", "</item>"]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=1500),
        st.lists(st.sampled_from(_FEED_PARTS)).map("".join).map(str.encode),
    )
)
def test_feed_parser_never_raises(data: bytes) -> None:
    for item in parse_feed(data, "f.xml", IngestLimits()):
        if isinstance(item, FeedEntry):
            item = entry_article(item)
        assert isinstance(item, (Article, Skipped))
        assert (item.path or "").startswith("f.xml")
        if isinstance(item, Skipped):
            assert item.reason


def test_gzip_encoded_response_is_limited_after_decoding() -> None:
    with serving_site() as site:
        bomb = gzip.compress(bytes(20_000_000), compresslevel=9)
        site.routes["/bomb.xml"] = (200, {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}, bomb)
        result = read_inputs([site.url + "/bomb.xml"], LOOPBACK)
    assert len(bomb) < 100_000
    assert result.skipped == (Skipped(site.url + "/bomb.xml", "response too large (over 10000000 bytes)"),)


def test_a_connection_that_reaches_a_private_address_is_closed_before_sending() -> None:
    """What a DNS answer changed after the resolver check (rebinding) would meet."""
    with serving_site() as site:
        port = int(site.url.rsplit(":", 1)[1])
        with pytest.raises(httpcore.ConnectError, match=r"connected to 127\.0\.0\.1, a private or local address"):
            GlobalOnlyBackend().connect_tcp("127.0.0.1", port, timeout=5)
    assert site.requests == []


def test_the_fetcher_connects_through_that_check() -> None:
    with serving_site() as site:
        url = site.page("/a.html", b"<p>page</p>")
        refused = pytest.raises(FetchError, match=r"ConnectError: 127\.0\.0\.1 connected")
        with Fetcher(FetchPolicy()) as fetcher, refused:
            fetcher._request(url, 10_000, {})  # past check_url, as after a changed DNS answer
    assert site.requests == []


def test_a_feed_declaring_an_undecodable_encoding_is_reported() -> None:
    """Found by fuzzing: feedparser decoded the declared encoding's name and raised."""
    data = b'<?xml version="1.0" encoding="ut\xed\xed-8"?><rss version="2.0"><channel></channel></rss>'
    (item,) = parse_feed(data, "f.xml", IngestLimits())
    assert isinstance(item, Skipped) and item.reason.startswith("not a readable feed")


def test_control_characters_in_entry_html_are_dropped() -> None:
    """Found by fuzzing: lxml parses a form feed in an HTML fragment but refuses to store it back."""
    entry = "<p>The talks\x0c go on at the working level, the White House said.</p>"
    feed = rss_feed("Feed", [{"title": "Talks", "link": "https://x.example/a", "pubDate": "", "description": entry}])
    (item,) = (entry_article(e) for e in parse_feed(feed, "f.xml", IngestLimits()) if isinstance(e, FeedEntry))
    assert isinstance(item, Article) and item.text == "The talks go on at the working level, the White House said."
