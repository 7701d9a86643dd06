from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsfuse.cli import main
from newsfuse.evaluate.attribution import (
    DateScores,
    _named_person,
    half,
    named_in,
    resolvable,
    same_person,
    score_dates,
    score_quotes,
    timeml_value,
)
from newsfuse.records import Article, EntityMention, ParsedArticle, Quote

TEXT = (
    "Mayor Ann Diaz spoke at the depot. \u201cThe trains will run again by spring,\u201d she said. "
    "Critics were not convinced by the plan."
)


def _parsed() -> ParsedArticle:
    start = TEXT.index("Ann Diaz")
    person = EntityMention("Ann Diaz", "Ann Diaz", "PERSON", start, start + len("Ann Diaz"))
    return ParsedArticle(Article("a1", "", TEXT), (), (person,), ())


def _gold_quote() -> dict[str, object]:
    start = TEXT.index("\u201cThe")
    end = TEXT.index("\u201d") + 1
    pronoun = TEXT.index("she said")
    return {
        "start": start,
        "end": end,
        "kind": "direct",
        "speaker": "she",
        "speaker_start": pronoun,
        "speaker_end": pronoun + 3,
        "speaker_resolved": "Ann Diaz",
    }


def test_quote_scores_count_found_quotes_and_right_speakers() -> None:
    gold = _gold_quote()
    start, end = int(str(gold["start"])), int(str(gold["end"]))
    right = Quote("q1", "Ann Diaz", TEXT[start + 1 : end - 1], "a1", start, end, ())
    scores = score_quotes([_parsed()], {"a1": {"quotes": [gold]}}, {"a1": (right,)})
    assert (scores.system_direct, scores.gold_found, scores.named, scores.named_right) == (1, 1, 1, 1)
    assert scores.pronoun_right == 1 and scores.matched_null == 0 and scores.not_in_article == 0


def test_quote_scores_count_null_and_foreign_speakers() -> None:
    gold = _gold_quote()
    start, end = int(str(gold["start"])), int(str(gold["end"]))
    null = Quote("q1", None, "", "a1", start, end, ())
    scores = score_quotes([_parsed()], {"a1": {"quotes": [gold]}}, {"a1": (null,)})
    assert scores.matched_null == 1 and scores.named_right == 0
    assert sum(scores.errors.values()) == 1
    foreign = Quote("q1", "Ron Johnson", "", "a1", start, end, ())
    assert score_quotes([_parsed()], {"a1": {"quotes": [gold]}}, {"a1": (foreign,)}).not_in_article == 1


def test_a_gold_source_span_names_the_head_of_its_noun_phrase() -> None:
    def source(text: str, *names: str) -> str | None:
        people = tuple(
            EntityMention(name, name, "PERSON", text.index(name), text.index(name) + len(name)) for name in names
        )
        parsed = ParsedArticle(Article("a1", "", text), (), people, ())
        return _named_person({"speaker": text, "speaker_start": 0, "speaker_end": len(text)}, parsed)

    assert source("Gov. Phil Bryant of Mississippi, a former backer of Sen. Ted Cruz", "Phil Bryant", "Ted Cruz") == (
        "Phil Bryant"
    )
    assert source("Clinton aide Huma Abedin", "Clinton", "Huma Abedin") == "Huma Abedin"
    assert source("Clinton\u2019s campaign chairman, John Podesta", "Clinton", "John Podesta") == "John Podesta"
    assert source("he said, as Ann Diaz", "Ann Diaz") is None  # a pronoun source names no one here


def test_same_person_takes_first_and_last_words_or_a_tail() -> None:
    assert same_person("Donald J. Trump", "Donald Trump")
    assert same_person("Angela Davis", "Michaela Angela Davis")  # the tagger cut the first name off
    assert same_person("Trump", "Donald Trump")
    assert not same_person("Hillary Clinton", "Bill Clinton")
    assert not same_person("Hillary Rodham", "Hillary Clinton")


def test_named_in_takes_the_surname() -> None:
    assert named_in("Ann Diaz", "Diaz said so.")
    assert not named_in("Ann Diaz", "Diazepam was found.")


def test_date_scores() -> None:
    text = "Shares rose Friday and fell in the third quarter, for two years."
    timexes = [
        {"start": 12, "end": 18, "text": "Friday", "type": "DATE", "value": "1998-08-07"},
        {"start": 31, "end": 48, "text": "the third quarter", "type": "DATE", "value": "1998-Q3"},
        {"start": 54, "end": 63, "text": "two years", "type": "DURATION", "value": "P2Y"},
    ]
    system = [(12, 18, "1998-08-07"), (35, 48, "1998-Q2"), (54, 63, "1996"), (0, 6, "1998")]
    scores = score_dates([("d1", text, timexes, system)], DateScores())
    assert (scores.correct_detections, scores.false_detections, scores.other_type) == (2, 1, 1)
    assert (scores.gold, scores.recalled, scores.normalised) == (2, 2, 1)


def test_timeml_values() -> None:
    assert timeml_value("1998-08-03", "week") == "1998-W32"
    assert timeml_value("1998-08", "month") == "1998-08"
    assert timeml_value("2000-04-22", "weekend") == "2000-W16-WE"
    assert resolvable({"type": "DATE", "value": "1998-SU"})
    assert resolvable({"type": "DATE", "value": "1989-W43-WE"})
    assert not resolvable({"type": "DATE", "value": "PAST_REF"})
    assert not resolvable({"type": "DATE", "value": "1998-WXX"})


def test_halves_are_stable() -> None:
    assert {half(f"doc{i}") for i in range(20)} == {0, 1}
    assert half("doc1") == half("doc1")


def test_eval_commands_print_scores_and_error_classes(tmp_path: Path) -> None:
    text = 'Mayor Ann Diaz visited the depot on Friday. "The trains will run again by spring," she said.'
    start, end = text.index('"The'), text.index('," she') + 2
    quotes = [
        {
            "start": start,
            "end": end,
            "kind": "direct",
            "speaker": "she",
            "speaker_start": end + 1,
            "speaker_end": end + 4,
            "speaker_resolved": "Ann Diaz",
            "text": text[start:end],
        }
    ]
    friday = text.index("Friday")
    timexes = [{"start": friday, "end": friday + 6, "text": "Friday", "type": "DATE", "value": "2019-01-18"}]
    record = {"id": "a1", "title": "", "text": text, "published": "2019-01-19", "quotes": quotes, "timexes": timexes}
    data = tmp_path / "gold.jsonl"
    data.write_text(json.dumps(record) + "\n", encoding="utf-8")
    runner = CliRunner()
    quoted = runner.invoke(main, ["eval", "quotes", str(data), "--no-peers"])
    assert quoted.exit_code == 0, quoted.output
    assert "speaker right, gold named person: 1.000 (1/1)" in quoted.output
    dated = runner.invoke(main, ["eval", "dates", str(data)])
    assert dated.exit_code == 0, dated.output
    assert "recall 1.000 (1/1) normalised 1.000 (1/1)" in dated.output and "dateparser" in dated.output
