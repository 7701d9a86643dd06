"""Split the inputs into partitions that workers read independently.

A large JSONL file is cut into byte ranges at line starts, with the first line number of
each range counted here once, so that a worker reports a bad line as ``path:line``
exactly as ``run`` does, without reading the part of the file before its range.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newsfuse.ingest.files import JSONL_SUFFIXES, expand_inputs, read_file
from newsfuse.ingest.jsonl import parse_jsonl
from newsfuse.records import Article, Skipped

_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True)
class FileRange:
    """Bytes ``start``..``end`` of a JSONL file, beginning at line ``first_line``."""

    path: str
    start: int
    end: int
    first_line: int


@dataclass(frozen=True)
class InputPartition:
    """Work for one task: whole files and JSONL ranges, read in this order."""

    files: tuple[str, ...] = ()
    ranges: tuple[FileRange, ...] = ()
    skipped: tuple[Skipped, ...] = ()


def plan_partitions(paths: Iterable[Path], target_bytes: int) -> list[InputPartition]:
    """Group inputs into partitions of about ``target_bytes``, keeping the reading order of ``run``."""
    partitions: list[InputPartition] = []
    files: list[str] = []
    skipped: list[Skipped] = []
    size = 0

    def flush() -> None:
        nonlocal files, skipped, size
        if files or skipped:
            partitions.append(InputPartition(tuple(files), (), tuple(skipped)))
        files, skipped, size = [], [], 0

    for item in expand_inputs(paths):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        file_size = item.stat().st_size
        if item.suffix.lower() in JSONL_SUFFIXES and file_size > target_bytes:
            flush()
            partitions.extend(InputPartition(ranges=(r,)) for r in jsonl_ranges(item, target_bytes))
            continue
        files.append(str(item))
        size += file_size
        if size >= target_bytes:
            flush()
    flush()
    return partitions


def jsonl_ranges(path: Path, target_bytes: int) -> Iterator[FileRange]:
    """Cut a file into ranges of about ``target_bytes`` that start at line starts."""
    start, line = 0, 1
    position, lines_seen = 0, 1
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            offset = 0
            while (newline := chunk.find(b"\n", offset)) != -1:
                lines_seen += 1
                offset = newline + 1
                boundary = position + offset
                if boundary - start >= target_bytes:
                    yield FileRange(str(path), start, boundary, line)
                    start, line = boundary, lines_seen
            position += len(chunk)
    if position > start:
        yield FileRange(str(path), start, position, line)


def read_partition(partition: InputPartition) -> list[Article | Skipped]:
    items: list[Article | Skipped] = list(partition.skipped)
    for name in partition.files:
        items.extend(read_file(Path(name)))
    for file_range in partition.ranges:
        items.extend(_read_range(file_range))
    return items


def _read_range(file_range: FileRange) -> Iterator[Article | Skipped]:
    try:
        with open(file_range.path, "rb") as handle:
            handle.seek(file_range.start)
            lines = _lines_until(handle, file_range.end)
            yield from parse_jsonl(lines, file_range.path, file_range.first_line, whole_file=False)
    except OSError as err:
        yield Skipped(file_range.path, f"cannot read: {err.strerror or err}")


def _lines_until(handle: BinaryIO, end: int) -> Iterator[bytes]:
    while handle.tell() < end:
        line = handle.readline()
        if not line:
            return
        yield line
