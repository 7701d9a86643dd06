"""newsfuse: many outlets, one trustworthy picture of each story."""

__version__ = "0.1.0"
