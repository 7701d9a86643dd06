"""The package declares what it imports, and ``run`` works with the core dependencies alone.

``scripts/check-wheel.sh`` does the full check (wheel, empty venv, locked pins, ``newsfuse run``);
it needs a minute and the network or a pip cache, so it is not part of the suite.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from fnmatch import fnmatch
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

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


@cache
def imported_modules() -> frozenset[str]:
    """Top-level modules that newsfuse imports, anywhere in a module, other than its own and the standard library's."""
    found: set[str] = set()
    for path in (REPO / "newsfuse").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return frozenset(found - set(sys.stdlib_module_names) - {"newsfuse"})


@cache
def distributions() -> Mapping[str, list[str]]:
    return packages_distributions()


def providers(module: str) -> set[str]:
    return {distribution_name(name) for name in distributions().get(module, [])}


@cache
def extra_only_modules() -> list[str]:
    """Imported modules whose distribution an extra declares and the core dependencies do not."""
    extras = set().union(*(declared(extra) for extra in ("postgres", "batch", "web", "eval")))
    return sorted(m for m in imported_modules() if providers(m) & extras and not providers(m) & declared(None))


UNINSTALLED_DISTRIBUTIONS = {"umap": "umap-learn"}
"""The distribution of a module the suite's environment does not install, where the two names differ."""


def test_every_imported_module_is_declared_by_the_core_or_an_extra() -> None:
    """An installed module by the distributions that provide it; one the suite does not install (the
    ``bertopic`` extra's) by its distribution's name."""
    everything = declared(None).union(*(declared(extra) for extra in PROJECT["optional-dependencies"]))
    modules = imported_modules()
    assert {"spacy", "datasketch", "psycopg", "fastapi", "dask", "sumy", "bertopic"} <= modules
    distributions_of = {m: providers(m) or {distribution_name(UNINSTALLED_DISTRIBUTIONS.get(m, m))} for m in modules}
    assert {m: names for m, names in distributions_of.items() if not names & everything} == {}


def test_extras_hold_the_web_batch_postgres_and_evaluation_modules() -> None:
    extra_only = extra_only_modules()
    assert extra_only == sorted(
        [
            "dask",
            "distributed",
            "pyarrow",
            "fastapi",
            "starlette",
            "uvicorn",
            "psycopg",
            "nltk",
            "rouge_score",
            "sumy",
            "textacy",
        ]
    )
    assert not declared("dev") & declared(None)


@pytest.fixture(scope="module")
def without_extras(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, str]]]:
    """``run`` and three commands that need an extra, in one Python where every extra's module is unimportable:
    the output folder of ``run``, and each command's exit code and output."""
    out = tmp_path_factory.mktemp("run")
    commands = {
        "run": ["run", "--quiet", "--out", str(out)],
        "web": ["serve", "--stories", str(out)],
        "batch": ["load", str(out)],
        "postgres": ["check", "--db", "postgresql://localhost/newsfuse"],
    }
    probe = (
        "import json, sys\n"
        f"sys.modules.update(dict.fromkeys({extra_only_modules()!r}))\n"
        "from click.testing import CliRunner\n"
        "from newsfuse.cli import main\n"
        f"results = {{name: CliRunner().invoke(main, args) for name, args in {commands!r}.items()}}\n"
        "print(json.dumps({name: (r.exit_code, r.output) for name, r in results.items()}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    results = {name: (code, output) for name, (code, output) in json.loads(done.stdout).items()}
    return out, results


def test_run_needs_no_extra(without_extras: tuple[Path, dict[str, tuple[int, str]]]) -> None:
    out, results = without_extras
    assert results["run"][0] == 0, results["run"][1][-2000:]
    assert '"digest"' in (out / "stories.json").read_text(encoding="utf-8")


def test_a_command_without_its_extra_names_the_extra_to_install(
    without_extras: tuple[Path, dict[str, tuple[int, str]]],
) -> None:
    _, results = without_extras
    for extra in ("web", "batch", "postgres"):
        code, output = results[extra]
        assert code == 1 and f"pip install 'newsfuse[{extra}]'" in output, output[-2000:]


def test_every_import_between_packages_points_down_the_layers() -> None:
    graph = subprocess.run(
        [sys.executable, "scripts/import_graph.py"], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert graph.returncode == 0, graph.stdout
    assert "0 pointing up" in graph.stdout


def test_every_data_file_of_the_package_goes_into_the_wheel() -> None:
    """A file the code reads at run time (a template, the join model) that package-data misses
    is absent from an installed wheel, though every test from the checkout passes."""
    settings = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    patterns = settings["package-data"]["newsfuse"]
    package = REPO / "newsfuse"
    data = [p for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    missed = [p for p in data if not any(fnmatch(str(p.relative_to(package)), pattern) for pattern in patterns)]
    assert data and not missed, missed
