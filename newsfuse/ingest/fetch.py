"""Fetching feeds and pages politely and safely, one URL at a time.

Only http(s); every hop of a redirect chain is checked again; hosts resolving to private,
loopback, link-local or otherwise non-global addresses are refused unless allowed (so a
feed cannot make newsfuse probe the local network); each host is asked at most once per
``host_interval_s``; a response stops at the size limit or the time limit, whichever comes first.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsfuse.ingest.normalize import IngestError
from newsfuse.ingest.options import FetchPolicy

_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class FetchError(IngestError):
    """A URL that could not be fetched; the message says why."""


@dataclass(frozen=True)
class Validators:
    """What a response said to ask again with, so that an unchanged resource answers 304 without a body."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """The conditional request headers."""
        given = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in given.items() if value}


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str | None = None
    validators: Validators | None = None
    """The response's ETag and Last-Modified, when it has either."""
    not_modified: bool = False
    """304 to a conditional request: no content, the resource is as it was."""


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


class Fetcher:
    """An HTTP client with per-host pacing; open it with ``with``, it creates its client on first use."""

    def __init__(
        self,
        policy: FetchPolicy,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._sleep = sleep
        self._last_request: dict[str, float] = {}
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            self._client.close()

    def get(self, url: str, max_bytes: int, validators: Validators | None = None) -> Fetched:
        """The body of ``url`` after at most ``max_redirects`` redirects, or FetchError.

        With ``validators`` the request is conditional, and a 304 answer is ``not_modified``.
        """
        headers = validators.headers() if validators else {}
        for _ in range(self.policy.max_redirects + 1):
            self.check_url(url)
            host = urlsplit(url).hostname or ""
            self._wait_for_host(host)
            try:
                location = self._request(url, max_bytes, headers)
            finally:
                self._last_request[host] = self._clock()
            if isinstance(location, Fetched):
                return location
            url = location
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'!r}")
        if not parts.hostname:
            raise FetchError("URL has no host")
        if not self.policy.allow_private:
            refuse_non_global(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))

    def _wait_for_host(self, host: str) -> None:
        """Pause so that ``host_interval_s`` separates the end of the last request to the host from this one."""
        last = self._last_request.get(host)
        if last is not None:
            self._sleep(max(0.0, last + self.policy.host_interval_s - self._clock()))

    def _request(self, url: str, max_bytes: int, headers: Mapping[str, str]) -> Fetched | str:
        """The response, or the next URL when it is a redirect."""
        deadline = self._clock() + self.policy.timeout_s
        try:
            with self._http().stream("GET", url, headers=headers) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    return urljoin(url, response.headers["location"])
                if response.status_code == 304 and headers:
                    return Fetched(url, b"", not_modified=True)
                if not response.is_success:
                    raise FetchError(f"HTTP {response.status_code}")
                content = self._read(response, max_bytes, deadline)
                return Fetched(url, content, response.headers.get("content-type"), _validators(response))
        except (httpx.HTTPError, httpx.InvalidURL) as err:
            raise FetchError(f"{type(err).__name__}: {err}") from None

    def _read(self, response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchError(f"response too large ({declared} bytes; limit {max_bytes})")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise FetchError(f"response too large (over {max_bytes} bytes)")
            if self._clock() > deadline:
                raise FetchError(f"response took longer than {self.policy.timeout_s:g} s")
        return bytes(body)

    def _http(self) -> httpx.Client:
        if self._client is None:
            transport = httpx.HTTPTransport(trust_env=False)
            if not self.policy.allow_private:
                # httpx has no parameter for the network backend of its connection pool.
                transport._pool._network_backend = GlobalOnlyBackend()
            self._client = httpx.Client(
                transport=transport,
                timeout=self.policy.timeout_s,
                follow_redirects=False,
                headers={"User-Agent": self.policy.user_agent},
                trust_env=False,
            )
        return self._client


def _validators(response: httpx.Response) -> Validators | None:
    etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
    return Validators(etag, modified) if etag or modified else None


def refuse_non_global(host: str, port: int) -> None:
    """FetchError unless every address ``host`` resolves to is a global unicast one."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as err:
        raise FetchError(f"cannot resolve {host}: {err}") from None
    for info in infos:
        if not is_global_address(str(info[4][0])):
            raise FetchError(f"{host} resolves to {info[4][0]}, a private or local address (see --allow-private)")


def is_global_address(text: str) -> bool:
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class GlobalOnlyBackend(httpcore.SyncBackend):
    """Checks the address each connection actually reached, before any byte is sent.

    The resolver check in ``check_url`` gives the clear message; this one closes the gap
    of a DNS answer that changes between that check and the connection (rebinding).
    """

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = super().connect_tcp(host, port, timeout, local_address, socket_options)
        peer = str(stream.get_extra_info("server_addr")[0])
        if not is_global_address(peer):
            stream.close()
            raise httpcore.ConnectError(f"{host} connected to {peer}, a private or local address")
        return stream
