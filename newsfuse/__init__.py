"""newsfuse: many outlets, one trustworthy picture of each story."""

from importlib.metadata import version

__version__ = version("newsfuse")
"""Read from the installed package's metadata: ``pyproject.toml`` is the one place that sets it."""
