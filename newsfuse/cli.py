"""The ``newsfuse`` command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsfuse.analyze.claims import AlignConfig
from newsfuse.ingest import read_inputs
from newsfuse.pipeline import PipelineConfig, RunResult, run_pipeline
from newsfuse.report.html import render_html
from newsfuse.report.markdown import render_markdown
from newsfuse.report.stories_json import dumps, stories_document
from newsfuse.summarize.digest import DigestConfig

SAMPLE_CORPUS = "samples"


@click.group()
@click.version_option(package_name="newsfuse")
def main() -> None:
    """Turn many articles about the same events into cited stories."""


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", default="newsfuse-out", type=click.Path(path_type=Path), show_default=True)
@click.option("--words", default=DigestConfig.words, show_default=True, help="Digest length in words.")
@click.option(
    "--consensus",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    help="Share of a story's articles that must state a claim for it to be consensus "
    "[default: all for stories of up to 3 articles, else 2/3].",
)
@click.option("--quiet", is_flag=True, help="No progress bar or summary table.")
def run(inputs: tuple[Path, ...], out_dir: Path, words: int, consensus: float | None, quiet: bool) -> None:
    """Cluster INPUTS (files or folders; default: the bundled sample corpus) into stories."""
    console = Console(stderr=True, quiet=quiet)
    paths = list(inputs) or [sample_corpus()]
    ingested = read_inputs(paths)
    for skipped in ingested.skipped:
        console.print(f"[yellow]skipped[/] {skipped.path}: {skipped.reason}", highlight=False)
    config = PipelineConfig(digest=DigestConfig(words=words), analysis=AlignConfig(consensus=consensus))
    with _progress(console) as progress:
        result = run_pipeline(ingested.articles, ingested.skipped, config, progress)
    write_outputs(result, out_dir)
    if not quiet:
        Console().print(summary_table(result))
        Console().print(f"Report: {out_dir / 'report.html'} (also report.md, stories.json)", highlight=False)


def sample_corpus() -> Path:
    """The bundled corpus, relative to the working directory when inside it, for stable paths."""
    path = Path(str(resources.files("newsfuse") / SAMPLE_CORPUS)).resolve()
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def write_outputs(result: RunResult, out_dir: Path) -> None:
    document = stories_document(result)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "stories.json").write_text(dumps(document), encoding="utf-8")
    (out_dir / "report.md").write_text(render_markdown(document), encoding="utf-8")
    (out_dir / "report.html").write_text(render_html(document), encoding="utf-8")


def summary_table(result: RunResult, limit: int = 20) -> Table:
    sources = {article.id: article.source for article in result.articles}
    table = Table(title=f"{len(result.stories)} stories from {len(result.articles)} articles")
    table.add_column("#", justify="right")
    table.add_column("articles", justify="right")
    table.add_column("outlets", justify="right")
    table.add_column("title")
    for number, story in enumerate(result.stories[:limit], start=1):
        outlets = {sources[i] for i in story.article_ids if sources[i]}
        table.add_row(str(number), str(len(story.article_ids)), str(len(outlets)), story.title)
    return table


@contextmanager
def _progress(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        yield update
