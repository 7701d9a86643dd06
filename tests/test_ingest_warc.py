from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.ingest import read_inputs
from newsfuse.ingest.options import IngestLimits, IngestOptions
from newsfuse.ingest.warc import parse_archive
from newsfuse.records import Article, Skipped

from .ingest_fixtures import SEED_A, SEED_B, news_page, seed, warc_archive

URL_A = "https://outlet-a.example/world/summit"
URL_B = "https://outlet-b.example/2019/01/18/summit"


def seed_pages() -> list[tuple[str, bytes]]:
    return [(URL_A, news_page(seed(SEED_A))), (URL_B, news_page(seed(SEED_B), site="Outlet B", published=None))]


def bomb_member(size: int) -> bytes:
    """One gzip member: a short WARC record, then ``size`` zero bytes that no record accounts for."""
    record = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x/\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"
    return gzip.compress(record + bytes(size), compresslevel=9)


def test_html_responses_become_articles_dated_by_the_page_not_the_crawl(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_archive(seed_pages()))
    result = read_inputs([tmp_path])
    assert not result.skipped
    a, b = result.articles
    assert (a.url, a.title, a.text, a.source) == (URL_A, seed(SEED_A).title, seed(SEED_A).text, "Outlet A News")
    assert a.published == "2019-01-18T10:00:00+05:30"
    assert b.url == URL_B and b.text == seed(SEED_B).text
    assert b.published is None
    assert b.meta["crawled"].endswith("Z")
    assert (a.path, b.path) == (f"{path}#3", f"{path}#5")


def test_uncompressed_warc_is_read_the_same(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc").write_bytes(warc_archive(seed_pages(), gzip=False))
    assert [a.url for a in read_inputs([tmp_path]).articles] == [URL_A, URL_B]


def test_arc_archive(tmp_path: Path) -> None:
    page = news_page(seed(SEED_A))
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    filedesc = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://crawl.arc 0.0.0.0 20190118120000 text/plain %d\n" % len(filedesc)
    record = b"%s 93.184.216.34 20190118120000 text/html %d\n" % (URL_A.encode(), len(http))
    arc = gzip.compress(header + filedesc + b"\n") + gzip.compress(record + http + b"\n")
    (tmp_path / "crawl.arc.gz").write_bytes(arc)
    result = read_inputs([tmp_path])
    assert [(a.url, a.published) for a in result.articles] == [(URL_A, "2019-01-18T10:00:00+05:30")]


def test_decompression_bomb_is_stopped_and_earlier_pages_kept() -> None:
    archive = warc_archive(seed_pages()[:1]) + bomb_member(50_000_000) + warc_archive(seed_pages()[1:])
    assert len(archive) < 200_000
    items = list(parse_archive(io.BytesIO(archive), "bomb.warc.gz", IngestLimits()))
    assert [a.url for a in items if isinstance(a, Article)] == [URL_A]
    skipped = [s for s in items if isinstance(s, Skipped)]
    assert len(skipped) == 1
    assert "gzip member inflates more than 200:1 (a decompression bomb?)" in skipped[0].reason


def test_archive_and_page_size_limits() -> None:
    archive = warc_archive(seed_pages())
    capped = list(parse_archive(io.BytesIO(archive), "c.warc.gz", IngestLimits(max_archive_bytes=5_000)))
    assert [type(item).__name__ for item in capped] == ["Skipped"]
    assert "archive inflates past 5000 bytes" in capped[0].reason
    small = list(parse_archive(io.BytesIO(archive), "c.warc.gz", IngestLimits(max_article_bytes=1_000)))
    assert [item.reason for item in small if isinstance(item, Skipped)] == [
        "page too large (1001 bytes; limit 1000)",
        "page too large (1001 bytes; limit 1000)",
    ]


def test_truncated_archive_keeps_what_was_read(tmp_path: Path) -> None:
    archive = warc_archive(seed_pages())
    (tmp_path / "cut.warc.gz").write_bytes(archive[: len(archive) * 6 // 10])
    result = read_inputs([tmp_path], IngestOptions())
    assert [a.url for a in result.articles] == [URL_A]
    path = tmp_path / "cut.warc.gz"
    assert result.skipped == (
        Skipped(f"{path}#5", "record is truncated (the archive ends inside it)"),
        Skipped(str(path), "archive is truncated (it ends inside a gzip member)"),
    )


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000), st.booleans())
def test_archive_parser_never_raises(data: bytes, compress: bool) -> None:
    stream = io.BytesIO(zlib.compress(data, wbits=31) if compress else b"WARC/1.0\r\n" + data)
    for item in parse_archive(stream, "x.warc.gz", IngestLimits()):
        assert isinstance(item, (Article, Skipped))
        assert (item.path or "").startswith("x.warc.gz")


def test_gzip_bomb_inside_a_response_body_stops_at_the_page_limit() -> None:
    """A record whose HTTP body is gzip-encoded: decoded only up to the page size limit."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
    payload = io.BytesIO(gzip.compress(b"<html><body><p>" + bytes(50_000_000), compresslevel=9))
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(URL_A, "response", payload=payload, http_headers=http))
    archive = io.BytesIO(out.getvalue() + warc_archive(seed_pages()[1:]))
    items = list(parse_archive(archive, "z.warc.gz", IngestLimits()))
    assert [type(item).__name__ for item in items] == ["Skipped", "Article"]
    assert items[0].reason == "page too large (5000001 bytes; limit 5000000)"


def test_the_charset_of_the_http_header_decodes_the_page() -> None:
    page = news_page(seed(SEED_A)).decode().replace('<meta charset="utf-8">', "").encode("cp1252")
    archive = warc_archive([(URL_A, page)], charset="ISO-8859-1")
    [article] = parse_archive(io.BytesIO(archive), "latin.warc.gz", IngestLimits())
    assert isinstance(article, Article)
    assert article.text == seed(SEED_A).text


def test_a_response_without_a_target_uri_ends_the_archive_with_a_reason() -> None:
    """Found by fuzzing: warcio raised AttributeError on such a record."""
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"
    )
    items = list(parse_archive(io.BytesIO(record), "x.warc", IngestLimits()))
    assert [(i.path, i.reason.split(":")[0]) for i in items if isinstance(i, Skipped)] == [
        ("x.warc#1", "archive unreadable from record 1 on")
    ]


def test_a_record_longer_than_an_index_ends_the_archive_with_a_reason() -> None:
    """Found by fuzzing: warcio raised OverflowError on such a Content-Length."""
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x/\r\nContent-Type: application/http\r\n"
        b"Content-Length: 99999999999999999999\r\n\r\nHTTP/1.0 200 OK\r\n\r\n"
    )
    items = list(parse_archive(io.BytesIO(record), "x.warc", IngestLimits()))
    assert [(i.path, i.reason.split(":")[0]) for i in items if isinstance(i, Skipped)] == [
        ("x.warc#1", "archive unreadable from record 1 on")
    ]


def test_an_archive_without_pages_is_reported() -> None:
    record = b"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://x/\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n"
    assert list(parse_archive(io.BytesIO(record), "x.warc", IngestLimits())) == [
        Skipped("x.warc", "no HTML pages among its 1 records")
    ]
