"""The web UI and JSON API (``newsfuse serve``)."""

from newsfuse.web.app import create_app

__all__ = ["create_app"]
