"""Duplicate groups: wire copies across outlets, kept out of clustering but listed."""

from __future__ import annotations

import json
import string
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.cli import main
from newsfuse.dedup import DedupConfig, find_duplicates, fingerprint
from newsfuse.evaluate.synthetic import wire_copies
from newsfuse.pipeline import run_pipeline
from newsfuse.records import Article


def wire_story(original: Article) -> list[Article]:
    """The original and two outlets' copies: retitled, last paragraph cut, a byline, a paragraph moved."""
    paragraphs = original.text.split("\n")
    trimmed = replace(
        original,
        id="copy-b",
        title="Second Trump-Kim summit set for February",
        text="\n".join(["By Staff Reporter, outlet-b", *paragraphs[:-1]]),
        source="outlet-b",
    )
    moved = [paragraphs[0], paragraphs[2], paragraphs[1], *paragraphs[3:]]
    reordered = replace(
        original, id="copy-c", title="WORLD: " + original.title, text="\n".join(moved), source="outlet-c"
    )
    return [original, trimmed, reordered]


def test_a_wire_story_carried_by_three_outlets_is_one_group(sample_articles: tuple[Article, ...]) -> None:
    copies = wire_story(sample_articles[0])
    [group] = find_duplicates(copies)
    assert group.canonical == sample_articles[0].id
    assert group.article_ids == (sample_articles[0].id, "copy-b", "copy-c")
    assert DedupConfig().threshold <= group.similarity < 1.0


def test_two_articles_on_the_same_event_are_not_duplicates(sample_articles: tuple[Article, ...]) -> None:
    assert find_duplicates(sample_articles) == []


def test_exact_copies_differing_in_case_and_spacing_have_similarity_one(sample_articles: tuple[Article, ...]) -> None:
    original = sample_articles[0]
    shouted = replace(original, id="loud", title="Other", text="  " + original.text.upper().replace(" ", "  "))
    [group] = find_duplicates([original, shouted])
    assert group.article_ids == (original.id, "loud")
    assert group.similarity == 1.0


@given(st.text(min_size=1, max_size=300), st.text(alphabet=string.printable, max_size=300))
def test_the_content_hash_ignores_spacing_case_and_title(text: str, ascii_text: str) -> None:
    """Spacing changes anything; case changes ASCII text (case-folding other scripts may change length)."""
    config = DedupConfig()
    for one, two in ((text, text.replace(" ", " \n\t ")), (ascii_text, ascii_text.swapcase())):
        first = fingerprint(Article(id="a", title="t", text=one or "x"), config)
        second = fingerprint(Article(id="b", title="other", text=two or "x"), config)
        assert first.digest == second.digest
        assert list(first.signature) == list(second.signature)


def test_copies_are_listed_and_lend_their_outlets_to_the_story(sample_articles: tuple[Article, ...]) -> None:
    articles = [*wire_story(sample_articles[0]), sample_articles[1]]
    result = run_pipeline(articles)
    assert [a.id for a in result.articles if a.id.startswith("copy")] == ["copy-b", "copy-c"]
    [story] = result.stories
    assert sorted(story.article_ids) == sorted(a.id for a in sample_articles)
    assert story.outlets == ("outlet-a", "outlet-b", "outlet-c")
    [group] = result.duplicates
    assert group.article_ids[1:] == ("copy-b", "copy-c")


def test_the_wire_copy_set_is_seeded() -> None:
    originals = [
        {"id": f"a{i}", "title": f"Title number {i} here", "text": "p1\np2\np3\np4\np5\np6"} for i in range(30)
    ]
    first = wire_copies(originals, seed=3)
    assert first == wire_copies(originals, seed=3) != wire_copies(originals, seed=4)
    copies = [r for r in first if r["id"] != r["wire"]]
    assert copies and all(r["id"].startswith(r["wire"] + "-copy") for r in copies)


def test_dedup_quality_on_wire_copies_of_duc_dev(duc_dev_path: Path, tmp_path: Path) -> None:
    """The figure in docs/quality.md (Duplicates): pair F1 at the default threshold."""
    data = tmp_path / "wire.jsonl"
    runner = CliRunner()
    made = runner.invoke(main, ["eval", "wire-copies", str(duc_dev_path), str(data)], catch_exceptions=False)
    assert made.exit_code == 0, made.output
    assert len(data.read_text(encoding="utf-8").splitlines()) > 500
    scored = runner.invoke(main, ["eval", "dedup", str(data)], catch_exceptions=False)
    assert scored.exit_code == 0, scored.output
    f1 = float(scored.output.split(" f1 ")[1].split(";")[0])
    assert f1 >= 0.95, scored.output
    assert json.loads(data.read_text(encoding="utf-8").splitlines()[0])["wire"]
