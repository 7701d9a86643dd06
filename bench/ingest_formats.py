"""Ingest speed per format on real article text, against plain text in the same run.

Usage: .venv/bin/python bench/ingest_formats.py [--articles N] [--data PATH]

Each DUC 2006 dev article (read from ../shared/data at run time) is written as a news
page (JSON-LD, navigation, byline, related links, footer), as a Markdown file, as one RSS
entry and as a WARC response record. Prints articles/s per format, the ratio to Markdown,
and how often the text trafilatura extracts from a page equals the article's own text
(and the mean word recall when it does not).
"""

from __future__ import annotations

import argparse
import html
import io
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfuse.ingest import read_inputs
from newsfuse.ingest.language import detect_language
from newsfuse.ingest.normalize import clean_text

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "duc2006-dev.jsonl"


def page(article: dict[str, str]) -> bytes:
    ld = {"@type": "NewsArticle", "headline": article["title"], "datePublished": article.get("published") or ""}
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in article["text"].split("\n") if p.strip())
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(article["title"])} | {html.escape(article.get("source") or "News")}</title>
<script type="application/ld+json">{json.dumps(ld)}</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(article["title"])}</h1><p class="byline">By Staff Writer</p>{paragraphs}</article>
<aside><h2>Related</h2><ul><li><a href="/a">Markets close higher</a></li><li><a href="/b">Storm warning</a></li></ul>
</aside><footer>Copyright The News. All rights reserved.</footer></body></html>""".encode()


def write_formats(articles: list[dict[str, str]], root: Path) -> dict[str, Path]:
    folders = {name: root / name for name in ("markdown", "html", "rss", "warc")}
    for folder in folders.values():
        folder.mkdir()
    items, warc = [], io.BytesIO()
    writer = WARCWriter(warc, gzip=True)
    for number, article in enumerate(articles):
        (folders["markdown"] / f"{number:05}.md").write_text(f"{article['title']}\n{article['text']}\n", "utf-8")
        (folders["html"] / f"{number:05}.html").write_bytes(page(article))
        body = "".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n"))
        items.append(
            f"<item><title>{html.escape(article['title'])}</title><link>https://news.example/{number}</link>"
            f"<description>{html.escape(body)}</description></item>"
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        url = f"https://news.example/{number}"
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(page(article)), http_headers=headers)
        )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{"".join(items)}</channel></rss>'
    (folders["rss"] / "feed.rss").write_text(feed, encoding="utf-8")
    (folders["warc"] / "crawl.warc.gz").write_bytes(warc.getvalue())
    return folders


def timed(read: Callable[[], object]) -> float:
    start = time.perf_counter()
    read()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    lines = args.data.read_text(encoding="utf-8").splitlines()[: args.articles]
    articles = [json.loads(line) for line in lines if line.strip()]
    detect_language(articles[0]["text"])  # the language model is loaded before timing
    with tempfile.TemporaryDirectory() as tmp:
        folders = write_formats(articles, Path(tmp))
        seconds = {name: timed(lambda f=folder: read_inputs([f])) for name, folder in folders.items()}
        extracted = {Path(a.path or "").stem: a.text for a in read_inputs([folders["html"]]).articles}
    seconds["(language detection alone)"] = timed(lambda: [detect_language(a["text"]) for a in articles])
    baseline = len(articles) / seconds["markdown"]
    for name, took in seconds.items():
        rate = len(articles) / took
        print(f"{name:26} {rate:8.1f} articles/s  ({rate / baseline:.3f} x markdown)")
    exact, recalls = 0, []
    for number, article in enumerate(articles):
        want, got = clean_text(article["text"]), extracted.get(f"{number:05}", "")
        exact += want == got
        words = want.split()
        recalls.append(len(set(words) & set(got.split())) / max(1, len(set(words))))
    print(f"html text == article text: {exact}/{len(articles)}; mean word recall {sum(recalls) / len(recalls):.4f}")


if __name__ == "__main__":
    main()
