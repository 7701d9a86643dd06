"""Read articles from files: text/Markdown with front matter, and JSONL."""

from newsfuse.ingest.files import IngestResult, read_inputs

__all__ = ["IngestResult", "read_inputs"]
