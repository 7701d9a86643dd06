"""Outlet profiles: a user's file of one row per outlet (CSV or YAML), parsed into frozen records.

newsfuse ships no ratings (they are opinions, and their publishers' property): the user supplies
a file with an ``outlet`` column (as in articles' ``source``), optional ``domains`` (to recognise
articles by ``url`` when ``source`` is missing) and any columns of their own (``lean`` and
``country`` get special views). A bad file fails whole, with the file and line in the message,
since a half-read profile would silently move outlets to "unknown".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import yaml

from newsfuse.ingest.normalize import IngestError
from newsfuse.records import OutletProfile, OutletProfiles, normal_domain, outlet_key

OUTLET = "outlet"
DOMAINS = "domains"
MAX_FILE_BYTES = 10_000_000


class OutletsError(IngestError):
    """A bad outlet profile file; the message names the file and, where known, the line."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


def read_outlets(path: Path) -> OutletProfiles:
    """Read a profile file; the format follows the suffix (.csv, else YAML for .yaml/.yml)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise OutletsError(str(path), None, f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
        data = path.read_bytes()
    except OSError as err:
        raise OutletsError(str(path), None, f"cannot read: {err.strerror or err}") from None
    return parse_outlets(data, str(path), "csv" if path.suffix.lower() == ".csv" else "yaml")


def parse_outlets(data: bytes, path: str, kind: str) -> OutletProfiles:
    """Parse the bytes of a CSV (``kind="csv"``) or YAML (``kind="yaml"``) profile file."""
    text = _text(data, path)
    rows = _csv_rows(text, path) if kind == "csv" else _yaml_rows(text, path)
    return _profiles(rows, path)


def _text(data: bytes, path: str) -> str:
    """UTF-8 only (a BOM is allowed): a guessed legacy encoding would misspell outlet names."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise OutletsError(path, line, f"not UTF-8 at byte {err.start + 1}; save the file as UTF-8") from None
    if "\x00" in text:
        raise OutletsError(path, text[: text.index("\x00")].count("\n") + 1, "NUL character (a binary file?)")
    return text


Row = tuple[int, dict[str, str | list[str]]]
"""A row of the file: its line number and its cells by lower-case column name."""


def _csv_rows(text: str, path: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise OutletsError(path, None, "empty file")
        columns = _header(header, path)
        rows = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, _csv_cells(columns, cells, path, reader.line_num)))
    except csv.Error as err:
        raise OutletsError(path, reader.line_num, f"malformed CSV: {err}") from None
    return rows


def _header(header: list[str], path: str) -> list[str]:
    columns = [column.strip().lower() for column in header]
    if OUTLET not in columns:
        raise OutletsError(path, 1, f"no {OUTLET!r} column (the header has {', '.join(map(repr, columns))})")
    for number, column in enumerate(columns, start=1):
        if not column:
            raise OutletsError(path, 1, f"column {number} has no name")
        if columns.count(column) > 1:
            raise OutletsError(path, 1, f"column {column!r} appears twice")
    return columns


def _csv_cells(columns: list[str], cells: list[str], path: str, line: int) -> dict[str, str | list[str]]:
    if len(cells) > len(columns):
        raise OutletsError(path, line, f"{len(cells)} cells but the header names {len(columns)} columns")
    return dict(zip(columns, cells, strict=False))


def _yaml_rows(text: str, path: str) -> list[Row]:
    """A list of mappings. Composed, not loaded, so each row keeps its line and no value is a
    date or a bool that YAML guessed: ``lean: no`` stays the label "no"."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).strip().split("\n")[0]
        raise OutletsError(path, mark.line + 1 if mark else None, f"malformed YAML: {problem}") from None
    except RecursionError:
        raise OutletsError(path, None, "malformed YAML: nested too deeply") from None
    if root is None:
        raise OutletsError(path, None, "empty file")
    if not isinstance(root, yaml.SequenceNode):
        raise OutletsError(path, _line(root), "expected a list of outlets (- outlet: NAME)")
    return [(_line(node), _yaml_cells(node, path)) for node in root.value]


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _yaml_cells(node: yaml.Node, path: str) -> dict[str, str | list[str]]:
    if not isinstance(node, yaml.MappingNode):
        raise OutletsError(path, _line(node), "expected a mapping of column: value")
    cells: dict[str, str | list[str]] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or not key.value.strip():
            raise OutletsError(path, _line(key), "a column name must be a non-empty text")
        column = key.value.strip().lower()
        if column in cells:
            raise OutletsError(path, _line(key), f"column {column!r} appears twice")
        cells[column] = _yaml_value(value, column, path)
    return cells


def _yaml_value(node: yaml.Node, column: str, path: str) -> str | list[str]:
    if isinstance(node, yaml.ScalarNode):
        return "" if node.tag == "tag:yaml.org,2002:null" else str(node.value)
    if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.ScalarNode) for item in node.value):
        return [str(item.value) for item in node.value]
    raise OutletsError(path, _line(node), f"{column!r} must be a value or a list of values")


def _profiles(rows: Iterable[Row], path: str) -> OutletProfiles:
    profiles: dict[str, OutletProfile] = {}
    first_line: dict[str, int] = {}
    owner: dict[str, str] = {}
    for line, cells in rows:
        profile = _profile(cells, path, line)
        key = outlet_key(profile.outlet)
        if key in profiles:
            raise OutletsError(path, line, f"outlet {profile.outlet!r} is already on line {first_line[key]}")
        for domain in profile.domains:
            if domain in owner and owner[domain] != key:
                raise OutletsError(
                    path, line, f"domain {domain!r} is already given to {profiles[owner[domain]].outlet!r}"
                )
            owner[domain] = key
        profiles[key] = profile
        first_line[key] = line
    columns = sorted({column for profile in profiles.values() for column, _ in profile.fields})
    return OutletProfiles(tuple(profiles[key] for key in sorted(profiles)), tuple(columns))


def _profile(cells: Mapping[str, str | list[str]], path: str, line: int) -> OutletProfile:
    name = cells.get(OUTLET, "")
    if not isinstance(name, str) or not name.strip():
        raise OutletsError(path, line, f"the {OUTLET!r} cell is empty or a list")
    fields = []
    for column, value in sorted(cells.items()):
        if column in (OUTLET, DOMAINS):
            continue
        if isinstance(value, list):
            raise OutletsError(path, line, f"{column!r} must be one value (only {DOMAINS!r} takes a list)")
        if value.strip():
            fields.append((column, " ".join(value.split())))
    return OutletProfile(" ".join(name.split()), _domains(cells.get(DOMAINS, ""), path, line), tuple(fields))


def _domains(value: str | list[str], path: str, line: int) -> tuple[str, ...]:
    """A list, or a text of ``;``-separated domains."""
    items = value if isinstance(value, list) else value.split(";")
    domains = sorted({normal_domain(item) for item in items if item.strip()})
    for domain in domains:
        if not domain or " " in domain:
            raise OutletsError(path, line, f"{domain!r} is not a domain")
    return tuple(domains)


def profile_rows(profiles: OutletProfiles) -> Iterator[dict[str, str]]:
    """The profiles as CSV-ready rows (domains joined by ``;``), the inverse of the CSV parser."""
    for profile in profiles.profiles:
        yield {OUTLET: profile.outlet, DOMAINS: ";".join(profile.domains), **dict(profile.fields)}
