from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import dask.bag as db
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfuse.batch.dedup import PairedDeduplicator, arrival_key, bare_fingerprint, best_earlier_matches
from newsfuse.batch.parquet import part_path, read_batch_output, write_article_part, write_skipped
from newsfuse.batch.partitions import InputPartition, jsonl_ranges, plan_partitions, read_partition
from newsfuse.batch.run import run_batch
from newsfuse.cli import main
from newsfuse.cluster.blocks import BlockConfig
from newsfuse.codec import result_document
from newsfuse.dedup.minhash import DedupConfig, find_duplicates, fingerprint, group_fingerprints
from newsfuse.evaluate.metrics import bcubed
from newsfuse.evaluate.synthetic import wire_copies
from newsfuse.ingest import read_inputs
from newsfuse.ingest.files import read_file
from newsfuse.ingest.jsonl import parse_jsonl_line
from newsfuse.records import Article, ParsedArticle, RunResult, arrival_order
from newsfuse.store import IncrementalPipeline, Store, StoreConfig

from .conftest import SAMPLES, run_document, seed_paths

line = st.one_of(
    st.builds(lambda t: json.dumps({"title": "T", "text": t}), st.text(min_size=1, max_size=30)),
    st.sampled_from(["", "{broken", "[1, 2]", "   "]),
)


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(line, max_size=25), target=st.integers(min_value=1, max_value=200))
def test_jsonl_ranges_read_like_the_whole_file(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], target: int
) -> None:
    path = tmp_path_factory.mktemp("ranges") / "in.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    ranges = list(jsonl_ranges(path, target))
    assert all(a.end == b.start for a, b in itertools.pairwise(ranges))
    pieces = [item for r in ranges for item in read_partition(InputPartition(ranges=(r,)))]
    whole = [item for item in read_file(path) if getattr(item, "reason", "") != "empty file"]
    assert pieces == whole


def test_partitions_keep_reading_order_and_report_missing_inputs(tmp_path: Path) -> None:
    partitions = plan_partitions([SAMPLES, tmp_path / "missing"], target_bytes=10)
    files = [name for p in partitions for name in p.files]
    assert [Path(f).name for f in files] == sorted(Path(f).name for f in files)
    assert [s.reason for p in partitions for s in p.skipped] == ["no such file or folder"]


article_at = st.builds(
    lambda article_id, day: Article(id=article_id, title="T", text="x", published=day and day.isoformat()),
    st.text(min_size=1, max_size=8),
    st.none() | st.dates(),
)


@given(articles=st.lists(article_at, max_size=20, unique_by=lambda a: a.id))
def test_arrival_keys_sort_as_arrival_order_and_end_with_the_id(articles: list[Article]) -> None:
    """The shuffle carries the arrival order as one string; a bucket's members are sorted by it."""
    assert sorted(articles, key=arrival_key) == sorted(articles, key=arrival_order)
    assert all(arrival_key(a).endswith(a.id) for a in articles)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_duplicate_pairs_found_by_shuffle_give_the_groups_of_run(client: Client, duc_dev_path: Path) -> None:
    originals = [json.loads(line) for line in duc_dev_path.read_text(encoding="utf-8").splitlines()[:150]]
    articles = sorted(
        (parse_jsonl_line(json.dumps(record), "wire.jsonl") for record in wire_copies(originals, seed=3)),
        key=arrival_order,
    )
    expected = find_duplicates(articles)
    dedup = PairedDeduplicator(
        best_earlier_matches(db.from_sequence(articles, npartitions=4), DedupConfig()), DedupConfig()
    )
    digests = (bare_fingerprint(a.id, fingerprint(a, DedupConfig()).digest) for a in articles)
    assert group_fingerprints(digests, dedup) == expected
    assert len(expected) > 20 and any(len(group.article_ids) >= 3 for group in expected)


def test_copies_of_one_story_send_one_match_per_article(client: Client, duc_dev_path: Path) -> None:
    """150 copies of one story make 11,175 similar pairs; one best match per later copy reaches the client."""
    original = json.loads(duc_dev_path.read_text(encoding="utf-8").splitlines()[0])
    words = original["text"].split(" ")
    assert len(words) > 300
    copies = [{**original, "id": f"copy-{n:03d}", "text": " ".join(words[:n] + words[n + 1 :])} for n in range(150)]
    articles = sorted((parse_jsonl_line(json.dumps(c), "wire.jsonl") for c in copies), key=arrival_order)
    matches = best_earlier_matches(db.from_sequence(articles), DedupConfig())
    assert sorted(matches) == sorted(a.id for a in articles[1:])
    assert all(len(best) == 1 for best in matches.values())
    dedup = PairedDeduplicator(matches, DedupConfig())
    digests = (bare_fingerprint(a.id, fingerprint(a, DedupConfig()).digest) for a in articles)
    groups = group_fingerprints(digests, dedup)
    assert groups == find_duplicates(articles)
    assert [len(group.article_ids) for group in groups] == [150]


def test_batch_reports_the_progress_of_each_stage_as_run_does(client: Client, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    outcome = run_batch(client, seed_paths(), tmp_path, progress=lambda *call: calls.append(call))
    assert outcome.stories == 1
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["read", "nlp", "stories", "write"]
    for stage in stages:
        counts = [(done, total) for name, done, total in calls if name == stage]
        assert [done for done, _ in counts] == list(range(len(counts)))
        assert counts[-1][0] == counts[-1][1] > 0


@pytest.mark.slow  # parses DUC 2006 dev twice, once per path
def test_batch_on_two_workers_matches_run(
    client: Client, duc_dev_path: Path, duc_dev_run: RunResult, tmp_path: Path
) -> None:
    outcome = run_batch(client, [duc_dev_path], tmp_path, partition_bytes=300_000)
    assert len(client.scheduler_info()["workers"]) == 2
    assert outcome.result is not None
    assert result_document(outcome.result) == result_document(duc_dev_run)
    articles = pq.read_table(tmp_path / "articles").to_pylist()
    assert len(articles) == 500
    story_of = {a: s.id for s in duc_dev_run.stories for a in s.article_ids}
    story_of |= {copy: story_of[g.canonical] for g in duc_dev_run.duplicates for copy in g.article_ids}
    assert all(row["story_id"] == story_of[row["id"]] for row in articles)
    copies = {copy for group in duc_dev_run.duplicates for copy in group.article_ids[1:]}
    assert {row["id"] for row in articles if row["parsed"] is None} == copies and len(copies) == 5  # not parsed
    stories = pq.read_table(tmp_path / "stories").to_pylist()
    assert sorted(row["id"] for row in stories) == sorted(s.id for s in duc_dev_run.stories)
    claims = pq.read_table(tmp_path / "claims").to_pylist()
    assert len(claims) == sum(len(s.claims) for s in duc_dev_run.stories) > 0
    quotes = pq.read_table(tmp_path / "quotes").to_pylist()
    assert {(q["story_id"], q["id"]) for q in quotes} == {(s.id, q.id) for s in duc_dev_run.stories for q in s.quotes}
    output = read_batch_output(tmp_path)
    store = Store(str(tmp_path / "loaded.db"))
    try:
        never_close = StoreConfig(close_after_days=365_000)  # as run: DUC topics span years
        pipeline = IncrementalPipeline(store, never_close, parse=output.parse)
        outcome = pipeline.add(output.articles, output.skipped)
        assert (outcome.added + outcome.copies, outcome.unchanged) == (500, 0)
        assert result_document(pipeline.result()) == result_document(duc_dev_run)
    finally:
        store.close()


@pytest.fixture(scope="module")
def batch_of_first_seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """``newsfuse batch`` on the earlier seed article: its output folder, and the later seed."""
    first, later = sorted(seed_paths(), key=lambda path: arrival_order(read_inputs([path]).articles[0]))
    out_dir = tmp_path_factory.mktemp("batch")
    newsfuse("batch", str(first), "--out", str(out_dir), "--workers", "2")
    return out_dir, later


def test_batch_reports_bad_inputs_skips_no_good_article_and_parses_no_copy(tmp_path: Path) -> None:
    """Rule 4 on the batch path: bad files and lines are reported by path and skipped, the rest
    gives ``run``'s stories; a wire copy is written without a parse."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in seed_paths():
        (inputs / seed.name).write_bytes(seed.read_bytes())
    original = read_inputs([seed_paths()[0]]).articles[0]
    copy = {"id": "wire-copy", "title": "Another headline", "text": "By Staff Writer\n\n" + original.text}
    copy["published"] = original.published
    (inputs / "wire.jsonl").write_text(json.dumps(copy) + "\n{broken\n", encoding="utf-8")
    (inputs / "empty.md").write_text("", encoding="utf-8")
    (inputs / "binary.html").write_bytes(bytes(range(256)) * 4)
    out_dir = tmp_path / "out"
    output = newsfuse("batch", str(inputs), "--out", str(out_dir), "--workers", "2")
    assert "1 stories from 3 articles (1 near copies)" in output
    skipped = {row["path"]: row["reason"] for row in pq.read_table(out_dir / "skipped").to_pylist()}
    assert sorted(skipped) == sorted(str(inputs / name) for name in ("binary.html", "empty.md", "wire.jsonl:2"))
    assert all(f"skipped {path}: {reason}" in " ".join(output.split()) for path, reason in skipped.items())
    parses = {row["id"]: row["parsed"] for row in pq.read_table(out_dir / "articles").to_pylist()}
    assert len(parses) == 3 and parses.pop("wire-copy") is None and all(parses.values())
    batch_document = json.loads((out_dir / "stories.json").read_text(encoding="utf-8"))
    assert batch_document == run_document([inputs])


def test_load_a_batch_output_then_add_equals_run_on_all(
    batch_of_first_seed: tuple[Path, Path], store_url: str, tmp_path: Path
) -> None:
    """The store goes on from a batch: loaded parts plus a later add give the stories of one run."""
    out_dir, later = batch_of_first_seed
    assert "1 added, 0 duplicates, 0 already stored" in newsfuse("load", str(out_dir), "--db", store_url, "--quiet")
    assert "0 added, 0 duplicates, 1 already stored" in newsfuse("load", str(out_dir), "--db", store_url, "--quiet")
    newsfuse("add", str(later), "--db", store_url, "--quiet")
    newsfuse("export", "--db", store_url, "--out", str(tmp_path / "export"))
    exported = json.loads((tmp_path / "export" / "stories.json").read_text(encoding="utf-8"))
    assert exported == run_document(seed_paths())
    assert len(exported["stories"]) == 1 and len(exported["stories"][0]["article_ids"]) == 2


def test_load_refuses_what_is_not_a_whole_batch_output_and_leaves_the_store_alone(
    parsed_samples: tuple[ParsedArticle, ...], tmp_path: Path
) -> None:
    out_dir, db = tmp_path / "out", tmp_path / "store.db"
    part = part_path(out_dir / "articles", 0)

    def refused() -> str:
        result = CliRunner().invoke(main, ["load", str(out_dir), "--db", str(db)])
        assert result.exit_code == 1 and not db.exists()
        return result.output

    assert f"no Parquet parts in {out_dir / 'articles'}" in refused()
    part.parent.mkdir(parents=True)
    pq.write_table(pa.table({"id": ["a"], "text": ["Parts of old had no parses."]}), part)
    assert "no parses in it (written by an earlier version); run batch again" in refused()
    part.write_bytes(b"PAR1 not really")
    assert f"{part}: unreadable Parquet" in refused()
    story_of = {p.id: "s1" for p in parsed_samples}
    write_article_part(parsed_samples, story_of, part)
    assert f"no Parquet parts in {out_dir / 'skipped'}" in refused()
    write_skipped([], out_dir)
    table = pq.read_table(part)
    broken = table.set_column(table.schema.get_field_index("parsed"), "parsed", pa.array(["{", None]))
    pq.write_table(broken, part)
    assert f"article {min(story_of)}: unreadable parse" in refused()  # rows are in id order
    write_article_part(parsed_samples, story_of, part)
    assert "2 added" in newsfuse("load", str(out_dir), "--db", str(db), "--quiet")


def test_load_parses_what_the_batch_left_unparsed_if_the_store_takes_it_for_an_original(
    parsed_samples: tuple[ParsedArticle, ...], tmp_path: Path
) -> None:
    """The batch parses no copy. A store that already held other articles can take one for an
    original; ``load`` then parses it with spaCy (here the second article is no copy at all)."""
    out_dir, db = tmp_path / "out", tmp_path / "store.db"
    first, second = parsed_samples
    write_article_part([first, second.article], {first.id: "s1", second.id: "s1"}, part_path(out_dir / "articles", 0))
    write_skipped([], out_dir)
    assert read_batch_output(out_dir).parses.keys() == {first.id}
    assert "2 added, 0 duplicates" in newsfuse("load", str(out_dir), "--db", str(db), "--quiet")
    newsfuse("export", "--db", str(db), "--out", str(tmp_path / "export"))
    exported = json.loads((tmp_path / "export" / "stories.json").read_text(encoding="utf-8"))
    assert exported == run_document(seed_paths())


def newsfuse(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.slow  # parses DUC 2006 dev twice, once per path
def test_blocks_on_two_workers_agree_with_run(
    client: Client, duc_dev_path: Path, duc_dev_run: RunResult, tmp_path: Path
) -> None:
    """Not equal: DUC topics span years, and a block sees only its lead-in (docs/batch.md). Default blocks."""
    outcome = run_batch(client, [duc_dev_path], tmp_path, partition_bytes=300_000, blocks=BlockConfig())
    assert outcome.result is not None
    single = {a: s.id for s in duc_dev_run.stories for a in s.article_ids}
    blocks = {a: s.id for s in outcome.result.stories for a in s.article_ids}
    assert blocks.keys() == single.keys()
    assert bcubed(blocks, single).f1 >= 0.99
