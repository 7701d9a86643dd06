"""Highlighted spans: they only cut the text, never change it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.web.highlight import Mark, paragraphs, segment_text

KINDS = st.sampled_from(["claim", "quote", "date"])


@st.composite
def text_and_marks(draw: st.DrawFn) -> tuple[str, list[Mark]]:
    text = draw(st.text(alphabet="ab \n", max_size=40))
    bound = st.integers(-3, len(text) + 3)
    marks = draw(st.lists(st.builds(Mark, bound, bound, KINDS, st.just("note")), max_size=6))
    return text, marks


@given(text_and_marks())
def test_segments_rebuild_the_text_and_carry_the_marks_covering_them(case: tuple[str, list[Mark]]) -> None:
    text, marks = case
    segments = segment_text(text, marks)
    assert "".join(s.text for s in segments) == text
    position = 0
    for segment in segments:
        for offset in range(position, position + len(segment.text)):
            covering = {m.kind for m in marks if 0 <= m.start <= offset < m.end <= len(text)}
            assert set(segment.kinds) == covering
        position += len(segment.text)


@given(text_and_marks())
def test_paragraphs_keep_every_character_but_line_breaks(case: tuple[str, list[Mark]]) -> None:
    text, marks = case
    blocks = paragraphs(segment_text(text, marks))
    assert ["".join(s.text for s in block) for block in blocks] == [line for line in text.split("\n") if line]
