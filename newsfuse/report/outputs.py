"""Write a run's three output files so that a failure or a crash never leaves half a report.

The files are rendered into a temporary folder inside the output folder, then each is
renamed over its old version (a rename within one file system is atomic). Other files in
the output folder are never touched, so ``--out .`` is safe.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from newsfuse.codec import dumps, result_document
from newsfuse.errors import NewsfuseError
from newsfuse.records import RunResult
from newsfuse.report.html import render_html
from newsfuse.report.markdown import render_markdown

OUTPUT_FILES = ("stories.json", "report.md", "report.html")


class OutputError(NewsfuseError, ValueError):
    """An output folder that cannot be written; the message is shown to the user."""


def check_out_dir(out_dir: Path) -> None:
    """Raise OutputError unless ``out_dir`` is a folder, or can become one; checked before any work."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir} is a file, not a folder")
    parent = next((p for p in (out_dir, *out_dir.parents) if p.exists()), Path("."))
    if not parent.is_dir():
        raise OutputError(f"--out {out_dir}: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out_dir}: {parent} is not writable")


def write_outputs(result: RunResult, out_dir: Path) -> None:
    """Write stories.json, report.md and report.html into ``out_dir``, each replaced whole."""
    document = result_document(result)
    rendered = {"stories.json": dumps(document), "report.md": render_markdown(document)}
    rendered["report.html"] = render_html(document)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".newsfuse-", dir=out_dir))
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from None
    try:
        for name in OUTPUT_FILES:
            (staging / name).write_text(rendered[name], encoding="utf-8")
        for name in OUTPUT_FILES:
            os.replace(staging / name, out_dir / name)
    except OSError as err:
        raise OutputError(f"cannot write to {out_dir}: {err.strerror or err}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
