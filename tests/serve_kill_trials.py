"""SIGKILL ``newsfuse serve --db --allow-writes`` while it takes POSTed articles, at seeded random moments.

Run by tests/test_store_crash.py as ``python -m tests.serve_kill_trials INBOX``. As in
tests/kill_trials.py, this process loads spaCy once and forks each server as a real child
process running the real command line, on a real port. It POSTs the inbox's articles one at
a time, as a client would, while the server threads its stories in the background every
0.1 s. Each kill is drawn from the trial's own progress, not from a clock that a busy machine
would outrun: after a seeded random number of POSTs answered 201 (0 to all but one), a timer
SIGKILLs the server a random delay later, 0 to 1.5 times an uninterrupted run's mean POST, so the
kill lands in that POST, in the threading between POSTs, or in the next POST. Then each trial checks that:

1. ``newsfuse check`` passes, and the store holds the articles answered 201 and perhaps the one in flight;
2. a restarted server serves what a server on a store that got exactly those articles serves
   (snapshots of an uninterrupted run after each 201);
3. re-POSTing the rest gets 201 each (409 for the one in flight when it was stored), and after a
   stop and another start the store equals the uninterrupted run's, every row of every table.

With ``--postgres SERVER_URL`` every store is a new database on that server, and the store of the
first N articles is made by POSTing them to a server of its own (SQLite's are snapshots, taken
with its backup API, of the uninterrupted run). One JSON line per trial on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from newsfuse.ingest.files import read_inputs
from newsfuse.records import arrival_order
from newsfuse.store import Store

from .kill_trials import Places, each_trial, finish, run, spawn, warm_up
from .test_store import dump

THREAD_EVERY = "0.1s"
"""Threaded this often, the stories are threaded between most POSTs: kills land in threading too."""
SERVING = re.compile(r" on (http://127\.0\.0\.1:\d+)/ ")
FIELDS = ("id", "title", "text", "source", "published", "url", "lang")
Bodies = list[dict[str, Any]]


def post_bodies(inbox: Path) -> Bodies:
    """The inbox's articles as POST bodies, in the order ``add`` would store them."""
    articles = sorted(read_inputs([inbox]).articles, key=arrival_order)
    return [{name: getattr(a, name) for name in FIELDS if getattr(a, name) is not None} for a in articles]


class Server:
    """A forked ``newsfuse serve --db DB --create --allow-writes --port 0`` child."""

    def __init__(self, db: str, log: Path) -> None:
        args = ["serve", "--db", db, "--create", "--allow-writes", "--port", "0", "--thread-every", THREAD_EVERY]
        self.log = log
        self.pid = spawn(args, log)
        self.status: int | None = None

    def origin(self, gone: Callable[[], bool]) -> str | None:
        """Its address, from the start line it prints once it listens; None once ``gone()``."""
        while not (found := SERVING.search(self.log.read_text(encoding="utf-8", errors="replace"))):
            if gone():
                return None
            time.sleep(0.005)
        return found[1]

    def ended(self) -> bool:
        """Whether it exited (reaping it): a server that fails to start must not be waited for."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            self.status = os.waitstatus_to_exitcode(status) if pid else None
        return self.status is not None

    def stop(self) -> None:
        """SIGTERM, as a service manager stops it; uvicorn shuts down and raises the signal again."""
        if not self.ended():
            os.kill(self.pid, signal.SIGTERM)
            self.status = finish(self.pid)
        assert self.status in (0, -signal.SIGTERM), self.log.read_text(encoding="utf-8")


@contextmanager
def serving(db: str, log: Path) -> Iterator[httpx.Client]:
    """A server on ``db`` that must start, a client of it, and a stop at the end."""
    server = Server(db, log)
    try:
        origin = server.origin(server.ended)
        assert origin, log.read_text(encoding="utf-8")
        with httpx.Client(base_url=origin, timeout=60) as client:
            yield client
    finally:
        server.stop()


def served(client: httpx.Client, bodies: Bodies) -> dict[str, str]:
    """What readers get: the story list, each story and thread, each posted article (or its 404),
    the stories' feed; the server's own address left out, as it differs between servers."""
    listed = client.get("/api/stories", params={"limit": 100}).json()["items"]
    paths = ["/api/stories?limit=100", "/feeds/stories.atom"]
    paths += [f"/api/stories/{story['id']}" for story in listed]
    paths += sorted({f"/api/threads/{story['thread_id']}" for story in listed if story["thread_id"]})
    paths += [f"/api/articles/{body['id']}" for body in bodies]
    return {path: client.get(path).text.replace(str(client.base_url).rstrip("/"), "") for path in paths}


def post_in_turn(origin: str, bodies: Bodies, before: Callable[[int], None]) -> int:
    """POST ``bodies`` one after another until the server is gone, calling ``before(number)``
    ahead of each: how many were answered 201."""
    with httpx.Client(base_url=origin, timeout=60) as client:
        for number, body in enumerate(bodies):
            before(number)
            try:
                answer = client.post("/api/articles", json=body)
            except httpx.TransportError:
                return number
            assert answer.status_code == 201, answer.text
    return len(bodies)


class Prefixes:
    """An uninterrupted run's store after each answered POST, per count of articles, and what a
    server started on each serves: the store and answers of exactly them."""

    def __init__(self, bodies: Bodies, folder: Path, places: Places) -> None:
        """Runs the reference; ``post_seconds`` is its mean time from a POST to its 201."""
        self.bodies, self.folder, self.places = bodies, folder, places
        self._known: dict[int, tuple[dict[str, str], dict[str, Any]]] = {}
        db = places.store(folder / "reference.db")
        with serving(db, folder / "reference.log") as client:
            self._snapshot(db, 0)
            posting = 0.0
            for number, body in enumerate(bodies, start=1):
                started = time.monotonic()
                answer = client.post("/api/articles", json=body)
                posting += time.monotonic() - started
                assert answer.status_code == 201, answer.text
                self._snapshot(db, number)
            self.post_seconds = posting / len(bodies)

    def _snapshot(self, db: str, count: int) -> None:
        """A consistent copy of what is committed (SQLite's backup), taken while the server runs."""
        if self.places.server is None:
            with closing(sqlite3.connect(db)) as source, closing(sqlite3.connect(self._path(count))) as copy:
                source.backup(copy)

    def _path(self, count: int) -> Path:
        return self.folder / f"prefix-{count}.db"

    def _store(self, count: int) -> str:
        """The store of the first ``count`` articles: the snapshot, or on PostgreSQL a new database
        given them by a server of its own."""
        if self.places.server is None:
            return str(self._path(count))
        db = self.places.store(self._path(count))
        with serving(db, self.folder / "prefix.log") as client:
            for body in self.bodies[:count]:
                assert client.post("/api/articles", json=body).status_code == 201
        return db

    def expected(self, count: int) -> tuple[dict[str, str], dict[str, Any]]:
        """What a server started on the store of the first ``count`` articles serves, and that store's
        rows after the start (which rebuilds and threads what it must)."""
        if count not in self._known:
            db = self._store(count)
            with serving(db, self.folder / "prefix.log") as client:
                answers = served(client, self.bodies)
            self._known[count] = answers, dump(db)
        return self._known[count]


def posted_until_killed(kill: Kill, bodies: Bodies, db: str, log: Path) -> int:
    """POST ``bodies`` in turn to a server that a timer SIGKILLs ``kill.delay`` seconds after
    ``kill.after`` of them were answered: how many were answered 201 before it died."""
    server = Server(db, log)
    origin = server.origin(server.ended)
    assert origin, log.read_text(encoding="utf-8")
    killer = threading.Timer(kill.delay, os.kill, (server.pid, signal.SIGKILL))

    def arm(number: int) -> None:
        if number == kill.after:
            killer.start()

    try:
        return post_in_turn(origin, bodies, arm)
    finally:
        if killer.ident is None:  # the POSTs failed before the kill was armed
            killer.start()
        killer.join()
        finish(server.pid)


def stored_ids(db: str, bodies: Bodies) -> list[str]:
    """The posted articles the store holds, in posting order."""
    store = Store(db)
    try:
        return [body["id"] for body in bodies if store.has_article(body["id"])]
    finally:
        store.close()


def repost(client: httpx.Client, bodies: Bodies) -> list[int]:
    """A client's recovery: POST again what was not answered 201; 409 means it was stored."""
    return [client.post("/api/articles", json=body).status_code for body in bodies]


@dataclass(frozen=True)
class Kill:
    """When a trial's SIGKILL comes: ``delay`` seconds after the ``after``-th 201 (0: before the first POST)."""

    after: int
    delay: float

    @classmethod
    def drawn(cls, chooser: random.Random, posts: int, post_seconds: float) -> Kill:
        return cls(chooser.randrange(posts), chooser.uniform(0, post_seconds * 1.5))


def trial(kill: Kill, bodies: Bodies, path: Path, prefixes: Prefixes) -> dict[str, Any]:
    log, db = path.with_suffix(".log"), prefixes.places.store(path)
    answered = posted_until_killed(kill, bodies, db, log)
    ids = [body["id"] for body in bodies]
    outcome: dict[str, Any] = {"kill_after": kill.after, "delay": round(kill.delay, 3), "answered": answered}
    outcome["check"] = run(["check", "--db", db], log)
    stored = stored_ids(db, bodies)
    outcome["stored"] = len(stored)
    outcome["committed"] = stored in (ids[:answered], ids[: answered + 1])
    with serving(db, log) as client:
        outcome["served_equal"] = served(client, bodies) == prefixes.expected(len(stored))[0]
        outcome["reposted"] = repost(client, bodies[answered:])
    outcome["check_after"] = run(["check", "--db", db], log)
    with serving(db, log) as client:
        outcome["served_after_equal"] = served(client, bodies) == prefixes.expected(len(bodies))[0]
    outcome["equal"] = dump(db) == prefixes.expected(len(bodies))[1]
    return outcome


def main_loop(inbox: Path, trials: int, seed: int, folder: Path, places: Places) -> None:
    warm_up(inbox, folder)
    bodies = post_bodies(inbox)
    prefixes = Prefixes(bodies, folder, places)
    print(json.dumps({"post_seconds": round(prefixes.post_seconds, 3), "articles": len(bodies)}), flush=True)

    def one(number: int, chooser: random.Random, db: Path) -> dict[str, Any]:
        return trial(Kill.drawn(chooser, len(bodies), prefixes.post_seconds), bodies, db, prefixes)

    each_trial(trials, seed, folder, one)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("inbox", type=Path)
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", help="A PostgreSQL server's URL: stores are new databases there.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        main_loop(options.inbox, options.trials, options.seed, Path(workdir), Places(options.postgres))
