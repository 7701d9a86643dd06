"""``python -m newsfuse``: the same command line as ``newsfuse``."""

from newsfuse.cli import main

main(prog_name="newsfuse")
