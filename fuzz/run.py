"""Run the fuzz targets with atheris (libFuzzer), each for a bounded time.

Usage: .venv/bin/python fuzz/run.py [TARGET ...] [--seconds N | --runs N --seed S] [--list]

``--runs`` with ``--seed`` makes a run repeatable (the same inputs in the same order, for
the same code: libFuzzer picks its next input by the coverage of the last ones, so the
children run with a fixed ``PYTHONHASHSEED``, lest set orders vary it), as the test suite
needs; ``--seconds`` explores for a time, as a longer run by hand does.

Each target runs in a process of its own (libFuzzer ends the process when done), starting
from the seed inputs under fuzz/seeds/<target>/ when there are any. Prints, per target, the
inputs tried and whether it crashed; a crashing input is saved as crash-* in the working
folder, to replay with ``fuzz/run.py TARGET --replay FILE``. Exits non-zero on any crash.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
_RUNS = re.compile(r"Done (\d+) runs in (\d+) second")


def fuzz_one(name: str, budget: list[str], replay: Path | None, corpus: Path | None) -> None:
    """The child: hand one target to libFuzzer, with ``budget`` its -max_total_time or -runs/-seed flags
    and ``corpus`` the folder it grows (the parent's, which removes it: libFuzzer exits this process)."""
    import atheris

    sys.path.insert(0, str(HERE))
    from targets import TARGETS

    arguments = [sys.argv[0], *budget, "-rss_limit_mb=3072", "-timeout=20"]
    if replay:
        arguments = [sys.argv[0], str(replay)]
    elif corpus:
        seeds = HERE / "seeds" / name
        if seeds.is_dir():
            shutil.copytree(seeds, corpus, dirs_exist_ok=True)
        arguments.append(str(corpus))
    atheris.Setup(arguments, TARGETS[name])
    atheris.Fuzz()


def run_all(names: list[str], budget: list[str]) -> int:
    failed = 0
    print(f"{'target':<14} {'inputs':>10} {'seconds':>8}  result")
    for name in names:
        with tempfile.TemporaryDirectory(prefix=f"fuzz-{name}-") as work:
            corpus, scratch = Path(work, "corpus"), Path(work, "scratch")
            corpus.mkdir()
            scratch.mkdir()
            child = subprocess.run(
                [sys.executable, __file__, name, "--child", "--corpus", str(corpus), "--libfuzzer", " ".join(budget)],
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONHASHSEED": "0", "NEWSFUSE_FUZZ_SCRATCH": str(scratch)},
            )
        runs = _RUNS.search(child.stderr)
        tried, spent = (runs.group(1), runs.group(2)) if runs else ("?", "?")
        result = "ok" if child.returncode == 0 else f"CRASH (exit {child.returncode})"
        print(f"{name:<14} {tried:>10} {spent:>8}  {result}", flush=True)
        if child.returncode:
            failed += 1
            print(child.stderr[-4000:], file=sys.stderr)
    return 1 if failed else 0


def target_names() -> list[str]:
    """The registered targets, without instrumenting this process (that is the children's job)."""
    sys.path.insert(0, str(HERE))
    with contextlib.redirect_stderr(io.StringIO()):
        from targets import TARGETS
    return sorted(TARGETS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, help="Inputs per target (with --seed: a repeatable run).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--libfuzzer", default="", help=argparse.SUPPRESS)
    parser.add_argument("--replay", type=Path)
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child or args.replay:
        fuzz_one(args.targets[0], args.libfuzzer.split(), args.replay, args.corpus)
        return
    known = target_names()
    names = args.targets or known
    if args.list:
        print("\n".join(names))
        return
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown targets: {', '.join(unknown)}")
    budget = [f"-runs={args.runs}", f"-seed={args.seed}"] if args.runs else [f"-max_total_time={args.seconds}"]
    sys.exit(run_all(names, budget))


if __name__ == "__main__":
    main()
