"""The package declares what it imports, and ``run`` works with the core dependencies alone.

``scripts/check-wheel.sh`` does the full check (wheel, empty venv, locked pins, ``newsfuse run``);
it needs a minute and the network or a pip cache, so it is not part of the suite.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from .conftest import REPO

PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def distribution_name(requirement: str) -> str:
    """PEP 503 normalised name of a requirement such as ``psycopg[binary]>=3.1``."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match[0]).lower()


def declared(extra: str | None) -> set[str]:
    requirements = PROJECT["dependencies"] if extra is None else PROJECT["optional-dependencies"][extra]
    return {distribution_name(r) for r in requirements}


def imported_modules() -> set[str]:
    """Top-level modules that newsfuse imports, anywhere in a module, other than its own and the standard library's."""
    found = set()
    for path in (REPO / "newsfuse").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"newsfuse"}


def providers(module: str) -> set[str]:
    return {distribution_name(name) for name in packages_distributions().get(module, [])}


def extra_only_modules() -> list[str]:
    """Imported modules whose distribution an extra declares and the core dependencies do not."""
    extras = set().union(*(declared(extra) for extra in ("postgres", "batch", "web", "eval")))
    return sorted(m for m in imported_modules() if providers(m) & extras and not providers(m) & declared(None))


def test_every_imported_module_is_declared_by_the_core_or_an_extra() -> None:
    everything = declared(None).union(*(declared(extra) for extra in PROJECT["optional-dependencies"]))
    modules = imported_modules()
    assert {"spacy", "datasketch", "psycopg", "fastapi", "dask", "sumy"} <= modules
    assert {m: providers(m) for m in modules if not providers(m) & everything} == {}


def test_extras_hold_the_web_batch_postgres_and_evaluation_modules() -> None:
    extra_only = extra_only_modules()
    assert extra_only == sorted(
        ["dask", "distributed", "pyarrow", "fastapi", "starlette", "uvicorn", "psycopg", "nltk", "rouge_score", "sumy"]
    )
    assert not declared("dev") & declared(None)


def without_extras(*args: str) -> subprocess.CompletedProcess[str]:
    """``newsfuse ARGS`` in a Python where every extra's module is unimportable."""
    probe = (
        "import sys\n"
        f"sys.modules.update(dict.fromkeys({extra_only_modules()!r}))\n"
        "from newsfuse.cli import main\n"
        f"main({list(args)!r}, prog_name='newsfuse')\n"
    )
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)


def test_run_needs_no_extra(tmp_path: Path) -> None:
    done = without_extras("run", "--quiet", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"digest"' in (tmp_path / "stories.json").read_text(encoding="utf-8")


def test_a_command_without_its_extra_names_the_extra_to_install(tmp_path: Path) -> None:
    commands = {
        "web": ["serve", "--stories", str(tmp_path)],
        "batch": ["load", str(tmp_path)],
        "postgres": ["check", "--db", "postgresql://localhost/newsfuse"],
    }
    for extra, args in commands.items():
        done = without_extras(*args)
        assert done.returncode == 1
        assert f"pip install 'newsfuse[{extra}]'" in done.stderr, done.stderr[-2000:]
