"""The package's import graph, one line per arrow, and the arrows that point up.

    python scripts/import_graph.py          # every arrow, then the upward ones; exit 1 if any

Layers, lowest first: a module may import its own layer's earlier members and any lower
layer. Stages are ordered as the data flows through them.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "newsfuse"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("records", "errors"),
    ("codec", "display"),
    ("ingest", "dedup", "nlp", "cluster", "analyze", "summarize", "outlets"),
    ("pipeline",),
    ("store", "batch", "changes"),
    ("view",),
    ("report", "web", "evaluate"),
    ("cli",),
    ("__main__",),
)
ORDERED_WITHIN = {"ingest", "dedup", "nlp", "cluster", "analyze", "summarize", "outlets", "store", "batch"}
"""Members of these layers may import the earlier members of their layer (a stage the
data passed through before, the store from the batch loader's side is not allowed)."""


def rank(part: str) -> tuple[int, int]:
    for layer_index, layer in enumerate(LAYERS):
        if part in layer:
            return layer_index, layer.index(part)
    raise ValueError(f"newsfuse.{part} is in no layer: add it to LAYERS")


def top_part(module: str) -> str:
    return module.split(".")[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every ``newsfuse`` module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsfuse"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("newsfuse"))
    return found


def arrows() -> list[tuple[str, str]]:
    pairs = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        source = module_name(path)
        if source == "newsfuse":
            continue
        for target in imports_of(path) - {"newsfuse"}:
            if top_part(source) != top_part(target):
                pairs.add((top_part(source), top_part(target)))
    return sorted(pairs)


def points_up(source: str, target: str) -> bool:
    (source_layer, source_index), (target_layer, target_index) = rank(source), rank(target)
    if source_layer != target_layer:
        return target_layer > source_layer
    return source not in ORDERED_WITHIN or target_index > source_index


def main() -> int:
    found = arrows()
    upward = [(source, target) for source, target in found if points_up(source, target)]
    for source, target in found:
        print(f"{source} -> {target}")
    print(f"\n{len(found)} arrows between packages, {len(upward)} pointing up")
    for source, target in upward:
        print(f"UP: {source} -> {target}")
    return 1 if upward else 0


if __name__ == "__main__":
    sys.exit(main())
