"""The web protections on a real ``newsfuse serve --db`` process: escaping, CSP, writes, no stack traces."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from newsfuse.store import IncrementalPipeline, Store
from newsfuse.web.app import SECURITY_HEADERS

from .conftest import HOSTILE_TEXT, seed_paths

NEWSFUSE = str(Path(sys.executable).with_name("newsfuse"))
TOKEN = "s3cret-token"
HOSTILE = {
    "id": "hostile",
    "title": "Envoy <b onmouseover=\"alert('title')\">visit</b>",
    "text": HOSTILE_TEXT,
    "source": "outlet-x",
    "published": "2019-01-19",
    "url": "javascript:alert('url')",
}


LATE = {
    "id": "late-1",
    "title": "Zanzibar ferry schedule changes",
    "text": "The Zanzibar ferry now leaves at noon.",
    "source": "outlet-z",
    "published": "2019-02-01",
    "url": "https://example.org/ferry",
}


def late_file(folder: Path) -> Path:
    """An article on a subject no seed has: it makes a story of its own."""
    path = folder / "late.jsonl"
    path.write_text(json.dumps(LATE) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and a hostile article, added by the real command."""
    folder = tmp_path_factory.mktemp("served")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = folder / "store.db"
    inputs = [*map(str, seed_paths()), str(folder / "hostile.jsonl")]
    subprocess.run([NEWSFUSE, "add", *inputs, "--quiet", "--db", str(db)], check=True, capture_output=True)
    return db


@contextmanager
def serve(db: Path | str, *options: str, stderr: list[str] | None = None) -> Iterator[httpx.Client]:
    """``newsfuse serve --db`` (a SQLite file or a PostgreSQL URL) on a free loopback port, as a
    separate process; its stderr goes to ``stderr``."""
    with serving(db, *options) as (process, client):
        try:
            yield client
        finally:
            process.terminate()
            _, err = process.communicate(timeout=30)
            if stderr is not None:
                stderr.append(err)


@contextmanager
def serving(db: Path | str, *options: str) -> Iterator[tuple[subprocess.Popen[str], httpx.Client]]:
    """The server process, once it answers, and a client of it; killed if still running after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [NEWSFUSE, "serve", "--db", str(db), "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.monotonic() + 120
            while True:
                assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
                try:
                    client.get("/api/stories")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            yield process, client
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=30)


def test_the_access_log_follows_the_log_level_with_times(store_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs: dict[str, list[str]] = {"info": [], "warning": []}
    for level, log in logs.items():
        monkeypatch.setenv("NEWSFUSE_LOG_LEVEL", level)
        with serve(store_file, stderr=log) as client:
            assert client.get("/").status_code == 200
    access = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO uvicorn.access: 127.0.0.1:\d+ - \"GET / HTTP/1.1\" 200"
    assert re.search(access, logs["info"][0]), logs["info"]
    assert "uvicorn" not in logs["warning"][0] and "GET" not in logs["warning"][0], logs["warning"]


def test_article_text_is_escaped_under_a_strict_csp(store_file: Path) -> None:
    with serve(store_file) as client:
        story = client.get("/api/stories", params={"article": "hostile"}).json()["items"][0]
        for path in ("/", "/?q=envoy", f"/stories/{story['id']}", "/articles/hostile"):
            page = client.get(path)
            assert page.status_code == 200
            for header, value in SECURITY_HEADERS.items():
                assert page.headers[header] == value
            for raw in ("<script", "<img", "<b onmouseover", '<a href="javascript:', 'href="javascript:'):
                assert raw not in page.text, (path, raw)
        article = client.get("/articles/hostile").text
        assert "&lt;/script&gt;" in article and "&lt;b onmouseover=" in article


def test_writes_are_off_by_default_and_need_the_token_when_on(store_file: Path) -> None:
    posted = {"id": "posted", "title": "Floods", "text": "Heavy rain flooded the valley on Friday.", "source": "o"}
    with serve(store_file) as client:
        assert client.post("/api/articles", json=posted).status_code == 403
    with serve(store_file, "--allow-writes", "--write-token", TOKEN) as client:
        assert client.post("/api/articles", json=posted).status_code == 401
        wrong = client.post("/api/articles", json=posted, headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"] == "Bearer"
        created = client.post("/api/articles", json=posted, headers={"Authorization": f"Bearer {TOKEN}"})
        assert created.status_code == 201, created.text
    store = Store(str(store_file))
    try:
        assert store.has_article("posted")
    finally:
        store.close()


def test_a_failing_handler_answers_a_plain_500(store_file: Path, tmp_path: Path) -> None:
    """A stored story with a date's offsets and an entity's count that are not numbers: handlers fail on them."""
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(store_file.read_bytes())
    store = Store(str(damaged))
    try:
        [(story_id, record)] = store.db.rows("SELECT id, record FROM stories WHERE article_ids LIKE '%hostile%'")
        story = json.loads(record)
        evidence = {"article_id": "hostile", "text": "Friday", "start": "x", "end": "y"}
        event = {"date": None, "granularity": None, "modifier": None, "expression": "Friday", "text": "Friday"}
        story["timeline"] = [{**event, "article_ids": ["hostile"], "evidence": [evidence]}]
        story["entities"][0]["count"] = "many"
        store.db.execute("UPDATE stories SET record = ? WHERE id = ?", (json.dumps(story), story_id))
        IncrementalPipeline(store)  # the store still opens
    finally:
        store.close()
    with serve(damaged) as client:
        page = client.get("/articles/hostile?all=1")  # every span the stories use, the bad one too
        assert page.status_code == 500 and "internal server error" in page.text
        assert page.headers["content-type"].startswith("text/html")
        assert "Traceback" not in page.text and "Error" not in page.text
        assert page.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
        record = client.get(f"/api/stories/{story_id}")  # the API passes a record through as stored
        assert (record.status_code, record.json()["entities"][0]["count"]) == (200, "many")
        assert client.get("/").status_code == 200, "the server goes on serving"


def test_an_article_added_by_another_process_is_served_without_restart(tmp_path: Path) -> None:
    """``newsfuse add`` in its own process while the server answers a stream of requests: every
    answer is whole (each listed story and article resolves), and the new article's story is
    served as soon as the add has returned, by the same server process."""
    db = tmp_path / "store.db"
    first, second = seed_paths()
    subprocess.run([NEWSFUSE, "add", str(first), "--quiet", "--db", str(db)], check=True, capture_output=True)
    late_file(tmp_path)
    with serve(db) as client:
        assert client.get("/api/search", params={"q": "zanzibar"}).json()["total"] == 0
        assert "outlet-z" not in client.get("/").text  # kept rendered until the store changes
        adding = subprocess.Popen(
            [NEWSFUSE, "add", str(second), str(tmp_path / "late.jsonl"), "--quiet", "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        answers = 0
        while adding.poll() is None or answers == 0:
            listed = client.get("/api/stories", params={"limit": 100})
            assert listed.status_code == 200
            for story in listed.json()["items"]:
                assert client.get(story["url"]).status_code == 200
                for article_id in story["article_ids"]:
                    assert client.get(f"/api/articles/{article_id}").status_code == 200
            answers += 1
        assert adding.wait() == 0, adding.stderr.read() if adding.stderr else ""
        found = client.get("/api/stories", params={"article": "late-1"}).json()
        assert found["total"] == 1 and found["items"][0]["article_ids"] == ["late-1"]
        for word in ("Zanzibar", "zanzibar"):  # the second asked before the add too
            assert [s["id"] for s in client.get("/api/search", params={"q": word}).json()["items"]] == [
                found["items"][0]["id"]
            ]
        assert "outlet-z" in client.get("/").text
        [summit] = client.get("/api/stories", params={"outlet": "outlet-b"}).json()["items"]
        assert len(summit["article_ids"]) == 2 and summit["thread_id"]


def test_workers_serve_one_store_and_each_sees_the_others_writes(tmp_path: Path) -> None:
    """``--workers 2``: two server processes answer on one port; an article POSTed to either is
    served by both at once; SIGTERM stops them all, and a worker that dies stops the service."""
    db = tmp_path / "store.db"
    subprocess.run([NEWSFUSE, "add", str(seed_paths()[0]), "--quiet", "--db", str(db)], check=True, capture_output=True)
    with serving(db, "--workers", "2", "--allow-writes") as (process, client):
        workers = worker_pids(process.pid)
        assert len(workers) == 2
        assert client.post("/api/articles", json=LATE).status_code == 201
        for _ in range(20):  # new connections, taken by either worker
            with httpx.Client(base_url=client.base_url, timeout=60) as fresh:
                assert fresh.get("/api/search", params={"q": "zanzibar"}).json()["total"] == 1
        process.terminate()
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    with serving(db, "--workers", "2") as (process, client):
        os.kill(worker_pids(process.pid)[0], signal.SIGKILL)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 1 and "a server worker ended" in err, err


def worker_pids(parent: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{parent}/task/{parent}/children").read_text().split()]
