"""The I/O edge of ingest: find input files, read them safely, dispatch by format."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfuse.ingest.jsonl import parse_jsonl
from newsfuse.ingest.normalize import SNIFF_BYTES, IngestError, check_not_binary, decode
from newsfuse.ingest.text import parse_text_article
from newsfuse.records import Article, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
JSONL_SUFFIXES = frozenset({".jsonl"})
MAX_ARTICLE_BYTES = 5_000_000


@dataclass(frozen=True)
class IngestResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def read_inputs(paths: Iterable[Path]) -> IngestResult:
    """Read every article under ``paths``; each bad input becomes a Skipped, never an exception."""
    items = list(_read_all(paths))
    kept, duplicates = first_id_wins(item for item in items if isinstance(item, Article))
    skipped = [item for item in items if isinstance(item, Skipped)]
    return IngestResult(tuple(kept), tuple(skipped + duplicates))


def first_id_wins(articles: Iterable[Article]) -> tuple[list[Article], list[Skipped]]:
    """Keep the first article read with each id; report the later ones."""
    kept: dict[str, Article] = {}
    duplicates = []
    for article in articles:
        if article.id in kept:
            first = kept[article.id].path or "an earlier input"
            duplicates.append(
                Skipped(article.path or "", f"duplicate article id {article.id!r} (first read from {first})")
            )
        else:
            kept[article.id] = article
    return list(kept.values()), duplicates


def _read_all(paths: Iterable[Path]) -> Iterator[Article | Skipped]:
    for item in expand_inputs(paths):
        if isinstance(item, Skipped):
            yield item
        else:
            yield from read_file(item)


def expand_inputs(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """Every input file in reading order: folders recursively and sorted, hidden files left out."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
        elif path.exists():
            yield path
        else:
            yield Skipped(str(path), "no such file or folder")


def read_file(path: Path) -> Iterator[Article | Skipped]:
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            yield parse_text_article(_read_text(path, MAX_ARTICLE_BYTES), str(path))
        elif suffix in JSONL_SUFFIXES:
            yield from _read_jsonl(path)
        else:
            yield Skipped(str(path), f"unsupported file type {suffix or '(no suffix)'!r}")
    except IngestError as err:
        yield Skipped(str(path), str(err))
    except OSError as err:
        yield Skipped(str(path), f"cannot read: {err.strerror or err}")


def _read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    with path.open("rb") as handle:
        check_not_binary(handle.read(SNIFF_BYTES))
        handle.seek(0)
        yield from parse_jsonl(handle, str(path))


def _read_text(path: Path, limit: int) -> str:
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty file")
    if size > limit:
        raise IngestError(f"file too large ({size} bytes; limit {limit})")
    data = path.read_bytes()
    check_not_binary(data[:SNIFF_BYTES])
    return decode(data)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)
