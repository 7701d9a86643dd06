"""The ``newsfuse`` command line."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from importlib import resources
from pathlib import Path

import click
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsfuse.analyze.claims import AlignConfig
from newsfuse.cluster.blocks import BlockConfig
from newsfuse.cluster.online import cluster_config
from newsfuse.dedup import DedupConfig
from newsfuse.evaluate.clustering import BASELINE_THRESHOLD, baseline_sweep, clustering_table, evaluate_clustering
from newsfuse.evaluate.dedup import evaluate_dedup
from newsfuse.evaluate.synthetic import wire_copies
from newsfuse.ingest import read_inputs
from newsfuse.ingest.options import FetchPolicy, IngestOptions
from newsfuse.nlp.cache import parse_cached
from newsfuse.pipeline import PipelineConfig, ProgressCallback, RunResult, run_pipeline
from newsfuse.records import Skipped
from newsfuse.report.html import render_html
from newsfuse.report.markdown import render_markdown
from newsfuse.report.stories_json import dumps, stories_document
from newsfuse.store import AddOutcome, IncrementalPipeline, Store, StoreConfig, StoreError
from newsfuse.store.check import check_store
from newsfuse.store.incremental import Parser, parse_one
from newsfuse.store.serving import StoreStories
from newsfuse.store.watch import Watcher, parse_duration, watch
from newsfuse.summarize.digest import DigestConfig
from newsfuse.summarize.groups import Group, digest_lines, groups_by
from newsfuse.web import create_app
from newsfuse.web.reader import StoriesFileError, load_document
from newsfuse.web.writes import LiveStories

SAMPLE_CORPUS = "samples"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@click.group()
@click.version_option(package_name="newsfuse")
def main() -> None:
    """Turn many articles about the same events into cited stories."""


FETCH_OPTION = click.option("--fetch", is_flag=True, help="Fetch the page each feed entry links to and use its text.")
PRIVATE_OPTION = click.option(
    "--allow-private", is_flag=True, help="Allow fetching from private, loopback and link-local addresses."
)


def ingest_options(fetch: bool, allow_private: bool) -> IngestOptions:
    return IngestOptions(fetch=FetchPolicy(pages=fetch, allow_private=allow_private))


@main.command()
@click.argument("inputs", nargs=-1)
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
@FETCH_OPTION
@PRIVATE_OPTION
def run(
    inputs: tuple[str, ...],
    out_dir: Path,
    words: int,
    consensus: float | None,
    quiet: bool,
    fetch: bool,
    allow_private: bool,
) -> None:
    """Cluster INPUTS (files, folders or feed URLs; default: the bundled sample corpus) into stories."""
    ingested = read_inputs(list(inputs) or [sample_corpus()], ingest_options(fetch, allow_private))
    report_skipped(ingested.skipped)
    config = PipelineConfig(digest=DigestConfig(words=words), analysis=AlignConfig(consensus=consensus))
    with _progress(Console(stderr=True, quiet=quiet)) as progress:
        result = run_pipeline(ingested.articles, ingested.skipped, config, progress)
    write_outputs(result, out_dir)
    if not quiet:
        Console().print(summary_table(result))
        Console().print(f"Report: {out_dir / 'report.html'} (also report.md, stories.json)", highlight=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--scheduler", default="local", show_default=True, help="A Dask scheduler address, or 'local'.")
@click.option("--workers", default=2, show_default=True, help="Worker processes of a local cluster.")
@click.option("--partition-size", default=32, show_default=True, help="Input per task, in MB.")
@click.option("--json-limit", default=100_000, show_default=True, help="Write stories.json up to this many articles.")
@click.option("--words", default=DigestConfig.words, show_default=True, help="Digest length in words.")
@click.option(
    "--cluster",
    "cluster_mode",
    type=click.Choice(["client", "blocks"]),
    default="client",
    show_default=True,
    help="Cluster on the client, exactly as 'run', or in time blocks on the workers (docs/batch.md).",
)
@click.option(
    "--block-days", default=BlockConfig.days, show_default=True, type=click.IntRange(1), help="Days per block."
)
@click.option(
    "--lead-in",
    default=BlockConfig.lead_in,
    show_default=True,
    type=click.IntRange(0),
    help="Blocks read before each block.",
)
def batch(
    inputs: tuple[Path, ...],
    out_dir: Path,
    scheduler: str,
    workers: int,
    partition_size: int,
    json_limit: int,
    words: int,
    cluster_mode: str,
    block_days: int,
    lead_in: int,
) -> None:
    """Run on a Dask cluster: Parquet parts under DIR, plus stories.json for small corpora."""
    from distributed import Client, LocalCluster

    from newsfuse.batch.run import run_batch

    config = PipelineConfig(digest=DigestConfig(words=words))
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    with client:
        blocks = BlockConfig(block_days, lead_in) if cluster_mode == "blocks" else None
        outcome = run_batch(client, inputs, out_dir, config, partition_size << 20, json_limit, blocks)
    for skipped in outcome.skipped:
        Console(stderr=True).print(
            f"[yellow]skipped[/] {skipped.path}: {skipped.reason}", highlight=False, soft_wrap=True
        )
    if outcome.result is not None:
        write_outputs(outcome.result, out_dir)
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
    help="SQLite file, or a postgresql:// URL.",
)
CLOSE_OPTION = click.option(
    "--close-after-days",
    default=StoreConfig.close_after_days,
    show_default=True,
    type=click.IntRange(1),
    help="Close stories with no new article for this many days of publication time.",
)


@contextmanager
def _pipeline(
    db: str, close_after_days: int = StoreConfig.close_after_days, parse: Parser = parse_one
) -> Iterator[IncrementalPipeline]:
    try:
        store = Store(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from None
    try:
        yield IncrementalPipeline(store, StoreConfig(close_after_days=close_after_days), parse)
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
@click.option("--quiet", is_flag=True, help="No progress bar.")
@FETCH_OPTION
@PRIVATE_OPTION
def add(inputs: tuple[str, ...], db: str, close_after_days: int, quiet: bool, fetch: bool, allow_private: bool) -> None:
    """Add INPUTS (files, folders or feed URLs) to the store; only the stories they join are analysed again."""
    ingested = read_inputs(inputs, ingest_options(fetch, allow_private))
    report_skipped(ingested.skipped)
    with _pipeline(db, close_after_days) as pipeline, _progress(Console(stderr=True, quiet=quiet)) as progress:
        outcome = pipeline.add(ingested.articles, ingested.skipped, progress)
    click.echo(_added(outcome))


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@DB_OPTION
@CLOSE_OPTION
@click.option("--quiet", is_flag=True, help="No progress bar.")
def load(out_dir: Path, db: str, close_after_days: int, quiet: bool) -> None:
    """Add the articles of a 'batch' output folder to the store, with their parses (no spaCy run).

    The store clusters them itself, in publication order, so that later adds build on its
    clustering state: the stories are those 'add' would make of the same articles.
    """
    from newsfuse.batch.parquet import BatchOutputError, read_batch_output

    try:
        output = read_batch_output(out_dir)
    except BatchOutputError as err:
        raise click.ClickException(str(err)) from None
    with (
        _pipeline(db, close_after_days, output.parse) as pipeline,
        _progress(Console(stderr=True, quiet=quiet)) as progress,
    ):
        outcome = pipeline.add(output.articles, output.skipped, progress)
    click.echo(_added(outcome))


@main.command("watch")
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, help="Time between polls: 30s, 10m, 1h.")
@DB_OPTION
@CLOSE_OPTION
@FETCH_OPTION
@PRIVATE_OPTION
def watch_command(
    sources: tuple[str, ...], every: str, db: str, close_after_days: int, fetch: bool, allow_private: bool
) -> None:
    """Add new files under FOLDERs and new entries of FEED_URLs every so often, until Ctrl-C or SIGTERM."""
    try:
        seconds = parse_duration(every)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--every") from None
    signal.signal(signal.SIGTERM, _interrupt)
    with _pipeline(db, close_after_days) as pipeline:
        try:
            watch(
                Watcher(pipeline, sources, ingest_options(fetch, allow_private)),
                seconds,
                lambda outcome: click.echo(_added(outcome)),
            )
        except KeyboardInterrupt:
            click.echo("stopped", err=True)


@main.command()
@DB_OPTION
def check(db: str) -> None:
    """Check the store's integrity: the database, its schema and the links between articles and stories."""
    if "://" not in db and not Path(db).is_file():
        raise click.ClickException(f"no store at {db}")
    try:
        store = Store(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from None
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
        click.echo(f"{len(report.problems)} problems in {db}: {summary}", err=True)
        raise SystemExit(1)
    click.echo(f"{db} is sound: {summary}")


@main.command()
@DB_OPTION
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path))
def export(db: str, out_dir: Path) -> None:
    """Write stories.json, report.md and report.html from the store, as ``run`` does."""
    if "://" not in db and not Path(db).is_file():
        raise click.ClickException(f"no store at {db} (create one with 'newsfuse add')")
    with _pipeline(db) as pipeline:
        result = pipeline.result()
    write_outputs(result, out_dir)
    click.echo(f"{len(result.stories)} stories from {len(result.articles)} articles in {out_dir}")


def report_skipped(skipped: Iterable[Skipped]) -> None:
    """Every skipped input on stderr, one line each, even with --quiet."""
    console = Console(stderr=True)
    for item in skipped:
        console.print(f"[yellow]skipped[/] {item.path}: {item.reason}", highlight=False, soft_wrap=True)


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


@main.command()
@click.option(
    "--stories",
    "stories_path",
    default="newsfuse-out/stories.json",
    type=click.Path(path_type=Path),
    show_default=True,
    help="A run's stories.json, or its output folder.",
)
@click.option("--db", "db", default=None, help="Serve a store (SQLite file or postgresql:// URL) instead.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-writes", is_flag=True, help="Enable POST /api/articles.")
@click.option("--write-token", envvar="NEWSFUSE_WRITE_TOKEN", help="Require 'Authorization: Bearer TOKEN' for writes.")
def serve(
    stories_path: Path, db: str | None, host: str, port: int, allow_writes: bool, write_token: str | None
) -> None:
    """Serve the stories of a run (or of a store) as web pages and a JSON API."""
    with ExitStack() as stack:
        stories: LiveStories | StoreStories
        if db:
            stories = StoreStories(stack.enter_context(_pipeline(db)))
        else:
            try:
                stories = LiveStories(load_document(stories_path))
                if allow_writes:
                    stories.check_writable()
            except StoriesFileError as err:
                raise click.ClickException(str(err)) from None
        if allow_writes and not write_token and host not in LOOPBACK_HOSTS:
            click.echo(f"warning: anyone who can reach {host} may add articles; consider --write-token", err=True)
        served = db or stories_path
        click.echo(f"Serving {served} on http://{host}:{port}/ (writes {'on' if allow_writes else 'off'})", err=True)
        uvicorn.run(create_app(stories, allow_writes, write_token), host=host, port=port, log_level="warning")


@contextmanager
def _progress(console: Console) -> Iterator[ProgressCallback]:
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
@click.option("--threshold", default=DedupConfig.threshold, show_default=True, help="Estimated Jaccard to join.")
def eval_dedup(data: Path, threshold: float) -> None:
    """Pair precision, recall and F1 of duplicate groups on DATA (JSONL with a gold 'wire' field)."""
    outcome = evaluate_dedup(data, DedupConfig(threshold=threshold))
    scores = outcome.scores
    click.echo(
        f"threshold {threshold}: precision {scores.precision:.3f} recall {scores.recall:.3f} f1 {scores.f1:.3f}; "
        f"{outcome.groups} groups in {outcome.articles} articles, {outcome.per_second:.0f} documents/s"
    )


@eval_group.command("wire-copies")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--seed", default=1, show_default=True)
def eval_wire_copies(source: Path, out: Path, seed: int) -> None:
    """Write OUT: SOURCE's articles (JSONL) plus seeded wire copies, each with its gold 'wire' id."""
    originals = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = wire_copies(originals, seed)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    click.echo(f"{len(records)} articles ({len(records) - len(originals)} copies) in {out}")


PARSE_CACHE = click.option(
    "--parse-cache",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="NEWSFUSE_PARSE_CACHE",
    help="Keep parsed corpora in this folder, keyed by content and model version (off by default).",
)


@eval_group.command(name="clustering")
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--baseline-threshold", default=BASELINE_THRESHOLD, show_default=True, help="TF-IDF baseline threshold.")
@click.option("--sweep", is_flag=True, help="Also print the baseline's B-cubed F1 over a grid of thresholds.")
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a clustering setting (a field of ClusterConfig), e.g. --set time_penalty=0.1; repeatable.",
)
@PARSE_CACHE
def eval_clustering(
    data: Path, baseline_threshold: float, sweep: bool, settings: tuple[str, ...], parse_cache: Path | None
) -> None:
    """B-cubed and pairwise scores of the clustering and a TF-IDF baseline on DATA (gold field: story)."""
    try:
        config = cluster_config(settings)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--set") from error
    ingested = read_inputs([data])
    report_skipped(ingested.skipped)
    console = Console(width=120)
    scores = evaluate_clustering(ingested.articles, baseline_threshold, parse_cache, config)
    console.print(clustering_table(scores, baseline_threshold))
    if sweep:
        for threshold, swept in baseline_sweep(ingested.articles):
            console.print(f"baseline threshold {threshold:.3f}: B3 F1 {swept.f1:.3f}", highlight=False)


def parsed_groups(data: Path, group_by: str, parse_cache: Path | None) -> list[Group]:
    ingested = read_inputs([data])
    report_skipped(ingested.skipped)
    groups = groups_by(parse_cached(ingested.articles, parse_cache), group_by)
    if not groups:
        raise click.ClickException(f"no article of {data} has the field {group_by!r}")
    return groups


@main.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--group-by", required=True, help="Article field that names each article's group.")
@click.option("--words", default=DigestConfig.words, show_default=True, help="Digest length in words.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), help="JSONL [default: stdout].")
@PARSE_CACHE
def digest(data: Path, group_by: str, words: int, out_file: Path | None, parse_cache: Path | None) -> None:
    """One cited digest per group of articles in DATA, as JSON lines {"group", "digest"}."""
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
PEERS = click.option("--peers/--no-peers", default=True, show_default=True, help="Also score the installed peer.")
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
