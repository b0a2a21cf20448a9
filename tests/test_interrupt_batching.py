"""Short CTranslate2 calls: the batch sizer's invariants (what keeps Ctrl-C and progress prompt)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from align.mt.engine import MIN_TOKENS, BatchSizer, DecodeOptions, chunk_segments, start_tokens

rows_st = st.lists(
    st.lists(st.integers(1, 300), min_size=1, max_size=3),  # token rows of one segment
    min_size=0,
    max_size=60,
)


def as_rows(lengths: list[list[int]]) -> list[list[list[str]]]:
    return [[["x"] * n for n in seg] for seg in lengths]


@settings(max_examples=200, deadline=None)
@given(rows_st, st.integers(1, 8), st.one_of(st.none(), st.integers(1, 10)))
def test_batches_cover_every_segment_once_within_budget(lengths, beam, max_segments):
    rows = as_rows(lengths)
    sizer = BatchSizer(DecodeOptions(beam_size=beam), max_segments=max_segments)
    order = sorted(range(len(rows)), key=lambda k: max(len(r) for r in rows[k]))
    batches = list(sizer.batches(order, rows))
    assert [k for b in batches for k in b] == order  # all, once, in the given order
    for b in batches:
        padded = sum(len(rows[k]) for k in b) * max(len(r) for k in b for r in rows[k])
        assert len(b) == 1 or padded <= sizer.budget()  # only a lone segment may exceed it
        assert max_segments is None or len(b) <= max_segments


@given(st.integers(1, 16), st.one_of(st.none(), st.integers(16, 4096)))
def test_call_budget_and_chunks_follow_the_beam(beam, batch_tokens):
    options = DecodeOptions(beam_size=beam, batch_tokens=batch_tokens)
    sizer = BatchSizer(options)
    assert sizer.budget() == (batch_tokens or start_tokens(beam)) >= min(16, MIN_TOKENS)
    assert start_tokens(beam) >= start_tokens(beam + 1) >= MIN_TOKENS  # wider beam, fewer
    assert chunk_segments(options) >= 8


def test_explicit_sizes_are_kept():
    fixed = BatchSizer(DecodeOptions(batch_size=3))
    rows = as_rows([[5]] * 10)
    assert [len(b) for b in fixed.batches(range(10), rows)] == [3, 3, 3, 1]
    tokens = BatchSizer(DecodeOptions(batch_tokens=20))
    assert [len(b) for b in tokens.batches(range(10), rows)] == [4, 4, 2]  # 4 x 5 tokens
