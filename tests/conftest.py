"""Shared fixtures: the real sample articles parsed once per session, DUC runs, and a live server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from newsfuse.codec import result_document
from newsfuse.ingest import read_inputs
from newsfuse.nlp.parse import parse_articles
from newsfuse.pipeline import run_pipeline
from newsfuse.records import Article, ParsedArticle, RunResult

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "newsfuse" / "samples"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def sample_articles() -> tuple[Article, ...]:
    result = read_inputs([SAMPLES])
    assert not result.skipped
    return tuple(sorted(result.articles, key=lambda a: a.source or ""))


@pytest.fixture(scope="session")
def parsed_samples(sample_articles: tuple[Article, ...]) -> tuple[ParsedArticle, ...]:
    return tuple(parse_articles(sample_articles, len(sample_articles)))


def shared_data(name: str) -> Path:
    path = SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"evaluation data {path} is absent")
    return path


@pytest.fixture(scope="session")
def duc_dev_path() -> Path:
    return shared_data("duc2006-dev.jsonl")


@pytest.fixture(scope="session")
def tdt_dev_path() -> Path:
    return shared_data("duc-tdt-dev.jsonl")


@pytest.fixture(scope="session")
def ecbplus_dev_path() -> Path:
    return shared_data("ecbplus-dev.jsonl")


@pytest.fixture(scope="session")
def pirate_captures(ecbplus_dev_path: Path) -> list[dict[str, Any]]:
    """ECB+ topic 12, by id: 30 articles of two captures of Somali pirates by the Indian navy,
    which the online pass fuses into one story and the split parts."""
    records = [json.loads(line) for line in ecbplus_dev_path.read_text(encoding="utf-8").splitlines()]
    return sorted((record for record in records if record["topic"] == 12), key=lambda record: record["id"])


@pytest.fixture(scope="session")
def duc_dev_run(duc_dev_path: Path) -> RunResult:
    """``run`` on DUC 2006 dev (500 articles): parsed once for every test that needs it."""
    ingested = read_inputs([duc_dev_path])
    return run_pipeline(ingested.articles, ingested.skipped)


HOSTILE_TEXT = (
    "Officials met on Friday. <script>window.__pwned = 'script'</script> They said talks would go on.\n"
    'A picture: <img src="x" onerror="window.__pwned = \'onerror\'"> of the envoy in Washington.\n'
    "<a href=\"javascript:window.__pwned='link'\" onclick=\"window.__pwned='onclick'\">Read more</a> about the summit."
)


def seed_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.md"))


def run_document(paths: list[Path]) -> dict[str, Any]:
    """stories.json for ``paths``, through the real ingest and pipeline."""
    ingested = read_inputs(paths)
    return result_document(run_pipeline(ingested.articles, ingested.skipped))


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    return seed_paths()


@pytest.fixture(scope="session")
def seed_document() -> dict[str, Any]:
    """The two seed articles (outlet-a, outlet-b) as one story."""
    return run_document(seed_paths())


@pytest.fixture(scope="session")
def hostile_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seeds plus an article whose title, text and url carry markup and script."""
    folder = tmp_path_factory.mktemp("hostile")
    line = {
        "id": "hostile",
        "title": "Envoy <b onmouseover=\"window.__pwned='title'\">visit</b>",
        "text": HOSTILE_TEXT,
        "source": "outlet-x",
        "published": "2019-01-19",
        "url": "javascript:window.__pwned='url'",
    }
    (folder / "hostile.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    return run_document([*seed_paths(), folder / "hostile.jsonl"])


@pytest.fixture(scope="session")
def analysed_document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The seeds plus a republished copy of outlet-a's article, with the analysis keys added.

    The claims, contradictions, quotes, timeline and duplicates are the ones a reader finds
    in these articles; every span is located in the real text, never typed in as offsets.
    """
    folder = tmp_path_factory.mktemp("analysed")
    original = (SAMPLES / "outlet-a-trump-kim-second-summit.md").read_text(encoding="utf-8")
    republished = original.replace("source: outlet-a", "source: outlet-c").replace("reported PTI.", "PTI reported.")
    republished = republished.replace("published: 2019-01-18", "published: 2019-01-19")
    (folder / "outlet-c.md").write_text(republished, encoding="utf-8")
    document = run_document([*seed_paths(), folder / "outlet-c.md"])
    add_analysis(document)
    return document


def add_analysis(document: dict[str, Any]) -> None:
    articles = {a["source"]: a for a in document["articles"]}
    a, b, c = articles["outlet-a"], articles["outlet-b"], articles["outlet-c"]
    story = next(s for s in document["stories"] if a["id"] in s["article_ids"])
    sanders_a = span(a, "had very good steps", "continue those conversations.")
    sanders_b = span(b, "had very good steps", "other moves.")
    story["claims"] = [
        claim("c1", span(a, "The White House on Friday announced", "late February."), [a, b], "consensus"),
        claim("c2", span(b, "White House press secretary Sarah Sanders said", "second summit."), [b], "single_source"),
        claim("c3", span(b, "UN Secretary-General Antonio Guterres said", "peninsula."), [b], "single_source"),
        claim("c4", span(a, "State Department Deputy spokesperson", "working level."), [a], "single_source"),
    ]
    story["contradictions"] = [
        {"kind": "quote_wording", "claim_id": None, "variants": [sanders_a, sanders_b], "diff": "in -> and"}
    ]
    story["quotes"] = [
        {"id": "q1", "speaker": "Sarah Sanders", **sanders_a, "variant_of": None},
        {"id": "q2", "speaker": "Sarah Sanders", **sanders_b, "variant_of": "q1"},
        {"id": "q3", "speaker": "Antonio Guterres", **span(b, "it's high time", "it's high time"), "variant_of": None},
    ]
    story["timeline"] = [
        event("2018-06-12", "day", "First summit in Singapore", [span(a, "June 12"), span(b, "last June")]),
        event("2019-02", "month", "Second summit", [span(a, "late February"), span(b, "end of February")]),
    ]
    similarity = SequenceMatcher(a=a["text"], b=c["text"], autojunk=False).ratio()
    document["duplicates"] = [{"canonical": a["id"], "article_ids": [a["id"], c["id"]], "similarity": similarity}]


def span(article: dict[str, Any], first: str, last: str | None = None) -> dict[str, Any]:
    """The variant record of the text from ``first`` through ``last`` in the article."""
    text = article["text"]
    start = text.index(first)
    end = text.index(last or first, start) + len(last or first)
    return {"article_id": article["id"], "text": text[start:end], "start": start, "end": end}


def claim(claim_id: str, where: dict[str, Any], articles: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """A claim whose evidence is the sentence ``where`` of its first article."""
    ids = [x["id"] for x in articles]
    return {"id": claim_id, "text": where["text"], "article_ids": ids, "label": label, "evidence": [where]}


def event(when: str, granularity: str, text: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "date": when,
        "granularity": granularity,
        "text": text,
        "article_ids": [e["article_id"] for e in evidence],
        "evidence": [{k: e[k] for k in ("article_id", "start", "end")} for e in evidence],
    }


@pytest.fixture(scope="session")
def serve_app() -> Callable[[FastAPI], AbstractContextManager[str]]:
    """``with serve_app(app) as url:`` runs the app on a real server."""
    return serving


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` on a real uvicorn server on a free 127.0.0.1 port; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


POSTGRES_SCRIPT = REPO / "scripts" / "postgres-test-server.sh"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL server's URL: NEWSFUSE_TEST_POSTGRES, else one started for the session."""
    given = os.environ.get("NEWSFUSE_TEST_POSTGRES")
    if given:
        yield given
        return
    started = subprocess.run([str(POSTGRES_SCRIPT), "start"], capture_output=True, text=True, check=False)
    if started.returncode == 3:
        pytest.skip(f"PostgreSQL binaries are absent: {started.stderr.strip()}")
    assert started.returncode == 0, started.stderr
    url, folder = started.stdout.split()
    try:
        yield url
    finally:
        subprocess.run([str(POSTGRES_SCRIPT), "stop", folder], check=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store on each backend: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.db")
    import psycopg

    server: str = request.getfixturevalue("postgres_server")
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name
