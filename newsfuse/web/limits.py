"""Limits on what one request may cost: body size in every transfer encoding, one write at a time;
HEAD answered as GET without the body; and the headers and error answer every response gets.

These are plain ASGI middleware: with Starlette's ``BaseHTTPMiddleware`` (``@app.middleware``)
for the headers, a request cost the server a third more CPU (docs/reliability.md)."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from fastapi import HTTPException, Request, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WRITE_RETRY_AFTER_S = 5
"""Retry-After of a write refused because another one is being parsed."""


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"request body over {limit} bytes")


class BodyLimit:
    """Answer 413 to a body over ``limit`` bytes, declared or not (chunked transfer encoding).

    A declared ``Content-Length`` over the limit is refused before the app runs; otherwise
    the bytes are counted as they arrive and the read that passes the limit raises 413,
    so no more than ``limit`` bytes (plus one network read) are ever held.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await _refuse(send, self.limit)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise too_large(self.limit)
            return message

        await self.app(scope, counted, send)


async def _refuse(send: Send, limit: int) -> None:
    body = f'{{"detail":"request body over {limit} bytes"}}'.encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class WriteGate:
    """One write at a time: a second one, while the first parses, is refused with 503 at once.

    Parsing takes seconds and memory in proportion to the article; queueing writes would let
    one client hold every worker thread, so a busy server says when to come back instead.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @contextmanager
    def held(self) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            raise HTTPException(
                503, "another article is being added; try again shortly", {"Retry-After": str(WRITE_RETRY_AFTER_S)}
            )
        try:
            yield
        finally:
            self._lock.release()


def bearer_matches(authorization: str | None, token: str) -> bool:
    """``Authorization: Bearer TOKEN``, the scheme in any case (RFC 7235), compared in constant time."""
    scheme, _, given = (authorization or "").strip().partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


class HeadAsGet:
    """Answer ``HEAD`` on every ``GET`` route: run the request as ``GET`` and send the headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class Guarded:
    """Add ``headers`` to every response, and answer ``failed(request)`` (which logs) for an exception
    that reaches here before a response has started; one after it has started is raised on."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str], failed: Callable[[Request], Response]) -> None:
        self.app, self.headers, self.failed = app, headers, failed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message).update(self.headers)
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            if started:
                raise
            await self.failed(Request(scope))(scope, receive, with_headers)
