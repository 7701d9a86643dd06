from __future__ import annotations

import importlib.util
import json
import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import nltk
import pytest
from click.testing import CliRunner
from rich.console import Console
from rouge_score.rouge_scorer import RougeScorer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from newsfuse.cli import main
from newsfuse.cluster.join_model import JoinModel
from newsfuse.cluster.threads import ThreadConfig
from newsfuse.evaluate.clustering import (
    THREAD_SWEEP,
    TOPIC_SPLITS,
    BertopicPeer,
    TfidfBaseline,
    gold_labels,
    topic_halves,
)
from newsfuse.evaluate.join_fit import HeldOut, leave_one_set_out_table
from newsfuse.evaluate.metrics import bcubed, pairwise
from newsfuse.evaluate.summaries import ROUGE_TYPES, SYSTEMS, lead, rouge, sumy_summary, truncate
from newsfuse.ingest import read_inputs
from newsfuse.nlp.cache import corpus_key, parse_cached
from newsfuse.records import Article, ParsedArticle, Story


def test_bcubed_and_pairwise_on_a_hand_checked_example() -> None:
    predicted = {"a": "p1", "b": "p1", "c": "p2"}
    gold = {"a": "g1", "b": "g2", "c": "g2"}
    # B-cubed precision: a 1/2, b 1/2, c 1 -> 2/3; recall: a 1, b 1/2, c 1/2 -> 2/3.
    scores = bcubed(predicted, gold)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    # The one predicted pair (a, b) is not the one gold pair (b, c).
    assert pairwise(predicted, gold).f1 == 0.0
    assert bcubed(gold, gold).f1 == pairwise(gold, gold).f1 == 1.0


def test_truncate_cuts_to_the_word_budget() -> None:
    assert truncate(["one two three", "four five", "six"], 4) == ["one two three", "four"]
    assert truncate(["one two"], 5) == ["one two"]


def test_rouge_of_a_summary_identical_to_its_reference_is_100() -> None:
    reference = "The summit was held in Hanoi.\nBoth leaders left without a deal."
    scores = rouge(reference.split("\n"), [reference], RougeScorer(list(ROUGE_TYPES), use_stemmer=True))
    assert all(scores.recall[kind] == pytest.approx(100.0) for kind in ROUGE_TYPES)
    assert all(scores.f1[kind] == pytest.approx(100.0) for kind in ROUGE_TYPES)


@pytest.fixture(scope="module")
def duc_sample(duc_dev_path: Path) -> list[Article]:
    """Four articles from each of the first three DUC 2006 dev topics, as the data gives them."""
    articles = read_inputs([duc_dev_path]).articles
    topics = sorted({a.meta["story"] for a in articles})[:3]
    return [a for topic in topics for a in [x for x in articles if x.meta["story"] == topic][:4]]


def test_tfidf_baseline_separates_real_topics_at_its_threshold(duc_sample: list[Article]) -> None:
    gold = gold_labels(duc_sample)
    baseline = TfidfBaseline(duc_sample)
    assert len(set(baseline.cluster(0.0).values())) == 1  # everything joins at threshold 0
    assert len(set(baseline.cluster(1.01).values())) == len(duc_sample)  # nothing joins above 1
    assert bcubed(baseline.cluster(0.15), gold).f1 >= 0.6


def gold_jsonl(articles: list[Article], path: Path) -> Path:
    """The articles as JSONL with their gold ``story``, as the evaluation sets give them."""
    fields = ("id", "title", "text", "published", "source")
    path.write_text(
        "".join(json.dumps({**{k: getattr(a, k) for k in fields}, "story": a.meta["story"]}) + "\n" for a in articles)
    )
    return path


def test_eval_clustering_reports_both_systems(duc_sample: list[Article], tmp_path: Path) -> None:
    data = gold_jsonl(duc_sample, tmp_path / "sample.jsonl")
    result = CliRunner().invoke(main, ["eval", "clustering", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    systems = ("newsfuse", "newsfuse online", "tf-idf", "bertopic")
    rows = [line for line in result.output.splitlines() if any(f" {system} " in line for system in systems)]
    peer_installed = importlib.util.find_spec("bertopic") is not None
    assert len(rows) == (4 if peer_installed else 3)  # one row per system, the online pass before stories split
    assert all(line.rstrip(" │").endswith("3") for line in rows)  # gold stories
    assert peer_installed or "bertopic  not installed" in result.output


def test_eval_clustering_scores_threads_in_the_same_table_with_the_same_settings(
    duc_sample: list[Article], tmp_path: Path
) -> None:
    data = gold_jsonl(duc_sample, tmp_path / "topics.jsonl")

    def thread_rows(*settings: str) -> dict[str, list[str]]:
        arguments = ["eval", "clustering", str(data), "--threads", str(data), "--no-peers", *settings]
        result = CliRunner().invoke(main, arguments, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        lines = [line for line in result.output.splitlines() if "topics (threads)" in line]
        return {cells[2]: cells[3:-1] for cells in ([c.strip() for c in line.split("│")] for line in lines)}

    rows = thread_rows()
    assert set(rows) == {"newsfuse threads", "newsfuse stories", "tf-idf"}
    assert all(cells[-1] == "3" for cells in rows.values())  # gold topics
    # With no candidate stories every article starts its own: the setting reaches the whole run too.
    assert thread_rows("--set", "max_candidates=0")["newsfuse stories"][-2] == str(len(duc_sample))


def test_eval_threads_sweep_threads_the_same_stories_at_each_threshold(
    duc_sample: list[Article], tmp_path: Path
) -> None:
    """The row at the shipped threshold is the run's own threads; the loosest threshold merges the most."""
    data = gold_jsonl(duc_sample, tmp_path / "topics.jsonl")
    result = CliRunner().invoke(main, ["eval", "threads", str(data), "--sweep"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = {
        cells[2]: cells[3:]
        for cells in ([c.strip() for c in line.split("│")] for line in result.output.splitlines() if "│" in line)
        if len(cells) > 3
    }
    swept = [f"threads at {threshold:g}" for threshold in THREAD_SWEEP]
    assert set(swept) <= set(rows)
    assert rows[f"threads at {ThreadConfig().threshold:g}"] == rows["newsfuse threads"]
    counts = [int(rows[name][-2]) for name in swept]  # threads found, by rising threshold
    assert counts == sorted(counts)
    assert f"topics: thread threshold chosen on half the topics, {2 * TOPIC_SPLITS} fits" in result.output


def test_eval_threads_scores_every_set_threaded_in_one_store(
    duc_sample: list[Article], pirate_captures: list[dict[str, Any]], tmp_path: Path
) -> None:
    """ECB+ topic 12 (two captures of pirates, one topic) beside three DUC topics: each set scored in the
    store that holds both; the topic set given again as events adds no row (its ids are held)."""
    topics = gold_jsonl(duc_sample, tmp_path / "topics.jsonl")
    captures = [
        record
        for story in sorted({r["story"] for r in pirate_captures})
        for record in [r for r in pirate_captures if r["story"] == story][:5]
    ]
    events = tmp_path / "pirates.jsonl"
    events.write_text("".join(json.dumps(record) + "\n" for record in captures))
    arguments = ["eval", "threads", str(topics), "--events", str(events), "--events", str(topics), "--sweep"]
    result = CliRunner().invoke(main, arguments, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = {
        (cells[1], cells[2]): [float(cell) for cell in cells[3:-1]]
        for cells in ([c.strip() for c in line.split("│")] for line in result.output.splitlines() if "│" in line)
        if cells[1].startswith("one store")
    }
    assert set(rows) == {
        ("one store: topics", "newsfuse threads"),
        ("one store: pirates", "threads vs events"),
        ("one store: pirates", "threads vs topics"),
    }
    assert rows["one store: topics", "newsfuse threads"][-1] == 3  # gold topics
    assert rows["one store: pirates", "threads vs events"][-1] == 2  # two captures
    assert rows["one store: pirates", "threads vs topics"][-1] == 1  # of one kind
    # A topic holds both captures, so no thread can be less precise against it than against the events;
    # and a set's rows weigh its own articles only (a DUC article in a pirates' thread is not counted there).
    assert rows["one store: pirates", "threads vs topics"][0] >= rows["one store: pirates", "threads vs events"][0]
    assert rows["one store: pirates", "threads vs topics"][0] == 1.0
    # the threshold left out by topic halves in that store too, the pirates' stories threaded with either half
    assert f"one store: topics: thread threshold chosen on half the topics, {2 * TOPIC_SPLITS} fits" in result.output


def test_topic_halves_score_the_threshold_chosen_on_half_the_topics_on_the_other_half() -> None:
    """Four topics of two stories each, the stories of a topic sharing three title words and each with
    one of its own: a loose threshold threads each topic whole, on either half; a strict one leaves
    every story alone."""
    subjects = ["earthquake tremor rubble", "election ballot turnout", "harvest drought wheat", "strike union wages"]
    own = iter(["apple", "banana", "cherry", "damson", "elder", "fig", "grape", "hazel"])
    stories = [
        Story(f"s{topic}{n}", f"{subject} {next(own)}", (f"a{topic}{n}",))
        for topic, subject in enumerate(subjects)
        for n in range(2)
    ]
    gold = {story.article_ids[0]: f"topic{story.id[1]}" for story in stories}
    halves = topic_halves(stories, {}, gold, (0.02, 0.99))
    assert halves.fits == 2 * TOPIC_SPLITS
    assert halves.fitted == halves.left_out == halves.shipped == 1.0
    strict = topic_halves(stories, {}, gold, (0.99,))
    assert strict.fitted == strict.left_out < 1.0


def test_eval_fit_clustering_takes_the_same_settings(duc_sample: list[Article], tmp_path: Path) -> None:
    """Two sets (two articles of each topic in each), scored left out; ``--set`` reaches the fits."""
    halves = [gold_jsonl(duc_sample[n::2], tmp_path / f"half-{n}.jsonl") for n in (0, 1)]

    def left_out(*settings: str) -> list[str]:
        arguments = ["eval", "fit-clustering", *map(str, halves), "--no-peers", *settings]
        result = CliRunner().invoke(main, arguments, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        rows = [[c.strip() for c in line.split("│")] for line in result.output.splitlines() if "│ half-" in line]
        return [cells[3] for cells in rows]

    assert len(left_out()) == 2
    refused = CliRunner().invoke(main, ["eval", "fit-clustering", *map(str, halves), "--set", "nope=1"])
    assert refused.exit_code == 2 and "no clustering setting 'nope'" in refused.output
    # With no candidate stories there is nothing to learn from: said, not a traceback.
    starved = CliRunner().invoke(main, ["eval", "fit-clustering", *map(str, halves), "--set", "max_candidates=0"])
    assert starved.exit_code == 1 and "nothing to fit the join model on" in starved.output


def test_bertopic_peer_tells_events_apart_and_repeats_itself(ecbplus_dev_path: Path) -> None:
    """Two ECB+ topics, each two events of one kind (the real loading code: weights from the installed package)."""
    pytest.importorskip("bertopic")
    articles = read_inputs([ecbplus_dev_path]).articles
    topics = sorted({a.meta["topic"] for a in articles})[:2]
    sample = [a for a in articles if a.meta["topic"] in topics]
    gold = gold_labels(sample)
    peer = BertopicPeer()
    stories = peer.cluster(sample)
    assert peer.cluster(list(reversed(sample))) == stories
    assert set(stories) == set(gold) and bcubed(stories, gold).f1 >= 0.7


def test_parse_cache_returns_the_same_parse_and_keys_on_text(
    sample_articles: tuple[Article, ...], parsed_samples: tuple[ParsedArticle, ...], tmp_path: Path
) -> None:
    first = parse_cached(sample_articles, tmp_path)
    assert len(list(tmp_path.glob("parsed-*.pickle"))) == 1
    assert parse_cached(sample_articles, tmp_path) == first == list(parsed_samples)
    edited = (replace(sample_articles[0], text=sample_articles[0].text + " More."), *sample_articles[1:])
    assert corpus_key(edited) != corpus_key(sample_articles)


def test_a_cached_parse_carries_the_article_it_was_asked_for(
    sample_articles: tuple[Article, ...], tmp_path: Path
) -> None:
    """The key reads what a parse reads (id, title, text); a new date or outlet must still reach the caller."""
    parse_cached(sample_articles, tmp_path)
    redated = tuple(replace(a, published="2001-02-03", source="another outlet") for a in sample_articles)
    again = parse_cached(redated, tmp_path)
    assert len(list(tmp_path.glob("parsed-*.pickle"))) == 1
    assert [p.article for p in again] == list(redated)
    assert [p.sentences for p in again] == [p.sentences for p in parse_cached(sample_articles, tmp_path)]


def test_parse_cache_key_covers_the_lemma_table_version(
    sample_articles: tuple[Article, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = corpus_key(sample_articles)
    monkeypatch.setattr("newsfuse.nlp.cache.lemma_table_digest", lambda: "another table")
    assert corpus_key(sample_articles) != key


def grouped_samples(sample_articles: tuple[Article, ...], folder: Path) -> Path:
    """The two seed articles as one group (``story``) of a JSONL file."""
    path = folder / "seeds.jsonl"
    lines = [
        {"id": a.id, "title": a.title, "text": a.text, "published": a.published, "source": a.source, "story": "seed"}
        for a in sample_articles
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_digest_command_writes_one_cited_digest_per_group(sample_articles: tuple[Article, ...], tmp_path: Path) -> None:
    data = grouped_samples(sample_articles, tmp_path)
    result = CliRunner().invoke(main, ["digest", str(data), "--group-by", "story", "--words", "80"])
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in result.output.splitlines()]
    assert set(line) == {"group", "digest"} and line["group"] == "seed"
    ids = {a.id for a in sample_articles}
    texts = " ".join(a.text for a in sample_articles)
    assert line["digest"]
    for sentence in line["digest"]:
        assert set(sentence) == {"text", "sources"}
        assert sentence["text"] in texts and set(sentence["sources"]) <= ids and sentence["sources"]
    out = tmp_path / "digests.jsonl"
    CliRunner().invoke(main, ["digest", str(data), "--group-by", "story", "--words", "80", "--out", str(out)])
    assert out.read_text(encoding="utf-8") == result.output


def test_sumy_baselines_run_offline(parsed_samples: tuple[ParsedArticle, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(nltk, "download", no_network)
    for summarizer in (LexRankSummarizer(), TextRankSummarizer()):
        summary = sumy_summary(summarizer, parsed_samples, 60)
        assert 0 < sum(len(s.split()) for s in summary) <= 60
    first_sentences = [parsed_samples[0].sentences[0].text, parsed_samples[1].sentences[0].text]
    assert [s.split()[:3] for s in lead(parsed_samples, 500)[:2]] == [s.split()[:3] for s in first_sentences]


def test_eval_summaries_scores_every_system(sample_articles: tuple[Article, ...], tmp_path: Path) -> None:
    data = grouped_samples(sample_articles, tmp_path)
    references = tmp_path / "refs.jsonl"
    summary = "\n".join(a.title for a in sample_articles)
    references.write_text(json.dumps({"story": "seed", "references": [summary]}) + "\n", encoding="utf-8")
    args = ["eval", "summaries", str(data), "--group-by", "story", "--reference", str(references), "--words", "50"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for system in SYSTEMS:
        assert any(line.startswith(f"│ {system} ") for line in result.output.splitlines()), result.output


def test_the_left_out_table_shows_bertopic_only_where_it_ran() -> None:
    model = JoinModel(features=("terms",), weights=(1.0,), bias=0.0, threshold=0.2, fitted_on=("a",))
    rows = [
        HeldOut("a", 0.9, 0.8, model, 0.7, 0.14, peer=0.6, peer_size=3),
        HeldOut("b", 0.9, 0.8, model, 0.7, 0.14, peer=0.9, peer_size=2),
    ]
    console = Console(width=200, record=True)
    console.print(leave_one_set_out_table(rows))
    shown = console.export_text()
    assert "bertopic left out" in shown and "0.750" in shown  # the peer's mean over the sets
    console.print(leave_one_set_out_table([replace(row, peer=None, peer_size=None) for row in rows]))
    assert console.export_text().count("bertopic") == 0
