"""The ``newsfuse`` command line."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, closing, contextmanager
from dataclasses import replace
from datetime import datetime
from importlib import import_module, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsfuse import __version__
from newsfuse.display import console_safe, redact_url, visible
from newsfuse.errors import NewsfuseError
from newsfuse.evaluate import PARSE_CACHE

if TYPE_CHECKING:
    from rich.console import Console

    from newsfuse.cluster.online import ClusterConfig
    from newsfuse.evaluate.clustering import BertopicPeer, ClusteringScores
    from newsfuse.ingest.options import IngestOptions
    from newsfuse.nlp.parse import Parser
    from newsfuse.pipeline import OutletsChoice, PipelineConfig, ProgressCallback
    from newsfuse.records import Article, OutletProfiles, RunResult, Skipped
    from newsfuse.store import AddOutcome, IncrementalPipeline
    from newsfuse.summarize.groups import Group

F = TypeVar("F", bound=Callable[..., Any])
SAMPLE_CORPUS = "samples"
WRITE_TOKEN_VARIABLE = "NEWSFUSE_WRITE_TOKEN"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class LazyDefault(click.Option):
    """An option whose default is a setting of a pipeline module, imported only when the default is needed.

    ``default_from`` names it as ``module:Attribute.field``. The command that runs, or the help of that one
    command, imports the module; ``newsfuse --help`` imports none of them and starts fast.
    """

    def __init__(self, *args: Any, default_from: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_from = default_from

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        module, _, attributes = self.default_from.partition(":")
        value: Any = import_module(module)
        for name in attributes.split("."):
            value = getattr(value, name)
        return value


def setting_option(name: str, default_from: str, help: str, **settings: Any) -> Callable[[F], F]:
    """An option whose shown default is a pipeline setting, named as ``LazyDefault.default_from``."""
    return click.option(name, cls=LazyDefault, default_from=default_from, show_default=True, help=help, **settings)


class Commands(click.Group):
    """Any ``NewsfuseError`` a command raises is one line on stderr (passwords in URLs hidden) and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsfuseError as err:
            raise click.ClickException(redact_url(str(err))) from None


@click.group(cls=Commands)
@click.version_option(__version__, prog_name="newsfuse")
def main() -> None:
    """Turn many articles about the same events into cited stories."""


FETCH_OPTION = click.option("--fetch", is_flag=True, help="Fetch the page each feed entry links to and use its text.")
PRIVATE_OPTION = click.option(
    "--allow-private", is_flag=True, help="Allow fetching from private, loopback and link-local addresses."
)


WORDS_OPTION = setting_option(
    "--words", "newsfuse.summarize.digest:DigestConfig.words", "Digest length in words.", type=int
)
SETTINGS = ("words", "consensus")
"""The pipeline's user settings: one option each, shared by every command that makes stories."""


def pipeline_options(command: F) -> F:
    """``--words``, ``--consensus`` and the outlet profiles; ``chosen_settings`` and ``chosen_outlets`` read them."""
    outlets = click.option(
        "--outlets",
        "outlets_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Outlet profiles (CSV or YAML; docs/outlets.md): each story's coverage per lean, country, ...; "
        "a store keeps them.",
    )
    replace_outlets = click.option(
        "--replace-outlets", is_flag=True, help="Use --outlets instead of the profiles the store or stories.json has."
    )
    consensus = click.option(
        "--consensus",
        type=click.FloatRange(0.0, 1.0, min_open=True),
        default=None,
        help="Share of a story's outlets that must state a claim for it to be consensus "
        "(at least 2 outlets) [default: 0.5].",
    )
    return WORDS_OPTION(consensus(outlets(replace_outlets(command))))


def chosen_outlets(ctx: click.Context) -> OutletsChoice | None:
    """The profiles of ``--outlets FILE``, read now so that a bad file stops the command before any work."""
    from newsfuse.outlets import read_outlets
    from newsfuse.pipeline import OutletsChoice

    path: Path | None = ctx.params.get("outlets_file")
    if path is None:
        if ctx.params.get("replace_outlets"):
            raise click.UsageError("--replace-outlets needs --outlets FILE")
        return None
    return OutletsChoice(read_outlets(path), visible(str(path)), bool(ctx.params.get("replace_outlets")))


def run_config(ctx: click.Context) -> PipelineConfig:
    """The pipeline of a command that starts afresh (``run``, ``batch``): the options given, nothing kept."""
    from newsfuse.pipeline import PipelineConfig

    outlets = chosen_outlets(ctx)
    config = PipelineConfig.from_settings(chosen_settings(ctx))
    return replace(config, outlets=outlets.profiles) if outlets else config


def chosen_settings(ctx: click.Context) -> dict[str, Any]:
    """The settings given on the command line: a store or a stories.json made with others refuses them,
    and keeps its own where none is given (``settled_config``)."""
    return {
        name: ctx.params[name]
        for name in SETTINGS
        if ctx.get_parameter_source(name) not in (None, click.core.ParameterSource.DEFAULT)
    }


@contextmanager
def needs(extra: str) -> Iterator[None]:
    """Imports of a command that needs an extra (``pip install 'newsfuse[web]'``): a missing one is a clear error."""
    try:
        yield
    except ModuleNotFoundError as err:
        raise click.ClickException(f"{err.name} is not installed: pip install 'newsfuse[{extra}]'") from None


QUIET_OPTION = click.option("--quiet", is_flag=True, help="No progress bar.")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
LOG_LEVEL_OPTION = click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"], case_sensitive=False),
    default="warning",
    show_default=True,
    envvar="NEWSFUSE_LOG_LEVEL",
    show_envvar=True,
    help="Least severe log records shown on stderr, each with its time (info: serve's access log, "
    "every fetch, Dask's workers).",
)


class _Stderr(logging.Handler):
    """Writes each record to the ``sys.stderr`` of the moment (a test runner may have replaced it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def configure_logging(level: str) -> int:
    """Every library's log records at ``level`` and above on stderr, each with its time; the level's number."""
    number = logging.getLevelNamesMapping()[level.upper()]
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _Stderr)), None)
    if handler is None:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", TIME_FORMAT))
        root.addHandler(handler)
    handler.setLevel(number)  # also for libraries that set their own loggers' levels (distributed: info)
    root.setLevel(number)
    return number


def stamped(line: str) -> str:
    """``line`` after the local time, as log records have it."""
    return f"{datetime.now().astimezone().strftime(TIME_FORMAT)} {line}"


def ingest_options(fetch: bool, allow_private: bool) -> IngestOptions:
    from newsfuse.ingest.options import FetchPolicy, IngestOptions

    return IngestOptions(fetch=FetchPolicy(pages=fetch, allow_private=allow_private))


REPORTS = "Folder for stories.json, report.md and report.html."


def out_option(help: str, **settings: Any) -> Callable[[F], F]:
    return click.option("--out", "out_dir", type=click.Path(path_type=Path), help=help, **settings)


@main.command()
@click.argument("inputs", nargs=-1)
@out_option(REPORTS, default="newsfuse-out", show_default=True)
@pipeline_options
@click.option("--quiet", is_flag=True, help="No progress bar or summary table.")
@FETCH_OPTION
@PRIVATE_OPTION
@click.pass_context
def run(
    ctx: click.Context,
    inputs: tuple[str, ...],
    out_dir: Path,
    quiet: bool,
    fetch: bool,
    allow_private: bool,
    **settings: Any,
) -> None:
    """Cluster INPUTS (files, folders or feed URLs; default: the bundled sample corpus) into stories.

    Nothing is written when no article could be read: the run exits 1 and OUT stays as it was.
    """
    from rich.console import Console

    from newsfuse.ingest import read_inputs
    from newsfuse.pipeline import run_pipeline

    _check_out(out_dir)
    config = run_config(ctx)
    ingested = read_inputs(list(inputs) or [sample_corpus()], ingest_options(fetch, allow_private))
    report_skipped(ingested.skipped)
    if not ingested.articles:
        raise click.ClickException(f"no article could be read from the inputs; {out_dir} left as it was")
    with _progress(Console(stderr=True, quiet=quiet)) as progress:
        result = run_pipeline(ingested.articles, ingested.skipped, config, progress)
    read = set(ingested.skipped)
    report_skipped(note for note in result.skipped if note not in read)
    _write(result, out_dir)
    if not quiet:
        from newsfuse.report.table import summary_table

        Console().print(summary_table(result))
        Console().print(f"Report: {out_dir / 'report.html'} (also report.md, stories.json)", highlight=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option(
    "Folder for the Parquet parts, and stories.json and the reports up to --json-limit articles.", required=True
)
@click.option("--scheduler", default="local", show_default=True, help="A Dask scheduler address, or 'local'.")
@click.option("--workers", default=2, show_default=True, help="Worker processes of a local cluster.")
@click.option("--partition-size", default=32, show_default=True, help="Input per task, in MB.")
@click.option("--json-limit", default=100_000, show_default=True, help="Write stories.json up to this many articles.")
@pipeline_options
@click.option(
    "--cluster",
    "cluster_mode",
    type=click.Choice(["client", "blocks"]),
    default="client",
    show_default=True,
    help="Cluster on the client, exactly as 'run', or in time blocks on the workers (docs/batch.md).",
)
@setting_option("--block-days", "newsfuse.cluster.blocks:BlockConfig.days", "Days per block.", type=click.IntRange(1))
@setting_option(
    "--lead-in", "newsfuse.cluster.blocks:BlockConfig.lead_in", "Blocks read before each block.", type=click.IntRange(0)
)
@QUIET_OPTION
@LOG_LEVEL_OPTION
@click.pass_context
def batch(
    ctx: click.Context,
    inputs: tuple[Path, ...],
    out_dir: Path,
    scheduler: str,
    workers: int,
    partition_size: int,
    json_limit: int,
    cluster_mode: str,
    block_days: int,
    lead_in: int,
    quiet: bool,
    log_level: str,
    **settings: Any,
) -> None:
    """Run on a Dask cluster: Parquet parts under DIR, plus stories.json for small corpora."""
    from rich.console import Console

    from newsfuse.cluster.blocks import BlockConfig

    with needs("batch"):
        from distributed import Client, LocalCluster

        from newsfuse.batch.run import run_batch
    _check_out(out_dir)
    level = configure_logging(log_level)
    config = run_config(ctx)
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None, silence_logs=level)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    with client, _progress(Console(stderr=True, quiet=quiet)) as progress:
        blocks = BlockConfig(block_days, lead_in) if cluster_mode == "blocks" else None
        outcome = run_batch(client, inputs, out_dir, config, partition_size << 20, json_limit, blocks, progress)
    report_skipped(outcome.skipped)
    if outcome.result is not None:
        _write(outcome.result, out_dir)
    click.echo(
        f"{outcome.stories} stories from {outcome.articles} articles ({outcome.copies} near copies);"
        f" Parquet parts in {out_dir}"
    )


DB_OPTION = click.option(
    "--db",
    "db",
    default="newsfuse.db",
    show_default=True,
    envvar="NEWSFUSE_DB",
    show_envvar=True,
    help="SQLite file, or a postgresql:// URL.",
)
CLOSE_OPTION = setting_option(
    "--close-after-days",
    "newsfuse.store:StoreConfig.close_after_days",
    "Close stories with no new article for this many days of publication time.",
    type=click.IntRange(1),
)


@contextmanager
def _pipeline(
    db: str,
    settings: Mapping[str, Any],
    close_after_days: int | None = None,
    parse: Parser | None = None,
    outlets: OutletsChoice | None = None,
) -> Iterator[IncrementalPipeline]:
    """The store at ``db`` with its incremental pipeline, on the settings and outlet profiles the store
    was made with."""
    from newsfuse.nlp.parse import parse_one
    from newsfuse.store import IncrementalPipeline, Store, open_config

    store = Store(db)
    try:
        config = open_config(store, settings, close_after_days, outlets)
        yield IncrementalPipeline(store, config, parse or parse_one)
    finally:
        store.close()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (systemd, ``docker stop``) stops as Ctrl-C does: the article being added rolls back."""
    raise KeyboardInterrupt


def _added(outcome: AddOutcome) -> str:
    return (
        f"{outcome.added} added, {outcome.copies} duplicates, {outcome.unchanged} already stored; "
        f"{outcome.rebuilt} stories rebuilt"
    )


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@DB_OPTION
@CLOSE_OPTION
@pipeline_options
@QUIET_OPTION
@FETCH_OPTION
@PRIVATE_OPTION
@click.pass_context
def add(
    ctx: click.Context,
    inputs: tuple[str, ...],
    db: str,
    close_after_days: int,
    quiet: bool,
    fetch: bool,
    allow_private: bool,
    **settings: Any,
) -> None:
    """Add INPUTS (files, folders or feed URLs) to the store; only the stories they join are analysed again.

    When no article could be read, nothing is added, no store is created, and the exit status is 1.
    """
    from rich.console import Console

    from newsfuse.ingest import read_inputs

    outlets = chosen_outlets(ctx)
    ingested = read_inputs(inputs, ingest_options(fetch, allow_private))
    report_skipped(ingested.skipped)
    if not ingested.articles:
        raise click.ClickException(f"no article could be read from the inputs; nothing added to {redact_url(db)}")
    with (
        _pipeline(db, chosen_settings(ctx), close_after_days, outlets=outlets) as pipeline,
        _progress(Console(stderr=True, quiet=quiet)) as progress,
    ):
        outcome = pipeline.add(ingested.articles, ingested.skipped, progress)
        pipeline.thread()
    click.echo(_added(outcome))


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@DB_OPTION
@CLOSE_OPTION
@pipeline_options
@QUIET_OPTION
@click.pass_context
def load(ctx: click.Context, out_dir: Path, db: str, close_after_days: int, quiet: bool, **settings: Any) -> None:
    """Add the articles of a 'batch' output folder to the store, with their parses (no spaCy run).

    The store clusters them itself, in publication order, so that later adds build on its
    clustering state: the stories are those 'add' would make of the same articles.
    """
    from rich.console import Console

    with needs("batch"):
        from newsfuse.batch.parquet import read_batch_output

    outlets = chosen_outlets(ctx)
    output = read_batch_output(out_dir)
    with (
        _pipeline(db, chosen_settings(ctx), close_after_days, output.parse, outlets) as pipeline,
        _progress(Console(stderr=True, quiet=quiet)) as progress,
    ):
        outcome = pipeline.add(output.articles, output.skipped, progress)
        pipeline.thread()
    click.echo(_added(outcome))


@main.command("watch")
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="Time between polls: 30s, 10m, 1h.")
@click.option(
    "--on-change",
    metavar="CMD",
    help="Run CMD once per story a poll changed (new story, new articles, new contradictions), the change as "
    "JSON on its stdin. CMD is split as a shell would and run without one (use sh -c '...' for pipes).",
)
@click.option(
    "--on-change-timeout", default="30s", show_default=True, help="Kill a --on-change command running longer."
)
@click.option("--site-url", metavar="URL", help="Where 'serve' answers: --on-change documents get story urls.")
@DB_OPTION
@CLOSE_OPTION
@pipeline_options
@FETCH_OPTION
@PRIVATE_OPTION
@LOG_LEVEL_OPTION
@click.pass_context
def watch_command(
    ctx: click.Context,
    sources: tuple[str, ...],
    every: str,
    on_change: str | None,
    on_change_timeout: str,
    site_url: str | None,
    db: str,
    close_after_days: int,
    fetch: bool,
    allow_private: bool,
    log_level: str,
    **settings: Any,
) -> None:
    """Add new files under FOLDERs and new entries of FEED_URLs every so often, until Ctrl-C or SIGTERM.

    With --on-change, a command that fails or hangs is reported on stderr; the watch goes on.
    """
    from newsfuse.store.watch import OnChange, Watcher, watch

    seconds = _duration(every, "--every")
    notify = None
    if on_change is not None:
        command = _command(on_change)
        notify = OnChange(command, _warn, _duration(on_change_timeout, "--on-change-timeout"), site_url)
    configure_logging(log_level)
    signal.signal(signal.SIGTERM, _interrupt)
    with _pipeline(db, chosen_settings(ctx), close_after_days, outlets=chosen_outlets(ctx)) as pipeline:

        def report(outcome: AddOutcome) -> None:
            click.echo(stamped(_added(outcome)))
            if notify is not None:
                notify(outcome, pipeline.store)

        try:
            watch(Watcher(pipeline, sources, ingest_options(fetch, allow_private)), seconds, report)
        except KeyboardInterrupt:
            click.echo(stamped("stopped"), err=True)


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def _duration(text: str, option: str) -> float:
    """``90``, ``30s``, ``10m``, ``1h``, ``1d`` in seconds."""
    match = _DURATION.match(text.strip())
    if not match or float(match[1]) <= 0:
        raise click.BadParameter(f"not a duration: {text!r} (use e.g. 30s, 10m, 1h)", param_hint=option)
    return float(match[1]) * _SECONDS[match[2]]


def _command(text: str) -> tuple[str, ...]:
    """--on-change's words, split as a shell would: quoting works, but no shell ever runs them."""
    import shlex

    try:
        words = tuple(shlex.split(text))
    except ValueError as err:
        raise click.BadParameter(f"cannot split {text!r}: {err}", param_hint="--on-change") from None
    if not words:
        raise click.BadParameter("names no command", param_hint="--on-change")
    return words


def _warn(message: str) -> None:
    click.echo(stamped(message), err=True)


@main.command()
@DB_OPTION
def check(db: str) -> None:
    """Check the store's integrity: the database, its schema and the links between articles and stories."""
    from newsfuse.store import Store
    from newsfuse.store.check import check_store

    _require_store(db)
    store = Store(db)
    try:
        report = check_store(store.db)
    finally:
        store.close()
    summary = (
        f"{report.articles} articles, {report.stories} stories ({report.open_stories} open, "
        f"{report.dirty_stories} to rebuild), {report.duplicate_groups} duplicate groups"
    )
    if report.problems:
        for problem in report.problems:
            click.echo(problem)
        click.echo(f"{len(report.problems)} problems in {redact_url(db)}: {summary}", err=True)
        raise SystemExit(1)
    click.echo(f"{redact_url(db)} is sound: {summary}")


@main.command()
@DB_OPTION
@out_option(REPORTS)
@click.option("--story", "story_id", help="With --since: the story whose update to print.")
@click.option(
    "--since",
    help="Print what --story gained since this date (YYYY-MM-DD, or a datetime) or article id, instead of reports.",
)
@click.option("--json", "as_json", is_flag=True, help="With --since: JSON, as GET /api/updates/{story} gives it.")
def export(db: str, out_dir: Path | None, story_id: str | None, since: str | None, as_json: bool) -> None:
    """Write stories.json, report.md and report.html from the store, as ``run`` does; or, with
    --story and --since, print what one story gained since a date."""
    _require_store(db)
    if since or story_id:
        if not (since and story_id):
            raise click.UsageError("--since and --story go together")
        click.echo(_story_update(db, story_id, since, as_json), nl=False)
        return
    if out_dir is None:
        raise click.UsageError("Missing option '--out' (or --story and --since)")
    _check_out(out_dir)
    with _pipeline(db, {}) as pipeline:
        result = pipeline.result()
    _write(result, out_dir)
    click.echo(f"{len(result.stories)} stories from {len(result.articles)} articles in {out_dir}")


def _story_update(db: str, story_id: str, since: str, as_json: bool) -> str:
    """The update of a stored story, from the store's kept parses (no spaCy run), cited as in report.md."""
    from newsfuse.changes import story_update
    from newsfuse.codec import article_record, dumps, story_record, update_record
    from newsfuse.report.update import render_update
    from newsfuse.view.changes import changes_view
    from newsfuse.view.story import story_view

    with _pipeline(db, {}) as pipeline:
        result = pipeline.result()
        story = next((s for s in result.stories if s.id == story_id), None)
        if story is None:
            raise click.ClickException(f"no story with id {story_id!r} in {redact_url(db)}")
        members = pipeline.store.parsed_members(story_id)
        update = story_update(story_id, members, since, pipeline.config.pipeline)
    if as_json:
        return dumps(update_record(update))
    articles = {a.id: a for a in result.articles}
    view = story_view(story_record(story), [article_record(articles[i]) for i in story.article_ids])
    return render_update(story.title, changes_view(view, update, since))


STORIES_OPTION = click.option(
    "--stories",
    "stories_path",
    default="newsfuse-out/stories.json",
    type=click.Path(path_type=Path),
    show_default=True,
    help="A run's stories.json, or its output folder.",
)


@main.command("outlets")
@click.option("--db", "db", default=None, help="Read a store (SQLite file or postgresql:// URL) instead.")
@STORIES_OPTION
@click.option(
    "--outlets",
    "outlets_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Outlet profiles to check [default: those the store or stories.json keeps].",
)
def outlets_command(db: str | None, stories_path: Path, outlets_file: Path | None) -> None:
    """Every outlet of the articles with its article count and profile; outlets without one are listed last."""
    from newsfuse.outlets import outlet_counts, read_outlets
    from newsfuse.records import OutletProfiles

    articles, kept = _articles_and_outlets(db, stories_path)
    profiles = read_outlets(outlets_file) if outlets_file else kept or OutletProfiles()
    counts = outlet_counts(articles, profiles)
    for count in counts:
        profile = profiles.by_name(count.outlet)
        fields = " ".join(f"{k}={v}" for k, v in profile.fields) if profile else ""
        click.echo(
            f"{count.articles:8d}  {visible(count.outlet)}  {fields if count.profiled else 'no profile'}".rstrip()
        )
    unknown = [c.outlet for c in counts if not c.profiled]
    seen = {c.outlet for c in counts}
    unused = [p.outlet for p in profiles.profiles if p.outlet not in seen]
    click.echo(f"{len(counts)} outlets, {len(counts) - len(unknown)} with a profile; {len(articles)} articles")
    if unknown:
        click.echo(f"no profile ({len(unknown)}): {', '.join(map(visible, unknown))}")
    if unused:
        click.echo(f"profiles matching no article ({len(unused)}): {', '.join(map(visible, unused))}")


def _articles_and_outlets(db: str | None, stories_path: Path) -> tuple[list[Article], OutletProfiles | None]:
    """The articles and kept outlet profiles of a store (``db``) or of a stories.json."""
    from newsfuse.codec import article_from_record, document_outlets

    if db:
        from newsfuse.store import Store

        _require_store(db)
        store = Store(db)
        try:
            return store.articles(), store.outlets()
        finally:
            store.close()
    from newsfuse.web.reader import load_document

    document = load_document(stories_path)
    return [article_from_record(a) for a in document["articles"]], document_outlets(document)


def _require_store(db: str, hint: str = "create one with 'newsfuse add'") -> None:
    """A SQLite store must exist already: a misspelt --db never becomes a new empty store."""
    if "://" not in db and not Path(db).is_file():
        raise click.ClickException(f"no store at {db} ({hint})")


def _check_out(out_dir: Path) -> None:
    from newsfuse.report.outputs import check_out_dir

    check_out_dir(out_dir)


def _write(result: RunResult, out_dir: Path) -> None:
    from newsfuse.report.outputs import write_outputs

    write_outputs(result, out_dir)


def report_skipped(skipped: Iterable[Skipped]) -> None:
    """Every skipped input on stderr, one line each, even with --quiet; control characters made visible."""
    from rich.console import Console

    console = Console(stderr=True)
    for item in skipped:
        line = f"[yellow]skipped[/] {console_safe(item.path)}: {console_safe(item.reason)}"
        console.print(line, highlight=False, soft_wrap=True)


def sample_corpus() -> Path:
    """The bundled corpus, relative to the working directory when inside it, for stable paths."""
    path = Path(str(resources.files("newsfuse") / SAMPLE_CORPUS)).resolve()
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


@main.command()
@STORIES_OPTION
@click.option("--db", "db", default=None, help="Serve a store (SQLite file or postgresql:// URL) instead.")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on; 0.0.0.0 for every interface."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="TCP port to listen on.")
@click.option("--allow-writes", is_flag=True, help="Enable POST /api/articles.")
@click.option(
    "--write-token",
    envvar=WRITE_TOKEN_VARIABLE,
    show_envvar=True,
    help="Require 'Authorization: Bearer TOKEN' for writes.",
)
@click.option("--create", is_flag=True, help="With --db: create an empty SQLite store when the file does not exist.")
@click.option(
    "--thread-every",
    default="30s",
    show_default=True,
    help="With --db: how often stories changed by writes are threaded again: 30s, 1m.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="With --db: server processes answering side by side (one per CPU core serves most clients).",
)
@pipeline_options
@setting_option(
    "--blindspot-share",
    "newsfuse.outlets.blindspots:BLINDSPOT_SHARE",
    "/blindspots: least share of a story's lean-rated outlets that share one lean.",
    type=click.FloatRange(0.0, 1.0, min_open=True),
)
@setting_option(
    "--blindspot-min",
    "newsfuse.outlets.blindspots:BLINDSPOT_MIN",
    "/blindspots: least number of lean-rated outlets.",
    type=click.IntRange(1),
)
@LOG_LEVEL_OPTION
@click.pass_context
def serve(
    ctx: click.Context,
    stories_path: Path,
    db: str | None,
    host: str,
    port: int,
    allow_writes: bool,
    write_token: str | None,
    create: bool,
    thread_every: str,
    workers: int,
    blindspot_share: float,
    blindspot_min: int,
    log_level: str,
    **settings: Any,
) -> None:
    """Serve the stories of a run (or of a store) as web pages and a JSON API.

    --port 0 takes a free port; the line on stderr names the one bound. Articles added over the
    API make stories with the settings the store or stories.json was made with.
    """
    with needs("web"):
        import uvicorn

        from newsfuse.web import create_app
        from newsfuse.web.outlets import BlindspotOptions
        from newsfuse.web.reader import load_document
        from newsfuse.web.serving import BackgroundUpkeep, StoreStories, ready_to_serve, serve_in_workers
        from newsfuse.web.writes import LiveStories

    _check_token(allow_writes, write_token)
    threading_seconds = _duration(thread_every, "--thread-every")
    if workers > 1 and not db:
        raise click.UsageError("--workers needs --db: the workers share a store")
    if workers > 1 and not hasattr(os, "fork"):
        raise click.UsageError("--workers needs a system that forks processes (Linux, macOS)")
    outlets = chosen_outlets(ctx)
    blindspots = BlindspotOptions(blindspot_share, blindspot_min)

    def server(stories: LiveStories | StoreStories) -> uvicorn.Server:
        app = create_app(stories, allow_writes, write_token, blindspots)
        config = uvicorn.Config(app, host=host, port=port, log_config=None, log_level=configure_logging(log_level))
        return uvicorn.Server(config)

    sockets = _listen(host, port, workers)  # connections wait from the moment the port is printed
    with ExitStack() as stack:
        for sock in sockets:
            stack.callback(sock.close)
        if not db:
            stories = LiveStories(load_document(stories_path), chosen_settings(ctx), str(stories_path), outlets)
            if allow_writes:
                stories.check_writable()
        else:
            if not create:
                _require_store(db, "pass --create to start an empty one")
            pipeline = stack.enter_context(_pipeline(db, chosen_settings(ctx), outlets=outlets))
            ready_to_serve(pipeline)
        if allow_writes and not write_token and host not in LOOPBACK_HOSTS:
            click.echo(f"warning: anyone who can reach {host} may add articles; consider --write-token", err=True)
        served = redact_url(db) if db else visible(str(stories_path))
        bound = sockets[0].getsockname()[1]
        click.echo(f"Serving {served} on http://{host}:{bound}/ (writes {'on' if allow_writes else 'off'})", err=True)
        if not db:
            server(stories).run(sockets=sockets)
        elif workers == 1:
            served_store = stack.enter_context(closing(StoreStories(pipeline)))
            stack.enter_context(BackgroundUpkeep(pipeline, threading_seconds, served_store.lock))
            server(served_store).run(sockets=sockets)
        else:

            def serve_one(sock: socket.socket) -> None:
                with _pipeline(db, chosen_settings(ctx), outlets=outlets) as own, closing(StoreStories(own)) as mine:
                    server(mine).run(sockets=[sock])

            if serve_in_workers(sockets, serve_one, BackgroundUpkeep(pipeline, threading_seconds)):
                raise click.ClickException("a server worker ended, so the service stopped (see the log above)")


def _listen(host: str, port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets on one address (port 0 takes a free one), a worker's each: with
    ``SO_REUSEPORT`` the kernel spreads new connections over them, where workers accepting on one
    socket leave most connections to whichever wakes first."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if count > 1:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, sockets[0].getsockname()[1] if len(sockets) > 1 else port))
            sock.listen(2048)
    except OSError as error:
        for sock in sockets:
            sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    return sockets


def _check_token(allow_writes: bool, write_token: str | None) -> None:
    """A token given but empty (an unset shell variable) would turn authentication off: refuse it."""
    given = write_token if write_token is not None else os.environ.get(WRITE_TOKEN_VARIABLE)
    if allow_writes and given is not None and not given.strip():
        raise click.ClickException(f"the write token is empty (--write-token or {WRITE_TOKEN_VARIABLE})")


@contextmanager
def _progress(console: Console) -> Iterator[ProgressCallback]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        yield update


@main.group(name="eval")
def eval_group() -> None:
    """Score a stage against gold labels on real data."""


@eval_group.command("dedup")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@setting_option("--threshold", "newsfuse.dedup:DedupConfig.threshold", "Estimated Jaccard to join.", type=float)
def eval_dedup(data: Path, threshold: float) -> None:
    """Pair precision, recall and F1 of duplicate groups on DATA (JSONL with a gold 'wire' field)."""
    from newsfuse.dedup import DedupConfig
    from newsfuse.evaluate.dedup import evaluate_dedup

    outcome = evaluate_dedup(data, DedupConfig(threshold=threshold))
    scores = outcome.scores
    click.echo(
        f"threshold {threshold}: precision {scores.precision:.3f} recall {scores.recall:.3f} f1 {scores.f1:.3f}; "
        f"{outcome.groups} groups in {outcome.articles} articles, {outcome.per_second:.0f} documents/s"
    )


@eval_group.command("wire-copies")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", default=1, show_default=True, help="Random seed: the same seed writes the same copies.")
def eval_wire_copies(source: Path, out: Path, seed: int) -> None:
    """Write OUT: SOURCE's articles (JSONL) plus seeded wire copies, each with its gold 'wire' id."""
    from newsfuse.evaluate.synthetic import wire_copies

    originals = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = wire_copies(originals, seed)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    click.echo(f"{len(records)} articles ({len(records) - len(originals)} copies) in {out}")


PEERS = click.option("--peers/--no-peers", default=True, show_default=True, help="Also score the installed peer.")
CLUSTER_SETTINGS = click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a clustering setting (a field of ClusterConfig), e.g. --set time_penalty=0.1; repeatable.",
)


def cluster_settings(settings: tuple[str, ...]) -> ClusterConfig:
    """The ``--set`` overrides as a ClusterConfig, or a usage error naming the bad one."""
    from newsfuse.cluster.online import cluster_config

    try:
        return cluster_config(settings)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--set") from error


@eval_group.command(name="clustering")
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@setting_option(
    "--baseline-threshold", "newsfuse.evaluate.clustering:BASELINE_THRESHOLD", "TF-IDF baseline threshold.", type=float
)
@click.option(
    "--sweep", is_flag=True, help="Also print the baseline's and BERTopic's B-cubed F1 over a grid of their settings."
)
@CLUSTER_SETTINGS
@click.option(
    "--threads",
    "thread_data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also score a whole run's threads and stories on this topic-level gold, as `eval threads` does; repeatable.",
)
@PEERS
@PARSE_CACHE
def eval_clustering(
    data: tuple[Path, ...],
    baseline_threshold: float,
    sweep: bool,
    settings: tuple[str, ...],
    thread_data: tuple[Path, ...],
    peers: bool,
    parse_cache: Path | None,
) -> None:
    """B-cubed and pairwise scores of the clustering, a TF-IDF baseline and BERTopic (where installed) on each DATA
    (gold field: story), and, given several, on all of them as one denser stream; with ``--threads``, thread-level
    figures in the same table."""
    from rich.console import Console

    from newsfuse.evaluate.clustering import (
        baseline_sweep,
        bertopic_sweep,
        clustering_table,
        evaluate_clustering,
        evaluate_stream,
        evaluate_threads,
    )
    from newsfuse.ingest import read_inputs

    config = cluster_settings(settings)
    corpora = articles_by_set(data)
    peer = _bertopic(peers)
    rows = {
        name: evaluate_clustering(texts, baseline_threshold, parse_cache, config, peer)
        for name, texts in corpora.items()
    }
    if len(corpora) > 1:
        rows["one stream"] = evaluate_stream(corpora, baseline_threshold, parse_cache, config, peer)
    for path in thread_data:
        ingested = read_inputs([path])
        report_skipped(ingested.skipped)
        threads = evaluate_threads(ingested.articles, baseline_threshold, parse_cache, config, events=corpora)
        rows[f"{path.stem} (threads)"] = threads.rows
        rows |= one_store_rows(path.stem, threads.in_one_store)
    console = Console(width=120)
    console.print(clustering_table(rows, baseline_threshold))
    for name, articles in corpora.items() if sweep else ():
        for threshold, swept in baseline_sweep(articles):
            console.print(f"{name}: baseline threshold {threshold:.3f}: B3 F1 {swept.f1:.3f}", highlight=False)
        for size, swept in bertopic_sweep(articles, peer) if peer else ():
            console.print(f"{name}: bertopic min_cluster_size {size}: B3 F1 {swept.f1:.3f}", highlight=False)


def articles_by_set(paths: Iterable[Path]) -> dict[str, tuple[Article, ...]]:
    """Each gold set's articles, by its file's stem; what a file skips is reported."""
    from newsfuse.ingest import read_inputs

    sets = {}
    for path in paths:
        ingested = read_inputs([path])
        report_skipped(ingested.skipped)
        sets[path.stem] = ingested.articles
    return sets


def one_store_rows(
    topic_set: str, in_one_store: Mapping[str, list[ClusteringScores]]
) -> dict[str, list[ClusteringScores]]:
    """``ThreadEvaluation.in_one_store``'s rows, named for the table."""
    return {in_one_store_name(name or topic_set): rows for name, rows in in_one_store.items()}


def in_one_store_name(data_set: str) -> str:
    """How the table and the halves' lines name a set's figures in the store that holds every set."""
    return f"one store: {data_set}"


@eval_group.command(name="threads")
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@setting_option(
    "--baseline-threshold", "newsfuse.evaluate.clustering:BASELINE_THRESHOLD", "TF-IDF baseline threshold.", type=float
)
@click.option("--sweep", is_flag=True, help="Also score the same stories threaded at each of a grid of thresholds.")
@click.option(
    "--events",
    "event_data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also thread each DATA in one store with this event-level gold set (field: story; topic, where there "
    "is one), and score every set's threads there; repeatable.",
)
@PARSE_CACHE
def eval_threads(
    data: tuple[Path, ...],
    baseline_threshold: float,
    sweep: bool,
    event_data: tuple[Path, ...],
    parse_cache: Path | None,
) -> None:
    """Threads and stories of a whole run against topic-level gold (field: story), beside a TF-IDF baseline."""
    from rich.console import Console

    from newsfuse.evaluate.clustering import THREAD_SWEEP, clustering_table, evaluate_threads
    from newsfuse.ingest import read_inputs

    events = articles_by_set(event_data)
    rows, halves = {}, {}
    for path in data:
        ingested = read_inputs([path])
        report_skipped(ingested.skipped)
        thresholds = THREAD_SWEEP if sweep else ()
        threads = evaluate_threads(
            ingested.articles, baseline_threshold, parse_cache, thread_thresholds=thresholds, events=events
        )
        rows[path.stem] = threads.rows
        rows |= one_store_rows(path.stem, threads.in_one_store)
        if threads.halves is not None:
            halves[path.stem] = threads.halves
        if threads.in_one_store_halves is not None:
            halves[in_one_store_name(path.stem)] = threads.in_one_store_halves
    console = Console(width=120)
    console.print(clustering_table(rows, baseline_threshold))
    for name, left_out in halves.items():
        console.print(
            f"{name}: thread threshold chosen on half the topics, {left_out.fits} fits: B3 F1"
            f" {left_out.fitted:.3f} there, {left_out.left_out:.3f} on the other half"
            f" ({left_out.shipped:.3f} at the shipped threshold)",
            highlight=False,
        )


@eval_group.command(name="fit-clustering")
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the fitted join model here (newsfuse/cluster/join_model.json is the one shipped).",
)
@CLUSTER_SETTINGS
@PEERS
@PARSE_CACHE
def eval_fit_clustering(
    data: tuple[Path, ...], out_file: Path | None, settings: tuple[str, ...], peers: bool, parse_cache: Path | None
) -> None:
    """Fit the join model on event-level gold sets (field: story) and score each set leave-one-set-out,
    beside the TF-IDF baseline and BERTopic (where installed) with their setting chosen the same way."""
    from rich.console import Console

    from newsfuse.evaluate.join_fit import event_sets, fit_join_model, leave_one_set_out, leave_one_set_out_table

    config = cluster_settings(settings)
    sets = event_sets(data, parse_cache, report_skipped)
    model = fit_join_model(sets, config)
    if out_file:
        out_file.write_text(model.to_json(), encoding="utf-8")
    else:
        click.echo(model.to_json(), nl=False)
    held_out = leave_one_set_out(sets, model, config, peer=_bertopic(peers))
    Console(width=140).print(leave_one_set_out_table(held_out))


def _bertopic(wanted: bool) -> BertopicPeer | None:
    """The BERTopic peer when ``--peers`` and installed; else None, saying why when it was wanted."""
    from newsfuse.evaluate.clustering import bertopic_peer

    peer = bertopic_peer() if wanted else None
    if wanted and not peer:
        click.echo("bertopic  not installed (pip install -e '.[bertopic]'): no peer figures")
    return peer


def parsed_groups(data: Path, group_by: str, parse_cache: Path | None) -> list[Group]:
    from newsfuse.ingest import read_inputs
    from newsfuse.nlp.cache import parse_cached
    from newsfuse.summarize.groups import groups_by

    ingested = read_inputs([data])
    report_skipped(ingested.skipped)
    groups = groups_by(parse_cached(ingested.articles, parse_cache), group_by)
    if not groups:
        raise click.ClickException(f"no article of {data} has the field {group_by!r}")
    return groups


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--group-by", required=True, help="Article field that names each article's group.")
@WORDS_OPTION
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="JSONL [default: stdout].")
@PARSE_CACHE
def digest(data: Path, group_by: str, words: int, out_file: Path | None, parse_cache: Path | None) -> None:
    """One cited digest per group of articles in DATA, as JSON lines {"group", "digest"}."""
    from newsfuse.summarize.digest import DigestConfig
    from newsfuse.summarize.groups import digest_lines

    lines = digest_lines(parsed_groups(data, group_by, parse_cache), DigestConfig(words=words))
    with click.open_file(str(out_file or "-"), "w", encoding="utf-8") as out:
        for line in lines:
            out.write(line + "\n")


@eval_group.command(name="summaries")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--group-by", required=True, help="Article field that names each article's group.")
@click.option("--reference", required=True, help="JSONL file of {FIELD, references} lines, or an article field.")
@click.option("--words", default=250, show_default=True, help="Summary length in words, for every system.")
@PARSE_CACHE
def eval_summaries(data: Path, group_by: str, reference: str, words: int, parse_cache: Path | None) -> None:
    """ROUGE of the digests and of LexRank, TextRank and lead baselines against reference summaries."""
    from rich.console import Console

    with needs("eval"):
        from newsfuse.evaluate.summaries import evaluate_summaries, load_references, summaries_table

    groups = parsed_groups(data, group_by, parse_cache)
    references = load_references(reference, groups, group_by)
    scored = sum(1 for g in groups if references.get(json.dumps(g.value, sort_keys=True)))
    if not scored:
        raise click.ClickException(f"no group of {data} has references in {reference}")
    rows = list(evaluate_summaries(groups, references, words))
    Console(width=120).print(summaries_table(rows, words, scored))


HALF = click.option(
    "--half",
    type=click.IntRange(0, 1),
    help="Score only one half of DATA (split by a hash of the article id), for fit-on-one/score-on-the-other.",
)
EXAMPLES = click.option("--examples", default=0, show_default=True, help="Print this many examples per error class.")


def _error_classes(errors: Counter[str], examples: Mapping[str, list[str]], shown: int) -> None:
    click.echo("error classes:")
    for name, count in errors.most_common():
        click.echo(f"  {count:5d}  {name}")
        for example in examples.get(name, [])[:shown]:
            click.echo(f"         {example}")


@eval_group.command(name="quotes")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@HALF
@EXAMPLES
@PEERS
@PARSE_CACHE
def eval_quotes(data: Path, half: int | None, examples: int, peers: bool, parse_cache: Path | None) -> None:
    """Direct quotes found and their speakers against gold attributions (PolNeAR-style JSONL)."""
    from newsfuse.evaluate import attribution

    rows = attribution.read_gold(data)
    timed = attribution.parse_gold(rows, parse_cache)
    records = {article.id: record for article, record in rows}
    started = time.perf_counter()
    quotes = attribution.system_quotes(timed.parsed)
    seconds = time.perf_counter() - started
    scored = [p for p in timed.parsed if half is None or attribution.half(p.id) == half]
    label = f"half {half}" if half is not None else "all"
    click.echo(f"{len(scored)} articles ({label}); parse {timed.seconds:.1f} s, quotes {seconds:.2f} s")
    scores = attribution.score_quotes(scored, records, quotes)
    for line in scores.lines():
        click.echo("newsfuse  " + line)
    peer = attribution.textacy_quotes(scored) if peers else None
    if peers and peer is None:
        click.echo("textacy   not installed (pip install -e '.[eval]'): no peer figures")
    for line in attribution.score_quotes(scored, records, peer).lines() if peer is not None else ():
        click.echo("textacy   " + line)
    _error_classes(scores.errors, scores.examples, examples)


@eval_group.command(name="dates")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@HALF
@EXAMPLES
@PARSE_CACHE
def eval_dates(data: Path, half: int | None, examples: int, parse_cache: Path | None) -> None:
    """Resolvable DATE expressions found and normalised against gold TIMEX3 (TempEval-style JSONL)."""
    from newsfuse.evaluate import attribution

    rows = [row for row in attribution.read_gold(data) if half is None or attribution.half(row[0].id) == half]
    timed = attribution.parse_gold(rows, parse_cache)
    records = {article.id: record for article, record in rows}
    started = time.perf_counter()
    ours = [(p.id, p.article.text, records[p.id]["timexes"], attribution.newsfuse_dates(p)) for p in timed.parsed]
    seconds = time.perf_counter() - started
    label = f"half {half}" if half is not None else "all"
    click.echo(f"{len(rows)} documents ({label}); parse {timed.seconds:.1f} s, dates {seconds:.2f} s")
    scores = attribution.score_dates(ours, attribution.DateScores())
    for line in scores.lines("newsfuse  "):
        click.echo(line)
    peer = [
        (
            article.id,
            article.text,
            record["timexes"],
            attribution.cut_to(attribution.dateparser_dates(article.text, article.published), record["timexes"]),
        )
        for article, record in rows
    ]
    for line in attribution.score_dates(peer, attribution.DateScores()).lines("dateparser"):
        click.echo(line)
    _error_classes(scores.errors, scores.examples, examples)


@eval_group.command(name="update")
@click.argument("data", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--group-by", default="story", show_default=True, help="Article field that names each gold group.")
@click.option("--reference", "references", multiple=True, help="JSONL file of {FIELD, references} lines; repeatable.")
@click.option("--words", default=100, show_default=True, help="Length of both digests in words.")
@setting_option(
    "--covered-weight",
    "newsfuse.summarize.digest:DigestConfig.covered_weight",
    "Weight of a term the earlier articles used.",
    type=float,
)
@PARSE_CACHE
def eval_update(
    data: tuple[Path, ...],
    group_by: str,
    references: tuple[str, ...],
    words: int,
    covered_weight: float,
    parse_cache: Path | None,
) -> None:
    """Each gold group split at its median date: novelty and ROUGE-1 of the update digest of the newer
    articles against a plain digest of them, per DATA."""
    from rich.console import Console

    with needs("eval"):
        from newsfuse.evaluate.summaries import load_references
        from newsfuse.evaluate.update import evaluate_update, update_table

    rows = {}
    for path in data:
        groups = parsed_groups(path, group_by, parse_cache)
        refs = {key: texts for spec in references for key, texts in load_references(spec, groups, group_by).items()}
        rows[path.stem] = evaluate_update(groups, refs, words, covered_weight)
    Console(width=140).print(update_table(rows, words, covered_weight))
