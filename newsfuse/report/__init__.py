"""Outputs of a run: stories.json, report.md and a self-contained report.html."""
