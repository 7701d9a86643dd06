"""The table of stories a run prints on the terminal."""

from __future__ import annotations

from rich.table import Table

from newsfuse.records import RunResult


def summary_table(result: RunResult, limit: int = 20) -> Table:
    sources = {article.id: article.source for article in result.articles}
    table = Table(title=f"{len(result.stories)} stories from {len(result.articles)} articles")
    table.add_column("#", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    table.add_column("thread", justify="right")
    table.add_column("title")
    threads = {thread.id: (number, len(thread.story_ids)) for number, thread in enumerate(result.threads, start=1)}
    for number, story in enumerate(result.stories[:limit], start=1):
        outlets = {sources[i] for i in story.article_ids if sources[i]}
        thread, size = threads.get(story.thread_id or "", (0, 0))
        label = f"T{thread} ({size} stories)" if size > 1 else "-"
        known = str(len(outlets)) if outlets else "unknown"  # files with no source: not "0 outlets"
        table.add_row(str(number), str(len(story.article_ids)), known, label, story.title)
    return table
