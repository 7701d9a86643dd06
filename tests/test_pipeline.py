"""The pipeline's user settings: what a store and a stories.json keep, and how later commands meet them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.pipeline import PipelineConfig, SettingsError, settled_config

settings = st.fixed_dictionaries(
    {}, optional={"words": st.integers(1, 1000), "consensus": st.none() | st.floats(0.01, 1.0)}
)


@given(settings)
def test_settings_survive_a_config(chosen: dict[str, object]) -> None:
    config = PipelineConfig.from_settings(chosen)
    assert {**PipelineConfig().settings(), **chosen} == config.settings()
    assert PipelineConfig.from_settings(config.settings()) == config


def test_stored_settings_hold_unless_a_command_asks_for_others() -> None:
    stored = {"consensus": 0.5, "words": 40}
    assert settled_config(stored, {}, "the store").settings() == stored
    assert settled_config(stored, {"words": 40}, "the store").settings() == stored
    assert settled_config(None, {"words": 80}, "the store").digest.words == 80
    with pytest.raises(SettingsError, match="the store was made with --words 40, not 80"):
        settled_config(stored, {"words": 80}, "the store")


def test_an_unknown_setting_is_refused() -> None:
    with pytest.raises(SettingsError, match="unknown pipeline setting 'colour'"):
        PipelineConfig.from_settings({"colour": "red"})
