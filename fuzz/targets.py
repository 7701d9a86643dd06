"""Fuzz targets: each feeds arbitrary bytes to one parser or normaliser and checks its contract.

The contract of every input parser: whatever the bytes, it returns articles or reports the
input as skipped, with the path and a reason; no other exception escapes. Pure normalisers
must return well-formed values (spans inside the text, ISO dates). A broken contract raises
``AssertionError`` or the escaping exception, which the fuzzer reports as a crash.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["newsfuse"]):
    from newsfuse.analyze.quantities import quantities
    from newsfuse.analyze.quotes import quote_marks
    from newsfuse.analyze.timeline import resolve_in_sentence
    from newsfuse.ingest.files import read_file
    from newsfuse.ingest.normalize import IngestError, clean_text, normalize_published
    from newsfuse.nlp.parse import article_pieces
    from newsfuse.records import Article, Skipped

Target = Callable[[bytes], None]
FILE_SUFFIXES = (".md", ".txt", ".jsonl", ".html", ".rss", ".atom", ".warc", ".warc.gz")
SCRATCH_VARIABLE = "NEWSFUSE_FUZZ_SCRATCH"


@functools.cache
def _scratch() -> Path:
    """The folder file targets write their input to: the runner's (libFuzzer ends the process
    without clean-up, so the runner, which outlives it, removes it), else a new one."""
    return Path(os.environ.get(SCRATCH_VARIABLE) or tempfile.mkdtemp(prefix="newsfuse-fuzz-"))


def read_file_target(suffix: str) -> Target:
    """Bytes saved as a file of this type and read through the real file edge of ingest."""

    def target(data: bytes) -> None:
        path = _scratch() / f"input{suffix}"
        path.write_bytes(data)
        for item in read_file(path):
            if isinstance(item, Skipped):
                assert item.path.startswith(str(path)) and item.reason.strip(), item
            else:
                assert isinstance(item, Article) and item.id and item.text.strip(), item

    return target


def published_target(data: bytes) -> None:
    value = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(64)
    try:
        published = normalize_published(value)
    except IngestError as err:
        assert str(err)
        return
    assert published is None or date.fromisoformat(published[:10])


def clean_text_target(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4096)
    once = clean_text(text)
    assert clean_text(once) == once


def timeline_target(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    published = date.min + timedelta(days=provider.ConsumeIntInRange(0, (date.max - date.min).days))
    text = provider.ConsumeUnicodeNoSurrogates(1024)
    for start, end, resolved in resolve_in_sentence(text, published):
        assert 0 <= start < end <= len(text)
        assert (resolved.date is None) == (resolved.granularity is None), resolved
        if resolved.date:
            assert _well_formed(resolved.date, resolved.granularity), resolved


def _well_formed(value: str, granularity: str | None) -> bool:
    if granularity in ("day", "week"):
        return date.fromisoformat(value).isoformat() == value
    if granularity == "month":
        return re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) is not None
    return granularity == "year" and re.fullmatch(r"\d{4}", value) is not None


def quotes_target(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(4096)
    for found in quote_marks(text):
        assert 0 <= found.start < found.end <= len(text)
        for start, end in found.parts:
            assert found.start <= start <= end <= found.end


def quantities_target(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(2048)
    for quantity in quantities(text):
        assert 0 <= quantity.start < quantity.end <= len(text) and quantity.unit


def pieces_target(data: bytes) -> None:
    """Long-article pieces: consecutive, within the limit, covering the text, never empty."""
    provider = atheris.FuzzedDataProvider(data)
    limit = provider.ConsumeIntInRange(1, 200)
    text = provider.ConsumeUnicodeNoSurrogates(8192)
    pieces = list(article_pieces(text, limit))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(pieces):
        assert end == start
    assert all(0 < end - start <= limit for start, end in pieces) or not text


TARGETS: dict[str, Target] = {
    **{f"file{suffix}": read_file_target(suffix) for suffix in FILE_SUFFIXES},
    "published": published_target,
    "clean_text": clean_text_target,
    "timeline": timeline_target,
    "quotes": quotes_target,
    "quantities": quantities_target,
    "pieces": pieces_target,
}
