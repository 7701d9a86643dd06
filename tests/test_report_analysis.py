"""The analysis keys through the real CLI: stories.json, report.md and report.html."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.ingest import read_inputs

from .conftest import SAMPLES

HOSTILE = {
    "id": "hostile",
    "title": "Envoy visit",
    "source": "outlet-x",
    "published": "2019-01-19",
    "text": 'The envoy Sarah Sanders met Kim Yong Chol on Friday. "<script>alert(1)</script> was never '
    'part of the deal in late February," Sanders said.',
}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("analysis")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    out = folder / "out"
    result = CliRunner().invoke(
        main, ["run", str(SAMPLES), str(folder / "hostile.jsonl"), "--out", str(out), "--quiet", "--consensus", "0.5"]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def document(out_dir: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out_dir / "stories.json").read_text(encoding="utf-8"))
    return loaded


def spans_of(story: dict[str, Any]) -> list[dict[str, Any]]:
    return (
        [span for claim in story["claims"] for span in claim["evidence"]]
        + [span for c in story["contradictions"] for span in c["variants"]]
        + [span for quote in story["quotes"] for span in quote["parts"]]
        + [span for event in story["timeline"] for span in event["evidence"]]
    )


def test_every_story_has_the_analysis_keys_with_exact_spans(document: dict[str, Any], out_dir: Path) -> None:
    ingested = read_inputs([SAMPLES, out_dir.parent / "hostile.jsonl"])
    texts = {article.id: article.text for article in ingested.articles}
    checked = 0
    for story in document["stories"]:
        assert set(story) >= {"claims", "contradictions", "quotes", "timeline"}
        for claim in story["claims"]:
            assert set(claim) >= {"id", "text", "article_ids", "label"}
            assert set(claim["article_ids"]) <= set(story["article_ids"])
        for event in story["timeline"]:
            assert set(event) >= {"date", "granularity", "text", "article_ids", "evidence"}
        for quote in story["quotes"]:
            assert set(quote) >= {"speaker", "text", "article_id", "start", "end", "variant_of"}
        for span in spans_of(story):
            assert texts[span["article_id"]][span["start"] : span["end"]] == span["text"]
            checked += 1
    assert checked > 50


def test_consensus_option_reaches_the_labels(document: dict[str, Any]) -> None:
    story = max(document["stories"], key=lambda s: len(s["article_ids"]))
    shared = [c for c in story["claims"] if len(c["article_ids"]) >= 2]
    assert shared
    assert all(c["label"] == "consensus" for c in shared)  # 2 of 2 or 3 reach a share of 0.5


def test_reports_show_the_analysis_and_escape_quotes(out_dir: Path) -> None:
    html = (out_dir / "report.html").read_text(encoding="utf-8")
    markdown = (out_dir / "report.md").read_text(encoding="utf-8")
    for heading in ("Reported across sources", "Contradictions", "Quotes by speaker", "Timeline"):
        assert f"<h3>{heading}</h3>" in html
        assert f"### {heading}" in markdown
    assert "<h3>What only outlet-b adds</h3>" in html and "### What only outlet-b adds" in markdown
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; was never part of the deal" in html
    assert "\\<script\\>" in markdown
    assert "good steps [-in-] {+and+} good faith" in html
