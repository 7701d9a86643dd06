"""``newsfuse check``: a sound store passes; each kind of damage is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsfuse.cli import main
from newsfuse.records import Article
from newsfuse.store import IncrementalPipeline, Store

COPY_ID = "outlet-c-copy"


def check(url: str) -> Result:
    return CliRunner().invoke(main, ["check", "--db", url], catch_exceptions=False)


@pytest.fixture
def sound_store(sample_articles: tuple[Article, ...], store_url: str) -> str:
    """Both seed articles (one story) and a wire copy of the first (a duplicate group)."""
    first = sample_articles[0]
    copy = Article(
        id=COPY_ID, title=first.title, text=first.text, source="outlet-c", published=first.published, path="copy"
    )
    store = Store(store_url)
    try:
        IncrementalPipeline(store).add([*sample_articles, copy])
    finally:
        store.close()
    return store_url


def damaged(url: str, *statements: str) -> str:
    """Run the statements on the store, then ``check`` it: it must fail; what it printed."""
    store = Store(url)
    try:
        for statement in statements:
            store.db.execute(statement)
    finally:
        store.close()
    result = check(url)
    assert result.exit_code == 1
    return result.output


def story_row(url: str) -> tuple[str, list[str]]:
    store = Store(url)
    try:
        [(story_id, article_ids)] = store.db.rows("SELECT id, article_ids FROM stories")
    finally:
        store.close()
    return story_id, json.loads(article_ids)


def test_a_sound_store_passes(sound_store: str) -> None:
    result = check(sound_store)
    assert result.exit_code == 0, result.output
    assert "is sound: 3 articles, 1 stories (1 open, 0 to rebuild), 1 duplicate groups" in result.output


def test_a_deleted_story_is_reported(sound_store: str, sample_articles: tuple[Article, ...]) -> None:
    story_id, _ = story_row(sound_store)
    output = damaged(sound_store, f"DELETE FROM stories WHERE id = '{story_id}'")
    for article in sample_articles:
        assert f"article {article.id}: its story {story_id} does not exist" in output
    assert "2 problems in" in output


def test_a_live_story_or_thread_marked_retired_and_retired_ones_leading_nowhere_are_reported(
    sound_store: str,
) -> None:
    story_id, _ = story_row(sound_store)
    output = damaged(
        sound_store,
        f"INSERT INTO retired_stories (id, article_id) VALUES ('{story_id}', '{COPY_ID}')",
        "INSERT INTO retired_stories (id, article_id) VALUES ('s000000000000', 'no-such-article')",
        "INSERT INTO threads (id, record) VALUES ('t000000000001', '{}')",
        f"INSERT INTO retired_threads (id, story_id) VALUES ('t000000000001', '{story_id}')",
        "INSERT INTO retired_threads (id, story_id) VALUES ('t000000000002', 's000000000001')",
    )
    assert f"story {story_id}: retired, but a story still" in output
    assert "story s000000000000: retired to article no-such-article, which does not exist" in output
    assert "thread t000000000001: retired, but a thread still" in output
    assert "thread t000000000002: retired to story s000000000001, which does not exist" in output
    assert "4 problems in" in output


def test_a_membership_listed_twice_is_reported(sound_store: str, sample_articles: tuple[Article, ...]) -> None:
    story_id, article_ids = story_row(sound_store)
    listed = json.dumps([*article_ids, article_ids[0]])
    output = damaged(sound_store, f"UPDATE stories SET article_ids = '{listed}' WHERE id = '{story_id}'")
    assert f"story {story_id}: lists article {article_ids[0]} 2 times" in output
    assert f"story {story_id}: clustering state lists other articles than the story" in output


def test_a_clustered_copy_and_a_lost_clusterer_update_are_reported(sound_store: str) -> None:
    story_id, _ = story_row(sound_store)
    output = damaged(
        sound_store,
        f"UPDATE articles SET story_id = '{story_id}' WHERE id = '{COPY_ID}'",
        "UPDATE meta SET value = '1' WHERE key = 'term_documents'",
    )
    assert f"article {COPY_ID}: a copy of" in output and f"clustered into story {story_id}" in output
    assert f"story {story_id}, which does not list it" in output
    assert "clusterer: term_documents is 1, but 3 articles are clustered" in output


def test_a_missing_or_unreadable_store_is_reported(tmp_path: Path) -> None:
    missing = check(str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and "no store at" in missing.output
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    unreadable = check(str(garbage))
    assert unreadable.exit_code == 1 and "cannot open store" in unreadable.output
