"""The vectorised banded search finds the same optimum as a plain reference DP."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from align.aligner.dp import Band, bead_types, rough_path, search


def _reference(n, m, types, cost, null_s, null_t):
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            for a, b in types:
                if i < a or j < b or (a, b) == (0, 0):
                    continue
                prev = best[i - a][j - b]
                if a and b:
                    c = float(cost(a, b, np.array([i - a]), np.array([j - b]))[0])
                elif a:
                    c = float(null_s[i - 1])
                else:
                    c = float(null_t[j - 1])
                best[i][j] = min(best[i][j], prev + c)
    return best[n][m]


def _total(path, cost, null_s, null_t):
    total = 0.0
    for (a, b), i0, j0 in path:
        if a and b:
            total += float(cost(a, b, np.array([i0]), np.array([j0]))[0])
        elif a:
            total += float(null_s[i0])
        else:
            total += float(null_t[j0])
    return total


@settings(max_examples=80, deadline=None)
@given(
    st.integers(0, 9),
    st.integers(0, 9),
    st.integers(1, 3),
    st.integers(0, 2**32 - 1),
)
def test_full_band_search_is_optimal(n, m, max_bead, seed):
    rng = np.random.default_rng(seed)
    table = {(a, b): rng.random((n + 1, m + 1)) * (a + b) for a in range(1, 4) for b in range(1, 4)}
    null_s, null_t = rng.random(n) * 1.5, rng.random(m) * 1.5
    types = bead_types(max_bead)

    def cost(a, b, i0s, j0s):
        return table[(a, b)][i0s, j0s]

    path = search(n, m, types, Band.full(n, m), cost, null_s, null_t)
    covered_src = [i for (a, _), i0, _ in path for i in range(i0, i0 + a)]
    covered_tgt = [j for (_, b), _, j0 in path for j in range(j0, j0 + b)]
    assert covered_src == list(range(n)) and covered_tgt == list(range(m))
    want = _reference(n, m, types, cost, null_s, null_t)
    assert math.isclose(_total(path, cost, null_s, null_t), want, rel_tol=1e-9, abs_tol=1e-9)


def test_rough_path_recovers_a_planted_diagonal_on_a_large_lattice():
    rng = np.random.default_rng(1)
    n = 2000  # large enough for the coarse-to-fine branch (FULL_CELLS)
    src = rng.standard_normal((n, 64)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    keep = np.ones(n, dtype=bool)
    keep[[100, 900, 1500]] = False  # three target lines dropped
    tgt = src[keep] + rng.standard_normal((keep.sum(), 64)).astype(np.float32) * 0.05
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    cells = rough_path(src, tgt)
    assert cells[0] == (0, 0) and cells[-1] == (n, len(tgt))
    steps = {(i1 - i0, j1 - j0) for (i0, j0), (i1, j1) in itertools.pairwise(cells)}
    assert steps <= {(1, 1), (1, 0), (0, 1)}
    dropped = [
        i0 for (i0, j0), (i1, j1) in itertools.pairwise(cells) if (i1 - i0, j1 - j0) == (1, 0)
    ]
    assert dropped == [100, 900, 1500]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 40), level=st.integers(0, 4), seed=st.integers(0, 2**16))
def test_pooled_levels_are_unit_means_of_neighbouring_rows(n, level, seed):
    from align.aligner.dp import _pooled

    rng = np.random.default_rng(seed)
    vecs = rng.standard_normal((n, 5)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    want = vecs.astype(np.float64)
    for _ in range(level):  # pairs summed, a lone last row kept, renormalised
        sums = [want[k : k + 2].sum(axis=0) for k in range(0, len(want), 2)]
        want = np.array([s / np.linalg.norm(s) for s in sums])
    got = _pooled(vecs, level)
    assert got.shape == want.shape and got.dtype == np.float32
    assert np.allclose(got, want, atol=1e-5)
    assert _pooled(vecs, 0) is vecs  # the finest level is the input, not a copy
