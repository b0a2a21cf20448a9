"""Short CTranslate2 calls: the batch sizer's invariants (what keeps Ctrl-C and progress prompt)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from align.mt.engine import MIN_TOKENS, BatchSizer, DecodeOptions, start_tokens

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


@given(st.lists(st.tuples(st.integers(1, 5000), st.floats(0.0, 30.0)), max_size=30))
def test_budget_follows_speed_within_bounds(observations):
    sizer = BatchSizer(DecodeOptions(beam_size=4))
    assert sizer.budget() == start_tokens(4)
    for tokens, seconds in observations:
        before = sizer.budget()
        sizer.observe(tokens, seconds)
        assert MIN_TOKENS <= sizer.budget() <= sizer.cap
        assert sizer.budget() <= max(2 * before, MIN_TOKENS)  # grows at most 2x per call
        if seconds >= 2 * sizer.target and tokens <= before:
            assert sizer.budget() <= before  # a slow call never grows the budget


def test_explicit_sizes_are_kept():
    fixed = BatchSizer(DecodeOptions(batch_size=3))
    rows = as_rows([[5]] * 10)
    assert [len(b) for b in fixed.batches(range(10), rows)] == [3, 3, 3, 1]
    fixed.observe(15, 100.0)
    assert [len(b) for b in fixed.batches(range(10), rows)] == [3, 3, 3, 1]
    tokens = BatchSizer(DecodeOptions(batch_tokens=20))
    tokens.observe(20, 100.0)
    assert tokens.budget() == 20
