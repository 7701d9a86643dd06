from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import ftfy
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from newsfuse.ingest import read_inputs
from newsfuse.ingest.jsonl import parse_jsonl
from newsfuse.ingest.normalize import IngestError, clean_text, content_id, display_quotes, normalize_published
from newsfuse.ingest.text import parse_text_article, split_front_matter
from newsfuse.records import Article, Skipped

from .conftest import SAMPLES, shared_data


def test_sample_front_matter_and_title() -> None:
    raw = (SAMPLES / "outlet-b-trump-kim-second-summit.md").read_text(encoding="utf-8")
    article = parse_text_article(raw, "b.md")
    assert article.source == "outlet-b"
    assert article.published == "2019-01-18"
    assert article.title == "Trump to hold 2nd nuclear summit with North Korea's Kim"
    assert article.text.startswith("Donald Trump had his first, historic meeting")
    assert article.published_date == date(2019, 1, 18)


def test_unknown_front_matter_fields_are_kept_as_metadata() -> None:
    raw = "---\nsource: wire\nauthor: A. Writer\npublished: 2020-05-01T10:30:00Z\n---\n# Title here\n\nBody text.\n"
    article = parse_text_article(raw)
    assert article.title == "Title here"
    assert article.meta == {"author": "A. Writer"}
    assert article.published == "2020-05-01T10:30:00+00:00"


def test_given_id_wins_over_content_hash() -> None:
    assert parse_text_article("---\nid: abc\n---\nT\nBody").id == "abc"
    assert parse_text_article("T\nBody").id == content_id("T", "Body")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("---\nsource: [unclosed\n---\nT\nBody", "bad front matter"),
        ("---\n- a list\n---\nT\nBody", "bad front matter"),
        ("---\npublished: yesterday\n---\nT\nBody", "published is not an ISO date"),
        ("---\npublished: 2019-00-18\n---\nT\nBody", "bad front matter: month must be in 1..12"),
        ("---\nx: " + "[" * 100_000 + "\n---\nT\nBody", "bad front matter: nested too deeply"),
        ("---\na: &a [1, 2]\nb: [*a, *a, *a]\n---\nT\nBody", "bad front matter: b must be a value"),
        ("Only a title\n", "no body text"),
        ("\n\n  \n", "empty article"),
    ],
)
def test_bad_text_articles_raise_a_clear_error(raw: str, reason: str) -> None:
    with pytest.raises(IngestError, match=reason):
        parse_text_article(raw)


def test_jsonl_keeps_good_lines_and_reports_bad_ones() -> None:
    lines = [
        json.dumps({"id": "a1", "title": "T", "text": "Body one.", "story": "x"}).encode(),
        b"{not json\n",
        b"\n",
        json.dumps(["not", "an", "object"]).encode(),
        json.dumps({"id": "a2", "title": "T2", "text": ""}).encode(),
        json.dumps({"title": "T3", "text": "Body three.", "published": "2019-01-18"}).encode(),
    ]
    items = list(parse_jsonl(lines, "in.jsonl"))
    articles = [i for i in items if isinstance(i, Article)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [a.id for a in articles] == ["a1", content_id("T3", "Body three.")]
    assert articles[0].meta == {"story": "x"}
    assert [s.path for s in skipped] == ["in.jsonl:2", "in.jsonl:4", "in.jsonl:5"]
    assert "malformed JSON" in skipped[0].reason


def test_read_inputs_skips_bad_files_and_keeps_the_rest(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text("---\nsource: s\n---\nGood title\nGood body.\n", encoding="utf-8")
    (tmp_path / "legacy.txt").write_bytes("Caf\xe9 title\nSome caf\xe9 body.\n".encode("cp1252"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00data")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "copy.md").write_text("---\nsource: s\n---\nGood title\nGood body.\n", encoding="utf-8")
    (tmp_path / ".hidden.md").write_text("Hidden\nNot read.\n", encoding="utf-8")
    result = read_inputs([tmp_path, tmp_path / "missing.md"])
    titles = sorted(a.title for a in result.articles)
    assert titles == ["Café title", "Good title"]
    reasons = {Path(s.path).name: s.reason for s in result.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "unsupported file type" in reasons["image.png"]
    assert "no such file" in reasons["missing.md"]
    assert "duplicate article id" in reasons["good.md"] or "duplicate article id" in reasons["copy.md"]


def test_clean_text_repairs_mojibake_and_whitespace() -> None:
    assert clean_text("The \u00e2\u20ac\u0153quote\u00e2\u20ac\u009d  here\r\n\r\n\r\n\r\nnext") == (
        "The \u201cquote\u201d here\n\nnext"
    )


def test_clean_text_drops_newswire_typesetting_codes() -> None:
    assert clean_text("&QL; Voters went &HT; to the polls &amp; stayed.&UR;") == "Voters went to the polls & stayed."


@given(st.text(alphabet=st.sampled_from("&;ampQLHT #x1 \n")) | st.text())
@example("&&HT;amp;")
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text(alphabet=st.sampled_from(["\t", "\n", *(chr(c) for c in range(0x20, 0x7F) if chr(c) != "&")])))
def test_text_that_skips_ftfy_is_text_ftfy_leaves_alone(text: str) -> None:
    """Printable ASCII, tabs and newlines without ``&`` skip ftfy: ftfy, called as clean_text calls it, keeps them."""
    assert ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False) == text


@given(st.text())
def test_text_parser_either_parses_or_raises_ingest_error(raw: str) -> None:
    try:
        article = parse_text_article(raw)
    except IngestError:
        return
    assert article.text and article.id


@given(st.dictionaries(st.sampled_from(["source", "url", "lang", "extra"]), st.text(alphabet="abc xyz", max_size=8)))
def test_front_matter_round_trips(fields: dict[str, str]) -> None:
    header = "".join(f"{key}: '{value}'\n" for key, value in fields.items())
    parsed, rest = split_front_matter(f"---\n{header}---\nTitle\nBody")
    assert parsed == fields
    assert rest == "Title\nBody"


@given(st.one_of(st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()), st.text(max_size=12)))
def test_published_is_iso_or_rejected(value: str) -> None:
    try:
        normalized = normalize_published(value)
    except IngestError:
        return
    assert normalized is None or normalized[:4].isdigit()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("`` We appreciate your respect, '' the rep said.", "\u201cWe appreciate your respect,\u201d the rep said."),
        ("``Superintendents see,'' says Farris", "\u201cSuperintendents see,\u201d says Farris"),
        ("said ''We finally may be here,'' the economist", "said \u201cWe finally may be here,\u201d the economist"),
        ("the `` American Pie '' star", "the \u201cAmerican Pie\u201d star"),
        ("Scrubs, ' ' has entered", "Scrubs, ' ' has entered"),
        ("It's the players' game", "It's the players' game"),
    ],
)
def test_tokenised_quote_marks_are_shown_as_quotation_marks(raw: str, shown: str) -> None:
    assert display_quotes(raw) == shown


_QUOTE_MARKS = re.compile("``|''|\u201c|\u201d")


def _words_between_marks(text: str) -> str:
    """The text with every quote mark as one placeholder and no whitespace: what display_quotes keeps."""
    return re.sub(r"\s", "", _QUOTE_MARKS.sub("\0", text))


@given(st.text(alphabet=st.sampled_from(["`", "'", " ", "\n", "a", "B", ",", ".", "(", "\u201c"])) | st.text())
@example("' ''")
@example("``  ``x")
def test_display_quotes_changes_only_quote_marks_and_the_space_inside_them(text: str) -> None:
    shown = display_quotes(text)
    assert "``" not in shown and "''" not in shown
    assert display_quotes(shown) == shown
    assert _words_between_marks(shown) == _words_between_marks(text)
    assert len(shown) <= len(text)


def test_ingest_shows_quote_marks_but_keeps_content_ids(tmp_path: Path) -> None:
    """Ids are hashed before the marks change: an article keeps the id (and URL) it had."""
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"title": "A ``quoted'' title", "text": "He said ``we will go,'' and left."}) + "\n")
    (article,) = read_inputs([path]).articles
    assert article.id == content_id("A ``quoted'' title", "He said ``we will go,'' and left.")
    assert article.title == "A \u201cquoted\u201d title"
    assert article.text == "He said \u201cwe will go,\u201d and left."


def test_no_tokenised_quote_mark_survives_ingest_of_a_tokenised_corpus() -> None:
    articles = read_inputs([shared_data("ecbplus-dev.jsonl")]).articles
    assert len(articles) > 400
    assert not [a.id for a in articles if "``" in a.text + a.title or "''" in a.text + a.title]
    assert sum("\u201c" in a.text for a in articles) > 100
