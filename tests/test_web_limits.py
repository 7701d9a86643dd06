"""The write API's limits on a real server: body size in every transfer encoding, one write at a time, tokens."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsfuse.ingest.jsonl import MAX_LINE_BYTES
from newsfuse.web import create_app
from newsfuse.web.limits import WRITE_RETRY_AFTER_S
from newsfuse.web.reader import Record
from newsfuse.web.writes import LiveStories

TOKEN = "s3cret"
POSTED = {"id": "posted", "title": "Floods", "text": "Heavy rain flooded the valley on Friday.", "source": "o"}
NEWSFUSE = str(Path(sys.executable).with_name("newsfuse"))


class HeldStories(LiveStories):
    """The served stories, with each write held until ``release`` is set: a parse that takes long."""

    def __init__(self, document: Record) -> None:
        super().__init__(document)
        self.started = threading.Event()
        self.release = threading.Event()

    def add_article(self, fields: dict[str, Any]) -> Record:
        self.started.set()
        self.release.wait(timeout=30)
        return super().add_article(fields)


def chunks(total: int, size: int = 1 << 16) -> Iterator[bytes]:
    """A JSON body of ``total`` bytes, sent with no Content-Length (chunked transfer encoding)."""
    yield b'{"text": "'
    for _ in range(total // size):
        yield b"a" * size
    yield b'"}'


@pytest.fixture
def client(seed_document: dict[str, Any], serve_app: Any) -> Iterator[httpx.Client]:
    app = create_app(LiveStories(seed_document), allow_writes=True, write_token=TOKEN)
    with serve_app(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client


def test_a_chunked_body_over_the_limit_is_refused_as_it_arrives(client: httpx.Client) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    try:
        response = client.post("/api/articles", content=chunks(4 * MAX_LINE_BYTES), headers=auth)
        assert response.status_code == 413 and "request body over" in response.json()["detail"]
    except httpx.TransportError:
        pass  # the server may close the connection before the client is done sending: nothing was parsed either
    assert client.get("/api/articles/posted").status_code == 404
    small = client.post("/api/articles", content=iter([json.dumps(POSTED).encode()]), headers=auth)
    assert small.status_code == 201, small.text
    declared = client.post("/api/articles", content=b"x" * (MAX_LINE_BYTES + 1), headers=auth)
    assert declared.status_code == 413


def test_the_bearer_scheme_is_matched_in_any_case(client: httpx.Client) -> None:
    for scheme in ("bearer", "BEARER"):
        posted = {**POSTED, "id": f"posted-{scheme}"}
        response = client.post("/api/articles", json=posted, headers={"Authorization": f"{scheme} {TOKEN}"})
        assert response.status_code == 201, response.text
    wrong = client.post("/api/articles", json={**POSTED, "id": "x"}, headers={"Authorization": f"Basic {TOKEN}"})
    assert wrong.status_code == 401


def test_a_second_write_while_one_parses_is_told_to_come_back(seed_document: dict[str, Any], serve_app: Any) -> None:
    stories = HeldStories(seed_document)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with (
        serve_app(create_app(stories, allow_writes=True, write_token=TOKEN)) as url,
        httpx.Client(base_url=url, timeout=60) as client,
        ThreadPoolExecutor(1) as pool,
    ):
        first = pool.submit(client.post, "/api/articles", json=POSTED, headers=auth)
        assert stories.started.wait(timeout=30)
        busy = client.post("/api/articles", json={**POSTED, "id": "second"}, headers=auth)
        assert busy.status_code == 503 and busy.headers["retry-after"] == str(WRITE_RETRY_AFTER_S)
        assert client.get("/api/stories").status_code == 200  # reads go on
        stories.release.set()
        assert first.result().status_code == 201
        assert client.post("/api/articles", json={**POSTED, "id": "second"}, headers=auth).status_code == 201


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_port_0_prints_the_bound_port_and_create_starts_an_empty_store(tmp_path: Path, workers: str) -> None:
    db = tmp_path / "new.db"
    command = [NEWSFUSE, "serve", "--db", str(db), "--create", "--port", "0", "--workers", workers]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        found = re.search(r"on http://127\.0\.0\.1:(\d+)/", line)
        assert found and found.group(1) != "0", line
        stories = httpx.get(f"http://127.0.0.1:{found.group(1)}/api/stories", timeout=30).json()
        assert stories["total"] == 0 and db.exists()
    finally:
        process.terminate()
        process.communicate(timeout=30)
