"""Evaluation against gold labels on real data."""

from pathlib import Path

import click

PARSE_CACHE = click.option(
    "--parse-cache",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="NEWSFUSE_PARSE_CACHE",
    show_envvar=True,
    help="Keep parsed corpora in this folder, keyed by content and model version (off by default).",
)
"""The option of every evaluation command that parses: ``newsfuse eval ...`` and
``python -m newsfuse.evaluate.analysis``."""
