"""A merge of more sentences than the facing line holds pays as its weakest line loosens."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner import anchors as anc
from align.aligner.core import DocStats, Scorer, Weights, _set_hubness, _Side
from align.aligner.length import LengthModel

STATS = DocStats(floor=0.4, slope=10.0, pair=0.8, near=0.1)  # weak = 1 (pairs stand out)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _scorer(src_lines, tgt_lines, src, tgt, w: Weights) -> Scorer:
    s = _Side(src_lines, src, anc.extract(src_lines), 3)
    t = _Side(tgt_lines, tgt, anc.extract(tgt_lines), 3)
    n, m = len(src), len(tgt)
    cells = [(round(k * n / max(m, n)), round(k * m / max(m, n))) for k in range(max(m, n) + 1)]
    _set_hubness(s, t, cells, cells[:-1], Weights(hub=0.0))
    return Scorer(s, t, LengthModel(), w, cells, STATS)


def _sentences(k: int, tag: str) -> str:
    return " ".join(f"This is sentence {tag}{j} of the line." for j in range(k))


def _doc(src_counts, tgt_counts, seed=0):
    rng = np.random.default_rng(seed)
    src_lines = [_sentences(k, f"s{i}") for i, k in enumerate(src_counts)]
    tgt_lines = [_sentences(k, f"t{j}") for j, k in enumerate(tgt_counts)]
    src = _unit(rng.normal(size=(len(src_lines), 32)))
    tgt = _unit(rng.normal(size=(len(tgt_lines), 32)))
    return src_lines, tgt_lines, src, tgt


@pytest.mark.parametrize(
    ("weakest", "share"), [(0.6, 0.0), (0.4, 0.0), (0.25, 0.5), (0.1, 1.0), (-0.3, 1.0)]
)
def test_two_lines_against_a_one_sentence_line_pay_as_the_weakest_falls(weakest, share):
    sc = _scorer(*_doc([1, 1], [1]), Weights(sentences=0.5))
    pen = sc._surplus(sc.src, sc.tgt, np.array([0]), np.array([0]), 2, np.array([weakest]))
    assert sc._weak == 1.0
    assert pen[0] == pytest.approx(0.5 * share)


def test_a_line_holding_both_sentences_costs_nothing():
    sc = _scorer(*_doc([1, 1], [2]), Weights(sentences=0.5))
    pen = sc._surplus(sc.src, sc.tgt, np.array([0]), np.array([0]), 2, np.array([-1.0]))
    assert pen[0] == 0.0


@settings(max_examples=60, deadline=None)
@given(
    mine=st.lists(st.integers(1, 3), min_size=2, max_size=3),
    theirs=st.integers(1, 4),
    lows=st.lists(st.floats(-1, 1), min_size=2, max_size=2),
)
def test_surplus_is_bounded_monotone_and_only_for_surplus(mine, theirs, lows):
    sc = _scorer(*_doc(mine, [theirs]), Weights(sentences=0.7))
    at = np.array([0, 0])
    pen = sc._surplus(sc.src, sc.tgt, at, at, len(mine), np.array(sorted(lows)))
    assert ((pen >= 0) & (pen <= 0.7 * sc._weak + 1e-12)).all()
    assert pen[0] >= pen[1]  # a weaker weakest line never pays less
    if sum(mine) <= theirs:
        assert (pen == 0).all()


def test_the_merge_score_carries_the_surplus_and_nothing_else_changes():
    lines = _doc([1, 1, 1, 1], [1, 2, 1])
    on = _scorer(*lines, Weights(sentences=0.5))
    off = _scorer(*lines, Weights(sentences=0.0))
    i, j = np.array([0, 2]), np.array([0, 1])  # 2-1 onto a one- and a two-sentence line
    diff = off.score(2, 1, i, j) - on.score(2, 1, i, j)
    assert diff[0] > 0.0  # random vectors: the weakest line is far below the floor
    assert diff[1] == pytest.approx(0.0)
    assert on.score(1, 1, i, j) == pytest.approx(off.score(1, 1, i, j))
