"""Real-looking inputs built from the seed articles: HTML pages, feeds, WARC archives, a web server."""

from __future__ import annotations

import html
import io
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.ingest.text import parse_text_article

from .conftest import SAMPLES

SEED_A = SAMPLES / "outlet-a-trump-kim-second-summit.md"
SEED_B = SAMPLES / "outlet-b-trump-kim-second-summit.md"


@dataclass(frozen=True)
class Seed:
    title: str
    paragraphs: tuple[str, ...]
    published: str

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def seed(path: Path) -> Seed:
    article = parse_text_article(path.read_text(encoding="utf-8"), str(path))
    return Seed(article.title, tuple(article.text.split("\n")), str(article.published))


def news_page(
    story: Seed,
    site: str = "Outlet A News",
    published: str | None = "2019-01-18T10:00:00+05:30",
    author: str = "Jane Reporter",
    head_extra: str = "",
) -> bytes:
    """A page as news sites publish it: JSON-LD, Open Graph, navigation, the article, a footer."""
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": site},
    }
    if published:
        ld["datePublished"] = published
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(story.title)} | {html.escape(site)}</title>
<meta property="og:site_name" content="{html.escape(site)}">
<script type="application/ld+json">{json.dumps(ld)}</script>{head_extra}
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>{html.escape(story.title)}</h1>
<p class="byline">By {html.escape(author)}</p>
{body}</article>
<aside><h2>Most read</h2><ul><li><a href="/x">Weather warning for the weekend</a></li></ul></aside>
<footer><p>Copyright 2019 {html.escape(site)}. All rights reserved.</p></footer>
</body></html>""".encode()


def rss_feed(title: str, items: list[dict[str, str]]) -> bytes:
    """RSS 2.0 with HTML descriptions, as most news sites publish."""
    entries = "".join(
        f"<item><title>{html.escape(item['title'])}</title><link>{html.escape(item['link'])}</link>"
        f"<guid>{html.escape(item['link'])}</guid>"
        f"<pubDate>{item['pubDate']}</pubDate>"
        f"<description>{html.escape(item['description'])}</description></item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>https://outlet.example/</link>"
        f"<description>News</description>{entries}</channel></rss>"
    ).encode()


def rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso).replace(tzinfo=UTC))


def rss_item(story: Seed, link: str, paragraphs: int = 2) -> dict[str, str]:
    description = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs[:paragraphs])
    return {"title": story.title, "link": link, "pubDate": rfc822(story.published), "description": description}


def warc_archive(pages: list[tuple[str, bytes]], gzip: bool = True, charset: str = "utf-8") -> bytes:
    """A crawl as warcio writes one: a request and a response record per page, plus an image."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "tests"}))
    for url, body in pages:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "outlet.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders("200 OK", [("Content-Type", f"text/html; charset={charset}")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    png = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    picture = writer.create_warc_record("https://outlet.example/a.png", "response", payload=png, http_headers=image)
    writer.write_record(picture)
    return out.getvalue()


@dataclass
class Site:
    """What a loopback web server serves, and the requests it saw."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[tuple[float, str, str]] = field(default_factory=list)
    conditions: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    """Per request: path, If-None-Match, If-Modified-Since."""
    delays: dict[str, float] = field(default_factory=dict)
    url: str = ""

    def page(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
        self.routes[path] = (200, {"Content-Type": content_type}, body)
        return self.url + path

    def validated_page(self, path: str, body: bytes, content_type: str, etag: str, last_modified: str) -> str:
        """A page that answers 304 to a request with its ETag or its Last-Modified date."""
        self.routes[path] = (200, {"Content-Type": content_type, "ETag": etag, "Last-Modified": last_modified}, body)
        return self.url + path

    def redirect(self, path: str, to: str) -> str:
        self.routes[path] = (302, {"Location": to}, b"")
        return self.url + path


@contextmanager
def serving_site() -> Iterator[Site]:
    """A real HTTP server on a free 127.0.0.1 port, in a thread."""
    site = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
            tag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            site.conditions.append((self.path, tag, since))
            status, headers, body = site.routes.get(self.path, (404, {}, b"not found"))
            etag_matches = tag is not None and tag == headers.get("ETag")
            date_matches = since is not None and since == headers.get("Last-Modified")
            if status == 200 and (etag_matches or date_matches):
                status, body = 304, b""
            time.sleep(site.delays.get(self.path, 0.0))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with suppress(ConnectionError):  # the client stopped reading: a size or time limit
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
