"""WARC and ARC archives, read record by record; each HTML response is one page.

The archive is never held in memory: records stream through warcio, and a gzipped archive
is decompressed here, member by member, under two limits (total bytes, compression ratio),
because warcio itself will inflate a bomb of a few hundred kilobytes into gigabytes.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from newsfuse.ingest.fields import article_from_fields, article_or_skipped
from newsfuse.ingest.html import html_fields
from newsfuse.ingest.normalize import IngestError
from newsfuse.ingest.options import IngestLimits
from newsfuse.records import Article, Skipped

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 64 * 1024
_RATIO_FLOOR = 1 << 20
"""A member may inflate this much whatever its ratio: tiny records compress very well."""


def is_archive(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def parse_archive(stream: BinaryIO, path: str, limits: IngestLimits) -> Iterator[Article | Skipped]:
    """An article or Skipped per HTML response record; a damaged archive ends with a Skipped."""
    gunzip = BoundedGunzip(stream, limits) if stream.read(2) == _GZIP_MAGIC else None
    stream.seek(0)
    number = pages = 0
    try:
        records = ArchiveIterator(io.BufferedReader(gunzip, _CHUNK) if gunzip else stream, arc2warc=True)
        for number, record in enumerate(records, start=1):
            if _is_html_response(record):
                pages += 1
                yield _record_article(record, f"{path}#{number}", limits)
    # AttributeError: warcio's answer to a record without a target URI;
    # OverflowError: to a Content-Length beyond what an index can hold
    except (
        ArchiveLoadFailed,
        StatusAndHeadersParserException,
        IngestError,
        zlib.error,
        EOFError,
        ValueError,
        AttributeError,
        OverflowError,
    ) as err:
        where = f"{path}#{number + 1}"
        yield Skipped(where, f"archive unreadable from record {number + 1} on: {_first_line(err)}")
    else:
        if not pages and not (gunzip and gunzip.truncated):
            yield Skipped(path, f"no HTML pages among its {number} records")
    if gunzip and gunzip.truncated:
        yield Skipped(path, "archive is truncated (it ends inside a gzip member)")


def _is_html_response(record: ArcWarcRecord) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return False
    return "html" in (record.http_headers.get_header("Content-Type") or "").lower()


def _record_article(record: ArcWarcRecord, where: str, limits: IngestLimits) -> Article | Skipped:
    """The page of a response record: its URL from the record, its date from the page only.

    ``WARC-Date`` is when the page was crawled, not published: it is kept as ``crawled``.
    """
    url = record.rec_headers.get_header("WARC-Target-URI")
    content_type = record.http_headers.get_header("Content-Type")
    crawled = record.rec_headers.get_header("WARC-Date")
    body = record.content_stream().read(limits.max_article_bytes + 1)
    if len(body) <= limits.max_article_bytes and getattr(record.raw_stream, "limit", 0) > 0:
        return Skipped(where, "record is truncated (the archive ends inside it)")

    def build() -> Article:
        fields: dict[str, Any] = html_fields(body, url, limits, content_type)
        return article_from_fields({**fields, "crawled": crawled} if crawled else fields, where)

    return article_or_skipped(where, build)


class BoundedGunzip(io.RawIOBase):
    """The decompressed bytes of a (multi-member) gzip stream; IngestError past the limits."""

    def __init__(self, raw: BinaryIO, limits: IngestLimits) -> None:
        self._raw = raw
        self._limits = limits
        self._inflater = zlib.decompressobj(wbits=31)
        self._member_in = self._member_out = self._total = 0
        self._pending = b""
        self.truncated = False
        """The stream ended inside a member: the last record read is incomplete."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            data = self._next_input()
            if not data:
                self.truncated = self._member_in > 0
                return 0
            self._pending = self._inflater.decompress(data, _CHUNK)
            left = len(self._inflater.unconsumed_tail) + len(self._inflater.unused_data)
            self._member_in += len(data) - left
            self._count(len(self._pending))
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _next_input(self) -> bytes:
        if self._inflater.eof:
            rest = self._inflater.unused_data
            self._inflater = zlib.decompressobj(wbits=31)
            self._member_in = self._member_out = 0
            return rest or self._raw.read(_CHUNK)
        return self._inflater.unconsumed_tail or self._raw.read(_CHUNK)

    def _count(self, produced: int) -> None:
        self._member_out += produced
        self._total += produced
        if self._total > self._limits.max_archive_bytes:
            raise IngestError(f"archive inflates past {self._limits.max_archive_bytes} bytes")
        ratio = self._limits.max_compression_ratio
        if self._member_out > max(_RATIO_FLOOR, ratio * self._member_in):
            raise IngestError(f"gzip member inflates more than {ratio}:1 (a decompression bomb?)")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().split("\n")[0] or type(error).__name__)[:200]
